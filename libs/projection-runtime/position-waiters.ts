/** Callers waiting for projections to pass a log position (read-your-writes after a command). */
interface Waiter {
  position: number;
  names: readonly string[] | undefined;
  settle(ok: boolean): void;
}

type Check = (position: number, names: readonly string[] | undefined) => boolean;

export class PositionWaiters {
  private readonly waiters = new Set<Waiter>();

  /**
   * Resolves true when `notify` finds the position reached (in-process commits), or when `poll` does
   * (checkpoints written by another process), false after `timeoutMs`.
   */
  wait(position: number, names: readonly string[] | undefined, timeoutMs: number, poll: () => Promise<boolean>, pollMs = 100): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const interval = setInterval(() => {
        poll().then((ok) => ok && waiter.settle(true), () => undefined);
      }, pollMs);
      const timer = setTimeout(() => waiter.settle(false), timeoutMs);
      const waiter: Waiter = {
        position,
        names,
        settle: (ok) => {
          clearInterval(interval);
          clearTimeout(timer);
          if (this.waiters.delete(waiter)) resolve(ok);
        },
      };
      this.waiters.add(waiter);
    });
  }

  notify(reached: Check): void {
    for (const waiter of this.waiters) if (reached(waiter.position, waiter.names)) waiter.settle(true);
  }

  cancelAll(): void {
    for (const waiter of this.waiters) waiter.settle(false);
  }
}
