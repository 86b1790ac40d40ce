/**
 * Growth (issue 14): the same measures at growing log sizes, to check that time grows linearly with the events and
 * memory stays flat. Not part of `npm run bench` (minutes per million events):
 *
 *   npm run build && BENCH_SCALE_EVENTS=100000,1000000 node dist/test/bench/scale.js
 *
 * For each size N, each phase in a process of its own, so that its RSS peak (`process.resourceUsage().maxRSS`,
 * the kernel's high-water mark) is that phase's alone and not what an earlier phase left behind:
 *  - log: N events written through the command path's store (`loadCommands`, 512 appends in flight);
 *  - read: the log read alone in the rebuild's batches (the ceiling of any rebuild);
 *  - rebuild: every projection rebuilt blue/green (`Projector.rebuild()`, what `ar projections rebuild` does);
 *  - aging: the aging report over min(N, BENCH_SCALE_AGING_MAX = 1,000,000) open items (3 dates, median), the way
 *    GET /reports/aging runs it (`BENCH_AGING_PATH=array`: the way before ADR 0106, one array of every item);
 *  - history: the `--verify` history of a busiest customer holding N / 20 events (median of 3, after a warm-up), over
 *    a log the helper phase history-log writes first (kept in the size's directory), streamed as JSON to a byte count
 *    (BENCH_HISTORY_PATH=oneshot: the one-piece replay and one JSON.stringify, the way before ADR 0109;
 *    BENCH_HISTORY_RUNS=1: a single replay, measured, instead of a warm-up and 3).
 * JSON on stdout; one line per phase on stderr. The log of a size is kept for its phases, then deleted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { logBatches } from '../../libs/event-store/log-batches';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { Projector } from '../../libs/projection-runtime/projector';
import { ALL_PROJECTIONS, customerStreamsProjection } from '../../projections';
import { loadConfig } from '../../libs/application/config';
import { ReadModels } from '../../libs/application/read-models';
import { ReplayHistoryHandler, ReplayHistoryQuery } from '../../libs/application/reporting/history-replay';
import { HistoryReplay } from '../../libs/application/reporting/history-stream';
import { historyJson, historyView } from '../../libs/application/reporting/views';
import { agingQuery } from './aging';
import { benchPii } from './audit';
import { loadCommands, simulateLedger } from './fixtures';
import { fmt, inTempDir, log, median, now, round } from './harness';

const PHASES = ['log', 'read', 'rebuild', 'aging', 'history'] as const;
/** Run by another phase, not on its own. */
const HELPER_PHASES = ['history-log'] as const;
type Phase = (typeof PHASES)[number] | (typeof HELPER_PHASES)[number];

/** Wall seconds, CPU µs per event and the process's RSS peak, added to what the phase returns. */
async function measured<T extends object>(events: () => number, fn: () => Promise<T>): Promise<T & { seconds: number; cpuUsPerEvent: number; rssPeakMb: number }> {
  const cpu = process.cpuUsage();
  const start = now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  const n = events();
  // maxRSS is in kilobytes (kibibytes on Linux).
  return { ...value, seconds: round((now() - start) / 1000), cpuUsPerEvent: round((used.user + used.system) / Math.max(1, n)), rssPeakMb: round(process.resourceUsage().maxRSS / 1024) };
}

async function runPhase(phase: Phase, n: number, dir: string): Promise<object> {
  const eventsPath = join(dir, 'events.db');
  switch (phase) {
    case 'log': {
      const store = new SqliteEventStore({ path: eventsPath });
      let events = 0;
      try {
        const customers = Math.max(20, Math.round(n / 100));
        const invoicesPerDay = Math.max(4, Math.round(n / 2_500));
        return await measured(() => events, async () => {
          events = await loadCommands(store, simulateLedger({ seed: 1, minEvents: n, customers, invoicesPerDay }));
          return { events };
        });
      } finally {
        await store.close();
      }
    }
    case 'read': {
      const store = new SqliteEventStore({ path: eventsPath });
      let events = 0;
      try {
        return await measured(() => events, async () => {
          for await (const batch of logBatches(store, -1, 10_000)) events += batch.length;
          return { events, eventsPerSec: 0 };
        }).then((r) => ({ ...r, eventsPerSec: round(r.events / r.seconds) }));
      } finally {
        await store.close();
      }
    }
    case 'rebuild': {
      const eventStore = new SqliteEventStore({ path: eventsPath });
      const readPath = join(dir, 'read.db');
      const readStore = new SqliteReadStore({ path: readPath });
      const events = await eventStore.countAfter(-1, Number.MAX_SAFE_INTEGER);
      try {
        const projector = new Projector({ eventStore, readStore, projections: ALL_PROJECTIONS });
        const started = now();
        let lastLine = started;
        // A line at most every 30 s: at 10M events the rebuild takes tens of minutes, and a run cut short still says how far it got.
        const onProgress = (p: { position: number; events: number }) => {
          if (now() - lastLine < 30_000) return;
          lastLine = now();
          log(`rebuild: ${fmt(p.events)} of ${fmt(events)} events after ${round((lastLine - started) / 1000)} s, RSS ${round(process.memoryUsage.rss() / 1048576)} MB (peak ${round(process.resourceUsage().maxRSS / 1024)} MB)`);
        };
        const r = await measured(() => events, async () => {
          await projector.rebuild(undefined, onProgress);
          return { events, projections: ALL_PROJECTIONS.length };
        });
        const documents: Record<string, number> = {};
        for (const p of ALL_PROJECTIONS) documents[p.name] = await readStore.count((await projector.liveCollection(p.name)) ?? '', {});
        return { ...r, eventsPerSec: round(events / r.seconds), documents };
      } finally {
        await readStore.close();
        await eventStore.close();
        for (const suffix of ['', '-wal', '-shm']) rmSync(readPath + suffix, { force: true });
      }
    }
    case 'aging': {
      let openItems = 0;
      return measured(() => openItems, async () => {
        const items = Math.min(n, Number(process.env.BENCH_SCALE_AGING_MAX ?? 1_000_000));
        const aging = await inTempDir('scale-aging', (d) => agingQuery(d, items, 3, 2024));
        openItems = aging.matchedPerRun[0];
        return { openItems, path: process.env.BENCH_AGING_PATH ?? 'fold', medianMs: round(aging.medianMs), runsMs: aging.runsMs, loadSeconds: round(aging.loadSeconds), rssPeakAfterLoadMb: aging.rssPeakAfterLoadMb };
      });
    }
    case 'history-log': {
      // The busiest customer's log, written (and its customer-streams projected) in a process of its own.
      const historyDir = join(dir, `history-${n}`);
      mkdirSync(historyDir, { recursive: true });
      const eventStore = new SqliteEventStore({ path: join(historyDir, 'events.sqlite') });
      const readStore = new SqliteReadStore({ path: join(historyDir, 'read-models.sqlite') });
      try {
        const events = await loadCommands(eventStore, simulateLedger({ seed: 21, minEvents: Math.round(n / 20), customers: 1, invoicesPerDay: 8, prefix: 'h' }));
        await new Projector({ eventStore, readStore, projections: [customerStreamsProjection] }).rebuild();
        return { events };
      } finally {
        await eventStore.close();
        await readStore.close();
      }
    }
    case 'history': {
      // Over a log written by the history-log phase (its RSS is not this phase's): the way HTTP answers it.
      // BENCH_HISTORY_PATH=stream (default): the paged two-pass replay written as JSON chunks (ADR 0109);
      // oneshot: the replay in one piece and one JSON.stringify of its view, what the route did before.
      const historyDir = join(dir, `history-${n}`);
      if (!existsSync(join(historyDir, 'events.sqlite'))) child('history-log', n, dir);
      const path = process.env.BENCH_HISTORY_PATH ?? 'stream';
      if (path !== 'stream' && path !== 'oneshot') throw new Error('BENCH_HISTORY_PATH must be stream or oneshot');
      const config = loadConfig({ AR_READ_WAIT_MS: '5000', AR_HISTORY_PAGE_SIZE: process.env.AR_HISTORY_PAGE_SIZE });
      const eventStore = new SqliteEventStore({ path: join(historyDir, 'events.sqlite') });
      const readStore = new SqliteReadStore({ path: join(historyDir, 'read-models.sqlite') });
      const rm = new ReadModels(readStore, eventStore, new Projector({ eventStore, readStore, projections: [customerStreamsProjection] }), config);
      const pii = benchPii();
      const oneShot = new ReplayHistoryHandler(rm, eventStore, pii);
      const paged = new HistoryReplay(rm, eventStore, pii, config);
      const q = new ReplayHistoryQuery('hc0', undefined, true);
      // BENCH_HISTORY_RUNS=1: one replay in a fresh process (its RSS peak is one answer's, not V8's heap grown over four).
      const runs = Number(process.env.BENCH_HISTORY_RUNS ?? 4);
      let verified = 0;
      try {
        return await measured(() => verified, async () => {
          const ms: number[] = [];
          let bytes = 0;
          for (let i = 0; i < runs; i++) {
            const t = now();
            bytes = 0;
            if (path === 'oneshot') {
              const r = await oneShot.execute(q);
              if (!r.fresh || !r.value.verification?.verified) throw new Error('scale history did not verify');
              verified = r.value.verification.events;
              bytes = Buffer.byteLength(JSON.stringify(historyView(r.value)));
            } else {
              const r = await paged.summarize(q);
              if (!r.fresh || !r.value.verification?.verified) throw new Error('scale history did not verify');
              verified = r.value.verification.events;
              for await (const chunk of historyJson(r.value, paged.events(r.value))) bytes += Buffer.byteLength(chunk);
            }
            if (i > 0 || runs === 1) ms.push(now() - t); // the first one warms up
          }
          return { path, pageSize: config.historyPageSize, runs, events: verified, bytes, medianMs: round(median(ms)), runsMs: ms.map(round) };
        });
      } finally {
        await eventStore.close();
        await readStore.close();
      }
    }
  }
}

/** Runs one phase in a child process (this file with `--phase`) and returns its JSON. */
function child(phase: Phase, n: number, dir: string): Record<string, unknown> {
  const run = spawnSync(process.execPath, [...process.execArgv, __filename, '--phase', phase, String(n), dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`scale phase ${phase} at N=${n} exited with ${run.status ?? run.signal}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/**
 * `BENCH_SCALE_DIR`: keep each size's log in `<dir>/log<N>` and reuse it when it is already there (its write phase is
 * then reported as reused, not measured) — a 10M-event log takes far longer to write than to rebuild.
 */
async function measure(n: number): Promise<Record<string, unknown>> {
  const keep = process.env.BENCH_SCALE_DIR;
  const dir = keep ? join(keep, `log${n}`) : mkdtempSync(join(tmpdir(), 'ar-bench-scale-'));
  const result: Record<string, unknown> = { requested: n };
  try {
    mkdirSync(dir, { recursive: true });
    for (const phase of PHASES) {
      if (phase === 'log' && existsSync(join(dir, 'events.db'))) {
        result.log = { reused: dir };
        log(`N=${fmt(n)} log: reusing ${dir}`);
        continue;
      }
      const r = child(phase, n, dir);
      result[phase] = r;
      log(`N=${fmt(n)} ${phase}: ${JSON.stringify(r, (k, v: unknown) => (k === 'documents' ? undefined : v))}`);
    }
    return result;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_SCALE_EVENTS ?? '100000,1000000').split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1_000)) throw new Error('BENCH_SCALE_EVENTS must list integers ≥ 1000, e.g. 100000,1000000');
  const results = [];
  for (const n of sizes) results.push(await measure(n));
  process.stdout.write(JSON.stringify({ startedAt: new Date().toISOString(), node: process.version, sizes: results }, null, 2) + '\n');
}

const phaseAt = process.argv.indexOf('--phase');
if (phaseAt >= 0) {
  const [phase, n, dir] = process.argv.slice(phaseAt + 1);
  if (![...PHASES, ...HELPER_PHASES].includes(phase as Phase)) throw new Error(`Unknown scale phase ${phase}`);
  runPhase(phase as Phase, Number(n), dir).then((r) => process.stdout.write(JSON.stringify(r)), (error: unknown) => {
    process.stderr.write(`[scale] ${phase} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    process.stderr.write(`[scale] failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
