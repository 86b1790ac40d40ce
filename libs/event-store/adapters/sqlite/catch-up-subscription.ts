import { StoredEvent, Subscription } from '../../event-store.port';

/**
 * Catch-up subscription over a synchronous batch reader: reads the log after the last delivered position
 * until it is empty, then sleeps until woken (an append committed in this process) or until the poll
 * interval elapses (appends made by other processes on the same file).
 *
 * `close()` waits for an in-flight `onEvents` to finish, so do not await it from inside `onEvents`.
 * If reading or `onEvents` throws, the subscription stops, keeps the error in `error` and hands it to
 * `onDropped` (the caller resubscribes from its checkpoint); delivery is at-least-once across such restarts.
 */
export class CatchUpSubscription implements Subscription {
  private closed = false;
  private caughtUp = false;
  private wake: (() => void) | null = null;
  private readonly done: Promise<void>;
  error: unknown = null;

  constructor(
    private readonly readBatch: (afterPosition: number) => StoredEvent[],
    private afterPosition: number,
    private readonly onEvents: (events: StoredEvent[]) => Promise<void>,
    private readonly pollIntervalMs: number,
    private readonly onClosed: (subscription: CatchUpSubscription) => void,
    private readonly onDropped?: (error: unknown) => void,
    private readonly onCaughtUp?: () => void,
  ) {
    this.done = this.run();
  }

  get position(): number {
    return this.afterPosition;
  }

  /** New events may be there: stop sleeping. A wake-up while delivering is not lost: the loop reads again first. */
  notify(): void {
    this.wake?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.done;
  }

  private async run(): Promise<void> {
    // Deliver nothing before subscribeToAll has returned the handle to its caller.
    await Promise.resolve();
    try {
      while (!this.closed) {
        const events = this.readBatch(this.afterPosition);
        if (events.length === 0) {
          // The log is read to its end: from here on the subscription follows new appends.
          if (!this.caughtUp) {
            this.caughtUp = true;
            this.onCaughtUp?.();
          }
          await this.sleep();
          continue;
        }
        await this.onEvents(events);
        this.afterPosition = events[events.length - 1].position;
      }
    } catch (error) {
      this.error = error;
      if (this.onDropped) this.onDropped(error);
      else process.emitWarning(`Event store subscription stopped after position ${this.afterPosition}: ${String(error)}`);
    } finally {
      this.closed = true;
      this.onClosed(this);
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(finish, this.pollIntervalMs);
      this.wake = finish;
    });
  }
}
