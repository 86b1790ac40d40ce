import { line, startApi, type Harness } from '../support/api-harness';

/** Collections over HTTP, slices 1–2: currency refusal, customer credit, re-allocation, reversal, refunds, write-off and recovery. */
describe('collections over HTTP — payments, credit, reversal, write-off', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-01-10', lines: [line('1000.00')] }).expect(201); // 1200.00 due 02-09
    await h.http().post('/invoices').send({ id: 'i2', customerId: 'acme', issueDate: '2026-01-20', lines: [line('500.00')] }).expect(201); // 600.00 due 02-19
  });
  afterAll(async () => { await h.close(); });

  const invoice = async (id: string, asOf?: string) => (await h.http().get(`/invoices/${id}${asOf ? `?asOf=${asOf}` : ''}`).expect(200)).body;
  const refusedWithoutWriting = async (send: () => Promise<{ status: number; body: { code: string; details: Record<string, unknown> } }>, status: number, code: string, details: Record<string, unknown> = {}) => {
    const head = await h.head();
    const r = await send();
    expect({ status: r.status, code: r.body.code }).toEqual({ status, code });
    expect(r.body.details).toMatchObject(details);
    expect(await h.head()).toBe(head);
  };

  it('refuses a payment in another currency than the invoices (no silent FX)', async () => {
    await refusedWithoutWriting(() => h.http().post('/payments').send({ id: 'pusd', customerId: 'acme', currency: 'USD', amount: '100.00', receivedOn: '2026-02-01', method: 'wire' }),
      422, 'CURRENCY_MISMATCH', { field: 'currency', paymentCurrency: 'USD', customerCurrency: 'EUR' });
  });

  it('applies customer credit, re-allocates between invoices, and reverses a bounced payment reopening both invoices', async () => {
    const p1 = await h.http().post('/payments')
      .send({ id: 'p1', customerId: 'acme', currency: 'EUR', amount: '1500.00', receivedOn: '2026-02-01', method: 'sepa', allocations: [{ invoiceId: 'i1', amount: '1200.00' }] }).expect(201);
    expect(p1.body.unapplied).toBe('300.00');

    const applied = await h.http().post('/customers/acme/apply-credit').send({ invoiceId: 'i2', on: '2026-02-05' }).expect(200);
    expect(applied.body).toMatchObject({ amount: '300.00', parts: [{ paymentId: 'p1', invoiceId: 'i2', amount: '300.00' }], remainingCredit: '0.00' });
    expect(await invoice('i2')).toMatchObject({ status: 'partially_paid', outstanding: '300.00' });
    await refusedWithoutWriting(() => h.http().post('/customers/acme/apply-credit').send({ invoiceId: 'i2' }), 422, 'CREDIT_INSUFFICIENT', { credit: '0.00' });

    const moved = await h.http().post('/payments/p1/reallocate').send({ fromInvoiceId: 'i1', toInvoiceId: 'i2', amount: '300.00', on: '2026-02-06' }).expect(200);
    expect(moved.body).toMatchObject({ allocations: [{ invoiceId: 'i1', amount: '900.00' }, { invoiceId: 'i2', amount: '600.00' }], unapplied: '0.00' });
    expect(await invoice('i1')).toMatchObject({ status: 'partially_paid', outstanding: '300.00' });
    expect(await invoice('i2')).toMatchObject({ status: 'paid', outstanding: '0.00', settledOn: '2026-02-06' });
    await refusedWithoutWriting(() => h.http().post('/payments/p1/reallocate').send({ fromInvoiceId: 'i1', toInvoiceId: 'i2', amount: '900.01' }),
      422, 'REALLOCATION_EXCEEDS_ALLOCATION', { allocated: '900.00' });

    const reversed = await h.http().post('/payments/p1/reverse').set('Idempotency-Key', 'rev-1').send({ reason: 'bounced', on: '2026-02-15' }).expect(200);
    expect(reversed.body).toMatchObject({ status: 'reversed', allocations: [], unapplied: '0.00' });
    const again = await h.http().post('/payments/p1/reverse').set('Idempotency-Key', 'rev-1').send({ reason: 'bounced', on: '2026-02-15' }).expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    await refusedWithoutWriting(() => h.http().post('/payments/p1/reverse').send({ reason: 'again' }), 409, 'PAYMENT_ALREADY_REVERSED');
    await refusedWithoutWriting(() => h.http().post('/payments/nope/reverse').send({ reason: 'x' }), 404, 'PAYMENT_NOT_FOUND');
    await refusedWithoutWriting(() => h.http().post('/payments/p1/reverse').send({}), 400, 'VALIDATION_FAILED');

    expect(await invoice('i1')).toMatchObject({ status: 'issued', paid: '0.00', outstanding: '1200.00', settledOn: null });
    expect(await invoice('i2')).toMatchObject({ status: 'issued', outstanding: '600.00', settledOn: null });
    const balance = (await h.http().get('/customers/acme/balance').expect(200)).body;
    expect(balance).toMatchObject({ invoiced: '1800.00', paid: '0.00', outstanding: '1800.00', unapplied: '0.00', openInvoiceCount: 2 });
    // Aging reflects history: as of 02-07 only the 300.00 moved off i1 was open; as of 02-20 everything is open (and late) again.
    expect((await h.http().get('/reports/aging?asOf=2026-02-07').expect(200)).body.buckets).toMatchObject({ current: '300.00', '1-30': '0.00' });
    expect((await h.http().get('/reports/aging?asOf=2026-02-20').expect(200)).body.buckets).toMatchObject({ '1-30': '1800.00' });
    const types = (await h.http().get('/customers/acme/history').expect(200)).body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['PaymentDeallocated', 'PaymentReversed', 'PaymentUnapplied']));
  });

  it('refunds customer credit once per key and refuses more than the credit', async () => {
    await h.http().post('/payments').send({ id: 'p2', customerId: 'acme', amount: '800.00', receivedOn: '2026-02-20', method: 'sepa' }).expect(201)
      .expect((r) => expect(r.body.allocations).toEqual([{ invoiceId: 'i1', amount: '800.00', rule: 'oldest_due' }]));
    await h.http().post('/payments').send({ id: 'p3', customerId: 'acme', amount: '100.00', receivedOn: '2026-02-21', method: 'sepa', allocations: [{ invoiceId: 'i2', amount: '50.00' }] }).expect(201);
    const refund = await h.http().post('/customers/acme/refunds').set('Idempotency-Key', 'ref-1').send({ amount: '30.00', method: 'transfer', on: '2026-02-25' }).expect(201);
    expect(refund.body).toMatchObject({ amount: '30.00', parts: [{ paymentId: 'p3', amount: '30.00' }], remainingCredit: '20.00' });
    const retried = await h.http().post('/customers/acme/refunds').set('Idempotency-Key', 'ref-1').send({ amount: '30.00', method: 'transfer', on: '2026-02-25' }).expect(201);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.body).toMatchObject({ id: refund.body.id, amount: '30.00' });
    await refusedWithoutWriting(() => h.http().post('/customers/acme/refunds').send({ amount: '20.01', method: 'transfer' }), 422, 'REFUND_EXCEEDS_CREDIT', { credit: '20.00' });
    await refusedWithoutWriting(() => h.http().post('/customers/acme/refunds').send({ amount: '1.001', method: 'transfer' }), 400, 'AMOUNT_TOO_MANY_DECIMALS');
    expect((await h.http().get('/customers/acme/balance').expect(200)).body).toMatchObject({ unapplied: '20.00', outstanding: '950.00' });
  });

  it('writes off the rest of an invoice with its approver; a later payment is a recovery, not an over-payment', async () => {
    // The approver is the principal: a credit manager's key named cfo.marie.
    const marie = (await h.createKey('credit_manager', 'cfo.marie')).key;
    await refusedWithoutWriting(() => h.as(marie).post('/invoices/i1/write-off').send({ amount: '400.01', reason: 'insolvent' }),
      422, 'WRITE_OFF_EXCEEDS_OUTSTANDING', { outstanding: '400.00' });
    await refusedWithoutWriting(() => h.as(marie).post('/invoices/i1/write-off').send({ approvedBy: 'cfo.marie' }), 400, 'VALIDATION_FAILED');
    // Naming another approver than oneself is refused: the approver is whoever acts.
    await refusedWithoutWriting(() => h.as(marie).post('/invoices/i1/write-off').send({ reason: 'insolvent', approvedBy: 'cfo' }), 422, 'APPROVER_NOT_PRINCIPAL', { principal: 'cfo.marie' });
    const w = await h.as(marie).post('/invoices/i1/write-off').send({ reason: 'Customer in liquidation', approvedBy: 'cfo.marie', on: '2026-06-30' }).expect(200);
    expect(w.body).toMatchObject({ status: 'written_off', writtenOff: '400.00', outstanding: '0.00', request: null });
    await refusedWithoutWriting(() => h.as(marie).post('/invoices/i1/write-off').send({ reason: 'again' }), 422, 'INVOICE_NOT_OPEN');
    expect(await invoice('i1')).toMatchObject({ status: 'written_off', writtenOff: '400.00', outstanding: '0.00' });

    const recovery = await h.http().post('/payments').send({ id: 'p4', customerId: 'acme', amount: '100.00', receivedOn: '2026-07-10', method: 'sepa', reference: 'INV-000001' }).expect(201);
    expect(recovery.body).toMatchObject({ allocations: [{ invoiceId: 'i1', amount: '100.00', rule: 'reference' }], unapplied: '0.00' });
    const i1 = await invoice('i1');
    expect(i1).toMatchObject({ status: 'written_off', writtenOff: '300.00', recovered: '100.00', outstanding: '0.00' });
    expect(i1.adjustments.map((a: { type: string }) => a.type)).toEqual(['payment_unapplied', 'payment_unapplied', 'write_off', 'bad_debt_recovered']);
    // invoiced 1800 − allocated 950 − write-offs net of recoveries 300 = 550, all on i2.
    expect((await h.http().get('/customers/acme/balance').expect(200)).body).toMatchObject({ invoiced: '1800.00', paid: '950.00', outstanding: '550.00', unapplied: '20.00' });
  });

  it('shows customer credit beside the aging buckets, not netted, and the overdue status as of a date', async () => {
    const aging = (await h.http().get('/reports/aging?asOf=2026-07-15').expect(200)).body;
    expect(aging).toMatchObject({ total: '550.00', buckets: { '90+': '550.00' }, customerCredit: { total: '20.00', customers: [{ customerId: 'acme', credit: '20.00' }] } });
    expect((await invoice('i2', '2026-03-01')).status).toBe('overdue');
    expect((await invoice('i2', '2026-02-19')).status).toBe('partially_paid');
    expect((await invoice('i2')).status).toBe('partially_paid');
  });

  it('rebuilds every projection identical to the live one, with no process-manager error', async () => {
    for (const name of ['open-balances', 'invoices', 'open-items', 'audit-trail', 'customer-credit']) {
      expect({ name, identical: (await h.projector().verify(name)).identical }).toEqual({ name, identical: true });
    }
    expect((await h.http().get('/projections').expect(200)).body.processManager).toMatchObject({ state: 'live', lastError: null, retrying: null, parked: [] });
  });
});
