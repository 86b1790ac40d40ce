import { line, startApi, type Harness } from '../support/api-harness';

/** Late-payment charges over HTTP: the hand-computed case of late-charges.spec.ts, then assessed once onto the invoice. */
describe('collections over HTTP — late-payment charges', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    // 8 333.33 + 20 % = 10 000.00, due 2024-05-31 (net 30)
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2024-05-01', lines: [line('8333.33')] }).expect(201)
      .expect((r) => expect(r.body).toMatchObject({ total: '10000.00', dueDate: '2024-05-31' }));
    await h.http().post('/payments').send({ id: 'p1', customerId: 'acme', amount: '4000.00', receivedOn: '2024-06-20', method: 'sepa' }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  it('shows the computation line by line across the half-year boundary, the partial payment lowering the principal from the next day', async () => {
    const r = await h.http().get('/invoices/i1/late-charges?asOf=2024-07-15').expect(200);
    expect(r.body).toMatchObject({
      country: 'FR', dueDate: '2024-05-31', from: '2024-06-01', through: '2024-07-15', dayBasis: 365,
      lines: [
        { from: '2024-06-01', to: '2024-06-20', days: 20, principal: '10000.00', referenceRate: '4.50', margin: '10.00', annualRate: '14.50', interest: '79.45' },
        { from: '2024-06-21', to: '2024-06-30', days: 10, principal: '6000.00', referenceRate: '4.50', margin: '10.00', annualRate: '14.50', interest: '23.84' },
        { from: '2024-07-01', to: '2024-07-15', days: 15, principal: '6000.00', referenceRate: '4.25', margin: '10.00', annualRate: '14.25', interest: '35.14' },
      ],
      interest: '138.42', compensation: '40.00', total: '178.42', assessedThrough: null, toAssess: { total: '178.42' },
    });
    expect(r.body.rateSource).toMatch(/European Central Bank/);
    await h.http().get('/invoices/i1/late-charges?asOf=2024-02-30').expect(400);
    await h.http().get('/invoices/nope/late-charges?asOf=2024-07-15').expect(404);
  });

  it('assesses the charges onto the invoice once for a period; a second request for the same date appends nothing', async () => {
    const a = await h.http().post('/invoices/i1/late-charges').send({ asOf: '2024-07-15' }).expect(200);
    expect(a.body).toMatchObject({ assessed: { from: '2024-06-01', through: '2024-07-15', interest: '138.42', compensation: '40.00', amount: '178.42' }, outstanding: '6178.42' });
    const head = await h.head();
    const again = await h.http().post('/invoices/i1/late-charges').send({ asOf: '2024-07-15' }).expect(200);
    expect(again.body).toMatchObject({ assessed: null, outstanding: '6178.42' });
    expect(await h.head()).toBe(head);

    expect((await h.http().get('/invoices/i1').expect(200)).body).toMatchObject({ charges: '178.42', chargedThrough: '2024-07-15', outstanding: '6178.42', status: 'partially_paid' });
    expect((await h.http().get('/customers/acme/balance').expect(200)).body).toMatchObject({ invoiced: '10000.00', paid: '4000.00', outstanding: '6178.42' });
    expect((await h.http().get('/reports/aging?asOf=2024-07-15').expect(200)).body).toMatchObject({ total: '6178.42', buckets: { '31-60': '6178.42' } });
    // The next computation only covers days not yet charged, without a second compensation.
    const next = await h.http().get('/invoices/i1/late-charges?asOf=2024-07-25').expect(200);
    expect(next.body).toMatchObject({ assessedThrough: '2024-07-15', toAssess: { from: '2024-07-16', through: '2024-07-25', interest: '23.42', compensation: '0.00', total: '23.42' } });
  });

  it('rebuilds projections identical to the live ones', async () => {
    for (const name of ['open-balances', 'invoices', 'open-items']) {
      expect({ name, identical: (await h.projector().verify(name)).identical }).toEqual({ name, identical: true });
    }
  });
});
