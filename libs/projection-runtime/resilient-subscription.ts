import type { EventStore, StoredEvent } from '../event-store/event-store.port';
import { backoffMs, describeFailure, Sleeper, type RetryPolicy } from '../resilience/retry';

/**
 * Follows the log for a worker (projector, process manager) and heals: when reading fails or the worker's
 * handler throws, the subscription is dropped, the worker is told (`onFailure`, with the delay), and after a
 * capped exponential backoff a new subscription starts from the worker's checkpoint (`from()`), never past
 * it. Works the same on every event store adapter (ADR 0045): the store only reports the drop.
 */
export interface ResilientFollowOptions {
  store: EventStore;
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;
  /**
   * A number in [0, 1) drawn for each backoff (default Math.random): the delay is the capped exponential one scaled
   * into [½, 1) of it ("equal jitter"), so that instances dropped together by a server restart do not resubscribe in
   * lockstep. Injected so that tests are deterministic.
   */
  random?: () => number;
  /** Position to resume after (the worker's checkpoint), read at each (re)subscription. */
  from: () => number;
  /** Optional first pass before subscribing (large catch-up reads); a throw counts as a drop. */
  catchUp?: () => Promise<void>;
  onEvents: (events: StoredEvent[]) => Promise<void>;
  /** The `failures`-th consecutive drop; the next attempt starts in `delayMs`. */
  onFailure: (error: unknown, failures: number, delayMs: number) => void;
  /** Called when a delivery succeeds after failures. */
  onRecovered?: () => void;
}

/**
 * `catching_up`: reading the log up to its end (first start, or after a resubscription); `live`: following new
 * appends; `retrying`: dropped, the next attempt after a backoff (with the last error); `stopped`: closed.
 */
export type FollowState = 'catching_up' | 'live' | 'retrying' | 'stopped';

export interface FollowHealth {
  state: FollowState;
  /** Consecutive drops (0 once a delivery succeeds). */
  failures: number;
  /** The last drop's error, kept while retrying. */
  lastError: string | null;
  /** ISO instant of the last change of state. */
  since: string;
}

/** Delay after the `failures`-th consecutive drop: the capped exponential backoff, jittered into [½, 1) of it. */
export function jitteredBackoffMs(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, failures: number, random: () => number): number {
  const capped = backoffMs(policy, failures);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(capped / 2 + (capped / 2) * r);
}

export class ResilientFollower {
  private stopped = false;
  private followState: FollowState = 'catching_up';
  private lastError: string | null = null;
  private since = new Date().toISOString();
  private readonly sleeper = new Sleeper();
  private wakeStop: (() => void) | null = null;
  private current: { close(): Promise<void> } | null = null;
  private failures = 0;
  private readonly done: Promise<void>;

  constructor(private readonly options: ResilientFollowOptions) {
    this.done = this.run();
  }

  /** Consecutive failures so far (0: healthy). */
  get failing(): number {
    return this.failures;
  }

  /** State of the subscription for GET /projections, readiness and metrics. */
  health(): FollowHealth {
    return { state: this.followState, failures: this.failures, lastError: this.lastError, since: this.since };
  }

  private enter(state: FollowState): void {
    if (state === this.followState) return;
    this.followState = state;
    this.since = new Date().toISOString();
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.sleeper.cancel();
    this.wakeStop?.();
    await this.done;
  }

  private async run(): Promise<void> {
    const o = this.options;
    await Promise.resolve(); // the caller holds the handle before any callback runs
    while (!this.stopped) {
      let error: unknown = null;
      try {
        this.enter(this.failures > 0 ? 'retrying' : 'catching_up');
        if (o.catchUp) await o.catchUp();
        if (this.stopped) break;
        error = await new Promise<unknown>((resolve) => {
          this.wakeStop = () => resolve(null);
          this.current = o.store.subscribeToAll(o.from(), async (events) => {
            await o.onEvents(events);
            this.healthy();
          }, (dropped) => resolve(dropped ?? new Error('subscription dropped')), {
            // The store has delivered the log to its end: following from here.
            onCaughtUp: () => {
              if (this.stopped) return;
              this.healthy();
              this.enter('live');
            },
          });
        });
      } catch (caught) {
        error = caught;
      }
      const subscription = this.current;
      this.current = null;
      this.wakeStop = null;
      // Closing a dropped subscription is harmless; closing a live one (stop) waits for its delivery in flight.
      await subscription?.close().catch(() => undefined);
      if (this.stopped || error === null) break;
      this.failures += 1;
      this.lastError = describeFailure(error) || 'subscription dropped';
      this.enter('retrying');
      const delay = jitteredBackoffMs(o.policy, this.failures, o.random ?? Math.random);
      o.onFailure(error, this.failures, delay);
      await this.sleeper.sleep(delay);
    }
    this.enter('stopped');
  }

  /** A delivery went through: the next failure starts the backoff again from its base. */
  healthy(): void {
    if (this.failures === 0) return;
    this.failures = 0;
    this.lastError = null;
    if (this.followState === 'retrying') this.enter('catching_up');
    this.options.onRecovered?.();
  }
}

