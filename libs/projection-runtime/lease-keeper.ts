import { hostname } from 'node:os';
import type { Lease, ReadStore } from '../read-store/read-store.port';
import { describeFailure } from '../resilience/retry';

export interface LeaseKeeperOptions {
  store: ReadStore;
  /** Lease name in the read store. */
  name: string;
  /** This instance's id (host, pid, random suffix): unique among the instances sharing the stores. */
  holder: string;
  ttlMs: number;
  /** How often the lease is renewed or asked for (default a third of the term). */
  renewEveryMs?: number;
  /** Milliseconds since the epoch (injected by tests). */
  clock?: () => number;
  /**
   * True when the holder is known to be gone (default `holderIsDeadProcess`: a process of this host that no longer
   * exists): its term is then not waited out, so a single instance restarted after kill -9 projects at once.
   */
  isDead?: (holder: string) => boolean;
  /** This instance now holds the lease with `token`: start the work, fencing every write with it. */
  onAcquired: (token: number) => Promise<void>;
  /** The lease is lost (taken over, or not renewable before its term ends) or given up: stop the work. */
  onLost: (reason: string) => Promise<void>;
  logger?: { log(message: string): void; warn(message: string): void };
}

export interface LeaseState {
  /** `active`: this instance holds the lease and runs the work; `standby`: another does (or none yet). */
  role: 'active' | 'standby';
  holder: string;
  /** The lease as last read: who holds it, its token and the end of its term (null before the first answer). */
  lease: Lease | null;
  lastError: string | null;
}

/**
 * Keeps the background-work lease (ADR 0063): asks for it at start and every `renewEveryMs`; on getting it, starts
 * the work (`onAcquired` with the fencing token); on seeing another holder, or failing to renew before the term
 * ends, stops it (`onLost`). A standby instance takes over within `ttlMs + renewEveryMs` of the holder's last
 * renewal. `stop()` stops the work and releases the lease, so that a standby takes over at its next attempt.
 */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | null = null;
  private active: { token: number; expiresAt: number } | null = null;
  private last: Lease | null = null;
  private lastError: string | null = null;
  private ticking: Promise<void> = Promise.resolve();
  /** The work's start in progress (onAcquired), null once lost. */
  private starting: Promise<void> | null = null;
  private stopped = true;
  private readonly clock: () => number;
  private readonly every: number;

  constructor(private readonly o: LeaseKeeperOptions) {
    this.clock = o.clock ?? Date.now;
    this.every = o.renewEveryMs ?? Math.max(50, Math.floor(o.ttlMs / 3));
    if (this.every >= o.ttlMs) throw new RangeError('The lease must be renewed more often than its term');
  }

  /** Asks once (awaiting the work's start if granted), then keeps asking in the background. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
    this.schedule();
    // Renewals go on while the work starts (a projection rebuilt at start can take minutes): the term never lapses
    // under a slow start.
    await this.starting;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    const held = this.active;
    if (held) {
      await this.lose('stopping');
      await this.o.store.releaseLease(this.o.name, this.o.holder, held.token).catch(() => undefined);
    }
  }

  state(): LeaseState {
    return { role: this.active ? 'active' : 'standby', holder: this.o.holder, lease: this.last, lastError: this.lastError };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => this.schedule());
    }, this.every);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock();
    let lease: Lease;
    try {
      lease = await this.o.store.acquireLease(this.o.name, this.o.holder, now, this.o.ttlMs);
      this.lastError = null;
    } catch (error) {
      this.lastError = describeFailure(error);
      this.o.logger?.warn(`Lease ${this.o.name}: ${this.lastError}`);
      // Not renewable: the work stops before the term ends, when another instance may take over.
      if (this.active && this.clock() + this.every >= this.active.expiresAt) await this.lose(`could not renew before the term ends: ${this.lastError}`);
      return;
    }
    if (lease.holder !== this.o.holder && lease.expiresAt > now && (this.o.isDead ?? holderIsDeadProcess)(lease.holder)) {
      // Its process is gone: take over as if its term had ended (atomic: refused if another instance got there first).
      this.o.logger?.log(`Lease ${this.o.name}: holder ${lease.holder} is no longer running; taking over`);
      try {
        lease = await this.o.store.acquireLease(this.o.name, this.o.holder, lease.expiresAt, this.o.ttlMs);
      } catch (error) {
        this.lastError = describeFailure(error);
        return;
      }
    }
    this.last = lease;
    if (lease.holder === this.o.holder) {
      if (this.active && this.active.token === lease.token) {
        this.active.expiresAt = lease.expiresAt;
        return;
      }
      if (this.active) await this.lose(`token moved from ${this.active.token} to ${lease.token}`);
      this.active = { token: lease.token, expiresAt: lease.expiresAt };
      this.o.logger?.log(`Lease ${this.o.name}: held by this instance (${this.o.holder}), token ${lease.token}`);
      // Not awaited here: the renewals must not wait for the work's start.
      const token = lease.token;
      this.starting = this.o.onAcquired(token).catch(async (error: unknown) => {
        this.starting = null;
        this.lastError = describeFailure(error);
        this.o.logger?.warn(`Lease ${this.o.name}: starting the work failed: ${this.lastError}`);
        if (this.active?.token === token) {
          await this.lose('the work failed to start');
          await this.o.store.releaseLease(this.o.name, this.o.holder, token).catch(() => undefined);
        }
      });
    } else if (this.active) {
      await this.lose(`taken over by ${lease.holder} (token ${lease.token})`);
    }
  }

  private async lose(reason: string): Promise<void> {
    if (!this.active) return;
    this.active = null;
    // The work is stopped only once its start has finished (stopping a half-started projector would leave it running).
    const starting = this.starting;
    this.starting = null;
    await starting;
    this.o.logger?.warn(`Lease ${this.o.name}: no longer held by this instance: ${reason}`);
    await this.o.onLost(reason);
  }
}

/**
 * Holders are `host:pid:suffix` (libs/application/application.module.ts). One of this host, with another pid, whose
 * process no longer exists, is dead; anything else (another host, this process, a pid that answers) is not known to be.
 */
export function holderIsDeadProcess(holder: string): boolean {
  const match = /^(.*):(\d+):[^:]+$/.exec(holder);
  if (!match || match[1] !== hostname()) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'ESRCH';
  }
}
