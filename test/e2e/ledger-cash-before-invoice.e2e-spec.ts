import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Issue 10 item 3 (ADR 0032; DOMAIN.md: customer credit is first-class): cash received before the invoice it
 * pays is customer credit until the invoice exists. As of a date in between, balance = outstanding − unapplied
 * still holds and the customer-credit report shows the cash (was: the cash vanished from every as-of report).
 */
describe('cash received before its invoice over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-02-10', lines: [line('500.00')] }).expect(201); // 600.00 due 03-12
    // 500.00 received on 02-01 (a deposit), recorded after the invoice was issued: lettered to i1 automatically.
    await h.http().post('/payments').send({ id: 'p1', customerId: 'acme', amount: '500.00', receivedOn: '2026-02-01', method: 'sepa' }).expect(201)
      .expect((r) => expect(r.body.allocations).toEqual([{ invoiceId: 'i1', amount: '500.00', rule: 'oldest_due' }]));
  });
  afterAll(async () => { await h.close(); });

  const credit = async (asOf: string) => (await h.http().get(`/reports/customer-credit?asOf=${asOf}`).expect(200)).body.customers;
  const totals = async (asOf: string) => (await h.http().get(`/customers/acme/history?asOf=${asOf}`).expect(200)).body.state.totals;

  it('as of a date between receipt and invoice, the cash is customer credit and balance = outstanding − unapplied', async () => {
    // As of 02-05: no invoice yet (outstanding 0.00), 500.00 received and not yet on any invoice → credit 500.00;
    // balance = 0.00 − 500.00 = −500.00 (the customer is in credit).
    expect(await credit('2026-02-05')).toEqual([{ customerId: 'acme', currency: 'EUR', credit: '500.00' }]);
    expect(await totals('2026-02-05')).toMatchObject({ outstanding: '0.00', unapplied: '500.00', balance: '-500.00', received: '500.00', allocated: '0.00' });
    expect((await h.http().get('/reports/aging?asOf=2026-02-05').expect(200)).body).toMatchObject({ total: '0.00' });
  });

  it('from the invoice\'s issue date the cash is on the invoice', async () => {
    // As of 02-10: invoice 600.00 − 500.00 applied = 100.00 open; credit 0.00; balance = 100.00 − 0.00.
    expect(await credit('2026-02-10')).toEqual([]);
    expect(await totals('2026-02-10')).toMatchObject({ outstanding: '100.00', unapplied: '0.00', balance: '100.00', allocated: '500.00' });
    const rows = (await h.http().get('/reports/aging/invoices?asOf=2026-02-10').expect(200)).body.invoices;
    expect(rows).toEqual([expect.objectContaining({ invoiceId: 'i1', open: '100.00' })]);
  });
});
