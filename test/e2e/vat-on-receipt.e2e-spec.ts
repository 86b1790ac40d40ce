import { line, startApi, type Harness } from '../support/api-harness';

/**
 * TVA sur les encaissements (CGI art. 269-2-c) as a company option (AR_VAT_DUE_ON=receipt): VAT on services is
 * booked to 44574 "VAT to collect" at invoicing and moved to 44571 as payments settle the price, in proportion
 * (ADR 0035). Over HTTP, read back from the FEC.
 */
describe('VAT due on receipt over HTTP (AR_VAT_DUE_ON=receipt)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi(undefined, { AR_VAT_DUE_ON: 'receipt' });
    await h.http().post('/customers').send({ id: 'svc', name: 'Services SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  const fecOn = async (date: string) => {
    const fec = await h.http().get(`/exports/journal?format=fec&from=${date}&to=${date}`).expect(200);
    return fec.text.split('\n').filter((l) => l !== '').slice(1).map((l) => l.split('\t')).map((l) => [l[4], l[11], l[12]]);
  };

  it('books the VAT of the invoice to 44574, not 44571', async () => {
    await h.http().post('/invoices').send({ id: 'r1', customerId: 'svc', issueDate: '2026-03-01', lines: [line('1000.00')] }).expect(201);
    // 1 000.00 + 20 % = 1 200.00: D 411 1 200.00 / C 706 1 000.00 / C 44574 200.00.
    expect(await fecOn('2026-03-01')).toEqual([['411', '1200,00', '0,00'], ['706', '0,00', '1000,00'], ['44574', '0,00', '200,00']]);
  });

  it('moves the VAT of what each payment settles to 44571, in proportion; a credit note cancels VAT still waiting first', async () => {
    // 600.00 of 1 200.00 owed = half: 100.00 of VAT becomes due. D 44574 100.00 / C 44571 100.00.
    await h.http().post('/payments').send({ id: 'pr1', customerId: 'svc', amount: '600.00', receivedOn: '2026-03-10', method: 'sepa', allocations: [{ invoiceId: 'r1', amount: '600.00' }] }).expect(201);
    expect(await fecOn('2026-03-10')).toEqual([['512', '600,00', '0,00'], ['411', '0,00', '600,00'], ['44574', '100,00', '0,00'], ['44571', '0,00', '100,00']]);
    // A 120.00 note (base 100.00 + VAT 20.00); 100.00 of VAT still waits on 44574, so its 20.00 comes from there.
    const cn = await h.http().post('/credit-notes').send({ customerId: 'svc', invoiceId: 'r1', issueDate: '2026-03-15', reason: 'Rebate', amount: '120.00' }).expect(201);
    expect(cn.body).toMatchObject({ vatBreakdown: [{ rate: '0.20', base: '100.00', amount: '20.00' }], appliedToInvoice: '120.00' });
    expect(await fecOn('2026-03-15')).toEqual([['706', '100,00', '0,00'], ['44574', '20,00', '0,00'], ['411', '0,00', '120,00']]);
    // The last 480.00 settles the invoice: all that still waits moves: 200.00 − 100.00 − 20.00 = 80.00.
    await h.http().post('/payments').send({ id: 'pr2', customerId: 'svc', amount: '480.00', receivedOn: '2026-03-20', method: 'sepa', allocations: [{ invoiceId: 'r1', amount: '480.00' }] }).expect(201);
    expect(await fecOn('2026-03-20')).toEqual([['512', '480,00', '0,00'], ['411', '0,00', '480,00'], ['44574', '80,00', '0,00'], ['44571', '0,00', '80,00']]);
    // 44574 nets to 0 (200 − 100 − 20 − 80); 44571 holds 180.00 = 20 % of the 900.00 of price received.
  });

  it('moves the VAT back when a payment bounces, and a write-off then cancels VAT that was never due', async () => {
    await h.http().post('/payments/pr2/reverse').send({ reason: 'bounced', on: '2026-03-25' }).expect(200);
    // The 80.00 the bounced payment made due goes back to 44574: D 411 / C 512 480.00, D 44571 / C 44574 80.00.
    expect(await fecOn('2026-03-25')).toEqual([['411', '480,00', '0,00'], ['512', '0,00', '480,00'], ['44571', '80,00', '0,00'], ['44574', '0,00', '80,00']]);
    // The approver is the authenticated principal (ADR 0040): a credit manager's key named cfo.marie, no threshold set.
    const marie = (await h.createKey('credit_manager', 'cfo.marie')).key;
    const w = await h.as(marie).post('/invoices/r1/write-off').send({ reason: 'Insolvent', approvedBy: 'cfo.marie', on: '2026-03-31' }).expect(200);
    expect(w.body).toMatchObject({ status: 'written_off', writtenOff: '480.00' });
    // 480.00 written off: base 400.00 + the 80.00 still waiting on 44574 (never due, so not a 44571 regularisation).
    expect(await fecOn('2026-03-31')).toEqual([['654', '400,00', '0,00'], ['44574', '80,00', '0,00'], ['411', '0,00', '480,00']]);
  });
});
