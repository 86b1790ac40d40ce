import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Late charges on disputed amounts over HTTP (ADR 0038). L441-10: 12.15 % (ECB 2.15 % on 2026-01-01 + 10
 * points), actual/365; D441-5: EUR 40.00 once. Invoices of 10 000.00 (8 333.33 + 20 % VAT) due 2026-01-31.
 */
describe('late charges and disputes over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'disp', name: 'Disputes SA', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    for (const id of ['rej', 'acc']) {
      await h.http().post('/invoices').send({ id, customerId: 'disp', issueDate: '2026-01-01', lines: [line('8333.33')] }).expect(201)
        .expect((r) => expect(r.body).toMatchObject({ total: '10000.00', dueDate: '2026-01-31' }));
      await h.http().post(`/invoices/${id}/disputes`).send({ id: `d-${id}`, amount: '4000.00', reason: 'Goods damaged', on: '2026-02-10' }).expect(201);
    }
  });
  afterAll(async () => { await h.close(); });

  it('while 4 000.00 is disputed, charges run on the 6 000.00 not disputed only', async () => {
    // 02-01…03-31 = 59 d: 6 000.00 × 12.15 % × 59 / 365 = 117.838… → 117.84, + 40.00 = 157.84.
    for (const id of ['rej', 'acc']) {
      const r = await h.http().post(`/invoices/${id}/late-charges`).send({ asOf: '2026-03-31' }).expect(200);
      expect(r.body).toMatchObject({ assessed: { interest: '117.84', compensation: '40.00', amount: '157.84' }, outstanding: '10157.84' });
    }
    // The 4 000.00's share is recorded as deferred: 4 000.00 × 12.15 % × 59 / 365 = 78.559… → 78.56.
    const deferred = (await h.http().get('/customers/disp/history').expect(200)).body.events.filter((e: { type: string }) => e.type === 'LateChargesDeferred');
    expect(deferred.map((e: { data: { invoiceId: string; interest: number } }) => [e.data.invoiceId, e.data.interest])).toEqual([['rej', 7_856], ['acc', 7_856]]);
  });

  it('rejected: the deferred 78.56 is owed from the original due date, booked on the rejection', async () => {
    await h.http().post('/invoices/rej/disputes/d-rej/resolve').send({ outcome: 'rejected', note: 'Delivery note signed', on: '2026-04-10' }).expect(200);
    // 157.84 + 78.56 = 236.40 = 10 000.00 × 12.15 % × 59 / 365 (196.40) + 40.00, as if never disputed.
    expect((await h.http().get('/invoices/rej').expect(200)).body).toMatchObject({ charges: '236.40', outstanding: '10236.40' });
    expect((await h.http().get('/customers/disp/history?asOf=2026-04-09').expect(200)).body.state.invoices.find((i: { invoiceId: string }) => i.invoiceId === 'rej')).toMatchObject({ charges: '157.84' });
    expect((await h.http().get('/customers/disp/history?asOf=2026-04-10').expect(200)).body.state.invoices.find((i: { invoiceId: string }) => i.invoiceId === 'rej')).toMatchObject({ charges: '236.40' });
  });

  it('accepted: the credit note leaves nothing owed on the credited 4 000.00, charges included', async () => {
    const r = await h.http().post('/invoices/acc/disputes/d-acc/resolve').send({ outcome: 'accepted', note: 'Damage confirmed', on: '2026-04-10' }).expect(200);
    expect(r.body.creditNote).toMatchObject({ id: 'cn-d-acc' });
    // 10 157.84 − 4 000.00 = 6 157.84 = 6 000.00 + 117.84 + 40.00: no interest ever on the credited part.
    expect((await h.http().get('/invoices/acc').expect(200)).body).toMatchObject({ charges: '157.84', outstanding: '6157.84' });
    const aging = (await h.http().get('/reports/aging/invoices?asOf=2026-04-10').expect(200)).body.invoices.filter((i: { invoiceId: string }) => i.invoiceId === 'acc');
    expect(aging.map((i: { open: string }) => i.open)).toEqual(['6157.84']);
  });
});
