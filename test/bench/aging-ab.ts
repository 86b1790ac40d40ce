/**
 * The aging's two read paths over the same open items, alternating in one process (ADR 0106): `array` — `find`
 * of every item, then `agingReport` (the way before) — and `fold` — `forEach` into `AgingFold` (GET
 * /reports/aging). CPU per report is steadier than wall time on a shared machine; the reports must be identical.
 *
 *   npm run build && node dist/test/bench/aging-ab.js [openItems=100000] [rounds=12]
 */
import { join } from 'node:path';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { AGING_FIELDS, AgingFold, agingReport, openItemsFilter, type AgingItem } from '../../projections';
import { agingQuery } from './aging';
import { inTempDir, median, now, round } from './harness';

async function main(): Promise<void> {
  const openItems = Number(process.argv[2] ?? 100_000);
  const rounds = Number(process.argv[3] ?? 12);
  const result = await inTempDir('aging-ab', async (dir) => {
    await agingQuery(dir, openItems, 1, 2024, 'fold'); // writes the items (and indexes) into dir/read.db
    const store = new SqliteReadStore({ path: join(dir, 'read.db') });
    const collection = 'open_items_v1_g1';
    const asOf = '2024-12-31';
    const paths = {
      array: async () => agingReport((await store.find(collection, openItemsFilter(asOf), { fields: AGING_FIELDS })) as unknown as AgingItem[], asOf),
      fold: async () => {
        const aging = new AgingFold(asOf);
        await store.forEach(collection, openItemsFilter(asOf), { fields: AGING_FIELDS }, (item) => aging.add(item as unknown as AgingItem));
        return aging.report();
      },
    };
    const cpuMs: Record<string, number[]> = { array: [], fold: [] };
    const wallMs: Record<string, number[]> = { array: [], fold: [] };
    let reference: string | undefined;
    try {
      for (let i = 0; i < rounds; i++) {
        for (const path of i % 2 === 0 ? (['fold', 'array'] as const) : (['array', 'fold'] as const)) {
          const cpu = process.cpuUsage();
          const t = now();
          const report = JSON.stringify(await paths[path]());
          const used = process.cpuUsage(cpu);
          if (i >= 2) { // the first two rounds warm up
            cpuMs[path].push((used.user + used.system) / 1000);
            wallMs[path].push(now() - t);
          }
          if (reference === undefined) reference = report;
          else if (report !== reference) throw new Error(`the ${path} path gave another report`);
        }
      }
    } finally {
      await store.close();
    }
    const m = (xs: number[]) => round(median(xs));
    return { openItems, measuredRounds: rounds - 2, cpuMsMedian: { array: m(cpuMs.array), fold: m(cpuMs.fold) }, wallMsMedian: { array: m(wallMs.array), fold: m(wallMs.fold) }, identicalReports: true };
  });
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((error) => {
  process.stderr.write(`[aging-ab] failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
