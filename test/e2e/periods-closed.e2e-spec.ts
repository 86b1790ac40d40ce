import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Closed periods over HTTP (PCG, ANC 2014-03 art. 911-4: a closing procedure fixes the chronology and makes the
 * entries of the closed period intangible; LPF A47 A-1: the FEC lists validated entries): once the books are
 * closed through a date, every kind of command dated on or before it is refused with 422 PERIOD_CLOSED and writes
 * nothing; the corrections are dated in the open period.
 */
describe('closed periods over HTTP', () => {
  let h: Harness;
  let q1Fec = '';
  const fecQ1 = async () => (await h.http().get('/exports/journal?format=fec&from=2026-01-01&to=2026-03-31').expect(200)).text;
  const closed = (field: string, date: string) => ({
    code: 'PERIOD_CLOSED', details: { field, date, closedThrough: '2026-03-31', firstOpenDate: '2026-04-01' },
  });

  // The actors are principals (ADR 0041): one admin key per person, named as the history shows them.
  let anne: string;
  let paul: string;
  beforeAll(async () => {
    h = await startApi();
    anne = (await h.createKey('admin', 'controller.anne')).key;
    paul = (await h.createKey('admin', 'admin.paul')).key;
    await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    // i0: 1 000.00 + 20 % VAT = 1 200.00, net 30 → due 2026-02-04; i1: 500.00 + 20 % = 600.00, due 2026-04-09.
    await h.http().post('/invoices').send({ id: 'i0', customerId: 'acme', issueDate: '2026-01-05', lines: [line('1000.00')] }).expect(201)
      .expect((r) => expect(r.body).toMatchObject({ total: '1200.00', dueDate: '2026-02-04' }));
    // beta: 100.00 + 20 % = 120.00 on 2026-02-01, paid 150.00 on 02-10: 150.00 − 120.00 = 30.00 customer credit.
    await h.http().post('/customers').send({ id: 'beta', name: 'Beta SARL', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'bi', customerId: 'beta', issueDate: '2026-02-01', lines: [line('100.00')] }).expect(201);
    await h.http().post('/payments').send({ id: 'bp', customerId: 'beta', amount: '150.00', receivedOn: '2026-02-10', method: 'sepa' }).expect(201)
      .expect((r) => expect(r.body).toMatchObject({ unapplied: '30.00' }));
    await h.http().post('/invoices').set('Idempotency-Key', 'inv-i1').send({ id: 'i1', customerId: 'acme', issueDate: '2026-03-10', lines: [line('500.00')] }).expect(201)
      .expect((r) => expect(r.body).toMatchObject({ total: '600.00', dueDate: '2026-04-09' }));
  });
  afterAll(async () => { await h.close(); });

  it('closes the books through a date that has ended, once, with who and why', async () => {
    const r = await h.as(anne).post('/periods/close').send({ through: '2026-03-31', reason: 'Q1 2026 closing' }).expect(200);
    expect(r.body).toMatchObject({ closedThrough: '2026-03-31', changed: true });
    const head = await h.head();
    expect((await h.http().post('/periods/close').send({ through: '2026-03-31', reason: 'again' }).expect(200)).body).toMatchObject({ closedThrough: '2026-03-31', changed: false });
    await h.http().post('/periods/close').send({ through: '2026-02-28', reason: 'earlier' }).expect(422)
      .expect((x) => expect(x.body).toMatchObject({ code: 'PERIOD_ALREADY_CLOSED', details: { field: 'through', closedThrough: '2026-03-31' } }));
    await h.http().post('/periods/close').send({ through: '2999-12-31', reason: 'future' }).expect(422)
      .expect((x) => expect(x.body).toMatchObject({ code: 'PERIOD_NOT_ENDED', details: { field: 'through' } }));
    await h.http().post('/periods/close').send({ through: '2026-03-31' }).expect(400)
      .expect((x) => expect(x.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'reason' } }));
    await h.http().post('/periods/close').send({ through: '2026-02-30', reason: 'x' }).expect(400)
      .expect((x) => expect(x.body).toMatchObject({ code: 'DATE_MALFORMED', details: { field: 'through' } }));
    expect(await h.head()).toBe(head);
    const books = (await h.http().get('/periods').expect(200)).body;
    expect(books).toMatchObject({ closedThrough: '2026-03-31', history: [{ type: 'PeriodClosed', through: '2026-03-31', reason: 'Q1 2026 closing', actor: 'controller.anne' }] });
    expect(books.history).toHaveLength(1);
    q1Fec = await fecQ1();
  });

  it('refuses every kind of command dated in the closed period, naming the field, and writes nothing', async () => {
    const head = await h.head();
    const invoice = await h.http().post('/invoices').send({ id: 'i2', customerId: 'acme', issueDate: '2026-03-31', lines: [line('100.00')] }).expect(422);
    expect(invoice.body).toMatchObject(closed('issueDate', '2026-03-31'));
    expect(invoice.body.message).toMatch(/closed through 2026-03-31.*2026-04-01/);
    const payment = await h.http().post('/payments').send({ id: 'p1', customerId: 'acme', amount: '1200.00', receivedOn: '2026-03-15', method: 'sepa' }).expect(422);
    expect(payment.body).toMatchObject(closed('receivedOn', '2026-03-15'));
    const note = await h.http().post('/credit-notes').send({ id: 'cn1', customerId: 'acme', invoiceId: 'i0', issueDate: '2026-03-20', reason: 'Goods returned', amount: '240.00' }).expect(422);
    expect(note.body).toMatchObject(closed('issueDate', '2026-03-20'));
    const writeOff = await h.http().post('/invoices/i0/write-off').send({ reason: 'Liquidation', approvedBy: 'cfo', on: '2026-03-31' }).expect(422);
    expect(writeOff.body).toMatchObject(closed('on', '2026-03-31'));
    const charges = await h.http().post('/invoices/i0/late-charges').send({ asOf: '2026-03-31' }).expect(422);
    expect(charges.body).toMatchObject(closed('asOf', '2026-03-31'));
    const dispute = await h.http().post('/invoices/i0/disputes').send({ id: 'd1', amount: '100.00', reason: 'Damaged', on: '2026-01-31' }).expect(422);
    expect(dispute.body).toMatchObject(closed('on', '2026-01-31'));
    const reversal = await h.http().post('/payments/bp/reverse').send({ reason: 'bounced', on: '2026-03-30' }).expect(422);
    expect(reversal.body).toMatchObject(closed('on', '2026-03-30'));
    const credit = await h.http().post('/customers/beta/apply-credit').send({ invoiceId: 'bi', on: '2026-03-30' }).expect(422);
    expect(credit.body).toMatchObject(closed('on', '2026-03-30'));
    const refund = await h.http().post('/customers/beta/refunds').send({ amount: '30.00', method: 'sepa', on: '2026-03-30' }).expect(422);
    expect(refund.body).toMatchObject(closed('on', '2026-03-30'));
    // A dunning run as of a closed date is refused too, though it would have had nothing to write.
    const dunning = await h.http().post('/dunning/runs').send({ asOf: '2026-03-31' }).expect(422);
    expect(dunning.body).toMatchObject(closed('asOf', '2026-03-31'));
    expect(await h.head()).toBe(head);
    await h.http().get('/invoices/i2').expect(404);
    expect((await h.http().get('/invoices/i0').expect(200)).body).toMatchObject({ outstanding: '1200.00', charges: '0.00' });
  });

  it('answers an idempotent retry of a command accepted before the closing with its first answer', async () => {
    const head = await h.head();
    const again = await h.http().post('/invoices').set('Idempotency-Key', 'inv-i1').send({ id: 'i1', customerId: 'acme', issueDate: '2026-03-10', lines: [line('500.00')] }).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toMatchObject({ number: 'INV-000003', total: '600.00' });
    expect(await h.head()).toBe(head);
  });

  it('accepts the corrections dated in the open period', async () => {
    // Credit note on i0 for returned goods: 200.00 + 20 % VAT = 240.00; i0 outstanding 1 200.00 − 240.00 = 960.00.
    await h.http().post('/credit-notes').send({ id: 'cn1', customerId: 'acme', invoiceId: 'i0', issueDate: '2026-04-01', reason: 'Goods returned', amount: '240.00' }).expect(201)
      .expect((r) => expect(r.body).toMatchObject({ net: '200.00', tax: '40.00', total: '240.00', appliedToInvoice: '240.00' }));
    await h.http().post('/payments').send({ id: 'p1', customerId: 'acme', amount: '600.00', receivedOn: '2026-04-02', method: 'sepa', allocations: [{ invoiceId: 'i1', amount: '600.00' }] }).expect(201);
    // Late charges on i0 through 2026-04-15 include the EUR 40 compensation (Code de commerce D441-5), dated in the open period.
    const charges = await h.http().post('/invoices/i0/late-charges').send({ asOf: '2026-04-15' }).expect(200);
    expect(charges.body.assessed).toMatchObject({ from: '2026-02-05', through: '2026-04-15', compensation: '40.00' });
    expect((await h.http().get('/invoices/i1').expect(200)).body).toMatchObject({ status: 'paid', outstanding: '0.00' });
    // The closed quarter's FEC is the same file as at the closing: the corrections are in the open period.
    expect(await fecQ1()).toBe(q1Fec);
    expect(q1Fec.split('\n').length).toBeGreaterThan(8);
  });

  it('reopens from a date only with a reason; facts are then accepted in the reopened days', async () => {
    await h.http().post('/periods/reopen').send({ from: '2026-03-01' }).expect(400)
      .expect((x) => expect(x.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'reason' } }));
    await h.http().post('/periods/reopen').send({ from: '2026-04-01', reason: 'nothing closed there' }).expect(422)
      .expect((x) => expect(x.body).toMatchObject({ code: 'PERIOD_NOT_CLOSED', details: { field: 'from', closedThrough: '2026-03-31' } }));
    const r = await h.as(paul).post('/periods/reopen').send({ from: '2026-03-01', reason: 'Invoice omitted, agreed with the auditor' }).expect(200);
    expect(r.body).toMatchObject({ closedThrough: '2026-02-28', changed: true });
    await h.http().post('/invoices').send({ id: 'i2', customerId: 'acme', issueDate: '2026-03-31', lines: [line('100.00')] }).expect(201);
    await h.http().post('/invoices').send({ id: 'i3', customerId: 'acme', issueDate: '2026-02-28', lines: [line('100.00')] }).expect(422)
      .expect((x) => expect(x.body).toMatchObject({ code: 'PERIOD_CLOSED', details: { field: 'issueDate', closedThrough: '2026-02-28' } }));
    const books = (await h.http().get('/periods').expect(200)).body;
    expect(books.history.map((e: { type: string; actor: string }) => [e.type, e.actor])).toEqual([['PeriodClosed', 'controller.anne'], ['PeriodReopened', 'admin.paul']]);
  });
});
