import { line, startApi, type Harness } from '../support/api-harness';

/** The early-payment discount over HTTP, from the customer's configured terms "2/10 net 30". */
describe('early-payment discount over HTTP — terms "2/10 net 30"', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'prompt', name: 'Prompt SA', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    const t = await h.http().put('/customers/prompt/payment-terms').send({ terms: '2/10 net 30', reason: 'Early-payment agreement' }).expect(200);
    expect(t.body.terms).toMatchObject({ type: 'early_discount', discountPercent: '2', discountDays: 10, netDays: 30 });
    // 1 000.00 + 20 % VAT = 1 200.00; 2 % of the gross = 24.00; window up to 2026-03-11, due 2026-03-31.
    for (const id of ['early', 'late']) {
      const r = await h.http().post('/invoices').send({ id, customerId: 'prompt', issueDate: '2026-03-01', lines: [line('1000.00')] }).expect(201);
      expect(r.body).toMatchObject({ dueDate: '2026-03-31' });
    }
  });
  afterAll(async () => { await h.close(); });

  const historyOf = async (invoiceId: string) => ((await h.http().get('/customers/prompt/history').expect(200)).body.events as Array<{ type: string; data: { invoiceId?: string; amount?: number; discountBp?: number } }>)
    .filter((e) => e.data.invoiceId === invoiceId);

  it('a payment of gross − 2 % inside the window settles the invoice, with DiscountApplied', async () => {
    await h.http().post('/payments').send({ id: 'p-early', customerId: 'prompt', amount: '1176.00', receivedOn: '2026-03-11', method: 'sepa', allocations: [{ invoiceId: 'early', amount: '1176.00' }] }).expect(201);
    const inv = (await h.http().get('/invoices/early').expect(200)).body;
    expect(inv).toMatchObject({ status: 'paid', outstanding: '0.00' });
    const events = await historyOf('early');
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['PaymentApplied', 'DiscountApplied', 'InvoiceSettled']));
    expect(events.find((e) => e.type === 'DiscountApplied')?.data).toMatchObject({ amount: 2400, discountBp: 200 });
  });

  it('the same payment one day after the window gets no discount: 24.00 stays owed', async () => {
    await h.http().post('/payments').send({ id: 'p-late', customerId: 'prompt', amount: '1176.00', receivedOn: '2026-03-12', method: 'sepa', allocations: [{ invoiceId: 'late', amount: '1176.00' }] }).expect(201);
    const inv = (await h.http().get('/invoices/late').expect(200)).body;
    expect(inv).toMatchObject({ status: 'partially_paid', outstanding: '24.00' });
    expect((await historyOf('late')).map((e) => e.type)).not.toContain('DiscountApplied');
  });
});
