import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Issue 10, part A: a refused command writes nothing; customer credit is drawn only where it existed on the
 * command's date (ADR 0030, ADR 0031; ADR 0013's invariant: no customer credit is negative as of any date).
 */
describe('apply-credit and refunds over HTTP — all or nothing, dated where the credit existed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-01-10', lines: [line('1000.00')] }).expect(201); // 1000.00 + 20 % = 1200.00
    await h.http().post('/invoices').send({ id: 'i2', customerId: 'acme', issueDate: '2026-01-20', lines: [line('500.00')] }).expect(201); // 500.00 + 20 % = 600.00
    // p1: 1500.00 on 02-01, 1200.00 on i1 → 300.00 credit from 02-01. p2: 500.00 on 02-10, 100.00 on i2 → 400.00 credit from 02-10.
    await h.http().post('/payments').send({ id: 'p1', customerId: 'acme', amount: '1500.00', receivedOn: '2026-02-01', method: 'sepa', allocations: [{ invoiceId: 'i1', amount: '1200.00' }] }).expect(201);
    await h.http().post('/payments').send({ id: 'p2', customerId: 'acme', amount: '500.00', receivedOn: '2026-02-10', method: 'sepa', allocations: [{ invoiceId: 'i2', amount: '100.00' }] }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  /** The log's head and every stream of the customer, to prove a refusal changed nothing. */
  const snapshot = async () => ({
    head: await h.head(),
    history: (await h.http().get('/customers/acme/history').expect(200)).body.events.map((e: { id: string }) => e.id),
  });
  const refusedWithoutWriting = async (send: () => Promise<{ status: number; body: { code: string; details: Record<string, unknown> } }>, status: number, code: string, details: Record<string, unknown> = {}) => {
    const before = await snapshot();
    const r = await send();
    expect({ status: r.status, code: r.body.code }).toEqual({ status, code });
    expect(r.body.details).toMatchObject(details);
    expect(await snapshot()).toEqual(before);
  };

  it('refuses to draw on cash not yet received on the date, writing nothing on any source (was: p1 written, then 400 on p2)', async () => {
    // Credit usable on 02-05: p1's 300.00 only (p2 arrives 02-10). 500.00 asked → refused; before, p1's 300.00 went on i2 first.
    await refusedWithoutWriting(() => h.http().post('/customers/acme/apply-credit').send({ invoiceId: 'i2', amount: '500.00', on: '2026-02-05' }),
      422, 'CREDIT_INSUFFICIENT', { field: 'amount', credit: '300.00', amount: '500.00', on: '2026-02-05' });
    expect((await h.http().get('/invoices/i2').expect(200)).body).toMatchObject({ outstanding: '500.00' }); // 600.00 − 100.00
  });

  it('applies credit from several sources in one all-or-nothing append once both existed', async () => {
    // On 02-12: 300.00 (p1) + 400.00 (p2) = 700.00 usable; i2 owes 500.00 → p1 300.00 + p2 200.00; 700.00 − 500.00 = 200.00 left.
    const r = await h.http().post('/customers/acme/apply-credit').send({ invoiceId: 'i2', amount: '500.00', on: '2026-02-12' }).expect(200);
    expect(r.body).toMatchObject({
      amount: '500.00', remainingCredit: '200.00',
      parts: [{ paymentId: 'p1', invoiceId: 'i2', amount: '300.00' }, { paymentId: 'p2', invoiceId: 'i2', amount: '200.00' }],
    });
    expect((await h.http().get('/invoices/i2').expect(200)).body).toMatchObject({ status: 'paid', outstanding: '0.00' });
    expect(r.body.position).toBe(await h.head());
  });

  it('refuses a refund dated before the credit it pays out existed (was: −1,200.00 of credit)', async () => {
    // As of 01-15 no cash was received: 0.00 refundable.
    await refusedWithoutWriting(() => h.http().post('/customers/acme/refunds').send({ amount: '200.00', method: 'transfer', on: '2026-01-15' }),
      422, 'REFUND_EXCEEDS_CREDIT', { credit: '0.00', on: '2026-01-15' });
    // On 02-08 only p1 existed, and all its 300.00 credit is on i2 now: 0.00 refundable (p2's 200.00 arrived 02-10).
    await refusedWithoutWriting(() => h.http().post('/customers/acme/refunds').send({ amount: '200.00', method: 'transfer', on: '2026-02-08' }),
      422, 'REFUND_EXCEEDS_CREDIT', { credit: '0.00', on: '2026-02-08' });
    const credits = async (asOf: string) => (await h.http().get(`/reports/customer-credit?asOf=${asOf}`).expect(200)).body.customers;
    // Credit as of 02-11: 300.00 + 400.00 = 700.00; as of 02-12: 700.00 − 500.00 = 200.00.
    expect(await credits('2026-02-11')).toEqual([{ customerId: 'acme', currency: 'EUR', credit: '700.00' }]);
    expect(await credits('2026-02-12')).toEqual([{ customerId: 'acme', currency: 'EUR', credit: '200.00' }]);
  });

  it('refunds what existed on the date, and never leaves the credit negative on any date', async () => {
    const r = await h.http().post('/customers/acme/refunds').send({ amount: '200.00', method: 'transfer', on: '2026-02-15' }).expect(201);
    expect(r.body).toMatchObject({ amount: '200.00', parts: [{ paymentId: 'p2', amount: '200.00' }], remainingCredit: '0.00' });
    const credits = async (asOf: string) => (await h.http().get(`/reports/customer-credit?asOf=${asOf}`).expect(200)).body.customers;
    // 200.00 − 200.00 = 0.00 from 02-15: the customer drops out of the report; 02-14 still shows 200.00.
    expect(await credits('2026-02-14')).toEqual([{ customerId: 'acme', currency: 'EUR', credit: '200.00' }]);
    expect(await credits('2026-02-15')).toEqual([]);
  });
});
