/**
 * Growth (issue 14): the same measures at growing log sizes, to check that time grows linearly with the events and
 * memory stays flat. Not part of `npm run bench` (minutes per million events):
 *
 *   npm run build && BENCH_SCALE_EVENTS=100000,1000000 node dist/test/bench/scale.js
 *
 * For each size N: the log written through the command path's store (`loadCommands`), all projections rebuilt
 * blue/green once and the log read alone (the ceiling), aging over N open items, and the history with `--verify`
 * of a busiest customer holding N / 20 events; with the process's peak RSS during each phase. JSON on stdout.
 */
import { customerStreamsProjection } from '../../projections';
import { ReplayHistoryHandler, ReplayHistoryQuery } from '../../libs/application/reporting/history-replay';
import { agingQuery } from './aging';
import { benchPii, withLog } from './audit';
import { fmt, inTempDir, log, median, now, round, settle } from './harness';
import { rebuildAll } from './rebuild';

/** Runs `fn` while sampling the resident set size every 25 ms; returns its result with the peak in MB. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; rssPeakMb: number; seconds: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 25);
  const t = now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, rssPeakMb: round(peak / 1_048_576), seconds: round((now() - t) / 1000) };
  } finally {
    clearInterval(timer);
  }
}

async function measure(events: number) {
  const rebuild = await peakRss(() => inTempDir('scale-rebuild', (dir) => rebuildAll(dir, events, 1, 1)));
  const r = rebuild.value;
  log(`N=${fmt(events)}: log of ${fmt(r.events)} events written in ${r.loadSeconds.toFixed(1)} s; rebuild (all ${r.projections}) ${r.seconds.toFixed(1)} s = ${fmt(r.eventsPerSec)} events/s; log read alone ${fmt(r.logRead.eventsPerSec)}/s; RSS peak ${rebuild.rssPeakMb} MB`);
  await settle();
  const aging = await peakRss(() => inTempDir('scale-aging', (dir) => agingQuery(dir, events, 3, 2024)));
  log(`N=${fmt(events)}: aging over ${fmt(aging.value.matchedPerRun[0])} open items median ${aging.value.medianMs.toFixed(0)} ms; RSS peak ${aging.rssPeakMb} MB`);
  await settle();
  const busiest = Math.round(events / 20);
  const history = await peakRss(() => withLog('scale-history', { seed: 21, minEvents: busiest, customers: 1, invoicesPerDay: 8, prefix: 'h' }, [customerStreamsProjection], async (rm, store) => {
    const handler = new ReplayHistoryHandler(rm, store, benchPii());
    const runs: number[] = [];
    let verified = 0;
    for (let i = 0; i < 4; i++) {
      const t = now();
      const v = (await handler.execute(new ReplayHistoryQuery('hc0', undefined, true))).value;
      if (i > 0) runs.push(now() - t); // the first one warms up
      if (!v.verification?.verified) throw new Error('scale history did not verify');
      verified = v.verification.events;
    }
    return { medianMs: round(median(runs)), events: verified };
  }));
  log(`N=${fmt(events)}: history --verify of a ${fmt(history.value.events)}-event customer median ${history.value.medianMs} ms; RSS peak ${history.rssPeakMb} MB`);
  return {
    events: r.events,
    logWriteSeconds: round(r.loadSeconds),
    rebuild: { seconds: r.seconds, eventsPerSec: r.eventsPerSec, cpuUsPerEvent: r.blueGreen[0]?.cpuUsPerEvent, documents: r.documents, rssPeakMb: rebuild.rssPeakMb },
    logRead: r.logRead,
    aging: { openItems: aging.value.matchedPerRun[0], medianMs: round(aging.value.medianMs), runsMs: aging.value.runsMs, rssPeakMb: aging.rssPeakMb },
    history: { ...history.value, rssPeakMb: history.rssPeakMb },
  };
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_SCALE_EVENTS ?? '100000,1000000').split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1_000)) throw new Error('BENCH_SCALE_EVENTS must list integers ≥ 1000, e.g. 100000,1000000');
  const results = [];
  for (const n of sizes) {
    results.push(await measure(n));
    await settle();
  }
  process.stdout.write(JSON.stringify({ startedAt: new Date().toISOString(), node: process.version, sizes: results }, null, 2) + '\n');
}

main().catch((error) => {
  process.stderr.write(`[scale] failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
