/**
 * One worker thread of a staged rebuild (ADR 0119): its own read-only connection to the log and its own staging file,
 * into which it builds its share of the fresh generations from the start of the log, exactly as the rebuilding
 * thread would (`catchUp` with the same batch size and flush policy), then its indexes; no swap. Reports progress per
 * log batch, and closes its files before it says done.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '../../event-store/adapters/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../read-store/adapters/sqlite/sqlite-read-store';
import { catchUp, type FlushPolicy, type Target } from '../../projection-runtime/apply-batch';
import { KeyFilter } from '../../projection-runtime/key-filter';
import { ensureProjectionIndexes } from '../../projection-runtime/projection';
import { ALL_PROJECTIONS } from '../../../projections';
import { privateFile } from '../data-dir';

export interface StageWorkerJob {
  eventStorePath: string;
  stagingPath: string;
  /** Projection name and the generation's collection name in the read store it will be imported into. */
  generations: Array<{ name: string; collection: string }>;
  batchSize: number;
  flush: FlushPolicy;
}

export type StageWorkerMessage =
  | { type: 'progress'; events: number; positions: Array<[collection: string, position: number]> }
  | { type: 'done'; events: number }
  | { type: 'failed'; error: string };

async function run(job: StageWorkerJob, post: (m: StageWorkerMessage) => void): Promise<number> {
  // Owner-only, as the read store it is copied into (its -wal and -shm take its mode): the projections hold personal data.
  privateFile(job.stagingPath);
  const eventStore = SqliteEventStore.openReadOnly(job.eventStorePath);
  const readStore = new SqliteReadStore({ path: job.stagingPath });
  try {
    const targets: Target[] = job.generations.map(({ name, collection }) => {
      const projection = ALL_PROJECTIONS.find((p) => p.name === name);
      if (!projection) throw new Error(`Unknown projection ${name}`);
      return { projection, collection, checkpoint: -1, written: new KeyFilter(), buffer: { docs: new Map(), flushed: -1 } };
    });
    let events = 0;
    await catchUp(eventStore, readStore, targets, {
      batchSize: job.batchSize,
      flush: job.flush,
      onBatch: (batch, n) => {
        events += n;
        post({ type: 'progress', events, positions: batch.map((t) => [t.collection, t.checkpoint]) });
      },
    });
    // The indexes too, here in parallel: the importer creates the same ones on its empty tables, and SQLite then copies
    // each index's entries in order along with the rows, instead of sorting them again on the importing thread.
    for (const t of targets) await ensureProjectionIndexes(readStore, t.collection, t.projection);
    return events;
  } finally {
    // Closed before 'done': the importer then reads a file nobody writes (its WAL checkpointed by this close).
    await readStore.close();
    await eventStore.close();
  }
}

if (parentPort) {
  const port = parentPort;
  run(workerData as StageWorkerJob, (m) => port.postMessage(m)).then((events) => port.postMessage({ type: 'done', events } satisfies StageWorkerMessage), (error: unknown) => {
    port.postMessage({ type: 'failed', error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies StageWorkerMessage);
  });
}
