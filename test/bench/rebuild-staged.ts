/**
 * `ar projections rebuild` in one thread against `--workers N` (ADR 0119), alternated, over a log already written
 * (e.g. `node dist/test/bench/scale.js --phase log 1000000 DIR`, then DIR/events.db):
 *
 *   node dist/test/bench/rebuild-staged.js LOG.db [rounds=2] [workers=2] [staged]
 *
 * `staged`: only the staged runs (a 10M-event log takes tens of minutes per run in one thread).
 *
 * Each run rebuilds every projection blue/green into a fresh read store beside the log and checks that every
 * projection ends live at the head with the same document count as the first one-thread run. JSON on stdout: per
 * run its wall and CPU seconds (the process's, worker threads included) and, for the staged runs, when each worker
 * was done and how long its copy took, and the highest resident size sampled during the run.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { Projector } from '../../libs/projection-runtime/projector';
import { SqliteStagedRebuild } from '../../libs/application/rebuild/staged-rebuild';
import { ALL_PROJECTIONS } from '../../projections';
import { log, round } from './harness';

interface Run {
  workers: number;
  seconds: number;
  cpuSeconds: number;
  /** Highest resident size sampled every 250 ms during the run (the worker threads' heaps are in it). */
  rssPeakMb: number;
  events: number;
  eventsPerSec: number;
  shares?: SqliteStagedRebuild['lastShares'];
}

async function once(logPath: string, workers: number, documents: Map<string, number>): Promise<Run> {
  const readPath = join(dirname(logPath), 'read-staged-bench.db');
  const remove = () => { for (const s of ['', '-wal', '-shm']) rmSync(readPath + s, { force: true }); };
  remove();
  const eventStore = new SqliteEventStore({ path: logPath });
  const readStore = new SqliteReadStore({ path: readPath });
  try {
    const projector = new Projector({ eventStore, readStore, projections: ALL_PROJECTIONS });
    const stager = workers > 1
      ? new SqliteStagedRebuild({ eventStorePath: logPath, readStore, readStorePath: readPath, workers, batchSize: projector.rebuildBatchSize, flush: projector.rebuildFlush })
      : undefined;
    const events = await eventStore.countAfter(-1, Number.MAX_SAFE_INTEGER);
    const cpu = process.cpuUsage();
    let rssPeak = process.memoryUsage.rss();
    const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage.rss()); }, 250);
    const start = performance.now();
    try {
      await projector.rebuild(undefined, undefined, stager);
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    const head = await eventStore.headPosition();
    for (const p of ALL_PROJECTIONS) {
      const collection = (await projector.liveCollection(p.name)) ?? '';
      if (((await readStore.getCheckpoint(collection))?.position ?? -1) !== head) throw new Error(`${p.name} did not reach the head`);
      const count = await readStore.count(collection, {});
      if (!documents.has(p.name)) documents.set(p.name, count); // the first run's counts, the others checked against them
      else if (documents.get(p.name) !== count) throw new Error(`${p.name}: ${count} documents with ${workers} worker(s), ${documents.get(p.name)} before`);
    }
    return {
      workers, seconds: round(seconds), cpuSeconds: round((used.user + used.system) / 1e6), rssPeakMb: round(rssPeak / 1048576), events, eventsPerSec: round(events / seconds),
      ...(stager ? { shares: stager.lastShares.map((s) => ({ ...s, workerSeconds: round(s.workerSeconds), importSeconds: round(s.importSeconds) })) } : {}),
    };
  } finally {
    await readStore.close();
    await eventStore.close();
    remove();
  }
}

async function main(): Promise<void> {
  const [logPath, roundsArg, workersArg, only] = process.argv.slice(2);
  if (!logPath) throw new Error('usage: rebuild-staged.js LOG.db [rounds] [workers]');
  const rounds = Number(roundsArg ?? 2);
  const workers = Number(workersArg ?? 2);
  const documents = new Map<string, number>();
  const runs: Run[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const w of only === 'staged' ? [workers] : r % 2 === 0 ? [1, workers] : [workers, 1]) {
      const run = await once(logPath, w, documents);
      log(`rebuild of all ${ALL_PROJECTIONS.length}, ${w === 1 ? 'one thread' : `staged on ${w} workers`}: ${run.seconds} s, ${run.eventsPerSec} events/s, ${run.cpuSeconds} s CPU, RSS peak ${run.rssPeakMb} MB${run.shares ? `; ${run.shares.map((s) => `[${s.names.join(', ')}] done at ${s.workerSeconds} s, copied in ${s.importSeconds} s`).join('; ')}` : ''}`);
      runs.push(run);
    }
  }
  process.stdout.write(JSON.stringify({ log: logPath, runs }, null, 2) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
