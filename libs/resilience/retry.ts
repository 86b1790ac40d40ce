/**
 * Retry rules shared by the process manager, the projector and the HTTP error mapping (ADR 0045):
 * which failures are transient (the store is busy, locked or unreachable: the same call may succeed later),
 * and the capped exponential backoff between attempts. Duck-typed on the drivers' error shapes, so nothing
 * here imports a driver.
 */

/** Backoff and parking limits (AR_STEP_RETRY_* in the configuration). */
export interface RetryPolicy {
  /** Delay before the second attempt; doubled after each failure. */
  baseDelayMs: number;
  /** Cap of the delay between two attempts. */
  maxDelayMs: number;
  /** Attempts of a step failing for a non-transient reason before it is parked (transient failures never park). */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 100, maxDelayMs: 5_000, maxAttempts: 5 };

/** Delay after the `failures`-th consecutive failure (1-based): base · 2^(failures−1), capped. */
export function backoffMs(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, failures: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}

/** SQLite result codes (extended ones start with the primary: SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED_SHAREDCACHE…). */
const SQLITE_TRANSIENT = /^SQLITE_(BUSY|LOCKED)/;
/** MongoDB driver error classes that mean "not reachable / not primary right now". */
const MONGO_TRANSIENT = new Set([
  'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoNotConnectedError', 'MongoTopologyClosedError',
  'MongoWriteConcernError', 'PoolClearedError', 'PoolClearedOnNetworkError', 'WaitQueueTimeoutError',
]);
const MONGO_LABELS = ['TransientTransactionError', 'RetryableWriteError', 'ResetPool'];
/** @eventstore/db-client error types (`error.type`) of a node that is down, busy or not the leader. */
const ESDB_TRANSIENT = new Set(['unavailable', 'deadline-exceeded', 'not-leader']);
const ESDB_NAMES = new Set(['UnavailableError', 'DeadlineExceededError', 'NotLeaderError', 'CancelledError']);

/** True when the failure says "the store cannot serve now", not "this request is wrong". */
export function isTransientStoreError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; name?: unknown; type?: unknown; errorLabels?: unknown; cause?: unknown; transient?: unknown };
  if (e.transient === true) return true;
  if (typeof e.code === 'string' && SQLITE_TRANSIENT.test(e.code)) return true;
  if (typeof e.name === 'string' && (MONGO_TRANSIENT.has(e.name) || ESDB_NAMES.has(e.name))) return true;
  if (Array.isArray(e.errorLabels) && e.errorLabels.some((l) => MONGO_LABELS.includes(l as string))) return true;
  if (typeof e.type === 'string' && ESDB_TRANSIENT.has(e.type)) return true;
  return e.cause !== undefined && e.cause !== error && isTransientStoreError(e.cause);
}

/** A sleep that `cancel()` ends at once (a stopping worker must not wait out a 5 s backoff). */
export class Sleeper {
  private timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = { timer: setTimeout(() => { this.timers.delete(entry); resolve(); }, ms), resolve };
      this.timers.add(entry);
    });
  }

  cancel(): void {
    for (const entry of this.timers) {
      clearTimeout(entry.timer);
      entry.resolve();
    }
    this.timers.clear();
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    // Some driver errors carry no message (@eventstore/db-client's UnavailableError): their name and type then.
    const message = error.message || [error.name, (error as { type?: unknown }).type].filter((x) => typeof x === 'string' && x).join(' ');
    return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return String(error);
}
