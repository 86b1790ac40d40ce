import { join } from 'node:path';
import { EventSourcedRepository } from '../../libs/application/event-sourced-repository';
import type { InvoiceIssued } from '../../libs/domain/invoice/invoice.events';
import type { InvoiceNumberReserved } from '../../libs/domain/invoice/invoice-numbering.events';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { line, startApi, type Harness } from '../support/api-harness';

/** An approval killed between its number reservation and the invoice append is finished on restart. */
describe('recovery of an interrupted approval', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'ap', name: 'AP', currency: 'EUR', creditLimit: '100.00', creditPolicy: 'hold_for_approval' }).expect(201);
    await h.http().post('/invoices').send({ id: 'held', customerId: 'ap', issueDate: '2026-01-01', lines: [line('500.00', '1', '0')] }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  it('issues the held invoice from its reservation, with the approval\'s metadata', async () => {
    await h.app.close();
    const store = new SqliteEventStore({ path: join(h.dataDir, 'events.sqlite') });
    const repo = new EventSourcedRepository(store);
    const ctx = { actor: 'cfo', recordedAt: '2026-01-02T10:00:00.000Z', commandId: 'approve-held', correlationId: 'approve-held', causationId: 'approve-held' };
    const invoice: InvoiceIssued['data'] = {
      invoiceId: 'held', customerId: 'ap', number: 'INV-000001', currency: 'EUR', issueDate: '2026-01-01', dueDate: '2026-01-31',
      paymentTermsDays: 30, terms: { type: 'net', days: 30 }, net: 50_000, tax: 0, total: 50_000,
      lines: [{ description: 'Service', quantity: '1', unitPrice: 50_000, taxRate: '0', net: 50_000, tax: 0, gross: 50_000 }],
      creditDecision: { decision: 'approved_on_review', creditLimit: 10_000, outstanding: 0, exposure: 50_000, review: { reason: 'ok', submittedBy: 'anonymous', approvedBy: 'cfo', submittedExposure: 50_000, submittedIssueDate: '2026-01-01' } },
    };
    const series = await repo.load('invoicenumbers-INV', { initialState: () => null, evolve: (s) => s, decide: () => [] });
    const reservation: InvoiceNumberReserved = { type: 'InvoiceNumberReserved', data: { series: 'INV', number: 'INV-000001', invoiceId: 'held', customerId: 'ap', invoice } };
    await repo.append(series, [reservation], ctx);
    await store.close();

    await h.restart();
    expect((await h.http().get('/invoices/held').expect(200)).body).toMatchObject({ number: 'INV-000001', status: 'issued', total: '500.00' });
    const credit = await h.http().get('/customers/ap/credit').expect(200);
    expect(credit.body.exposure).toMatchObject({ openReceivables: '500.00', pendingApproval: '0.00', exposure: '500.00' });
    const history = await h.http().get('/customers/ap/history').expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['CustomerRegistered', 'InvoiceSubmittedForApproval', 'InvoiceIssued']);
    expect(history.body.events[2].metadata).toMatchObject({ actor: 'cfo', commandId: 'approve-held' });
    // Approving again is refused: the invoice is issued.
    expect((await h.http().post('/invoices/held/approve').send({ reason: 'again' }).expect(409)).body.code).toBe('INVOICE_NOT_PENDING_APPROVAL');
  });
});
