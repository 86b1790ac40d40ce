/**
 * The live projector's CPU per appended event: a generated log (invoices, payments, credit notes … from the
 * ledger simulator) is appended to a SQLite event store, then a `Projector` with every projection starts on an
 * empty read store and follows the log to its head in live batches of `BENCH_LIVE_BATCH` events (default 32: what
 * one group commit of the invoice load hands the projector, ADR 0057). Each round also reads the log alone in the
 * same batches (the floor of any live apply), so the projector's own cost per event is `live − read`.
 *
 * `node dist/test/bench/live.js [OTHER_DIST]` runs it (BENCH_SCALE applies) and prints the JSON. With OTHER_DIST
 * (e.g. ../base/dist, a build of the previous commit), the projector and read store of that build are run in the same rounds, alternately, over
 * the same log: a same-minute A/B on a shared machine.
 */
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import type { EventStore } from '../../libs/event-store/event-store.port';
import type { ReadStore } from '../../libs/read-store/read-store.port';
import type { Projection } from '../../libs/projection-runtime/projection';
import { ALL_PROJECTIONS } from '../../projections';
import { loadCommands, simulateLedger } from './fixtures';
import { fmt, inTempDir, log, round, scaled, settle, timedPerEvent } from './harness';

interface Build {
  label: string;
  Projector: new (o: { eventStore: EventStore; readStore: ReadStore; projections: readonly Projection[]; batchSize?: number }) => {
    start(): Promise<void>; stop(): Promise<void>; waitForPosition(p: number, t: number): Promise<boolean>;
  };
  SqliteReadStore: new (o: { path: string }) => ReadStore;
  projections: readonly Projection[];
}

export interface LiveRun { seconds: number; eventsPerSec: number; cpuUsPerEvent: number }

export interface LiveMeasure {
  events: number;
  batch: number;
  projections: number;
  /** Reading the log in live batches, no projection: best CPU per event of the rounds. */
  logRead: LiveRun[];
  builds: Array<{ label: string; runs: LiveRun[]; bestCpuUsPerEvent: number; ownCpuUsPerEvent: number }>;
}

function load(root: string | null, label: string): Build {
  const at = (p: string) => (root === null ? join(__dirname, '..', '..', p) : join(root, p));
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    label,
    Projector: require(at('libs/projection-runtime/projector')).Projector,
    SqliteReadStore: require(at('libs/read-store/adapters/sqlite/sqlite-read-store')).SqliteReadStore,
    projections: require(at('projections')).ALL_PROJECTIONS,
  };
}

const timed = timedPerEvent;

export async function measureLive(dir: string, minEvents: number, batch: number, rounds: number, other: string | null): Promise<LiveMeasure> {
  const eventStore = new SqliteEventStore({ path: join(dir, 'events.db') });
  try {
    const customers = Math.max(20, Math.round(minEvents / 100));
    const invoicesPerDay = Math.max(4, Math.round(minEvents / 2_500));
    const events = await loadCommands(eventStore, simulateLedger({ seed: 7, minEvents, customers, invoicesPerDay }));
    const head = await eventStore.headPosition();
    const builds = [load(null, 'this build'), ...(other ? [load(other, other)] : [])];
    const runs = new Map<string, LiveRun[]>(builds.map((b) => [b.label, []]));
    const logRead: LiveRun[] = [];
    for (let r = 0; r < rounds; r++) {
      await settle();
      logRead.push(await timed(events, async () => {
        for (let from = -1; ;) {
          const batchEvents = await eventStore.readAll(from, batch);
          if (batchEvents.length === 0) break;
          from = batchEvents[batchEvents.length - 1].position;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }));
      for (const b of r % 2 === 0 ? builds : [...builds].reverse()) {
        await settle();
        const readStore = new b.SqliteReadStore({ path: join(dir, `read-${r}-${runs.get(b.label)!.length}-${builds.indexOf(b)}.db`) });
        const projector = new b.Projector({ eventStore, readStore, projections: b.projections, batchSize: batch });
        runs.get(b.label)!.push(await timed(events, async () => {
          await projector.start();
          if (!(await projector.waitForPosition(head, 600_000))) throw new Error(`${b.label}: the projector did not reach ${head}`);
          await projector.stop();
        }));
        await readStore.close();
      }
    }
    const readCpu = Math.min(...logRead.map((r) => r.cpuUsPerEvent));
    return {
      events, batch, projections: ALL_PROJECTIONS.length, logRead,
      builds: builds.map((b) => {
        const best = Math.min(...runs.get(b.label)!.map((r) => r.cpuUsPerEvent));
        return { label: b.label, runs: runs.get(b.label)!, bestCpuUsPerEvent: best, ownCpuUsPerEvent: round(best - readCpu) };
      }),
    };
  } finally {
    await eventStore.close();
  }
}

export function logLive(m: LiveMeasure): void {
  log(`live projector: ${fmt(m.events)} events in batches of ${m.batch}, ${m.projections} projections; log read alone ${m.logRead.map((r) => `${r.cpuUsPerEvent} µs`).join(', ')} CPU/event`);
  for (const b of m.builds) {
    log(`live projector (${b.label}): ${b.runs.map((r) => `${fmt(r.eventsPerSec)}/s ${r.cpuUsPerEvent} µs`).join(', ')} CPU/event; best ${b.bestCpuUsPerEvent} µs, own (− log read) ${b.ownCpuUsPerEvent} µs`);
  }
}

if (require.main === module) {
  const batch = Number(process.env.BENCH_LIVE_BATCH ?? 32);
  inTempDir('live', (dir) => measureLive(dir, scaled(30_000, 2_000), batch, Number(process.env.BENCH_LIVE_ROUNDS ?? 3), process.argv[2] ?? null))
    .then((m) => {
      logLive(m);
      process.stdout.write(JSON.stringify(m, null, 2) + '\n');
    })
    .catch((error) => {
      process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exit(1);
    });
}
