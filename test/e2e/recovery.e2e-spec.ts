import { join } from 'node:path';
import { EventSourcedRepository } from '../../libs/application/event-sourced-repository';
import { invoiceDecider } from '../../libs/domain/invoice/invoice.decider';
import type { InvoiceIssued } from '../../libs/domain/invoice/invoice.events';
import type { InvoiceNumberReserved } from '../../libs/domain/invoice/invoice-numbering.events';
import type { PaymentAllocated, PaymentReceived } from '../../libs/domain/payment/payment.events';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { line, startApi, type Harness } from '../support/api-harness';

/**
 * A crash between two appends of one command leaves the first fact without its follow-up. On start the
 * process manager finishes every such step from the log, before the API serves, with the same event ids.
 */
describe('recovery of cross-stream steps interrupted by a crash', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'r1', name: 'R', currency: 'EUR', creditLimit: '10000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'first', customerId: 'r1', issueDate: '2026-01-01', lines: [line('100.00', '1', '0')] }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  it('finishes a reserved invoice number and an allocated payment left half-written', async () => {
    await h.app.close();
    // Write, behind the engine's back, what a process killed mid-command would have left.
    const store = new SqliteEventStore({ path: join(h.dataDir, 'events.sqlite') });
    const repo = new EventSourcedRepository(store);
    const ctx = (id: string) => ({ actor: 'clerk', recordedAt: '2026-01-02T10:00:00.000Z', commandId: id, correlationId: id, causationId: id });
    const invoice: InvoiceIssued['data'] = {
      invoiceId: 'orphan', customerId: 'r1', number: 'INV-000002', currency: 'EUR', issueDate: '2026-01-02', dueDate: '2026-02-01',
      paymentTermsDays: 30, net: 5000, tax: 0, total: 5000,
      lines: [{ description: 'x', quantity: '1', unitPrice: 5000, taxRate: '0', net: 5000, tax: 0, gross: 5000 }],
      creditDecision: { decision: 'approved', creditLimit: 1_000_000, outstanding: 10_000, exposure: 15_000 },
    };
    const series = await repo.load('invoicenumbers-INV', { initialState: () => null, evolve: (s) => s, decide: () => [] });
    const reservation: InvoiceNumberReserved = { type: 'InvoiceNumberReserved', data: { series: 'INV', number: 'INV-000002', invoiceId: 'orphan', customerId: 'r1', invoice } };
    await repo.append(series, [reservation], ctx('issue-orphan'));
    const received: PaymentReceived = { type: 'PaymentReceived', data: { paymentId: 'half', customerId: 'r1', amount: 4000, currency: 'EUR', receivedOn: '2026-01-03', method: 'sepa', reference: null } };
    const allocation: PaymentAllocated = { type: 'PaymentAllocated', data: { paymentId: 'half', customerId: 'r1', invoiceId: 'first', amount: 4000, receivedOn: '2026-01-03', rule: 'oldest_due', unapplied: 0 } };
    await repo.append({ streamId: 'payment-half', last: null }, [received, allocation], ctx('pay-half'));
    expect((await repo.load('invoice-orphan', invoiceDecider)).last).toBeNull();
    await store.close();

    await h.restart();
    const orphan = await h.http().get('/invoices/orphan').expect(200);
    expect(orphan.body).toMatchObject({ number: 'INV-000002', total: '50.00', status: 'issued' });
    const { ProcessManager } = await import('../../libs/application/process-manager');
    expect(h.app.get(ProcessManager).lastError).toBeNull();
    const first = await h.http().get('/invoices/first').expect(200);
    expect(first.body).toMatchObject({ paid: '40.00', outstanding: '60.00', status: 'partially_paid' });
    // The recovered invoice carries the original command's metadata; the next number follows without a gap.
    const history = await h.http().get('/customers/r1/history').expect(200);
    const issued = history.body.events.find((e: { type: string; data: { invoiceId: string } }) => e.type === 'InvoiceIssued' && e.data.invoiceId === 'orphan');
    expect(issued.metadata).toMatchObject({ actor: 'clerk', commandId: 'issue-orphan', recordedAt: '2026-01-02T10:00:00.000Z' });
    const next = await h.http().post('/invoices').send({ customerId: 'r1', issueDate: '2026-01-05', lines: [line('1.00', '1', '0')] }).expect(201);
    expect(next.body.number).toBe('INV-000003');
  });
});
