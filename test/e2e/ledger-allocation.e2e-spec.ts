import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Issue 10 item 6 (ADR 0032; DOMAIN.md cash application: "never a disputed amount, never another customer's
 * invoice"): automatic allocation skips disputed amounts; a reference naming no open invoice of this customer
 * leaves the cash unapplied and flagged for review; `allocations: []` means none.
 */
describe('automatic allocation over HTTP — disputes, foreign references, explicit none', () => {
  let h: Harness;
  let betaNumber: string;
  beforeAll(async () => {
    // Customers' invoices interleave in date; back-dated ones take their own chronological series (ADR 0049).
    h = await startApi(undefined, { AR_INVOICE_BACKDATED_SERIES: 'INVB' });
    for (const id of ['acme', 'beta']) await h.http().post('/customers').send({ id, name: id, currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-01-10', lines: [line('1000.00')] }).expect(201); // 1200.00 due 02-09
    await h.http().post('/invoices').send({ id: 'i2', customerId: 'acme', issueDate: '2026-01-20', lines: [line('500.00')] }).expect(201); // 600.00 due 02-19
    betaNumber = (await h.http().post('/invoices').send({ id: 'b1', customerId: 'beta', issueDate: '2026-01-15', lines: [line('100.00')] }).expect(201)).body.number;
  });
  afterAll(async () => { await h.close(); });

  const invoice = async (id: string) => (await h.http().get(`/invoices/${id}`).expect(200)).body;

  it('never pays a disputed amount automatically', async () => {
    await h.http().post('/invoices/i1/disputes').send({ id: 'd1', amount: '1000.00', reason: 'damaged goods', on: '2026-02-01' }).expect(201);
    // i1: 1200.00 owed, 1000.00 disputed → 200.00 payable; then i2 (next due). 500.00 = 200.00 on i1 + 300.00 on i2.
    const r = await h.http().post('/payments').send({ id: 'p1', customerId: 'acme', amount: '500.00', receivedOn: '2026-02-05', method: 'sepa' }).expect(201);
    expect(r.body).toMatchObject({ allocations: [{ invoiceId: 'i1', amount: '200.00', rule: 'oldest_due' }, { invoiceId: 'i2', amount: '300.00', rule: 'oldest_due' }], unapplied: '0.00', review: null });
    expect(await invoice('i1')).toMatchObject({ outstanding: '1000.00' }); // exactly the disputed amount is left
    expect(await invoice('i2')).toMatchObject({ outstanding: '300.00' });
  });

  it('leaves cash whose reference is another customer\'s invoice unapplied and flagged for review (was: paid the oldest invoice)', async () => {
    const r = await h.http().post('/payments').send({ id: 'p2', customerId: 'acme', amount: '120.00', receivedOn: '2026-02-06', method: 'sepa', reference: betaNumber }).expect(201);
    expect(r.body).toMatchObject({ allocations: [], unapplied: '120.00', review: { reference: betaNumber, reason: 'reference_not_open' } });
    expect(await invoice('b1')).toMatchObject({ outstanding: '120.00' }); // beta's invoice untouched
    expect(await invoice('i2')).toMatchObject({ outstanding: '300.00' }); // acme's oldest untouched too
    const review = (await h.http().get('/reports/payments-for-review').expect(200)).body.payments;
    expect(review).toEqual([{ paymentId: 'p2', customerId: 'acme', currency: 'EUR', reference: betaNumber, reason: 'reference_not_open', receivedOn: '2026-02-06', unapplied: '120.00' }]);
    const types = (await h.http().get('/customers/acme/history').expect(200)).body.events.map((e: { type: string }) => e.type);
    expect(types).toContain('PaymentHeldForReview');
  });

  it('treats allocations: [] as "none": all of the payment is customer credit, nothing flagged', async () => {
    const r = await h.http().post('/payments').send({ id: 'p3', customerId: 'acme', amount: '50.00', receivedOn: '2026-02-07', method: 'sepa', allocations: [] }).expect(201);
    expect(r.body).toMatchObject({ allocations: [], unapplied: '50.00', review: null });
    expect(await invoice('i2')).toMatchObject({ outstanding: '300.00' });
  });

  it('takes a payment off the review list once a person places its cash', async () => {
    // Credit 120.00 (p2) + 50.00 (p3) = 170.00; 170.00 put on i2 (300.00 owed) from the oldest source: p2 120.00, p3 50.00.
    const r = await h.http().post('/customers/acme/apply-credit').send({ invoiceId: 'i2', on: '2026-02-10' }).expect(200);
    expect(r.body).toMatchObject({ amount: '170.00', parts: [{ paymentId: 'p2', amount: '120.00' }, { paymentId: 'p3', amount: '50.00' }] });
    expect((await h.http().get('/reports/payments-for-review').expect(200)).body.payments).toEqual([]);
    expect(await invoice('i2')).toMatchObject({ outstanding: '130.00' }); // 300.00 − 170.00
  });

  it('does not apply credit to a disputed amount either', async () => {
    await h.http().post('/payments').send({ id: 'p4', customerId: 'acme', amount: '10.00', receivedOn: '2026-02-11', method: 'sepa', allocations: [] }).expect(201);
    // i1 owes 1000.00, all of it disputed: nothing payable → refused, nothing written.
    const head = await h.head();
    const r = await h.http().post('/customers/acme/apply-credit').send({ invoiceId: 'i1', amount: '10.00', on: '2026-02-12' }).expect(422);
    expect(r.body).toMatchObject({ code: 'ALLOCATION_EXCEEDS_OUTSTANDING', details: { outstanding: '0.00', disputed: '1000.00' } });
    expect(await h.head()).toBe(head);
  });
});
