import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { line, startApi, type Harness } from '../support/api-harness';

/**
 * The FEC in the accounting currency (LPF art. A47 A-1: amounts in the accounting currency, the foreign amount
 * and its currency in Montantdevise/Idevise; ADR 0052), over HTTP. The rates are stated here, not market rates:
 * units of currency per 1 EUR (the ECB reference convention).
 */
describe('journal export in the accounting currency', () => {
  let h: Harness;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ar-fx-'));
    const rates = join(dir, 'rates.csv');
    writeFileSync(rates, ['date,currency,rate', '2026-03-02,USD,1.25', '2026-03-16,USD,1.2'].join('\n') + '\n');
    h = await startApi(join(dir, 'data'), { AR_FX_RATES: rates });
    await h.http().post('/customers').send({ id: 'us', name: 'Globex Inc', currency: 'USD', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/customers').send({ id: 'uk', name: 'Initech Ltd', currency: 'GBP', creditLimit: '100000.00' }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  const fec = async (from: string, to: string) => {
    const r = await h.http().get(`/exports/journal?format=fec&from=${from}&to=${to}`).expect(200);
    return r.text.split('\n').filter((l) => l !== '').slice(1).map((l) => l.split('\t')).map((l) => [l[4], l[11], l[12], l[16], l[17]]);
  };

  it('converts a USD invoice at its date\'s rate and a receipt at the latest rate before its date', async () => {
    // 1 000.00 USD + 20 % VAT = 1 200.00 USD on 2026-03-02, 1.25 USD per EUR: 1 200.00 / 1.25 = 960.00,
    // 1 000.00 / 1.25 = 800.00, 200.00 / 1.25 = 160.00 EUR.
    await h.http().post('/invoices').send({ id: 'u1', customerId: 'us', issueDate: '2026-03-02', lines: [line('1000.00')] }).expect(201);
    expect(await fec('2026-03-02', '2026-03-02')).toEqual([
      ['411', '960,00', '0,00', '1200,00', 'USD'],
      ['706', '0,00', '800,00', '-1000,00', 'USD'],
      ['44571', '0,00', '160,00', '-200,00', 'USD'],
    ]);
    // 600.00 USD received on 2026-03-20: no rate that day, the 2026-03-16 one (1.2): 600.00 / 1.2 = 500.00 EUR.
    await h.http().post('/payments').send({ id: 'p1', customerId: 'us', currency: 'USD', amount: '600.00', receivedOn: '2026-03-20', method: 'wire', allocations: [{ invoiceId: 'u1', amount: '600.00' }] }).expect(201);
    expect(await fec('2026-03-20', '2026-03-20')).toEqual([['512', '500,00', '0,00', '600,00', 'USD'], ['411', '0,00', '500,00', '-600,00', 'USD']]);
  });

  it('answers 422 FX_RATE_UNKNOWN with the currency and date when a foreign entry has no rate, instead of a truncated file', async () => {
    await h.http().post('/invoices').send({ id: 'k1', customerId: 'uk', issueDate: '2026-03-21', lines: [line('100.00')] }).expect(201);
    const r = await h.http().get('/exports/journal?format=fec&from=2026-03-01&to=2026-03-31').expect(422);
    expect(r.body).toMatchObject({ code: 'FX_RATE_UNKNOWN', details: { currency: 'GBP', date: '2026-03-21' } });
  });
});
