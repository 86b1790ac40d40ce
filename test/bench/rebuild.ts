/**
 * Projection rebuild: every projection (ALL_PROJECTIONS) built from position -1 over one generated log, two
 * ways in the same process, alternately, each into a fresh read store:
 *  - blue/green: `Projector.rebuild` (what `projections:rebuild` does: new generations, meta, swap);
 *  - in place: the same runtime (`catchUp` with buffered targets, indexes after the load) writing straight
 *    into empty collections, no generation, meta or swap: the baseline blue/green is compared with.
 *
 * `node dist/test/bench/rebuild.js` runs it alone (BENCH_SCALE applies) and prints the JSON.
 */
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { logBatches } from '../../libs/event-store/log-batches';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { Projector } from '../../libs/projection-runtime/projector';
import { catchUp, DEFAULT_FLUSH_POLICY, type Target } from '../../libs/projection-runtime/apply-batch';
import { collectionOf, ensureProjectionIndexes, type ProjectedEvent } from '../../libs/projection-runtime/projection';
import { ALL_PROJECTIONS } from '../../projections';
import { loadCommands, simulateLedger, type Command } from './fixtures';
import { fmt, inTempDir, log, now, round, scaled, settle } from './harness';

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
   * Issue 14: one projection rebuilt alone (blue/green, `ar projections rebuild NAME`), the lightest and the
   * heaviest, each with its ratio to the log-read ceiling of the same run (target ≥ 0.5).
   */
  single: Array<BuildRun & { projection: string; ratioToLogRead: number; cpuRatioToLogRead: number }>;
}

/** The projections timed alone: the lightest (one document per customer) and the heaviest (one per invoice, 20 MB). */
export const SINGLE_PROJECTIONS = ['open-balances', 'invoices'] as const;

/** Blue/green rebuild of one projection alone into a fresh read store. */
async function oneAlone(eventStore: SqliteEventStore, readPath: string, name: string): Promise<() => Promise<void>> {
  const readStore = new SqliteReadStore({ path: readPath });
  const projector = new Projector({ eventStore, readStore, projections: ALL_PROJECTIONS });
  return async () => {
    try {
      await projector.rebuild([name]);
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

async function timed(events: number, fn: () => Promise<void>): Promise<BuildRun> {
  const cpu = process.cpuUsage();
  const start = now();
  await fn();
  const seconds = (now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { seconds: round(seconds), eventsPerSec: round(events / seconds), cpuUsPerEvent: round((used.user + used.system) / events) };
}

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
        projection, collection: collectionOf(projection), checkpoint: -1, written: new Set<string>(), buffer: { docs: new Map(), flushed: -1 },
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
    const ceiling = best(logReads);
    const single: RebuildMeasure['single'] = [];
    for (const name of SINGLE_PROJECTIONS) {
      await settle();
      const run = await timed(events, await oneAlone(eventStore, join(dir, `read-single-${name}.db`), name));
      // Also by CPU per event (log read µs ÷ this rebuild's µs): steadier than wall time on a shared machine.
      single.push({ projection: name, ...run, ratioToLogRead: round(run.eventsPerSec / ceiling.eventsPerSec), cpuRatioToLogRead: round(ceiling.cpuUsPerEvent / run.cpuUsPerEvent) });
    }
    const bg = best(runs.blueGreen);
    return {
      events, seconds: bg.seconds, eventsPerSec: bg.eventsPerSec, projections: ALL_PROJECTIONS.length,
      projectionEventsPerSec: round(bg.eventsPerSec * ALL_PROJECTIONS.length), handledEvents: tally.handled, documents, loadSeconds,
      ...runs, blueGreenRatio: round(bg.eventsPerSec / best(runs.inPlace).eventsPerSec), logRead: ceiling, single,
    };
  } finally {
    await eventStore.close();
  }
}

if (require.main === module) {
  inTempDir('rebuild', (dir) => rebuildAll(dir, scaled(100_000, 2_000), 1))
    .then((m) => {
      log(`rebuild: ${fmt(m.events)} events; blue/green ${m.blueGreen.map((r) => fmt(r.eventsPerSec)).join(', ')} /s; in place ${m.inPlace.map((r) => fmt(r.eventsPerSec)).join(', ')} /s; ratio ${m.blueGreenRatio}`);
      process.stdout.write(JSON.stringify(m, null, 2) + '\n');
    })
    .catch((error) => {
      process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exit(1);
    });
}
