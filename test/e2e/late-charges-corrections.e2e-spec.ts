import { line, startApi, type Harness } from '../support/api-harness';

/**
 * A receipt recorded after late charges were assessed, but received before: interest is due only up to the
 * actual payment date (Code de commerce L441-10), the excess is cancelled by LateChargesCorrected dated on the
 * assessment, and the invoice, aging, dunning report, statement, journal and the history replay agree as of
 * any date (ADR 0019, 0037).
 */
describe('late charges corrected by a back-dated receipt over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'late', name: 'Late SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    // 8 333.33 + 20 % VAT = 10 000.00, issued 2026-01-01, due 2026-01-31 (net 30).
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'late', issueDate: '2026-01-01', lines: [line('8333.33')] }).expect(201)
      .expect((r) => expect(r.body).toMatchObject({ total: '10000.00', dueDate: '2026-01-31' }));
  });
  afterAll(async () => { await h.close(); });

  it('assessed through 2026-03-31, then the receipt of 2026-02-15 is recorded: 146.47 of interest cancelled, 89.93 stays owed', async () => {
    // L441-10: ECB rate on 2026-01-01 = 2.15 % + 10 points = 12.15 %, actual/365.
    // 02-01…03-31 = 59 d: 10 000.00 × 12.15 % × 59 / 365 = 196.397… → 196.40; + 40.00 (D441-5) = 236.40.
    const a = await h.http().post('/invoices/i1/late-charges').send({ asOf: '2026-03-31' }).expect(200);
    expect(a.body).toMatchObject({ assessed: { interest: '196.40', compensation: '40.00', amount: '236.40' }, outstanding: '10236.40' });

    // Received 2026-02-15: due only for 02-01…02-15 = 15 d: 10 000.00 × 12.15 % × 15 / 365 = 49.931… → 49.93; + 40.00 = 89.93.
    // Cancelled 236.40 − 89.93 = 146.47; owed 10 236.40 − 10 000.00 − 146.47 = 89.93.
    await h.http().post('/payments').send({ id: 'p1', customerId: 'late', amount: '10000.00', receivedOn: '2026-02-15', method: 'sepa', allocations: [{ invoiceId: 'i1', amount: '10000.00' }] }).expect(201);
    expect((await h.http().get('/invoices/i1').expect(200)).body).toMatchObject({ outstanding: '89.93', charges: '89.93' });

    const history = (await h.http().get('/customers/late/history').expect(200)).body;
    const corrected = history.events.find((e: { type: string }) => e.type === 'LateChargesCorrected');
    expect(corrected.data).toMatchObject({ on: '2026-03-31', interest: 14_647, compensation: 0, amount: 14_647, cause: { type: 'PaymentApplied', reference: 'p1', on: '2026-02-15' }, outstanding: 8_993 });
    expect(history.state.totals).toMatchObject({ charges: '89.93', outstanding: '89.93', balance: '89.93' });
  });

  it('as of 2026-02-20 the invoice was paid everywhere; as of 2026-03-31 it owes the 89.93 of charges everywhere', async () => {
    const replay = async (asOf: string) => (await h.http().get(`/customers/late/history?asOf=${asOf}`).expect(200)).body.state.totals.outstanding;
    const aging = async (asOf: string) => (await h.http().get(`/reports/aging/invoices?asOf=${asOf}`).expect(200)).body.invoices
      .filter((i: { invoiceId: string }) => i.invoiceId === 'i1').map((i: { open: string }) => i.open);
    const dunning = async (asOf: string) => {
      const r = (await h.http().get(`/reports/dunning?asOf=${asOf}`).expect(200)).body;
      return [...r.actions, ...r.skipped].filter((x: { invoiceId: string }) => x.invoiceId === 'i1').map((x: { reason: string }) => x.reason);
    };
    expect(await replay('2026-02-20')).toBe('0.00');
    expect(await aging('2026-02-20')).toEqual([]);
    expect(await dunning('2026-02-20')).toEqual(['nothing owed']);
    expect(await replay('2026-03-31')).toBe('89.93');
    expect(await aging('2026-03-31')).toEqual(['89.93']);

    // Statement for March: the charges (D 236.40) and their correction (C 146.47) on 03-31; closing 89.93 = the replay.
    const st = (await h.http().get('/customers/late/statement?from=2026-03-01&to=2026-03-31').expect(200)).body;
    expect(st.movements.map((m: { type: string; debit: string; credit: string }) => [m.type, m.debit, m.credit])).toEqual([
      ['LateChargesAssessed', '236.40', '0.00'], ['LateChargesCorrected', '0.00', '146.47'],
    ]);
    expect(st).toMatchObject({ opening: '0.00', closing: '89.93' });

    // Journal on 03-31: D 411 236.40 / C 763 196.40 interest + C 7588 40.00 compensation (D441-5 on its own
    // account, ADR 0050), then D 763 146.47 / C 411 146.47 (the correction cancels interest only, the 40.00 stays).
    const fec = await h.http().get('/exports/journal?format=fec&from=2026-03-31&to=2026-03-31').expect(200);
    const rows = fec.text.split('\n').filter((l) => l !== '').slice(1).map((l) => l.split('\t')).map((l) => [l[4], l[11], l[12]]);
    expect(rows).toEqual([['411', '236,40', '0,00'], ['763', '0,00', '196,40'], ['7588', '0,00', '40,00'], ['763', '146,47', '0,00'], ['411', '0,00', '146,47']]);
  });
});
