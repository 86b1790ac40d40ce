import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SqliteReadStore } from '../../read-store/adapters/sqlite/sqlite-read-store';
import type { FlushPolicy } from '../../projection-runtime/apply-batch';
import { ensureProjectionIndexes } from '../../projection-runtime/projection';
import type { RebuildStager, StagedJob } from '../../projection-runtime/rebuilder';
import type { StageWorkerJob, StageWorkerMessage } from './staged-rebuild-worker';

/**
 * What one projection costs a rebuild beyond the log read, relative to the others: CPU µs per log event when
 * rebuilt alone, less the log read (`node dist/test/bench/rebuild.js`, 100,015 events, 2026-12-03 17:47 UTC), except
 * audit-trail, raised from 5.9 (one document per event: at 1M events its share finished last; with 6.5 the shares
 * took 44.2 / 45.7 s against 47.1 / 52.3 s, alternated, 18:41–18:47 UTC). Used only to balance the workers' shares;
 * a wrong weight costs speed, never a document.
 */
const REBUILD_WEIGHTS: Readonly<Record<string, number>> = {
  journal: 7.9, 'audit-trail': 6.5, 'customer-ledger': 5.3, invoices: 4.7, 'customer-streams': 4.4, 'customer-months': 3.5,
  'credit-exposure': 2.8, 'open-balances': 2.6, 'open-items': 1.4, payments: 1, 'customer-credit': 0.5, 'lettering-links': 0.5,
};
const DEFAULT_WEIGHT = 0.3;

/** Longest first, each to the lightest share so far (at most `workers` shares, none empty). */
export function shareOut(jobs: readonly StagedJob[], workers: number): StagedJob[][] {
  const weight = (j: StagedJob) => REBUILD_WEIGHTS[j.projection.name] ?? DEFAULT_WEIGHT;
  const shares = Array.from({ length: Math.max(1, Math.min(workers, jobs.length)) }, () => ({ weight: 0, jobs: [] as StagedJob[] }));
  for (const job of [...jobs].sort((a, b) => weight(b) - weight(a) || a.projection.name.localeCompare(b.projection.name))) {
    const lightest = shares.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.weight += weight(job);
    lightest.jobs.push(job);
  }
  return shares.filter((s) => s.jobs.length > 0).map((s) => s.jobs);
}

/**
 * The compiled worker beside this module; from the TypeScript sources (the test runner), the build's copy of it
 * (`npm test` builds first). A worker thread runs JavaScript only.
 */
function defaultWorkerFile(): string {
  const beside = join(__dirname, 'staged-rebuild-worker.js');
  if (existsSync(beside)) return beside;
  const built = resolve(__dirname, '../../../dist/libs/application/rebuild/staged-rebuild-worker.js');
  if (existsSync(built)) return built;
  throw new Error(`The staged rebuild's worker script is missing: ${beside} (run npm run build)`);
}

/** `<read store>.rebuild-<pid>-<n>`: the staging file of worker n of the rebuild run by process pid. */
export function stagingFile(readStorePath: string, pid: number, n: number): string {
  return `${readStorePath}.rebuild-${pid}-${n}`;
}

/** A staging file and its WAL, shared-memory and journal files. */
function removeStagingFile(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}

/** Whether a process of this host still runs (then its staging files are its own, in use). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The staging files (and their WAL, shared-memory and journal files) beside the read store that a rebuild which no
 * longer runs left: killed, it never imported them. Another process's rebuild in progress keeps its own.
 */
function removeLeftovers(readStorePath: string): void {
  const prefix = `${basename(readStorePath)}.rebuild-`;
  for (const name of readdirSync(dirname(readStorePath))) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)-\d+(-wal|-shm|-journal)?$/.exec(name.slice(prefix.length));
    if (m && (Number(m[1]) === process.pid || !alive(Number(m[1])))) rmSync(join(dirname(readStorePath), name), { force: true });
  }
}

export interface SqliteStagedRebuildOptions {
  eventStorePath: string;
  /** The read store the generations are imported into, and its file (staging files go beside it). */
  readStore: SqliteReadStore;
  readStorePath: string;
  workers: number;
  batchSize: number;
  flush: FlushPolicy;
  /** The compiled worker script (default: beside this module). */
  workerFile?: string;
}

/**
 * A rebuild's fresh generations built on worker threads, each with its own read of the log and its own staging file
 * (`<read store>.rebuild-<pid>-<n>`), then copied into the read store with their checkpoints (ADR 0119). SQLite lets one
 * connection write a file at a time: workers writing the read store itself wait on each other's write lock instead
 * of working (the bench measured their writes at 2.2 × their time alone, and no gain over one thread). Each share
 * is imported as soon as its worker is done, while the others go on.
 */
export class SqliteStagedRebuild implements RebuildStager {
  /** The last `stage` call's shares: when each worker was done and how long its import took (what the bench prints). */
  lastShares: Array<{ names: string[]; workerSeconds: number; importSeconds: number }> = [];

  constructor(private readonly options: SqliteStagedRebuildOptions) {}

  async stage(jobs: readonly StagedJob[], onProgress: (collection: string, events: number, position: number) => void): Promise<void> {
    const o = this.options;
    // What a killed staged rebuild left, whatever its worker count: never imported, always replaced.
    removeLeftovers(o.readStorePath);
    this.lastShares = [];
    if (jobs.length === 0) return;
    const workerFile = o.workerFile ?? defaultWorkerFile();
    const shares = shareOut(jobs, o.workers);
    const workers: Worker[] = [];
    const files = shares.map((_, i) => stagingFile(o.readStorePath, process.pid, i + 1));
    const started = performance.now();
    try {
      await Promise.all(shares.map(async (share, i) => {
        const job: StageWorkerJob = {
          // The documents budget is the rebuild's, shared: N workers together hold no more than one thread would.
          eventStorePath: o.eventStorePath, stagingPath: files[i], batchSize: o.batchSize, flush: { ...o.flush, maxDocuments: Math.max(1, Math.ceil(o.flush.maxDocuments / shares.length)) },
          generations: share.map((j) => ({ name: j.projection.name, collection: j.collection })),
        };
        await new Promise<void>((resolve, reject) => {
          const worker = new Worker(workerFile, { workerData: job });
          workers.push(worker);
          let settled = false;
          worker.on('message', (m: StageWorkerMessage) => {
            if (m.type === 'progress') for (const [collection, position] of m.positions) onProgress(collection, m.events, position);
            else if (m.type === 'done') { settled = true; resolve(); }
            else { settled = true; reject(new Error(`Staged rebuild of ${job.generations.map((g) => g.name).join(', ')} failed: ${m.error}`)); }
          });
          worker.once('error', (error) => { settled = true; reject(error); });
          worker.once('exit', (code) => { if (!settled) reject(new Error(`Staged rebuild worker exited with ${code} before it was done`)); });
        });
        const workerDone = performance.now();
        for (const j of share) {
          // The same indexes as the staging file's, on the empty table: the copy then carries them (ADR 0119).
          await ensureProjectionIndexes(o.readStore, j.collection, j.projection);
          await o.readStore.importCollection(files[i], j.collection);
        }
        removeStagingFile(files[i]);
        this.lastShares.push({ names: share.map((j) => j.projection.name), workerSeconds: (workerDone - started) / 1000, importSeconds: (performance.now() - workerDone) / 1000 });
      }));
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    } finally {
      for (const file of files) removeStagingFile(file);
    }
  }
}
