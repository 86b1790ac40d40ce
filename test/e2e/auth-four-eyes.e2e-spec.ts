import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Segregation of duties on identity above configured amounts (ADR 0042): a write-off of more than 100.00 EUR
 * and a credit-limit increase of more than 10,000.00 EUR wait for a second principal with the permission.
 */
describe('four eyes above an amount, by identity', () => {
  let h: Harness;
  let anna: string;
  let bob: string;
  let collector: string;
  beforeAll(async () => {
    h = await startApi(undefined, { AR_WRITE_OFF_APPROVAL_ABOVE: 'EUR:100.00', AR_CREDIT_LIMIT_INCREASE_APPROVAL_ABOVE: 'EUR:10000.00' });
    anna = (await h.createKey('credit_manager', 'cm.anna')).key;
    bob = (await h.createKey('credit_manager', 'cm.bob')).key;
    collector = (await h.createKey('collector', 'coll.carl')).key;
    await h.http().post('/customers').send({ id: 'dup', name: 'Dupont SARL', currency: 'EUR', creditLimit: '50000.00' }).expect(201);
    // 1000.00 + 20 % VAT = 1200.00 each.
    for (const id of ['w1', 'w2', 'w3']) await h.http().post('/invoices').send({ id, customerId: 'dup', issueDate: '2026-01-10', lines: [line('1000.00')] }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  const unchanged = async (send: () => PromiseLike<{ status: number; body: { code: string; details: Record<string, unknown> } }>, status: number, code: string) => {
    const head = await h.head();
    const res = await send();
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(await h.head()).toBe(head);
    return res.body;
  };
  const outstanding = async (id: string) => (await h.http().get(`/invoices/${id}`).expect(200)).body.outstanding;

  it('writes off at once up to the threshold (100.00 is not above 100.00), recording the principal as approver', async () => {
    const r = await h.as(anna).post('/invoices/w1/write-off').send({ amount: '100.00', reason: 'Goodwill', on: '2026-06-30' }).expect(200);
    expect(r.body).toMatchObject({ status: 'written_off', writtenOff: '100.00', outstanding: '1100.00', request: null });
    const events = (await h.http().get('/customers/dup/history').expect(200)).body.events;
    expect(events.find((e: { type: string }) => e.type === 'InvoiceWrittenOff')).toMatchObject({ data: { approvedBy: 'cm.anna' }, metadata: { actor: 'cm.anna' } });
  });

  it('holds a larger write-off for a second principal: the requester cannot approve it, another can', async () => {
    // 1200.00 > 100.00: a request, nothing written off yet.
    const req = await h.as(anna).post('/invoices/w2/write-off').set('Idempotency-Key', 'wo-w2').send({ reason: 'Insolvent', on: '2026-06-30' }).expect(202);
    expect(req.body).toMatchObject({ status: 'pending_approval', amount: '1200.00', outstanding: '1200.00', request: { requestedBy: 'cm.anna', approvalAbove: '100.00' } });
    expect(await outstanding('w2')).toBe('1200.00');
    // Retried with its key: the same request, nothing new.
    const head = await h.head();
    const again = await h.as(anna).post('/invoices/w2/write-off').set('Idempotency-Key', 'wo-w2').send({ reason: 'Insolvent', on: '2026-06-30' }).expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.request.requestId).toBe(req.body.request.requestId);
    expect(await h.head()).toBe(head);
    // Another write-off meanwhile is refused; the requester cannot approve; a collector lacks the permission.
    await unchanged(() => h.as(bob).post('/invoices/w2/write-off').send({ amount: '1.00', reason: 'x' }), 409, 'WRITE_OFF_PENDING_APPROVAL');
    expect(await unchanged(() => h.as(anna).post('/invoices/w2/write-off/approve').send({}), 422, 'APPROVER_IS_REQUESTER')).toMatchObject({ details: { requestedBy: 'cm.anna' } });
    await unchanged(() => h.as(collector).post('/invoices/w2/write-off/approve').send({}), 403, 'FORBIDDEN');
    const ok = await h.as(bob).post('/invoices/w2/write-off/approve').send({}).expect(200);
    expect(ok.body).toMatchObject({ status: 'written_off', writtenOff: '1200.00', outstanding: '0.00', request: { requestedBy: 'cm.anna', approvedBy: 'cm.bob' } });
    expect(await outstanding('w2')).toBe('0.00');
    const facts = (await h.http().get('/customers/dup/history').expect(200)).body.events
      .filter((e: { data: { invoiceId?: string } }) => e.data.invoiceId === 'w2').map((e: { type: string; metadata: { actor: string } }) => [e.type, e.metadata.actor]);
    expect(facts).toEqual([['InvoiceIssued', 'bootstrap-admin'], ['WriteOffRequested', 'cm.anna'], ['WriteOffRequestApproved', 'cm.bob'], ['InvoiceWrittenOff', 'cm.bob']]);
    // The approved write-off regularises its VAT exactly as a direct one (CGI art. 272-1, ADR 0035): 1 200.00 =
    // base 1 000.00 + VAT 200.00 at 20 %: D 654 1 000.00 + D 44571 200.00 / C 411 1 200.00.
    const fec = (await h.http().get('/exports/journal?format=fec&from=2026-06-30&to=2026-06-30').expect(200)).text;
    const w2Rows = fec.split('\n').filter((l) => l !== '').slice(1).map((l) => l.split('\t')).filter((l) => l[8] === 'w2').map((l) => [l[4], l[11], l[12]]);
    expect(w2Rows).toEqual([['654', '1000,00', '0,00'], ['44571', '200,00', '0,00'], ['411', '0,00', '1200,00']]);
    await unchanged(() => h.as(anna).post('/invoices/w2/write-off/approve').send({}), 409, 'NO_WRITE_OFF_PENDING');
    // The approvers' queue: the request, approved by cm.bob.
    const approved = (await h.as(bob).get('/reports/approval-requests?status=approved').expect(200)).body.requests;
    expect(approved).toEqual([expect.objectContaining({
      requestId: req.body.request.requestId, kind: 'write_off', invoiceId: 'w2', amount: '1200.00', approvalAbove: '100.00', requestedBy: 'cm.anna', decidedBy: 'cm.bob',
    })]);
  });

  it('closes a rejected write-off request: nothing written off, a new request may follow', async () => {
    await h.as(anna).post('/invoices/w3/write-off').send({ amount: '500.00', reason: 'Partial loss' }).expect(202);
    const queue = (await h.as(bob).get('/reports/approval-requests').expect(200)).body;
    expect(queue).toMatchObject({ status: 'pending', requests: [{ kind: 'write_off', invoiceId: 'w3', amount: '500.00', requestedBy: 'cm.anna', decidedBy: null }] });
    expect((await h.as(bob).get('/reports/approval-requests?status=open').expect(400)).body).toMatchObject({ code: 'STATUS_INVALID', details: { field: 'status' } });
    await unchanged(() => h.as(bob).post('/invoices/w3/write-off/reject').send({}), 400, 'VALIDATION_FAILED');
    const r = await h.as(bob).post('/invoices/w3/write-off/reject').send({ reason: 'Customer agreed a plan' }).expect(200);
    expect(r.body).toMatchObject({ status: 'rejected', outstanding: '1200.00', request: { requestedBy: 'cm.anna', rejectedBy: 'cm.bob' } });
    await h.as(anna).post('/invoices/w3/write-off').send({ amount: '500.00', reason: 'Partial loss, plan broken' }).expect(202);
  });

  it('holds a credit-limit increase above 10,000.00 for a second principal, and lets a decrease through at once', async () => {
    // 50,000.00 → 55,000.00: +5,000.00, at once.
    expect((await h.as(anna).put('/customers/dup/credit-limit').send({ amount: '55000.00', reason: 'Review' }).expect(200)).body)
      .toMatchObject({ status: 'changed', creditLimit: '55000.00', previousLimit: '50000.00' });
    // 55,000.00 → 80,000.00: +25,000.00 > 10,000.00, a request; the limit stays.
    const req = await h.as(anna).put('/customers/dup/credit-limit').send({ amount: '80000.00', reason: 'Group guarantee' }).expect(202);
    expect(req.body).toMatchObject({ status: 'pending_approval', creditLimit: '55000.00', request: { requestedBy: 'cm.anna', newLimit: '80000.00', approvalAbove: '10000.00' } });
    expect((await h.http().get('/customers/dup/credit').expect(200)).body.creditLimit).toBe('55000.00');
    expect((await h.as(bob).get('/reports/approval-requests').expect(200)).body.requests.filter((r: { kind: string }) => r.kind === 'credit_limit_increase'))
      .toEqual([expect.objectContaining({ customerId: 'dup', newLimit: '80000.00', previousLimit: '55000.00', approvalAbove: '10000.00', requestedBy: 'cm.anna' })]);
    await unchanged(() => h.as(bob).put('/customers/dup/credit-limit').send({ amount: '56000.00', reason: 'x' }), 409, 'CREDIT_LIMIT_INCREASE_PENDING');
    await unchanged(() => h.as(anna).post('/customers/dup/credit-limit/approve').send({}), 422, 'APPROVER_IS_REQUESTER');
    const ok = await h.as(bob).post('/customers/dup/credit-limit/approve').send({}).expect(200);
    expect(ok.body).toMatchObject({ status: 'changed', creditLimit: '80000.00', previousLimit: '55000.00', request: { requestedBy: 'cm.anna', approvedBy: 'cm.bob' } });
    expect((await h.http().get('/customers/dup/credit').expect(200)).body.creditLimit).toBe('80000.00');
    // A decrease never waits, even while an increase is under review.
    await h.as(anna).put('/customers/dup/credit-limit').send({ amount: '95000.00', reason: 'More' }).expect(202);
    expect((await h.as(anna).put('/customers/dup/credit-limit').send({ amount: '40000.00', reason: 'Risk' }).expect(200)).body).toMatchObject({ status: 'changed', creditLimit: '40000.00' });
    expect((await h.as(bob).post('/customers/dup/credit-limit/reject').send({ reason: 'Not now' }).expect(200)).body).toMatchObject({ status: 'rejected', creditLimit: '40000.00' });
  });
});

describe('without a threshold (the default)', () => {
  let h: Harness;
  beforeAll(async () => { h = await startApi(); });
  afterAll(async () => { await h.close(); });

  it('a credit manager writes off and raises limits at once, recorded as the approver', async () => {
    const cm = (await h.createKey('credit_manager', 'cm.solo')).key;
    await h.http().post('/customers').send({ id: 'solo', name: 'Solo', currency: 'EUR', creditLimit: '1000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 's1', customerId: 'solo', issueDate: '2026-01-10', lines: [line('500.00')] }).expect(201);
    expect((await h.as(cm).post('/invoices/s1/write-off').send({ reason: 'Insolvent' }).expect(200)).body).toMatchObject({ status: 'written_off', writtenOff: '600.00' });
    expect((await h.as(cm).put('/customers/solo/credit-limit').send({ amount: '1000000.00', reason: 'Group' }).expect(200)).body).toMatchObject({ status: 'changed', creditLimit: '1000000.00' });
    expect((await h.as(cm).post('/customers/solo/credit-limit/approve').send({}).expect(409)).body.code).toBe('NO_LIMIT_INCREASE_PENDING');
  });
});
