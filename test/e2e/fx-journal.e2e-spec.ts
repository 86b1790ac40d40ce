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
    writeFileSync(rates, ['date,currency,rate', '2026-03-02,USD,1.25', '2026-03-16,USD,1.2', '2026-03-23,USD,1.5'].join('\n') + '\n');
    h = await startApi(join(dir, 'data'), { AR_FX_RATES: rates });
    await h.http().post('/customers').send({ id: 'us', name: 'Globex Inc', currency: 'USD', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/customers').send({ id: 'uk', name: 'Initech Ltd', currency: 'GBP', creditLimit: '100000.00' }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  const fecRows = async (from: string, to: string) => {
    const r = await h.http().get(`/exports/journal?format=fec&from=${from}&to=${to}`).expect(200);
    return r.text.split('\n').filter((l) => l !== '').slice(1).map((l) => l.split('\t'));
  };
  const fec = async (from: string, to: string) => (await fecRows(from, to)).map((l) => [l[4], l[11], l[12], l[16], l[17]]);

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
    // Realised exchange difference (PCG art. 420-5): the 600.00 USD settled were on 411 at 600.00 / 1.25 = 480.00 EUR
    // and arrive worth 500.00 EUR: a gain of 20.00, D 411 / C 766, in the receipt's entry.
    expect(await fec('2026-03-20', '2026-03-20')).toEqual([
      ['512', '500,00', '0,00', '600,00', 'USD'], ['411', '0,00', '500,00', '-600,00', 'USD'],
      ['411', '20,00', '0,00', '', ''], ['766', '0,00', '20,00', '', ''],
    ]);
  });

  it('books a loss to 666 when the rest arrives at a dearer euro, and the invoice\'s 411 lines then net to zero in euros', async () => {
    // The other 600.00 USD on 2026-03-23 at 1.5 USD per EUR: 600.00 / 1.5 = 400.00 EUR for 480.00 on 411: loss 80.00, D 666 / C 411.
    await h.http().post('/payments').send({ id: 'p2', customerId: 'us', currency: 'USD', amount: '600.00', receivedOn: '2026-03-23', method: 'wire', allocations: [{ invoiceId: 'u1', amount: '600.00' }] }).expect(201);
    expect(await fec('2026-03-23', '2026-03-23')).toEqual([
      ['512', '400,00', '0,00', '600,00', 'USD'], ['411', '0,00', '400,00', '-600,00', 'USD'],
      ['666', '80,00', '0,00', '', ''], ['411', '0,00', '80,00', '', ''],
    ]);
    // 411 in euros: 960.00 − 500.00 + 20.00 − 400.00 − 80.00 = 0; every 411 line lettered with one code, DateLet 2026-03-23.
    const all = (await fecRows('2026-03-01', '2026-03-31')).filter((l) => l[4] === '411');
    const cents = (s: string) => Number(s.replace(',', ''));
    expect(all.reduce((a, l) => a + cents(l[11]) - cents(l[12]), 0)).toBe(0);
    expect(new Set(all.map((l) => `${l[13]}|${l[14]}`))).toEqual(new Set([`${all[0][13]}|20260323`]));
    expect(all[0][13]).not.toBe('');
    // Debits equal credits over the period.
    const rows = await fecRows('2026-03-01', '2026-03-31');
    expect(rows.reduce((a, l) => a + cents(l[11]), 0)).toBe(rows.reduce((a, l) => a + cents(l[12]), 0));
  });

  it('answers 422 FX_RATE_UNKNOWN with the currency and date when a foreign entry has no rate, instead of a truncated file', async () => {
    await h.http().post('/invoices').send({ id: 'k1', customerId: 'uk', issueDate: '2026-03-24', lines: [line('100.00')] }).expect(201);
    const r = await h.http().get('/exports/journal?format=fec&from=2026-03-01&to=2026-03-31').expect(422);
    expect(r.body).toMatchObject({ code: 'FX_RATE_UNKNOWN', details: { currency: 'GBP', date: '2026-03-24' } });
  });
});
