/**
 * `npm run bench:lists`: the list benchmark alone (also part of `npm run bench`), one JSON document on stdout.
 * BENCH_SCALE shrinks the data as for the full bench.
 */
import { listsQuery } from './lists';
import { inTempDir, log, round, SCALE, scaled } from './harness';

const TARGET_MS = 50;

inTempDir('lists', (dir) => listsQuery(dir, scaled(100_000, 1_000), 20, 2026)).then((m) => {
  for (const c of m.cases) log(`lists: ${c.name}: median ${c.medianMs.toFixed(1)} ms, p95 ${c.p95Ms.toFixed(1)} ms (${c.items} items of ${c.total})`);
  const doc = {
    scale: SCALE, invoices: m.invoices, customers: m.customers, loadSeconds: round(m.loadSeconds),
    firstPageMs: { value: round(m.cases[0].medianMs), unit: 'ms (median)', target: TARGET_MS, met: m.cases[0].medianMs <= TARGET_MS },
    cases: m.cases.map((c) => ({ ...c, medianMs: round(c.medianMs), p95Ms: round(c.p95Ms) })),
  };
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
}).catch((error) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
