import type { EventStore, StoredEvent } from '../event-store/event-store.port';
import { backoffMs, Sleeper, type RetryPolicy } from '../resilience/retry';

/**
 * Follows the log for a worker (projector, process manager) and heals: when reading fails or the worker's
 * handler throws, the subscription is dropped, the worker is told (`onFailure`, with the delay), and after a
 * capped exponential backoff a new subscription starts from the worker's checkpoint (`from()`), never past
 * it. Works the same on every event store adapter (ADR 0045): the store only reports the drop.
 */
export interface ResilientFollowOptions {
  store: EventStore;
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;
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

export class ResilientFollower {
  private stopped = false;
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
        if (o.catchUp) await o.catchUp();
        if (this.stopped) break;
        error = await new Promise<unknown>((resolve) => {
          this.wakeStop = () => resolve(null);
          this.current = o.store.subscribeToAll(o.from(), async (events) => {
            await o.onEvents(events);
            this.healthy();
          }, (dropped) => resolve(dropped ?? new Error('subscription dropped')));
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
      const delay = backoffMs(o.policy, this.failures);
      o.onFailure(error, this.failures, delay);
      await this.sleeper.sleep(delay);
    }
  }

  /** A delivery went through: the next failure starts the backoff again from its base. */
  healthy(): void {
    if (this.failures === 0) return;
    this.failures = 0;
    this.options.onRecovered?.();
  }
}
