import { line, startApi, type Harness } from '../support/api-harness';

/** Credit notes (own gap-free series) and disputes over HTTP. */
describe('collections over HTTP — credit notes and disputes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-01-10', lines: [line('1000.00')] }).expect(201); // 1200.00
    await h.http().post('/invoices').send({ id: 'i2', customerId: 'acme', issueDate: '2026-01-20', lines: [line('500.00')] }).expect(201); // 600.00
  });
  afterAll(async () => { await h.close(); });

  const invoice = async (id: string) => (await h.http().get(`/invoices/${id}`).expect(200)).body;

  it('issues credit notes against an invoice and standalone, numbered CN-000001, CN-000002 with no gap after a refusal', async () => {
    const cn1 = await h.http().post('/credit-notes').set('Idempotency-Key', 'cn-1')
      .send({ id: 'cn1', customerId: 'acme', invoiceId: 'i1', issueDate: '2026-02-01', reason: 'Goods returned', amount: '240.00' }).expect(201);
    expect(cn1.body).toMatchObject({ number: 'CN-000001', net: '200.00', tax: '40.00', total: '240.00', appliedToInvoice: '240.00', unapplied: '0.00' });
    const again = await h.http().post('/credit-notes').set('Idempotency-Key', 'cn-1')
      .send({ id: 'cn1', customerId: 'acme', invoiceId: 'i1', issueDate: '2026-02-01', reason: 'Goods returned', amount: '240.00' }).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await invoice('i1')).toMatchObject({ status: 'partially_paid', outstanding: '960.00', creditNoted: '240.00' });

    const head = await h.head();
    const refused = await h.http().post('/credit-notes').send({ customerId: 'acme', invoiceId: 'i1', issueDate: '2026-02-01', reason: 'x', amount: '960.01' }).expect(422);
    // i1: 1 000.00 + 200.00 at 20 %, less the 240.00 credited: 960.00 still open to credit (ADR 0034).
    expect(refused.body).toMatchObject({ code: 'CREDIT_NOTE_EXCEEDS_INVOICED', details: { field: 'amount', creditable: '960.00', excess: '0.01' } });
    await h.http().post('/credit-notes').send({ customerId: 'acme', invoiceId: 'i1', issueDate: '2026-02-01', reason: 'x', amount: '10.00', lines: [line('1.00')] }).expect(400);
    await h.http().post('/credit-notes').send({ customerId: 'acme', issueDate: '2026-02-01', reason: 'x', amount: '10.00' }).expect(400)
      .expect((r) => expect(r.body.code).toBe('TAX_RATE_REQUIRED'));
    expect(await h.head()).toBe(head);

    const cn2 = await h.http().post('/credit-notes').send({ id: 'cn2', customerId: 'acme', issueDate: '2026-02-02', reason: 'Goodwill', amount: '120.00', taxRate: '0.20' }).expect(201);
    expect(cn2.body).toMatchObject({ number: 'CN-000002', invoiceId: null, net: '100.00', tax: '20.00', unapplied: '120.00' });
    expect((await h.http().get('/customers/acme/balance').expect(200)).body).toMatchObject({ unapplied: '120.00', outstanding: '1560.00' });
    expect((await h.http().get('/reports/aging?asOf=2026-02-03').expect(200)).body).toMatchObject({ total: '1560.00', customerCredit: { total: '120.00' } });

    // The standalone note is customer credit: applied to i2.
    const applied = await h.http().post('/customers/acme/apply-credit').send({ invoiceId: 'i2', on: '2026-02-03' }).expect(200);
    expect(applied.body).toMatchObject({ amount: '120.00', parts: [{ paymentId: 'cn2', invoiceId: 'i2', amount: '120.00' }], remainingCredit: '0.00' });
    expect(await invoice('i2')).toMatchObject({ outstanding: '480.00', creditNoted: '120.00' });
  });

  it('pauses on a dispute; accepted issues a credit note for the agreed amount automatically, rejected credits nothing', async () => {
    const d = await h.http().post('/invoices/i1/disputes').send({ id: 'd1', amount: '200.00', reason: 'Two items damaged', on: '2026-02-05' }).expect(201);
    expect(d.body).toMatchObject({ disputeId: 'd1', amount: '200.00', outcome: 'open' });
    expect(await invoice('i1')).toMatchObject({ status: 'disputed', openDispute: { disputeId: 'd1', amount: '200.00' } });
    const head = await h.head();
    await h.http().post('/invoices/i1/disputes').send({ id: 'd2', amount: '10.00', reason: 'more' }).expect(409)
      .expect((r) => expect(r.body.code).toBe('DISPUTE_ALREADY_OPEN'));
    await h.http().post('/invoices/i1/disputes/d1/resolve').send({ outcome: 'accepted', agreedAmount: '200.01' }).expect(422)
      .expect((r) => expect(r.body.code).toBe('AGREED_EXCEEDS_DISPUTED'));
    await h.http().post('/invoices/i1/disputes/nope/resolve').send({ outcome: 'rejected' }).expect(404);
    await h.http().post('/invoices/i1/disputes/d1/resolve').send({ outcome: 'maybe' }).expect(400);
    expect(await h.head()).toBe(head);

    const resolved = await h.http().post('/invoices/i1/disputes/d1/resolve').send({ outcome: 'accepted', agreedAmount: '150.00', note: 'agreed', on: '2026-02-10' }).expect(200);
    expect(resolved.body).toMatchObject({ outcome: 'accepted', agreedAmount: '150.00', creditNote: { id: 'cn-d1', number: 'CN-000003', total: '150.00', appliedToInvoice: '150.00', disputeId: 'd1' } });
    const i1 = await invoice('i1');
    expect(i1).toMatchObject({ status: 'partially_paid', outstanding: '810.00', creditNoted: '390.00', openDispute: null });
    expect(i1.disputes).toEqual([expect.objectContaining({ disputeId: 'd1', outcome: 'accepted', agreedAmount: '150.00', creditNoteId: 'cn-d1' })]);

    await h.http().post('/invoices/i2/disputes').send({ id: 'd3', amount: '100.00', reason: 'price', on: '2026-02-06' }).expect(201);
    const rejected = await h.http().post('/invoices/i2/disputes/d3/resolve').send({ outcome: 'rejected', on: '2026-02-12' }).expect(200);
    expect(rejected.body).toMatchObject({ outcome: 'rejected', creditNote: null });
    expect(await invoice('i2')).toMatchObject({ status: 'partially_paid', outstanding: '480.00', openDispute: null });

    // invoiced 1800 − credit notes on invoices (240 + 150 + 120) = 1290
    expect((await h.http().get('/customers/acme/balance').expect(200)).body).toMatchObject({ invoiced: '1800.00', outstanding: '1290.00', unapplied: '0.00' });
    const types = (await h.http().get('/customers/acme/history').expect(200)).body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['CreditNoteIssued', 'CreditNoteApplied', 'CreditNoteAllocated', 'DisputeOpened', 'DisputeResolved']));
    expect(types).not.toContain('CreditNoteNumberReserved');
  });

  it('rebuilds every projection identical to the live one, with no process-manager error', async () => {
    for (const name of ['open-balances', 'invoices', 'open-items', 'audit-trail', 'customer-credit']) {
      expect({ name, identical: (await h.projector().verify(name)).identical }).toEqual({ name, identical: true });
    }
    expect((await h.http().get('/projections').expect(200)).body.processManager).toMatchObject({ state: 'live', lastError: null, retrying: null, parked: [] });
  });
});
