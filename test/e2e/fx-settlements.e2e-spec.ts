import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Foreign-currency settlements in the FEC, over HTTP (issue 13): the EUR 40 recovery indemnity on a late USD
 * invoice (Code de commerce D441-5, converted at the due date's rate, ADR 0053), realised exchange differences on
 * credit notes and write-offs as well as receipts (PCG art. 420-5, 666/766; ADR 0054), and DateLet. Rates stated
 * here, not market rates: units of USD per 1 EUR, 1.25 from 2026-03-02, 1.2 from 03-16, 1.5 from 03-23. Late
 * interest: 2026-H1 ECB reference 2.15 % + 10 points (L441-10) = 12.15 %, actual/365.
 */
describe('foreign-currency settlements in the FEC', () => {
  let h: Harness;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ar-fx-settle-'));
    const rates = join(dir, 'rates.csv');
    writeFileSync(rates, ['date,currency,rate', '2026-03-02,USD,1.25', '2026-03-16,USD,1.2', '2026-03-23,USD,1.5'].join('\n') + '\n');
    h = await startApi(join(dir, 'data'), { AR_FX_RATES: rates });
    for (const [id, currency] of [['late', 'USD'], ['cn', 'USD'], ['wo', 'USD'], ['cr', 'USD'], ['gb', 'GBP']]) {
      await h.http().post('/customers').send({ id, name: `Customer ${id}`, currency, country: 'FR', creditLimit: '100000.00' }).expect(201);
    }
  });
  afterAll(async () => { await h.close(); });

  const rows = async (to = '2026-12-31') => {
    const r = await h.http().get(`/exports/journal?format=fec&from=2026-01-01&to=${to}`).expect(200);
    return r.text.split('\n').filter((l) => l !== '').slice(1).map((l) => l.split('\t'));
  };
  const cents = (s: string) => Number(s.replace(',', ''));
  /** Account, debit, credit, Montantdevise, Idevise of the rows of one piece. */
  const piece = (all: string[][], ref: string, label?: RegExp) =>
    all.filter((l) => l[8] === ref && (label === undefined || label.test(l[10]))).map((l) => [l[4], l[11], l[12], l[16], l[17]]);
  const on411 = (all: string[][], customer: string) => all.filter((l) => l[4] === '411' && l[6] === customer);

  it('charges EUR 40 on a late USD invoice at the due date\'s rate, booked 40.00 EUR on 7588', async () => {
    // 1 000.00 + 20 % = 1 200.00 USD on 03-02, due 04-01 (net 30). The due date's rate is the latest before it, 1.5
    // (03-23): EUR 40 × 1.5 = 60.00 USD. Interest 04-02…04-30, 29 d: 120 000 × 1 215 × 29 / 3 650 000 = 1 158.41 → 11.58.
    await h.http().post('/invoices').send({ id: 'l1', customerId: 'late', issueDate: '2026-03-02', lines: [line('1000.00')] }).expect(201)
      .expect((r) => expect(r.body).toMatchObject({ total: '1200.00', dueDate: '2026-04-01' }));
    const view = await h.http().get('/invoices/l1/late-charges?asOf=2026-04-30').expect(200);
    expect(view.body).toMatchObject({ currency: 'USD', interest: '11.58', compensation: '60.00', compensationBasis: { eur: '40.00', rate: '1.5', rateDate: '2026-03-23' }, total: '71.58' });
    const a = await h.http().post('/invoices/l1/late-charges').send({ asOf: '2026-04-30' }).expect(200);
    expect(a.body).toMatchObject({ assessed: { interest: '11.58', compensation: '60.00', compensationBasis: { eur: '40.00', rate: '1.5', rateDate: '2026-03-23' }, amount: '71.58' }, outstanding: '1271.58' });
    // The entry on 04-30 (rate 1.5): 763 1 158 / 1.5 = 7.72 EUR; 7588 40.00 EUR as the law fixes it; 411 = 47.72.
    expect(piece(await rows(), 'l1', /^Pénalités/)).toEqual([
      ['411', '47,72', '0,00', '71,58', 'USD'],
      ['763', '0,00', '7,72', '-11,58', 'USD'],
      ['7588', '0,00', '40,00', '-60,00', 'USD'],
    ]);
  });

  it('the receipt of 1 271.58 USD realises the loss on the whole receivable, leaving its 411 at zero in euros, lettered on the payment day', async () => {
    await h.http().post('/payments').send({ id: 'lp', customerId: 'late', currency: 'USD', amount: '1271.58', receivedOn: '2026-05-04', method: 'wire', allocations: [{ invoiceId: 'l1', amount: '1271.58' }] }).expect(201);
    const all = await rows();
    // 1 271.58 / 1.5 = 847.72 EUR received; on 411 at 1 200.00 / 1.25 = 960.00 + 47.72 = 1 007.72: loss 160.00 (D 666 / C 411).
    expect(piece(all, 'lp')).toEqual([
      ['512', '847,72', '0,00', '1271,58', 'USD'], ['411', '0,00', '847,72', '-1271,58', 'USD'],
      ['666', '160,00', '0,00', '', ''], ['411', '0,00', '160,00', '', ''],
    ]);
    // 411: 960.00 + 47.72 − 847.72 − 160.00 = 0; one code on all four lines, DateLet the receipt's day.
    const lines = on411(all, 'late');
    expect(lines.reduce((s, l) => s + cents(l[11]) - cents(l[12]), 0)).toBe(0);
    expect(new Set(lines.map((l) => `${l[13]}|${l[14]}`)).size).toBe(1);
    expect(lines[0][13]).not.toBe('');
    expect(lines[0][14]).toBe('20260504');
  });

  it('a credit note and a receipt of a USD invoice each realise their difference; the invoice\'s 411 nets to zero in euros', async () => {
    await h.http().post('/invoices').send({ id: 'c1', customerId: 'cn', issueDate: '2026-03-02', lines: [line('1000.00')] }).expect(201);
    await h.http().post('/credit-notes').send({ id: 'n1', customerId: 'cn', invoiceId: 'c1', issueDate: '2026-03-16', reason: 'Goods returned', amount: '240.00' }).expect(201);
    await h.http().post('/payments').send({ id: 'cp', customerId: 'cn', currency: 'USD', amount: '960.00', receivedOn: '2026-03-23', method: 'wire', allocations: [{ invoiceId: 'c1', amount: '960.00' }] }).expect(201);
    const all = await rows('2026-03-31');
    // Invoice 1 200.00 USD / 1.25 = 960.00 EUR. Note 240.00 USD on 03-16 / 1.2 = 200.00 EUR (706 166.67, 44571 33.33),
    // its share of the invoice 960.00 × 240 / 1 200 = 192.00: gain 8.00, D 411 / C 766, in the note's entry.
    const note = all.filter((l) => l[6] === 'cn' || (l[0] === 'VT' && l[3] === '20260316')).filter((l) => l[3] === '20260316').map((l) => [l[4], l[11], l[12], l[16], l[17]]);
    expect(note).toEqual([
      ['706', '166,67', '0,00', '200,00', 'USD'], ['44571', '33,33', '0,00', '40,00', 'USD'], ['411', '0,00', '200,00', '-240,00', 'USD'],
      ['411', '8,00', '0,00', '', ''], ['766', '0,00', '8,00', '', ''],
    ]);
    // Receipt of the 960.00 USD left on 03-23 / 1.5 = 640.00 EUR, for the 960.00 − 192.00 = 768.00 still on 411: loss 128.00.
    expect(piece(all, 'cp')).toEqual([
      ['512', '640,00', '0,00', '960,00', 'USD'], ['411', '0,00', '640,00', '-960,00', 'USD'],
      ['666', '128,00', '0,00', '', ''], ['411', '0,00', '128,00', '', ''],
    ]);
    // 960 − 200 + 8 − 640 − 128 = 0, lettered together on 03-23.
    const lines = on411(all, 'cn');
    expect(lines.reduce((s, l) => s + cents(l[11]) - cents(l[12]), 0)).toBe(0);
    expect(new Set(lines.map((l) => `${l[13]}|${l[14]}`))).toEqual(new Set([`${lines[0][13]}|20260323`]));
  });

  it('a write-off of a USD invoice at a dearer euro books the loss on 666 with the bad debt', async () => {
    await h.http().post('/invoices').send({ id: 'w1', customerId: 'wo', issueDate: '2026-03-02', lines: [line('500.00')] }).expect(201);
    await h.http().post('/invoices/w1/write-off').send({ reason: 'Liquidation', on: '2026-03-23' }).expect(200);
    // 600.00 USD on 411 at 1.25 = 480.00 EUR; written off on 03-23 at 1.5: 654 500 / 1.5 = 333.33, 44571 100 / 1.5 = 66.67
    // (CGI art. 272-1), 411 400.00; the 80.00 the receivable was worth more is a realised loss, D 666 / C 411.
    const all = await rows('2026-03-31');
    expect(piece(all, 'w1', /^Perte/)).toEqual([
      ['654', '333,33', '0,00', '500,00', 'USD'], ['44571', '66,67', '0,00', '100,00', 'USD'], ['411', '0,00', '400,00', '-600,00', 'USD'],
      ['666', '80,00', '0,00', '', ''], ['411', '0,00', '80,00', '', ''],
    ]);
    expect(on411(all, 'wo').reduce((s, l) => s + cents(l[11]) - cents(l[12]), 0)).toBe(0);
  });

  it('customer credit applied later and the rest refunded each realise their difference in the receipt\'s and the refund\'s entries', async () => {
    // 1 000.00 USD received 03-02 with no invoice: customer credit, 100 000 / 1.25 = 800.00 EUR on 411.
    await h.http().post('/payments').send({ id: 'cr-p', customerId: 'cr', currency: 'USD', amount: '1000.00', receivedOn: '2026-03-02', method: 'wire', allocations: [] }).expect(201);
    // Invoice 500.00 + 20 % = 600.00 USD on 03-16 at 1.2: 500.00 EUR. The credit applied on 03-23.
    await h.http().post('/invoices').send({ id: 'cr-i', customerId: 'cr', issueDate: '2026-03-16', lines: [line('500.00')] }).expect(201);
    await h.http().post('/customers/cr/apply-credit').send({ invoiceId: 'cr-i', on: '2026-03-23' }).expect(200);
    // The 400.00 USD left refunded on 03-23 at 1.5: 266.67 EUR.
    await h.http().post('/customers/cr/refunds').send({ amount: '400.00', method: 'transfer', on: '2026-03-23' }).expect(201);
    const all = await rows('2026-03-31');
    // Application: the invoice's 500.00 against its share of the credit, 800.00 × 600 / 1 000 = 480.00: loss 20.00,
    // booked in the receipt's entry (the application books no entry of its own, ADR 0052/0054).
    expect(piece(all, 'cr-p').slice(2)).toEqual([['666', '20,00', '0,00', '', ''], ['411', '0,00', '20,00', '', '']]);
    // Refund: the credit left stood at 800.00 − 480.00 = 320.00 and leaves at 266.67: gain 53.33, D 411 / C 766.
    const refund = all.filter((l) => l[6] === 'cr' || (l[0] === 'BQ' && l[10].startsWith('Remboursement'))).filter((l) => l[10].startsWith('Remboursement')).map((l) => [l[4], l[11], l[12], l[16], l[17]]);
    expect(refund).toEqual([
      ['411', '266,67', '0,00', '400,00', 'USD'], ['512', '0,00', '266,67', '-400,00', 'USD'],
      ['411', '53,33', '0,00', '', ''], ['766', '0,00', '53,33', '', ''],
    ]);
    // 411: −800.00 + 500.00 − 20.00 + 266.67 + 53.33 = 0; lettered on 03-23, the day the credit was applied and the
    // rest refunded (ADR 0055), not the receipt's 03-02.
    const lines = on411(all, 'cr');
    expect(lines.reduce((s, l) => s + cents(l[11]) - cents(l[12]), 0)).toBe(0);
    expect(new Set(lines.map((l) => `${l[13]}|${l[14]}`))).toEqual(new Set([`${lines[0][13]}|20260323`]));
    expect(lines[0][13]).not.toBe('');
  });

  it('refuses the assessment with 422 FX_RATE_UNKNOWN when no GBP rate is known on the due date, and writes nothing; the dunning run skips its formal notice with the reason (last: the GBP invoice has no rate for the FEC either)', async () => {
    // Dated with the last invoice numbered (03-16, chronological numbering, ADR 0049): due 04-15.
    await h.http().post('/invoices').send({ id: 'g1', customerId: 'gb', issueDate: '2026-03-16', lines: [line('100.00')] }).expect(201);
    const head = await h.head();
    const r = await h.http().post('/invoices/g1/late-charges').send({ asOf: '2026-04-30' }).expect(422);
    expect(r.body).toMatchObject({ code: 'FX_RATE_UNKNOWN', details: { currency: 'GBP', date: '2026-04-15' } });
    expect(await h.head()).toBe(head);
    // Dunning runs on due + 7, + 21 and + 35: the reminders (no charges) go out; the formal notice (with charges) is skipped with the reason, sending no letter with figures it cannot compute, and the run goes on.
    const levels: number[] = [];
    let skipped: Array<{ invoiceId: string; reason: string }> = [];
    for (const asOf of ['2026-04-22', '2026-05-06', '2026-05-20']) {
      const run = await h.http().post('/dunning/runs').send({ asOf }).expect(201);
      levels.push(...run.body.sent.filter((x: { invoiceId: string }) => x.invoiceId === 'g1').map((x: { level: number }) => x.level));
      skipped = run.body.skipped;
    }
    expect(levels).toEqual([1, 2]);
    expect(skipped).toEqual(expect.arrayContaining([expect.objectContaining({ invoiceId: 'g1', reason: expect.stringMatching(/^FX_RATE_UNKNOWN: No GBP exchange rate/) })]));
    expect((await h.http().get('/invoices/g1').expect(200)).body).toMatchObject({ charges: '0.00', outstanding: '120.00' });
  });

  it('rebuilds the journal and the lettering links identical to the live ones', async () => {
    for (const name of ['journal', 'lettering-links']) {
      expect({ name, identical: (await h.projector().verify(name)).identical }).toEqual({ name, identical: true });
    }
  });
});
