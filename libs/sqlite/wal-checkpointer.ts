import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints of one SQLite file, run on a worker thread with its own connection (ADR 0116).
 *
 * A checkpoint copies the WAL's pages into the database file and syncs it: with SQLite's automatic checkpoints that
 * I/O runs inside the commit that crosses the threshold, on the connection's thread — the event loop, which then
 * answers nothing for up to tens of milliseconds (the p99 of the command path). Here a worker runs a PASSIVE
 * checkpoint every `intervalMs`: it waits for no reader or writer and never blocks one, so the event loop's commits
 * only append to the WAL. A checkpoint that finds the file busy is tried again at the next interval. The owner keeps
 * its own automatic checkpoints at a high threshold, so if this worker stopped the WAL would still be bounded.
 */
export interface WalCheckpointerOptions {
  path: string;
  /** Time between two checkpoints (default 200 ms). */
  intervalMs?: number;
}

export interface CheckpointResult {
  /** 1 if the checkpoint could not run to the end (a reader or writer was in the way): it goes on next time. */
  busy: number;
  /** Frames in the WAL when it ran. */
  log: number;
  /** Frames copied to the database file so far (all of them when equal to `log`). */
  checkpointed: number;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.path, { fileMustExist: true, timeout: 0 });
let timer = null;
let stopped = false;
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)')[0];
const tick = () => {
  timer = null;
  if (stopped) return;
  try { checkpoint(); } catch { /* busy or locked: the next interval tries again */ }
  timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', (m) => {
  if (m && m.type === 'run') {
    try { parentPort.postMessage({ id: m.id, result: checkpoint() }); }
    catch (error) { parentPort.postMessage({ id: m.id, error: String(error && error.message || error) }); }
    return;
  }
  if (m && m.type === 'stop') {
    stopped = true;
    if (timer) clearTimeout(timer);
    db.close();
    parentPort.close();
  }
});
timer = setTimeout(tick, workerData.intervalMs);
`;

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<unknown>;
  private closed = false;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve(r: CheckpointResult): void; reject(e: Error): void }>();
  /** The worker's failure, if it stopped on one (the owner's automatic checkpoints then bound the WAL). */
  error: Error | null = null;

  constructor(options: WalCheckpointerOptions) {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { path: options.path, intervalMs: options.intervalMs ?? 200, sqlite: require.resolve('better-sqlite3') },
    });
    // Never what keeps a process alive; a failure is kept, not thrown (nothing is lost: the owner checkpoints itself).
    this.worker.unref();
    this.exited = once(this.worker, 'exit');
    this.worker.on('error', (error) => {
      this.error = error;
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
    });
    this.worker.on('message', (m: { id: number; result?: CheckpointResult; error?: string }) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.error !== undefined) w.reject(new Error(m.error));
      else w.resolve(m.result!);
    });
  }

  /** One checkpoint now, on the worker (what the interval does), and its outcome. */
  runNow(): Promise<CheckpointResult> {
    if (this.closed) return Promise.reject(new Error('WalCheckpointer is closed'));
    if (this.error) return Promise.reject(this.error);
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'run', id });
    });
  }

  /** Stops the worker and closes its connection; resolves once the thread has exited. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Awaited, the exit must keep the process alive: an unref'd worker alone would let it end before the exit event.
    this.worker.ref();
    if (this.error === null) this.worker.postMessage({ type: 'stop' });
    const timeout = setTimeout(() => void this.worker.terminate(), 5_000);
    timeout.unref();
    try {
      await this.exited;
    } finally {
      clearTimeout(timeout);
    }
  }
}
