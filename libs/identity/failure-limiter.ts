/**
 * Failed authentications counted per address and per credential (a key's hash, a token's hash) in a sliding
 * window; past the limit, the address or credential is refused with 429 until its oldest failure leaves the
 * window. Successes are not counted: the limiter slows guessing and stolen-key probing, not normal traffic.
 * In memory, per process (ADR 0040): a restart forgets, and several API processes each count their own.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly max: number, private readonly windowMs: number) {}

  /** Milliseconds until this subject may try again, or 0 when it may now. */
  retryAfterMs(subject: string, now: number): number {
    const list = this.recent(subject, now);
    return list.length >= this.max ? list[0] + this.windowMs - now : 0;
  }

  record(subject: string, now: number): void {
    const list = this.recent(subject, now);
    list.push(now);
    this.failures.set(subject, list);
    if (this.failures.size > 100_000) this.sweep(now);
  }

  private recent(subject: string, now: number): number[] {
    const list = this.failures.get(subject);
    if (!list) return [];
    const from = list.findIndex((t) => t > now - this.windowMs);
    if (from < 0) {
      this.failures.delete(subject);
      return [];
    }
    return from === 0 ? list : list.slice(from);
  }

  private sweep(now: number): void {
    for (const subject of [...this.failures.keys()]) this.recent(subject, now);
  }
}
