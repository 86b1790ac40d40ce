/**
 * One worker thread of the parallel rebuild measure (`rebuild.ts`, issue 14): its own connections to the log and
 * to the read-store file, its own read of the whole log, `Projector.rebuild(names)` for its share of the
 * projections (blue/green: each swap as in `ar projections rebuild NAME`). Reports how long its read-store writes
 * took (commits and index creation, waits for the other worker's write lock included): SQLite lets one connection
 * write at a time, so the bench compares that with the same projections' writes when rebuilt alone.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { Projector } from '../../libs/projection-runtime/projector';
import { ALL_PROJECTIONS } from '../../projections';

export interface WorkerJob {
  eventStorePath: string;
  readStorePath: string;
  names: string[];
}

export interface WorkerReport {
  names: string[];
  seconds: number;
  writeSeconds: number;
  writes: number;
}

/** Wraps the read store's write methods to add up the time they take (lock waits included). */
export function timeWrites(readStore: SqliteReadStore): { ms: number; writes: number } {
  const tally = { ms: 0, writes: 0 };
  for (const method of ['commitBatch', 'ensureIndexes', 'ensureCompoundIndex'] as const) {
    const original = readStore[method].bind(readStore) as (...args: unknown[]) => Promise<void>;
    (readStore as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await original(...args);
      } finally {
        tally.ms += performance.now() - t;
        tally.writes++;
      }
    };
  }
  return tally;
}

async function run(job: WorkerJob): Promise<WorkerReport> {
  const eventStore = new SqliteEventStore({ path: job.eventStorePath });
  // The other worker may hold the write lock for a whole flush: wait for it rather than fail with SQLITE_BUSY.
  const readStore = new SqliteReadStore({ path: job.readStorePath, busyTimeoutMs: 600_000 });
  const tally = timeWrites(readStore);
  const start = performance.now();
  try {
    await new Projector({ eventStore, readStore, projections: ALL_PROJECTIONS }).rebuild(job.names);
  } finally {
    await readStore.close();
    await eventStore.close();
  }
  return { names: job.names, seconds: (performance.now() - start) / 1000, writeSeconds: tally.ms / 1000, writes: tally.writes };
}

if (parentPort) {
  const port = parentPort;
  run(workerData as WorkerJob).then(
    (report) => port.postMessage({ ok: true, report }),
    (error: unknown) => port.postMessage({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
}
