import { line, startApi, type Harness } from '../support/api-harness';

/**
 * An invoice held for approval takes its number, and its place in the books, when approved: the approval is
 * refused in a closed period (ADR 0048) and numbered in date order (CGI annex II art. 242 nonies A, ADR 0049);
 * the approver dates it in the open period instead.
 */
describe('approvals meet closed periods and chronological numbers', () => {
  let h: Harness;
  // Four eyes on identity (ADR 0042): the invoices are submitted by the admin key, approved by the CFO's own key.
  let cfo: string;
  beforeAll(async () => {
    h = await startApi();
    cfo = (await h.createKey('credit_manager', 'cfo')).key;
    await h.http().post('/customers').send({ id: 'small', name: 'Small SARL', currency: 'EUR', creditLimit: '100.00', creditPolicy: 'hold_for_approval' }).expect(201);
    // 1 000.00 net, no VAT: above the 100.00 limit → held, unnumbered.
    await h.http().post('/invoices').send({ id: 'a1', customerId: 'small', issueDate: '2026-03-10', lines: [line('1000.00', '1', '0')] }).expect(201)
      .expect((r) => expect(r.body).toMatchObject({ status: 'pending_approval', number: null }));
    await h.http().post('/periods/close').send({ through: '2026-03-31', reason: 'Q1 closing' }).expect(200);
  });
  afterAll(async () => { await h.close(); });

  it('refuses the approval on the submitted date, now closed, and approves it dated in the open period', async () => {
    const head = await h.head();
    await h.as(cfo).post('/invoices/a1/approve').send({ reason: 'Guarantee received' }).expect(422)
      .expect((r) => expect(r.body).toMatchObject({ code: 'PERIOD_CLOSED', details: { field: 'issueDate', date: '2026-03-10', closedThrough: '2026-03-31' } }));
    expect(await h.head()).toBe(head);
    // Net 30 from 2026-04-01: due 2026-05-01.
    const ok = await h.as(cfo).post('/invoices/a1/approve').send({ reason: 'Guarantee received', issueDate: '2026-04-01' }).expect(200);
    expect(ok.body).toMatchObject({ number: 'INV-000001', issueDate: '2026-04-01', dueDate: '2026-05-01', total: '1000.00' });
  });

  it('refuses an approval dated before the last numbered invoice, and numbers it on a later date', async () => {
    await h.http().post('/invoices').send({ id: 'a2', customerId: 'small', issueDate: '2026-04-05', lines: [line('50.00', '1', '0')] }).expect(201)
      .expect((r) => expect(r.body).toMatchObject({ status: 'pending_approval' }));
    await h.http().post('/customers').send({ id: 'big', name: 'Big SA', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'b1', customerId: 'big', issueDate: '2026-04-10', lines: [line('10.00', '1', '0')] }).expect(201)
      .expect((r) => expect(r.body.number).toBe('INV-000002'));
    await h.as(cfo).post('/invoices/a2/approve').send({ reason: 'ok' }).expect(422)
      .expect((r) => expect(r.body).toMatchObject({ code: 'INVOICE_DATE_BEFORE_LAST_NUMBERED', details: { issueDate: '2026-04-05', lastNumber: 'INV-000002', lastIssueDate: '2026-04-10' } }));
    await h.as(cfo).post('/invoices/a2/approve').send({ reason: 'ok', issueDate: '2026-04-10' }).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ number: 'INV-000003', issueDate: '2026-04-10' }));
  });
});
