import { line, startApi, type Harness } from '../support/api-harness';

/**
 * VAT per rate (EN 16931 BR-CO-17, BR-CO-14), credit notes rate by rate (CGI art. 272-1, 283-3, annex II art. 242
 * nonies A), and VAT corrected in the journal on credit notes, discounts (CGI art. 267 II-1°) and write-offs
 * (CGI art. 272-1), over HTTP. ADRs 0033–0035.
 */
describe('VAT by rate over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'vat', name: 'VAT SARL', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  /** FEC rows of one day: [account, debit, credit]. */
  const fecOn = async (date: string) => {
    const fec = await h.http().get(`/exports/journal?format=fec&from=${date}&to=${date}`).expect(200);
    return fec.text.split('\n').filter((l) => l !== '').slice(1).map((l) => l.split('\t')).map((l) => [l[4], l[11], l[12]]);
  };

  it('computes VAT once per rate on the sum of the line nets, where per-line rounding would differ', async () => {
    // 5.5 %: 10.09 + 10.09 = 20.18; 20.18 × 0.055 = 1.1099 → 1.11 (per line 0.55495 → 0.55, twice: 1.10).
    // 20 %: 1 000.00 × 0.20 = 200.00. VAT 201.11 (BR-CO-14); net 1 020.18; total 1 221.29.
    const r = await h.http().post('/invoices').send({ id: 'i1', customerId: 'vat', issueDate: '2026-04-01', lines: [
      line('10.09', '1', '0.055', 'Book'), line('1000.00', '1', '0.20', 'Consulting'), line('10.09', '1', '0.055', 'Book'),
    ] }).expect(201);
    const breakdown = [{ rate: '0.20', base: '1000.00', amount: '200.00' }, { rate: '0.055', base: '20.18', amount: '1.11' }];
    expect(r.body).toMatchObject({ net: '1020.18', tax: '201.11', total: '1221.29', vatBreakdown: breakdown });
    const got = (await h.http().get('/invoices/i1').expect(200)).body;
    expect(got).toMatchObject({ tax: '201.11', total: '1221.29', outstanding: '1221.29', vatBreakdown: breakdown });
    expect(got.lines[0]).toEqual({ description: 'Book', quantity: '1', unitPrice: '10.09', taxRate: '0.055', net: '10.09' });
    // The sale: D 411 1 221.29 / C 706 1 020.18 / C 44571 200.00 and 1.11, one line per rate.
    expect(await fecOn('2026-04-01')).toEqual([['411', '1221,29', '0,00'], ['706', '0,00', '1020,18'], ['44571', '0,00', '200,00'], ['44571', '0,00', '1,11']]);
  });

  it('refuses a credit note at a rate the invoice never had, or reversing more VAT than it charged (issue 10: 310.00 on 255.00)', async () => {
    // i255: 1 275.00 at 20 % → VAT 255.00, total 1 530.00.
    await h.http().post('/invoices').send({ id: 'i255', customerId: 'vat', issueDate: '2026-04-02', lines: [line('1275.00')] }).expect(201);
    const head = await h.head();
    // Base 1 550.00 at 20 % would reverse 310.00 of VAT on an invoice that charged 255.00.
    const over = await h.http().post('/credit-notes').send({ customerId: 'vat', invoiceId: 'i255', issueDate: '2026-04-03', reason: 'x', lines: [line('1550.00')] }).expect(422);
    expect(over.body).toMatchObject({ code: 'CREDIT_NOTE_EXCEEDS_INVOICED_AT_RATE', details: { field: 'lines', rate: '0.20', base: '1550.00', vat: '310.00', openBase: '1275.00', openVat: '255.00' } });
    const rate = await h.http().post('/credit-notes').send({ customerId: 'vat', invoiceId: 'i255', issueDate: '2026-04-03', reason: 'x', lines: [line('100.00', '1', '0.10')] }).expect(422);
    expect(rate.body).toMatchObject({ code: 'CREDIT_NOTE_RATE_NOT_ON_INVOICE', details: { field: 'lines', rate: '0.10', invoiceRates: ['0.20'] } });
    await h.http().post('/credit-notes').send({ customerId: 'vat', invoiceId: 'i255', issueDate: '2026-04-03', reason: 'x', amount: '10.00', taxRate: '0.055' }).expect(422)
      .expect((res) => expect(res.body).toMatchObject({ code: 'CREDIT_NOTE_RATE_NOT_ON_INVOICE', details: { field: 'taxRate' } }));
    // 1 860.00 = 1 550.00 + 310.00 gross exceeds the 1 530.00 invoiced.
    await h.http().post('/credit-notes').send({ customerId: 'vat', invoiceId: 'i255', issueDate: '2026-04-03', reason: 'x', amount: '1860.00' }).expect(422)
      .expect((res) => expect(res.body).toMatchObject({ code: 'CREDIT_NOTE_EXCEEDS_INVOICED', details: { field: 'amount', creditable: '1530.00', excess: '330.00' } }));
    expect(await h.head()).toBe(head);
  });

  it('splits an amount-only note across the invoice’s rates in proportion; beyond what is owed it is customer credit', async () => {
    await h.http().post('/payments').send({ id: 'p1', customerId: 'vat', amount: '1000.00', receivedOn: '2026-04-10', method: 'sepa', allocations: [{ invoiceId: 'i1', amount: '1000.00' }] }).expect(201);
    // 300.00 (30 000 cents) over i1's open base/VAT 100 000, 20 000, 2 018, 111 (Σ 122 129), largest remainder:
    // 24 564.190, 4 912.838, 495.705, 27.266 → floors Σ 29 998, 2 cents to .838 and .705 →
    // 20 %: base 245.64 + VAT 49.13; 5.5 %: base 4.96 + VAT 0.27. Owed 221.29 → applied 221.29, credit 78.71.
    const cn = await h.http().post('/credit-notes').send({ id: 'cn300', customerId: 'vat', invoiceId: 'i1', issueDate: '2026-04-15', reason: 'Price reduction', amount: '300.00' }).expect(201);
    expect(cn.body).toMatchObject({
      net: '250.60', tax: '49.40', total: '300.00', appliedToInvoice: '221.29', unapplied: '78.71',
      vatBreakdown: [{ rate: '0.20', base: '245.64', amount: '49.13' }, { rate: '0.055', base: '4.96', amount: '0.27' }],
    });
    // Still open to credit: 20 %: 1 000.00 − 245.64 = 754.36 and 200.00 − 49.13 = 150.87; 5.5 %: 15.22 and 0.84.
    expect((await h.http().get('/invoices/i1').expect(200)).body).toMatchObject({ status: 'paid', outstanding: '0.00', creditNoted: '221.29',
      vatOpen: [{ rate: '0.20', base: '754.36', amount: '150.87' }, { rate: '0.055', base: '15.22', amount: '0.84' }] });
    expect((await h.http().get('/customers/vat/balance').expect(200)).body).toMatchObject({ unapplied: '78.71', outstanding: '1530.00' });
    // The avoir reverses VAT rate by rate: D 706 250.60, D 44571 49.13 and 0.27 / C 411 300.00.
    expect(await fecOn('2026-04-15')).toEqual([['706', '250,60', '0,00'], ['44571', '49,13', '0,00'], ['44571', '0,27', '0,00'], ['411', '0,00', '300,00']]);

    // Open at 5.5 % now: base 20.18 − 4.96 = 15.22, VAT 1.11 − 0.27 = 0.84. 100.00 at 5.5 % (base 94.79) is refused.
    await h.http().post('/credit-notes').send({ customerId: 'vat', invoiceId: 'i1', issueDate: '2026-04-16', reason: 'x', amount: '100.00', taxRate: '0.055' }).expect(422)
      .expect((res) => expect(res.body).toMatchObject({ code: 'CREDIT_NOTE_EXCEEDS_INVOICED_AT_RATE', details: { openBase: '15.22', openVat: '0.84' } }));
    // 16.06 = all that is open at 5.5 %: exactly base 15.22 + VAT 0.84, all of it customer credit (the invoice is paid).
    const rest = await h.http().post('/credit-notes').send({ customerId: 'vat', invoiceId: 'i1', issueDate: '2026-04-16', reason: 'Books returned', amount: '16.06', taxRate: '0.055' }).expect(201);
    expect(rest.body).toMatchObject({ appliedToInvoice: '0.00', unapplied: '16.06', vatBreakdown: [{ rate: '0.055', base: '15.22', amount: '0.84' }] });
    // 78.71 + 16.06 = 94.77 of customer credit.
    expect((await h.http().get('/customers/vat/balance').expect(200)).body).toMatchObject({ unapplied: '94.77', outstanding: '1530.00' });
    // 5.5 % is now fully credited: only 20 % is left open.
    expect((await h.http().get('/invoices/i1').expect(200)).body).toMatchObject({ status: 'paid', outstanding: '0.00', creditNoted: '221.29',
      vatOpen: [{ rate: '0.20', base: '754.36', amount: '150.87' }] });
  });

  it('regularises the VAT of a written-off receivable: D 654 net + D 44571 VAT / C 411 gross (CGI art. 272-1)', async () => {
    // The approver is the authenticated principal (ADR 0040): a credit manager's key named cfo.marie, no threshold set.
    const marie = (await h.createKey('credit_manager', 'cfo.marie')).key;
    const w = await h.as(marie).post('/invoices/i255/write-off').send({ reason: 'Liquidation closed for want of assets', approvedBy: 'cfo.marie', on: '2026-06-30' }).expect(200);
    expect(w.body).toMatchObject({ status: 'written_off', writtenOff: '1530.00' });
    // 1 530.00 written off: base 1 275.00 + VAT 255.00 at 20 %.
    expect(await fecOn('2026-06-30')).toEqual([['654', '1275,00', '0,00'], ['44571', '255,00', '0,00'], ['411', '0,00', '1530,00']]);
    // 153.00 recovered later: the VAT regularised is due again in proportion (CGI art. 272-1): 153.00 over
    // base 1 275.00 + VAT 255.00 (Σ 1 530.00) = exactly 127.50 + 25.50. D 411 / C 7714 127.50 + C 44571 25.50.
    await h.http().post('/payments').send({ id: 'p255', customerId: 'vat', amount: '153.00', receivedOn: '2026-07-15', method: 'sepa', allocations: [{ invoiceId: 'i255', amount: '153.00' }] }).expect(201);
    expect(await fecOn('2026-07-15')).toEqual([
      ['512', '153,00', '0,00'], ['411', '0,00', '153,00'],
      ['411', '153,00', '0,00'], ['7714', '0,00', '127,50'], ['44571', '0,00', '25,50'],
    ]);
  });

  it('reduces VAT collected in proportion to each rate on an early-payment discount (CGI art. 267 II-1°)', async () => {
    await h.http().post('/customers').send({ id: 'prompt', name: 'Prompt SA', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().put('/customers/prompt/payment-terms').set('X-Actor', 'credit.manager').send({ terms: '2/10 net 30', reason: 'Early-payment agreement' }).expect(200);
    // 1 000.00 at 20 % (VAT 200.00) + 100.00 at 5.5 % (VAT 5.50) = 1 305.50; 2 % of it = 26.11.
    await h.http().post('/invoices').send({ id: 'd1', customerId: 'prompt', issueDate: '2026-05-01', lines: [line('1000.00'), line('100.00', '1', '0.055')] }).expect(201);
    await h.http().post('/payments').send({ id: 'pd1', customerId: 'prompt', amount: '1279.39', receivedOn: '2026-05-08', method: 'sepa', allocations: [{ invoiceId: 'd1', amount: '1279.39' }] }).expect(201);
    expect((await h.http().get('/invoices/d1').expect(200)).body).toMatchObject({ status: 'paid', discounted: '26.11' });
    // 26.11 over 1 000.00, 200.00, 100.00, 5.50 (2 % of each, exactly): 20.00 + 4.00 at 20 %, 2.00 + 0.11 at 5.5 %.
    // D 665 22.00 + D 44571 4.00 + 0.11 / C 411 26.11 (after the receipt D 512 / C 411 1 279.39).
    expect(await fecOn('2026-05-08')).toEqual([
      ['512', '1279,39', '0,00'], ['411', '0,00', '1279,39'],
      ['665', '22,00', '0,00'], ['44571', '4,00', '0,00'], ['44571', '0,11', '0,00'], ['411', '0,00', '26,11'],
    ]);
  });
});
