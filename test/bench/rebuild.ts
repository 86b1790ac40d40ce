/**
 * Projection rebuild: every projection (ALL_PROJECTIONS) built from position -1 over one generated log, two
 * ways in the same process, alternately, each into a fresh read store:
 *  - blue/green: `Projector.rebuild` (what `projections:rebuild` does: new generations, meta, swap);
 *  - in place: the same runtime (`catchUp` with buffered targets, indexes after the load) writing straight
 *    into empty collections, no generation, meta or swap: the baseline blue/green is compared with.
 *
 * `node dist/test/bench/rebuild.js` runs it alone (BENCH_SCALE applies) and prints the JSON.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { logBatches } from '../../libs/event-store/log-batches';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { Projector } from '../../libs/projection-runtime/projector';
import { catchUp, DEFAULT_FLUSH_POLICY, type Target } from '../../libs/projection-runtime/apply-batch';
import { KeyFilter } from '../../libs/projection-runtime/key-filter';
import { collectionOf, ensureProjectionIndexes, type ProjectedEvent } from '../../libs/projection-runtime/projection';
import { ALL_PROJECTIONS } from '../../projections';
import { loadCommands, simulateLedger, type Command } from './fixtures';
import { fmt, inTempDir, log, now, round, scaled, settle, timedPerEvent } from './harness';
import { SqliteStagedRebuild } from '../../libs/application/rebuild/staged-rebuild';
import { timeWrites, type WorkerJob, type WorkerReport } from './rebuild-worker';

/** One build of every projection. */
export interface BuildRun {
  seconds: number;
  eventsPerSec: number;
  /** CPU time of the process (user + system) per log event. */
  cpuUsPerEvent: number;
}

export interface RebuildMeasure {
  events: number;
  /** Blue/green, best of the runs: what `projections:rebuild` achieves. */
  seconds: number;
  eventsPerSec: number;
  projections: number;
  projectionEventsPerSec: number;
  /** Events each projection actually folds (keysOf not empty), summed over projections. */
  handledEvents: number;
  documents: Record<string, number>;
  loadSeconds: number;
  blueGreen: BuildRun[];
  inPlace: BuildRun[];
  /** Best blue/green ÷ best in-place throughput (1 = blue/green costs nothing). */
  blueGreenRatio: number;
  /**
   * The ceiling of any rebuild over this log: reading it whole through `readAll` in the rebuild's batches
   * (rows fetched, data and metadata parsed), with no projection at all. Best of the rounds.
   */
  logRead: BuildRun;
  /**
   * Issue 14: every projection rebuilt alone (blue/green, `ar projections rebuild NAME`), each with its ratio to
   * the log-read ceiling of the same run (target ≥ 0.5), by wall time and by CPU per event, and the seconds its
   * read-store writes took (commits, index creation).
   */
  single: Array<BuildRun & { projection: string; ratioToLogRead: number; cpuRatioToLogRead: number; writeSeconds: number }>;
  /** Issue 14: what all projections together can reach on this machine, from the measures above (ADR 0096). */
  bound: RebuildBound;
  /** Issue 14: all projections rebuilt by one worker thread per core, each reading the log itself (null: BENCH_REBUILD_PARALLEL=0). */
  parallel: ParallelMeasure | null;
  /**
   * ADR 0119: what `ar projections rebuild --workers <cores>` does — the fresh generations built by one worker per
   * core, each into a staging file of its own, copied into the read store, then caught up and swapped (null: as
   * `parallel`).
   */
  staged: (BuildRun & { workers: number }) | null;
}

/**
 * The ceiling of a rebuild of every projection, from the same run's measures: a projection's own cost per event is
 * its CPU per event rebuilt alone minus the log read's; one process pays the log read once plus the sum of those;
 * W workers (one per core) each pay the log read, so the best they can do is cores ÷ (W × read + Σ own costs).
 */
export interface RebuildBound {
  cores: number;
  logReadCpuUsPerEvent: number;
  /** Σ over projections of (CPU per event alone − log read's), µs. */
  projectionsCpuUsPerEvent: number;
  /** Log read once + Σ own costs: the CPU one event costs a rebuild of everything in one thread. */
  oneThreadCpuUsPerEvent: number;
  /** 10^6 ÷ oneThreadCpuUsPerEvent. */
  oneThreadEventsPerSec: number;
  /** cores × 10^6 ÷ (cores × read + Σ own costs): every core busy, no lock wait, perfectly balanced. */
  parallelEventsPerSec: number;
  /**
   * The same bound from the measured one-thread rebuild of everything (best blue/green run's CPU per event, which
   * shares one log read and has one set of fixed costs): cores × 10^6 ÷ (that + (cores − 1) × read).
   */
  parallelFromAllTogetherEventsPerSec: number;
}

export interface ParallelMeasure extends BuildRun {
  workers: number;
  perWorker: WorkerReport[];
  /** Σ of the workers' write seconds ÷ Σ of the same projections' write seconds alone (> 1: writes waited on each other). */
  writeSlowdown: number;
}

/** Blue/green rebuild of one projection alone into a fresh read store. */
async function oneAlone(eventStore: SqliteEventStore, readPath: string, name: string, writes: { ms: number }): Promise<() => Promise<void>> {
  const readStore = new SqliteReadStore({ path: readPath });
  const tally = timeWrites(readStore);
  const projector = new Projector({ eventStore, readStore, projections: ALL_PROJECTIONS });
  return async () => {
    try {
      await projector.rebuild([name]);
      writes.ms = tally.ms;
    } finally {
      await readStore.close();
    }
  };
}

/** Longest processing time first: each projection, costliest first, to the worker with the least work so far. */
export function partition<T extends { name: string; cost: number }>(items: readonly T[], workers: number): string[][] {
  const bins = Array.from({ length: workers }, () => ({ cost: 0, names: [] as string[] }));
  for (const item of [...items].sort((a, b) => b.cost - a.cost || a.name.localeCompare(b.name))) {
    const bin = bins.reduce((a, b) => (b.cost < a.cost ? b : a));
    bin.cost += item.cost;
    bin.names.push(item.name);
  }
  return bins.filter((b) => b.names.length > 0).map((b) => b.names);
}

/** Every projection live at the head, with as many documents as the one-thread rebuild wrote. */
async function checkLiveAtHead(projector: Projector, eventStore: SqliteEventStore, readStore: SqliteReadStore, documents: Record<string, number>, how: string): Promise<void> {
  const head = await eventStore.headPosition();
  for (const p of ALL_PROJECTIONS) {
    const collection = await projector.liveCollection(p.name);
    if (!collection) throw new Error(`No live collection for ${p.name} after the ${how} rebuild`);
    if (((await readStore.getCheckpoint(collection))?.position ?? -1) !== head) throw new Error(`${p.name} stopped before the head in the ${how} rebuild`);
    const count = await readStore.count(collection, {});
    if (count !== documents[p.name]) throw new Error(`${p.name}: ${count} documents ${how}, ${documents[p.name]} in one thread`);
  }
}

/** Every projection rebuilt by worker threads over one read-store file; checks each ended live at the head. */
async function parallelRebuild(eventStore: SqliteEventStore, eventStorePath: string, readPath: string, shares: string[][], documents: Record<string, number>): Promise<() => Promise<WorkerReport[]>> {
  return async () => {
    const reports = await Promise.all(shares.map((names) => new Promise<WorkerReport>((resolve, reject) => {
      const job: WorkerJob = { eventStorePath, readStorePath: readPath, names };
      const worker = new Worker(join(__dirname, 'rebuild-worker.js'), { workerData: job });
      worker.once('message', (m: { ok: true; report: WorkerReport } | { ok: false; error: string }) => (m.ok ? resolve(m.report) : reject(new Error(m.error))));
      worker.once('error', reject);
      worker.once('exit', (code) => { if (code !== 0) reject(new Error(`rebuild worker exited with ${code}`)); });
    })));
    const readStore = new SqliteReadStore({ path: readPath });
    try {
      await checkLiveAtHead(new Projector({ eventStore, readStore, projections: ALL_PROJECTIONS }), eventStore, readStore, documents, 'parallel');
    } finally {
      await readStore.close();
    }
    return reports;
  };
}

/** `ar projections rebuild --workers N` into a fresh read store; checks every projection ends live at the head with the one-thread run's documents. */
async function stagedRebuild(eventStore: SqliteEventStore, eventStorePath: string, readPath: string, workers: number, documents: Record<string, number>): Promise<() => Promise<void>> {
  const readStore = new SqliteReadStore({ path: readPath });
  const projector = new Projector({ eventStore, readStore, projections: ALL_PROJECTIONS });
  const stager = new SqliteStagedRebuild({ eventStorePath, readStore, readStorePath: readPath, workers, batchSize: projector.rebuildBatchSize, flush: projector.rebuildFlush });
  return async () => {
    try {
      await projector.rebuild(undefined, undefined, stager);
      await checkLiveAtHead(projector, eventStore, readStore, documents, 'staged');
    } finally {
      await readStore.close();
    }
  };
}

/** Counts, per generated event, how many projections handle it (keysOf non-empty). */
function counting(commands: Iterable<Command>, tally: { handled: number }): Iterable<Command> {
  return (function* () {
    for (const command of commands) {
      for (const e of command.events) {
        const probe = { ...e, streamId: command.streamId, revision: 0, position: 0 } as unknown as ProjectedEvent;
        for (const p of ALL_PROJECTIONS) if (p.keysOf(probe).length > 0) tally.handled++;
      }
      yield command;
    }
  })();
}

const timed = timedPerEvent;

/** Blue/green: Projector.rebuild into a fresh read store; checks every projection ends live at the head. */
async function blueGreen(eventStore: SqliteEventStore, readPath: string, documents: Record<string, number>): Promise<() => Promise<void>> {
  const readStore = new SqliteReadStore({ path: readPath });
  const projector = new Projector({ eventStore, readStore, projections: ALL_PROJECTIONS });
  return async () => {
    try {
      await projector.rebuild();
      const head = await eventStore.headPosition();
      for (const p of ALL_PROJECTIONS) {
        const collection = await projector.liveCollection(p.name);
        if (!collection) throw new Error(`No live collection for ${p.name} after rebuild`);
        const checkpoint = (await readStore.getCheckpoint(collection))?.position ?? -1;
        if (checkpoint !== head) throw new Error(`${p.name} stopped at ${checkpoint}`);
        documents[p.name] = await readStore.count(collection, {});
      }
    } finally {
      await readStore.close();
    }
  };
}

/** In place: the same runtime straight into empty collections (no generations, meta or swap). */
async function inPlace(eventStore: SqliteEventStore, readPath: string, documents: Record<string, number>): Promise<() => Promise<void>> {
  const readStore = new SqliteReadStore({ path: readPath });
  return async () => {
    try {
      const targets: Target[] = ALL_PROJECTIONS.map((projection) => ({
        projection, collection: collectionOf(projection), checkpoint: -1, written: new KeyFilter(), buffer: { docs: new Map(), flushed: -1 },
      }));
      await catchUp(eventStore, readStore, targets, { batchSize: 10_000, flush: DEFAULT_FLUSH_POLICY });
      for (const t of targets) await ensureProjectionIndexes(readStore, t.collection, t.projection);
      for (const t of targets) {
        const count = await readStore.count(t.collection, {});
        if (count !== documents[t.projection.name]) throw new Error(`${t.projection.name}: ${count} documents in place, ${documents[t.projection.name]} blue/green`);
      }
    } finally {
      await readStore.close();
    }
  };
}

/** Generates the log, then builds every projection blue/green and in place, alternately, `rounds` times each. */
export async function rebuildAll(dir: string, minEvents: number, seed: number, rounds = 2): Promise<RebuildMeasure> {
  const eventStore = new SqliteEventStore({ path: join(dir, 'events.db') });
  try {
    const tally = { handled: 0 };
    const customers = Math.max(20, Math.round(minEvents / 100));
    const invoicesPerDay = Math.max(4, Math.round(minEvents / 2_500));
    const loadStart = now();
    const events = await loadCommands(eventStore, counting(simulateLedger({ seed, minEvents, customers, invoicesPerDay }), tally));
    const loadSeconds = (now() - loadStart) / 1000;

    const readLog = async () => {
      for await (const _batch of logBatches(eventStore, -1, 10_000)); // read and parsed, nothing else
    };
    const logReads: BuildRun[] = [];
    const documents: Record<string, number> = {};
    const runs = { blueGreen: [] as BuildRun[], inPlace: [] as BuildRun[] };
    for (let r = 0; r < rounds; r++) {
      // Blue/green first in round 0 (it records the document counts in-place is checked against), then in turn.
      const order = r % 2 === 0 ? (['blueGreen', 'inPlace'] as const) : (['inPlace', 'blueGreen'] as const);
      for (const mode of order) {
        const run = await (mode === 'blueGreen' ? blueGreen : inPlace)(eventStore, join(dir, `read-${mode}-${r}.db`), documents);
        await settle();
        runs[mode].push(await timed(events, run));
      }
      await settle();
      logReads.push(await timed(events, readLog));
    }
    const best = (rs: BuildRun[]) => rs.reduce((a, b) => (b.eventsPerSec > a.eventsPerSec ? b : a));
    const alone: Array<BuildRun & { projection: string; writeSeconds: number }> = [];
    for (const p of ALL_PROJECTIONS) {
      await settle();
      const writes = { ms: 0 };
      const run = await timed(events, await oneAlone(eventStore, join(dir, `read-single-${p.name}.db`), p.name, writes));
      alone.push({ projection: p.name, ...run, writeSeconds: round(writes.ms / 1000) });
    }
    // The ceiling read again after the single rebuilds: a shared machine's speed drifts within a run.
    await settle();
    logReads.push(await timed(events, readLog));
    const ceiling = best(logReads);
    const minReadCpu = Math.min(...logReads.map((r) => r.cpuUsPerEvent));
    // Also by CPU per event (log read µs ÷ this rebuild's µs): steadier than wall time on a shared machine.
    const single: RebuildMeasure['single'] = alone.map((run) => ({ ...run, ratioToLogRead: round(run.eventsPerSec / ceiling.eventsPerSec), cpuRatioToLogRead: round(minReadCpu / run.cpuUsPerEvent) }));
    const cores = availableParallelism();
    const own = single.map((r) => ({ name: r.projection, cost: Math.max(0, r.cpuUsPerEvent - minReadCpu), writeSeconds: r.writeSeconds }));
    const projectionsCpu = own.reduce((a, b) => a + b.cost, 0);
    const bound: RebuildBound = {
      cores, logReadCpuUsPerEvent: round(minReadCpu), projectionsCpuUsPerEvent: round(projectionsCpu), oneThreadCpuUsPerEvent: round(minReadCpu + projectionsCpu),
      oneThreadEventsPerSec: round(1e6 / (minReadCpu + projectionsCpu)), parallelEventsPerSec: round((cores * 1e6) / (cores * minReadCpu + projectionsCpu)),
      parallelFromAllTogetherEventsPerSec: 0,
    };
    const allCpu = Math.min(...runs.blueGreen.map((r) => r.cpuUsPerEvent));
    bound.parallelFromAllTogetherEventsPerSec = round((cores * 1e6) / (allCpu + (cores - 1) * minReadCpu));
    let parallel: ParallelMeasure | null = null;
    if (process.env.BENCH_REBUILD_PARALLEL !== '0' && cores > 1) {
      await settle();
      const shares = partition(own, cores);
      let reports: WorkerReport[] = [];
      const run = await timed(events, async () => { reports = await (await parallelRebuild(eventStore, join(dir, 'events.db'), join(dir, 'read-parallel.db'), shares, documents))(); });
      const aloneWrites = own.reduce((a, b) => a + b.writeSeconds, 0);
      const parallelWrites = reports.reduce((a, b) => a + b.writeSeconds, 0);
      parallel = { ...run, workers: shares.length, perWorker: reports.map((r) => ({ ...r, seconds: round(r.seconds), writeSeconds: round(r.writeSeconds) })), writeSlowdown: round(parallelWrites / aloneWrites) };
    }
    let staged: RebuildMeasure['staged'] = null;
    if (process.env.BENCH_REBUILD_PARALLEL !== '0' && cores > 1) {
      await settle();
      staged = { ...(await timed(events, await stagedRebuild(eventStore, join(dir, 'events.db'), join(dir, 'read-staged.db'), cores, documents))), workers: cores };
    }
    const bg = best(runs.blueGreen);
    return {
      events, seconds: bg.seconds, eventsPerSec: bg.eventsPerSec, projections: ALL_PROJECTIONS.length,
      projectionEventsPerSec: round(bg.eventsPerSec * ALL_PROJECTIONS.length), handledEvents: tally.handled, documents, loadSeconds,
      ...runs, blueGreenRatio: round(bg.eventsPerSec / best(runs.inPlace).eventsPerSec), logRead: ceiling, single, bound, parallel, staged,
    };
  } finally {
    await eventStore.close();
  }
}

/** The rebuild's lines of the bench log: the old measures (all together, in place, ceiling) beside the new ones. */
export function logRebuild(m: RebuildMeasure): void {
  log(`rebuild: ${fmt(m.events)} events; all ${m.projections} projections blue/green ${m.blueGreen.map((r) => `${fmt(r.eventsPerSec)}/s (${r.cpuUsPerEvent} µs CPU/event)`).join(', ')}; in place ${m.inPlace.map((r) => `${fmt(r.eventsPerSec)}/s`).join(', ')}; ratio ${m.blueGreenRatio}`);
  log(`rebuild ceiling: reading the log alone (no projection) ${fmt(m.logRead.eventsPerSec)} events/s (${m.logRead.cpuUsPerEvent} µs CPU/event; lowest CPU of the reads ${m.bound.logReadCpuUsPerEvent} µs)`);
  for (const s of m.single) {
    log(`rebuild of ${s.projection.padEnd(18)} alone: ${fmt(s.eventsPerSec).padStart(8)} log events/s = ${s.ratioToLogRead.toFixed(2)}× the ceiling; ${s.cpuUsPerEvent} µs CPU/event = ${s.cpuRatioToLogRead.toFixed(2)}× by CPU; writes ${s.writeSeconds} s`);
  }
  const b = m.bound;
  log(`rebuild bound on ${b.cores} cores: log read ${b.logReadCpuUsPerEvent} µs + Σ projections' own ${b.projectionsCpuUsPerEvent} µs = ${b.oneThreadCpuUsPerEvent} µs CPU/event → one thread ≤ ${fmt(b.oneThreadEventsPerSec)}/s; ${b.cores} workers each reading the log ≤ ${fmt(b.parallelEventsPerSec)} log events/s (from the one-thread rebuild of all: ≤ ${fmt(b.parallelFromAllTogetherEventsPerSec)}/s; target 100,000)`);
  if (m.parallel) {
    const p = m.parallel;
    log(`rebuild on ${p.workers} worker threads into one file: ${fmt(p.eventsPerSec)} log events/s (${p.seconds} s, ${p.cpuUsPerEvent} µs CPU/event); writes ${p.writeSlowdown}× their time alone; ${p.perWorker.map((w) => `[${w.names.join(', ')}] ${w.seconds} s, writes ${w.writeSeconds} s`).join('; ')}`);
  }
  if (m.staged) {
    const st = m.staged;
    log(`rebuild staged on ${st.workers} worker threads (ar projections rebuild --workers ${st.workers}, ADR 0119): ${fmt(st.eventsPerSec)} log events/s (${st.seconds} s, ${st.cpuUsPerEvent} µs CPU/event) = ${round(st.eventsPerSec / Math.max(...m.blueGreen.map((r) => r.eventsPerSec)))}× the best one-thread rebuild of this run`);
  }
}

if (require.main === module) {
  inTempDir('rebuild', (dir) => rebuildAll(dir, scaled(100_000, 2_000), 1))
    .then((m) => {
      logRebuild(m);
      process.stdout.write(JSON.stringify(m, null, 2) + '\n');
    })
    .catch((error) => {
      process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exit(1);
    });
}
