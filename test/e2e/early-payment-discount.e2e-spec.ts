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

  it('a bounced payment takes its discount back: the invoice owes its full 1 200.00, 665 reversed, replay and aging agree (ADR 0036)', async () => {
    // Code civil art. 1342 ff.: a payment that bounces did not pay; the discount was granted for paying the gross
    // less 2 % within the window (terms "2/10 net 30"), so without the payment it is owed again.
    // 1 176.00 received 2026-03-11 + 24.00 discount = 1 200.00 settled; bounced on 2026-03-20:
    // owed again = 1 176.00 (the payment) + 24.00 (the discount) = 1 200.00, the invoice's gross.
    await h.http().post('/customers').send({ id: 'bouncer', name: 'Bouncer SARL', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().put('/customers/bouncer/payment-terms').set('X-Actor', 'credit.manager').send({ terms: '2/10 net 30', reason: 'Early-payment agreement' }).expect(200);
    await h.http().post('/invoices').send({ id: 'bounced', customerId: 'bouncer', issueDate: '2026-03-01', lines: [line('1000.00')] }).expect(201);
    await h.http().post('/payments').send({ id: 'p-bounce', customerId: 'bouncer', amount: '1176.00', receivedOn: '2026-03-11', method: 'cheque', allocations: [{ invoiceId: 'bounced', amount: '1176.00' }] }).expect(201);
    expect((await h.http().get('/invoices/bounced').expect(200)).body).toMatchObject({ status: 'paid', outstanding: '0.00' });

    await h.http().post('/payments/p-bounce/reverse').send({ reason: 'Cheque returned unpaid', on: '2026-03-20' }).expect(200);
    const inv = (await h.http().get('/invoices/bounced').expect(200)).body;
    expect(inv).toMatchObject({ outstanding: '1200.00', discounted: '0.00' });
    const events = (await h.http().get('/customers/bouncer/history').expect(200)).body;
    expect(events.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['PaymentUnapplied', 'DiscountReversed']));
    expect(events.events.find((e: { type: string }) => e.type === 'DiscountReversed').data).toMatchObject({ amount: 2400, on: '2026-03-20', reason: 'reversal', outstanding: 120000 });
    expect(events.state.totals).toMatchObject({ discounts: '0.00', outstanding: '1200.00', balance: '1200.00' });

    // As of 2026-03-15 (between receipt and bounce) the invoice was settled; as of 2026-03-20 it owes 1 200.00 again.
    const before = (await h.http().get('/customers/bouncer/history?asOf=2026-03-15').expect(200)).body.state.totals;
    expect(before).toMatchObject({ discounts: '24.00', outstanding: '0.00' });
    const aging = async (asOf: string) => (await h.http().get(`/reports/aging/invoices?asOf=${asOf}`).expect(200)).body.invoices
      .filter((i: { invoiceId: string }) => i.invoiceId === 'bounced').map((i: { open: string }) => i.open);
    expect(await aging('2026-03-15')).toEqual([]);
    expect(await aging('2026-03-20')).toEqual(['1200.00']);

    // Journal, 2026-03-20: the bank line mirrored (D 411 1 176.00 / C 512) and the discount's entry mirrored with its
    // VAT split (ADR 0035, 0036): the 24.00 gross discount was D 665 20.00 + D 44571 4.00 (24.00 / 1.20 = 20.00 base,
    // 20 % VAT = 4.00) / C 411 24.00, so its reversal is D 411 24.00 / C 665 20.00 + C 44571 4.00 (the VAT is due again).
    const fec = await h.http().get('/exports/journal?format=fec&from=2026-03-20&to=2026-03-20').expect(200);
    const rows = fec.text.split('\n').filter((l) => l !== '').slice(1).map((l) => l.split('\t'))
      .filter((l) => l[6] === 'bouncer' || l[4] !== '411').map((l) => [l[4], l[11], l[12]]);
    expect(rows).toEqual(expect.arrayContaining([['411', '24,00', '0,00'], ['665', '0,00', '20,00'], ['44571', '0,00', '4,00'], ['411', '1176,00', '0,00'], ['512', '0,00', '1176,00']]));
    expect(rows).toHaveLength(5);
  });
});
