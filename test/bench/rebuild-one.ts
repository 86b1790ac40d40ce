/**
 * One projection rebuilt alone (blue/green, as `ar projections rebuild NAME`) over a kept log, beside the log read
 * alone, alternately, in one process: the per-event CPU of a projection against the ceiling's, for profiling
 * (`node --cpu-prof`) and for A/B of two builds in the same minutes (issue 14, ADR 0104).
 *
 *   node dist/test/bench/rebuild-one.js LOG.db NAME[,NAME…] [rounds] [DIST[,DIST…]]
 *
 * LOG.db is written (the bench's generated ledger, BENCH_SCALE applies) when it does not exist. DIST (default: this
 * build) is the `dist` folder of the build to measure, e.g. ../base/dist (a build of the previous commit) for the "before"; several,
 * comma-separated, are loaded side by side and rebuilt in turn, the order swapped every round (same-minutes A/B).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCommands, simulateLedger } from './fixtures';
import { log, round, scaled, settle, timedPerEvent } from './harness';

interface Run { seconds: number; eventsPerSec: number; cpuUsPerEvent: number }

const timed = timedPerEvent;

interface Build { dist: string; eventStore: any; SqliteReadStore: any; Projector: any; ALL_PROJECTIONS: unknown[] }

/** The modules of one build, with its own connection to the log. */
function load(dist: string, logPath: string): Build & { logBatches: any; SqliteEventStore: any } {
  /* eslint-disable @typescript-eslint/no-var-requires */
  const { SqliteEventStore } = require(join(dist, 'libs/event-store/adapters/sqlite/sqlite-event-store'));
  const { SqliteReadStore } = require(join(dist, 'libs/read-store/adapters/sqlite/sqlite-read-store'));
  const { Projector } = require(join(dist, 'libs/projection-runtime/projector'));
  const { logBatches } = require(join(dist, 'libs/event-store/log-batches'));
  const { ALL_PROJECTIONS } = require(join(dist, 'projections'));
  /* eslint-enable @typescript-eslint/no-var-requires */
  return { dist, eventStore: new SqliteEventStore({ path: logPath }), SqliteEventStore, SqliteReadStore, Projector, logBatches, ALL_PROJECTIONS };
}

async function main(): Promise<void> {
  const [logPath, namesArg, roundsArg, distArg] = process.argv.slice(2);
  if (!logPath || !namesArg) throw new Error('usage: rebuild-one.js LOG.db NAME[,NAME…] [rounds] [DIST[,DIST…]]');
  const names = namesArg.split(',');
  const rounds = Number(roundsArg ?? 3);
  const fresh = !existsSync(logPath);
  const builds = (distArg ? distArg.split(',') : [join(__dirname, '..', '..')]).map((d) => load(resolve(d), logPath));
  const dir = mkdtempSync(join(tmpdir(), 'ar-bench-rebuild-one-'));
  try {
    if (fresh) {
      const minEvents = scaled(100_000, 2_000);
      await loadCommands(builds[0].eventStore, simulateLedger({ seed: 1, minEvents, customers: Math.max(20, Math.round(minEvents / 100)), invoicesPerDay: Math.max(4, Math.round(minEvents / 2_500)) }));
    }
    const events = (await builds[0].eventStore.countAfter(-1, Number.MAX_SAFE_INTEGER)) as number;
    const reads: Run[] = [];
    const runs = new Map<string, Run[]>();
    const label = (b: Build, name: string) => (builds.length > 1 ? `${b.dist} ${name}` : name);
    for (let r = 0; r < rounds; r++) {
      await settle();
      reads.push(await timed(events, async () => { for await (const _batch of builds[0].logBatches(builds[0].eventStore, -1, 10_000)); }));
      for (const name of names) {
        // Builds in turn, the order swapped every round: a shared machine's speed drifts within a run.
        for (const b of r % 2 === 0 ? builds : [...builds].reverse()) {
          await settle();
          const path = join(dir, `read-${name}-${r}.db`);
          const readStore = new b.SqliteReadStore({ path });
          const projector = new b.Projector({ eventStore: b.eventStore, readStore, projections: b.ALL_PROJECTIONS });
          const run = await timed(events, async () => { try { await projector.rebuild([name]); } finally { await readStore.close(); } });
          runs.set(label(b, name), [...(runs.get(label(b, name)) ?? []), run]);
          rmSync(path, { force: true });
        }
      }
    }
    const readCpu = Math.min(...reads.map((x) => x.cpuUsPerEvent));
    const readBest = Math.max(...reads.map((x) => x.eventsPerSec));
    log(`${events} events; log read ${reads.map((x) => `${x.eventsPerSec}/s ${x.cpuUsPerEvent} µs`).join(', ')}`);
    const result: Record<string, unknown> = { events, logRead: { cpuUsPerEvent: readCpu, eventsPerSec: readBest, runs: reads } };
    for (const [key, list] of runs) {
      const cpu = Math.min(...list.map((x) => x.cpuUsPerEvent));
      const best = Math.max(...list.map((x) => x.eventsPerSec));
      log(`${key}: ${list.map((x) => `${x.eventsPerSec}/s ${x.cpuUsPerEvent} µs`).join(', ')}; best ${round(best / readBest)}× the read (wall), ${round(readCpu / cpu)}× (CPU)`);
      result[key] = { cpuUsPerEvent: cpu, eventsPerSec: best, ratioToLogRead: round(best / readBest), cpuRatioToLogRead: round(readCpu / cpu), runs: list };
    }
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    for (const b of builds) await b.eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
