import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Issue 10 items 9 and 10 (ADR 0032): a re-allocation corrects the lettering as of the receipt by default
 * (Code civil art. 1342-10: the debtor's choice applies at payment), so late charges follow the money; an
 * explicit `on` stays available; effective dates never precede what they move.
 */
describe('re-allocation dates over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-01-10', lines: [line('1000.00')] }).expect(201); // 1200.00 due 02-09
    await h.http().post('/invoices').send({ id: 'i2', customerId: 'acme', issueDate: '2026-01-20', lines: [line('500.00')] }).expect(201); // 600.00 due 02-19
    // 1200.00 received 02-01, lettered by mistake 600.00 on i2 and 600.00 on i1; the customer meant all of it for i1.
    await h.http().post('/payments').send({ id: 'p1', customerId: 'acme', amount: '1200.00', receivedOn: '2026-02-01', method: 'sepa',
      allocations: [{ invoiceId: 'i2', amount: '600.00' }, { invoiceId: 'i1', amount: '600.00' }] }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  /** What an invoice owed as of a date, from the aging by invoice (open items, dated movements); absent = nothing open. */
  const openAsOf = async (invoiceId: string, asOf: string) =>
    (await h.http().get(`/reports/aging/invoices?asOf=${asOf}`).expect(200)).body.invoices.find((i: { invoiceId: string }) => i.invoiceId === invoiceId)?.open ?? '0.00';
  const refusedWithoutWriting = async (body: Record<string, unknown>, status: number, code: string, details: Record<string, unknown>) => {
    const head = await h.head();
    const r = await h.http().post('/payments/p1/reallocate').send(body);
    expect({ status: r.status, code: r.body.code }).toEqual({ status, code });
    expect(r.body.details).toMatchObject(details);
    expect(await h.head()).toBe(head);
  };

  it('without `on`, corrects the lettering as of the receipt: i1 paid in full on 02-01, before its due date, so no interest (was: today)', async () => {
    const r = await h.http().post('/payments/p1/reallocate').send({ fromInvoiceId: 'i2', toInvoiceId: 'i1', amount: '600.00' }).expect(200);
    expect(r.body).toMatchObject({ appliesOn: '2026-02-01', dateRule: 'receipt', allocations: [{ invoiceId: 'i1', amount: '1200.00' }], unapplied: '0.00' });
    expect(await openAsOf('i1', '2026-02-05')).toBe('0.00');
    // Paid 02-01 < due 02-09: no late-payment interest, no EUR 40 indemnity (L441-10, D441-5) as of 03-31.
    expect((await h.http().get('/invoices/i1/late-charges?asOf=2026-03-31').expect(200)).body).toMatchObject({ interest: '0.00', total: '0.00' });
    // i2 owes its 600.00 again from 02-01 (never more than its 600.00 total on any date).
    expect(await openAsOf('i2', '2026-02-05')).toBe('600.00');
    expect(await openAsOf('i2', '2026-01-31')).toBe('600.00');
  });

  it('keeps an explicit later `on` and says so', async () => {
    // Move 100.00 back to credit as of 03-01: i1 owes 100.00 from 03-01 only.
    const r = await h.http().post('/payments/p1/reallocate').send({ fromInvoiceId: 'i1', amount: '100.00', on: '2026-03-01' }).expect(200);
    expect(r.body).toMatchObject({ appliesOn: '2026-03-01', dateRule: 'explicit', unapplied: '100.00' });
    expect(await openAsOf('i1', '2026-02-28')).toBe('0.00');
    expect(await openAsOf('i1', '2026-03-01')).toBe('100.00');
  });

  it('refuses to undo an allocation before it took effect, and to pay an invoice before it was issued', async () => {
    // The 100.00 of credit is put on i2 on 03-05; undoing it as of 03-02 would show i2 open for more than it was owed.
    await h.http().post('/customers/acme/apply-credit').send({ invoiceId: 'i2', amount: '100.00', on: '2026-03-05' }).expect(200);
    await refusedWithoutWriting({ fromInvoiceId: 'i2', amount: '100.00', on: '2026-03-02' }, 422, 'DATE_BEFORE_ALLOCATION', { field: 'on', allocatedOn: '2026-03-05' });
    await h.http().post('/invoices').send({ id: 'i3', customerId: 'acme', issueDate: '2026-03-10', lines: [line('100.00')] }).expect(201); // 120.00
    await refusedWithoutWriting({ fromInvoiceId: 'i1', toInvoiceId: 'i3', amount: '50.00', on: '2026-03-08' }, 422, 'DATE_BEFORE_INVOICE', { field: 'on', invoiceId: 'i3', issueDate: '2026-03-10' });
    // Without `on`: as of the receipt (02-01) would precede i3's issue, so the move is dated 03-10 and the response says why.
    const r = await h.http().post('/payments/p1/reallocate').send({ fromInvoiceId: 'i1', toInvoiceId: 'i3', amount: '50.00' }).expect(200);
    expect(r.body).toMatchObject({ appliesOn: '2026-03-10', dateRule: 'target_issue_date' });
    // Credit cannot be applied to i3 before its issue either.
    const head = await h.head();
    await h.http().post('/customers/acme/apply-credit').send({ invoiceId: 'i3', amount: '1.00', on: '2026-03-09' }).expect((x) => expect(x.status).toBeGreaterThanOrEqual(400));
    expect(await h.head()).toBe(head);
  });
});

describe('credit dated before charges were owed (ADR 0032: no open amount negative on any date)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'late', name: 'Late SARL', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'l1', customerId: 'late', issueDate: '2026-01-05', lines: [line('100.00')] }).expect(201); // 120.00 due 02-04
    await h.http().post('/payments').send({ id: 'lp1', customerId: 'late', amount: '500.00', receivedOn: '2026-03-01', method: 'sepa', allocations: [] }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  it('refuses to put on an invoice, as of a date, charges assessed for a later date; accepts what was owed then', async () => {
    const charged = await h.http().post('/invoices/l1/late-charges').send({ asOf: '2026-03-31' }).expect(200);
    const owedNow = (await h.http().get('/invoices/l1').expect(200)).body.outstanding;
    // Now: 120.00 + the charges through 03-31 (booked on 03-31). On 03-10 only the 120.00 principal was owed.
    expect(Number(owedNow)).toBeGreaterThan(120);
    expect(charged.status).toBe(200);
    const head = await h.head();
    const r = await h.http().post('/customers/late/apply-credit').send({ invoiceId: 'l1', amount: owedNow, on: '2026-03-10' });
    expect({ status: r.status, code: r.body.code, outstanding: r.body.details?.outstanding }).toEqual({ status: 422, code: 'ALLOCATION_EXCEEDS_OUTSTANDING', outstanding: '120.00' });
    expect(await h.head()).toBe(head);
    await h.http().post('/customers/late/apply-credit').send({ invoiceId: 'l1', amount: '120.00', on: '2026-03-10' }).expect(200);
    // After it the invoice owes the charges only, and it is never negative on any date.
    const open = async (asOf: string) =>
      (await h.http().get(`/reports/aging/invoices?asOf=${asOf}`).expect(200)).body.invoices.find((i: { invoiceId: string }) => i.invoiceId === 'l1')?.open ?? '0.00';
    for (const asOf of ['2026-03-10', '2026-03-15', '2026-03-30', '2026-03-31', '2026-04-30']) expect(Number(await open(asOf))).toBeGreaterThanOrEqual(0);
    // Assessed through 03-31: 120.00 × 12.15 % × 55/365 (02-05..03-31) = 2.197 → 2.20, + EUR 40 = 42.20 (owed 162.20).
    // The credit dated 03-10 paid the principal before the last day charged, so the same append corrects the
    // interest to 02-05..03-10 (ADR 0037): 120.00 × 12.15 % × 34/365 = 1.358 → 1.36, a correction of 0.84 on
    // 03-31; the EUR 40 stays (days were late). Owed from 03-31: 40.00 + 1.36 = 41.36, never 42.20 again.
    expect(owedNow).toBe('162.20');
    const corrected = (await h.http().get('/customers/late/history').expect(200)).body.events
      .filter((e: { type: string }) => e.type === 'LateChargesCorrected').map((e: { data: Record<string, unknown> }) => e.data);
    expect(corrected).toEqual([expect.objectContaining({ invoiceId: 'l1', on: '2026-03-31', interest: 84, compensation: 0, amount: 84 })]);
    expect(await open('2026-03-30')).toBe('0.00');
    expect(await open('2026-03-31')).toBe('41.36');
    expect(await open('2026-04-30')).toBe('41.36');
    expect((await h.http().get('/invoices/l1').expect(200)).body.outstanding).toBe('41.36');
  });
});
