/**
 * Aging as of a date over the open-items read model, exactly as GET /reports/aging runs it:
 * `forEach(openItemsFilter(asOf), { fields: AGING_FIELDS })` folded by `AgingFold` (ADR 0106). With
 * `path: 'array'` (`BENCH_AGING_PATH=array`), the way before it: `find` of every item into one array, then `agingReport`.
 * The documents are made by folding generated invoice events through openItemsProjection.evolve (so they
 * have exactly the projection's shape) and written with commitBatch, indexes (the projection's, compound
 * ones included) created afterwards as a rebuild does.
 */
import { join } from 'node:path';
import type { InvoiceIssued, InvoiceSettled, PaymentApplied } from '../../libs/domain/invoice/invoice.events';
import { addDays, daysBetween, type CalendarDate } from '../../libs/domain/shared/dates';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import type { Doc } from '../../libs/read-store/read-store.port';
import type { ProjectedEvent } from '../../libs/projection-runtime/projection';
import { AGING_FIELDS, AgingFold, agingReport, openItemsFilter, openItemsProjection, type AgingItem, type OpenItem } from '../../projections';
import { ensureProjectionIndexes } from '../../libs/projection-runtime/projection';
import { Rng } from './fixtures';
import { median, now, quantile } from './harness';

const FIRST_ISSUE = '2023-01-01';
const ISSUE_DAYS = 730; // through 2024-12-30
const LAST_DAY = '2024-12-31';

/**
 * `open` items still open after LAST_DAY (half untouched, the rest with 1-2 partial payments), plus
 * `closed` items paid in full and settled on or before LAST_DAY.
 */
function* openItemDocs(open: number, closed: number, customers: number, seed: number): Generator<{ key: string; doc: Doc }> {
  const rng = new Rng(seed);
  let position = 0;
  const meta = { actor: 'bench', recordedAt: '2024-01-01T00:00:00.000Z', commandId: 'c', correlationId: 'c', causationId: 'c', schemaVersion: 1, prevHash: '', hash: '' };
  const ev = (streamId: string, type: string, data: unknown): ProjectedEvent =>
    ({ type, data, metadata: meta, id: `e${position}`, streamId, revision: 0, position: position++ }) as unknown as ProjectedEvent;
  for (let i = 0; i < open + closed; i++) {
    // Exactly `open` open items, spread evenly among the closed ones.
    const isOpen = Math.floor(((i + 1) * open) / (open + closed)) > Math.floor((i * open) / (open + closed));
    const invoiceId = `A${i}`;
    const customerId = `AC${rng.int(0, customers - 1)}`;
    const streamId = `invoice-${invoiceId}`;
    const issueDate = addDays(FIRST_ISSUE, rng.int(0, ISSUE_DAYS - 1));
    const terms = rng.pick([15, 30, 45, 60]);
    const total = rng.int(10, 50_000) * 100 + rng.int(0, 99);
    const issued: InvoiceIssued['data'] = {
      invoiceId, customerId, number: `A-${i}`, currency: 'EUR', issueDate, dueDate: addDays(issueDate, terms), paymentTermsDays: terms,
      lines: [], net: total, tax: 0, total,
      creditDecision: { decision: 'approved', creditLimit: 0, outstanding: 0, exposure: total },
    };
    let doc = openItemsProjection.evolve(null, ev(streamId, 'InvoiceIssued', issued));
    const room = Math.max(1, daysBetween(issueDate, LAST_DAY));
    if (isOpen) {
      let outstanding = total;
      const partials = rng.next() < 0.5 ? 0 : rng.int(1, 2);
      let on = issueDate;
      for (let k = 0; k < partials && outstanding > 1; k++) {
        const amount = Math.max(1, Math.floor(outstanding * rng.int(10, 40) / 100));
        outstanding -= amount;
        on = addDays(on, rng.int(0, Math.max(0, Math.floor(room / 2))));
        const applied: PaymentApplied['data'] = { invoiceId, customerId, paymentId: `AP${i}-${k}`, amount, receivedOn: on, outstanding };
        doc = openItemsProjection.evolve(doc, ev(streamId, 'PaymentApplied', applied));
      }
    } else {
      const on = addDays(issueDate, rng.int(0, room - 1));
      const applied: PaymentApplied['data'] = { invoiceId, customerId, paymentId: `AP${i}`, amount: total, receivedOn: on, outstanding: 0 };
      doc = openItemsProjection.evolve(doc, ev(streamId, 'PaymentApplied', applied));
      const settled: InvoiceSettled['data'] = { invoiceId, customerId, settledOn: on };
      doc = openItemsProjection.evolve(doc, ev(streamId, 'InvoiceSettled', settled));
    }
    if (doc === null) throw new Error('open-items evolve returned null');
    yield { key: invoiceId, doc: doc as OpenItem as unknown as Doc };
  }
}

export interface AgingMeasure {
  medianMs: number;
  p95Ms: number;
  runsMs: number[];
  findMedianMs: number;
  reportMedianMs: number;
  documents: number;
  matchedPerRun: number[];
  asOfDates: string[];
  loadSeconds: number;
  /** The process's RSS peak (maxRSS) once the items are written, before any query: what the queries added is above it. */
  rssPeakAfterLoadMb: number;
}

export type AgingPath = 'fold' | 'array';

export async function agingQuery(dir: string, openItems: number, runs: number, seed: number, path: AgingPath = agingPath()): Promise<AgingMeasure> {
  const readStore = new SqliteReadStore({ path: join(dir, 'read.db') });
  try {
    const collection = 'open_items_v1_g1';
    const closed = Math.round(openItems / 5);
    const loadStart = now();
    let chunk: Array<{ key: string; doc: Doc }> = [];
    let written = 0;
    for (const entry of openItemDocs(openItems, closed, Math.max(10, Math.round(openItems / 50)), seed)) {
      chunk.push(entry);
      if (chunk.length === 5_000) {
        written += chunk.length;
        await readStore.commitBatch(collection, [{ collection, upserts: chunk, deletes: [] }], written, '2025-01-01T00:00:00.000Z');
        chunk = [];
      }
    }
    written += chunk.length;
    await readStore.commitBatch(collection, [{ collection, upserts: chunk, deletes: [] }], written, '2025-01-01T00:00:00.000Z');
    await ensureProjectionIndexes(readStore, collection, openItemsProjection);
    const loadSeconds = (now() - loadStart) / 1000;
    const rssPeakAfterLoadMb = Math.round(process.resourceUsage().maxRSS / 1024);

    const once = async (asOf: CalendarDate) => {
      const t0 = now();
      if (path === 'fold') {
        const aging = new AgingFold(asOf);
        const matched = await readStore.forEach(collection, openItemsFilter(asOf), { fields: AGING_FIELDS }, (item) => aging.add(item as unknown as AgingItem));
        const report = aging.report();
        const t1 = now();
        if (report.total <= 0) throw new Error(`Empty aging as of ${asOf}`);
        // Read and fold are one pass here: the whole time is reported as the read's.
        return { total: t1 - t0, find: t1 - t0, report: 0, matched };
      }
      const items = await readStore.find(collection, openItemsFilter(asOf), { fields: AGING_FIELDS });
      const t1 = now();
      const report = agingReport(items as unknown as AgingItem[], asOf);
      const t2 = now();
      if (report.total <= 0) throw new Error(`Empty aging as of ${asOf}`);
      return { total: t2 - t0, find: t1 - t0, report: t2 - t1, matched: items.length };
    };
    // Warm-up (statement preparation, JIT, page cache).
    for (let w = 0; w < 2; w++) await once(addDays(LAST_DAY, 200 + w));

    const asOfDates = Array.from({ length: runs }, (_, r) => addDays(LAST_DAY, r * 11)); // 2024-12-31, +11 d, … (~3 months)
    const results = [];
    for (const asOf of asOfDates) results.push(await once(asOf));
    const totals = results.map((r) => r.total);
    return {
      medianMs: median(totals),
      p95Ms: quantile(totals, 0.95),
      runsMs: totals.map((t) => Math.round(t * 10) / 10),
      findMedianMs: median(results.map((r) => r.find)),
      reportMedianMs: median(results.map((r) => r.report)),
      documents: written,
      matchedPerRun: results.map((r) => r.matched),
      asOfDates,
      loadSeconds,
      rssPeakAfterLoadMb,
    };
  } finally {
    await readStore.close();
  }
}

function agingPath(): AgingPath {
  const path = process.env.BENCH_AGING_PATH ?? 'fold';
  if (path !== 'fold' && path !== 'array') throw new Error('BENCH_AGING_PATH must be fold or array');
  return path;
}
