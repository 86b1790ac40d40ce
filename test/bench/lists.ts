/**
 * Issue 16: the first page of 100 of `GET /invoices` at 100,000 invoices, through the real query handler
 * (`ListInvoicesHandler`: parameters, filter, keyset page, count, customer names) over a SQLite read store
 * filled with documents folded by invoicesProjection / openBalancesProjection and indexed as the runtime does.
 * The HTTP edge and the read-your-writes wait (no writes in flight here) are not in the figure.
 */
import { join } from 'node:path';
import type { CustomerRegistered } from '../../libs/domain/credit/credit.events';
import type { InvoiceIssued, PaymentApplied } from '../../libs/domain/invoice/invoice.events';
import { addDays } from '../../libs/domain/shared/dates';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import type { Doc, Filter, FindOptions } from '../../libs/read-store/read-store.port';
import { ensureProjectionIndexes, type ProjectedEvent } from '../../libs/projection-runtime/projection';
import { readPage, type ListSpec, type PageRequest } from '../../libs/application/queries/lists/list-page';
import { ListInvoicesHandler, ListInvoicesQuery } from '../../libs/application/queries/lists/list.queries';
import type { ReadModels } from '../../libs/application/read-models';
import { PersonalData } from '../../libs/application/privacy/personal-data';
import { MemoryDataKeyStore } from '../../libs/privacy/adapters/memory/memory-data-key-store';
import { invoicesProjection, openBalancesProjection } from '../../projections';
import { Rng } from './fixtures';
import { median, now, quantile } from './harness';

export interface ListCase {
  name: string;
  query: Record<string, string>;
  medianMs: number;
  p95Ms: number;
  items: number;
  total: number;
}

export interface ListsMeasure {
  invoices: number;
  customers: number;
  loadSeconds: number;
  cases: ListCase[];
}

const meta = { actor: 'bench', recordedAt: '2025-01-01T00:00:00.000Z', commandId: 'c', correlationId: 'c', causationId: 'c', schemaVersion: 2, prevHash: '', hash: '' };

export async function listsQuery(dir: string, invoices: number, runs: number, seed: number): Promise<ListsMeasure> {
  const store = new SqliteReadStore({ path: join(dir, 'read.db') });
  try {
    const rng = new Rng(seed);
    const customers = Math.max(10, Math.round(invoices / 100));
    const collections: Record<string, string> = { invoices: 'invoices_v2_g1', 'open-balances': 'open_balances_v1_g1' };
    let position = 0;
    const ev = (streamId: string, type: string, data: unknown): ProjectedEvent =>
      ({ type, data, metadata: meta, id: `e${position}`, streamId, revision: 0, position: position++ }) as unknown as ProjectedEvent;
    const loadStart = now();
    const balances: Array<{ key: string; doc: Doc }> = [];
    for (let c = 0; c < customers; c++) {
      const data: CustomerRegistered['data'] = { customerId: `C${c}`, name: `Customer ${c} ${rng.pick(['SAS', 'SARL', 'GmbH', 'Ltd'])}`, currency: 'EUR', creditLimit: 10_000_000, paymentTermsDays: 30 };
      balances.push({ key: data.customerId, doc: openBalancesProjection.evolve(null, ev(`credit-${data.customerId}`, 'CustomerRegistered', data)) as Doc });
    }
    await store.commitBatch('bench', [{ collection: collections['open-balances'], upserts: balances, deletes: [] }], position, meta.recordedAt);
    let chunk: Array<{ key: string; doc: Doc }> = [];
    for (let i = 0; i < invoices; i++) {
      const invoiceId = `I${String(i).padStart(7, '0')}`;
      const customerId = `C${rng.int(0, customers - 1)}`;
      const issueDate = addDays('2023-01-01', rng.int(0, 729));
      const total = rng.int(10, 50_000) * 100;
      const issued: InvoiceIssued['data'] = {
        invoiceId, customerId, number: `INV-${String(i + 1).padStart(6, '0')}`, currency: 'EUR', issueDate, dueDate: addDays(issueDate, rng.pick([15, 30, 45, 60])),
        paymentTermsDays: 30, lines: [{ description: 'Services', quantity: '1', unitPrice: total, taxRate: '0.00', net: total }], net: total, tax: 0, total,
        vatBreakdown: [{ rate: '0.00', base: total, amount: 0 }], creditDecision: { decision: 'approved', creditLimit: 0, outstanding: 0, exposure: total },
      } as InvoiceIssued['data'];
      let doc = invoicesProjection.evolve(null, ev(`invoice-${invoiceId}`, 'InvoiceIssued', issued));
      if (rng.chance(0.6)) {
        const amount = rng.chance(0.5) ? total : Math.floor(total / 2);
        const applied: PaymentApplied['data'] = { invoiceId, customerId, paymentId: `P${i}`, amount, receivedOn: addDays(issueDate, 20), outstanding: total - amount };
        doc = invoicesProjection.evolve(doc, ev(`invoice-${invoiceId}`, 'PaymentApplied', applied));
      }
      chunk.push({ key: invoiceId, doc: doc as unknown as Doc });
      if (chunk.length === 5_000) {
        await store.commitBatch('bench', [{ collection: collections.invoices, upserts: chunk, deletes: [] }], position, meta.recordedAt);
        chunk = [];
      }
    }
    await store.commitBatch('bench', [{ collection: collections.invoices, upserts: chunk, deletes: [] }], position, meta.recordedAt);
    await ensureProjectionIndexes(store, collections.invoices, invoicesProjection);
    await ensureProjectionIndexes(store, collections['open-balances'], openBalancesProjection);
    const loadSeconds = (now() - loadStart) / 1000;

    // The handler's view of the read models, straight on the store (no projector: nothing to wait for).
    const rm = {
      catchUp: async () => ({ fresh: true, position }),
      find: async (p: string, filter: Filter, options?: FindOptions) => store.find(collections[p], filter, options),
      getMany: async (p: string, keys: readonly string[]) => store.getMany(collections[p], keys),
      page: async (p: string, spec: ListSpec, filter: Filter, request: PageRequest, bindTo?: Record<string, unknown>) => readPage(store, collections[p], spec, filter, request, bindTo),
    } as unknown as ReadModels;
    // Names in clear in this synthetic store: the decrypting view passes them through (they are not sealed).
    const handler = new ListInvoicesHandler(rm, new PersonalData(new MemoryDataKeyStore(), { dataKeyCacheSize: 10_000 }));

    const measure = async (name: string, query: Record<string, string>): Promise<ListCase> => {
      const once = async () => {
        const t0 = now();
        const r = await handler.execute(new ListInvoicesQuery(query));
        return { ms: now() - t0, items: r.value.items.length, total: r.value.total };
      };
      for (let w = 0; w < 3; w++) await once();
      const results = [];
      for (let r = 0; r < runs; r++) results.push(await once());
      const ms = results.map((r) => r.ms);
      return { name, query, medianMs: median(ms), p95Ms: quantile(ms, 0.95), items: results[0].items, total: results[0].total };
    };

    const cases: ListCase[] = [];
    cases.push(await measure('first page, sort dueDate', {}));
    cases.push(await measure('first page, sort -amount', { sort: '-amount' }));
    cases.push(await measure('first page, overdueAsOf=2024-12-31', { overdueAsOf: '2024-12-31' }));
    cases.push(await measure('first page, one customer, sort -issueDate', { customerId: 'C7', sort: '-issueDate' }));
    cases.push(await measure('first page, q=inv-0999 (text on number and customer names: a scan)', { q: 'inv-0999' }));
    const first = await handler.execute(new ListInvoicesQuery({}));
    cases.push(await measure('page 2 through the cursor, sort dueDate', { cursor: first.value.next ?? '' }));
    return { invoices, customers, loadSeconds, cases };
  } finally {
    await store.close();
  }
}
