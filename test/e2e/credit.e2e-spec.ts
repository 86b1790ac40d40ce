import { QueryBus } from '@nestjs/cqrs';
import { GetHistoryQuery, type AuditedEvent } from '../../libs/application/queries/queries';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port';
import { line, startApi, type Harness } from '../support/api-harness';

/** Credit management over HTTP: terms, holds, assessments, limits, hold-for-approval, the policy run, history. */
describe('credit management over HTTP', () => {
  let h: Harness;
  // Later cases issue invoices dated before earlier ones: they go to their own series (ADR 0049).
  // The actors are principals: one key per person (credit managers, a clerk), named as the audit trail shows them.
  const keys = new Map<string, string>();
  const as = (name: string) => h.as(keys.get(name)!);
  beforeAll(async () => {
    h = await startApi(undefined, { AR_INVOICE_BACKDATED_SERIES: 'INVB' });
    for (const [name, role] of [['credit.manager', 'credit_manager'], ['cfo', 'credit_manager'], ['analyst.eve', 'credit_manager'], ['scheduler', 'credit_manager'], ['clerk.bob', 'clerk']]) {
      keys.set(name, (await h.createKey(role, name)).key);
    }
  });
  afterAll(async () => { await h.close(); });

  const unchanged = async (send: () => Promise<{ status: number; body: { code: string; details: { field?: string } } }>, status: number, code: string, field?: string) => {
    const head = await h.head();
    const res = await send();
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    if (field) expect(res.body.details.field).toBe(field);
    expect(await h.head()).toBe(head);
  };

  it('registers customers with a country (ISO 3166-1) and refuses terms beyond its legal cap unless agreed', async () => {
    await h.http().post('/customers').send({ id: 'dupont', name: 'Dupont SARL', currency: 'EUR', creditLimit: '10000.00', country: 'FR' }).expect(201);
    await unchanged(() => h.http().post('/customers').send({ id: 'x1', name: 'X', currency: 'EUR', creditLimit: '1.00', country: 'XX' }), 400, 'COUNTRY_UNKNOWN', 'country');
    await unchanged(() => h.http().post('/customers').send({ id: 'x2', name: 'X', currency: 'EUR', creditLimit: '1.00', paymentTermsDays: 90 }), 422, 'PAYMENT_TERMS_BEYOND_LEGAL_CAP', 'paymentTermsDays');
    await h.http().post('/customers').send({ id: 'x3', name: 'X', currency: 'EUR', creditLimit: '1.00', paymentTermsDays: 90, termsAgreedBeyondCap: true }).expect(201);
    await h.http().post('/customers').send({ id: 'acme-us', name: 'ACME Inc', currency: 'USD', creditLimit: '1.00', paymentTermsDays: 90, country: 'US' }).expect(201);
  });

  it('sets named payment terms with a reason; bad terms get 400/422 and write nothing', async () => {
    const put = (body: object) => as('credit.manager').put('/customers/dupont/payment-terms').send(body);
    await unchanged(() => put({ terms: 'net sixty', reason: 'x' }), 400, 'PAYMENT_TERMS_UNKNOWN', 'terms');
    await unchanged(() => put({ terms: { type: 'instalments', schedule: [{ percent: '50', days: 30 }, { percent: '40', days: 60 }] }, reason: 'x' }), 400, 'INSTALMENTS_NOT_100_PERCENT', 'terms.schedule');
    await unchanged(() => put({ terms: 'end of month + 50', reason: 'x' }), 422, 'PAYMENT_TERMS_BEYOND_LEGAL_CAP', 'terms');
    await unchanged(() => put({ terms: 'net 30' }), 400, 'VALIDATION_FAILED', 'reason');
    await unchanged(() => h.http().put('/customers/nobody/payment-terms').send({ terms: 'net 30', reason: 'x' }), 404, 'CUSTOMER_NOT_FOUND');

    const ok = await put({ terms: '2/10 net 30', reason: 'Early payment incentive' }).expect(200);
    expect(ok.body).toMatchObject({
      terms: { type: 'early_discount', discountPercent: '2', discountDays: 10, netDays: 30, description: '2/10 net 30' },
      previousTerms: { type: 'net', days: 30 }, beyondLegalCap: false, agreedBeyondCap: false,
    });
    const inv = await h.http().post('/invoices').send({ id: 'd1', customerId: 'dupont', issueDate: '2026-01-31', lines: [line('100.00')] }).expect(201);
    expect(inv.body).toMatchObject({ number: 'INV-000001', dueDate: '2026-03-02', terms: { description: '2/10 net 30' } });

    const agreed = await put({ terms: 'end of month + 50', reason: 'Framework contract art. 4', agreedBeyondCap: true }).expect(200);
    expect(agreed.body).toMatchObject({ beyondLegalCap: true, agreedBeyondCap: true, legalCap: { country: 'FR', maxDays: 60, maxEndOfMonthDays: 45 } });
  });

  it('lets one invoice override the customer\'s terms (instalments), within the cap unless agreed', async () => {
    const schedule = { type: 'instalments', schedule: [{ percent: '50', days: 30 }, { percent: '50', days: 60 }] };
    const inv = await h.http().post('/invoices').send({ id: 'd2', customerId: 'dupont', issueDate: '2026-02-01', terms: schedule, lines: [line('100.00')] }).expect(201);
    expect(inv.body).toMatchObject({ dueDate: '2026-04-02', terms: { type: 'instalments', schedule: [{ percent: '50', days: 30 }, { percent: '50', days: 60 }] } });
    await unchanged(() => h.http().post('/invoices').send({ customerId: 'dupont', issueDate: '2026-02-01', terms: 'net 75', lines: [line('1.00')] }), 422, 'PAYMENT_TERMS_BEYOND_LEGAL_CAP', 'terms');
    await unchanged(() => h.http().post('/invoices').send({ customerId: 'dupont', issueDate: '2026-02-01', terms: 'whenever', lines: [line('1.00')] }), 400, 'PAYMENT_TERMS_UNKNOWN', 'terms');
  });

  it('places and releases a manual credit hold; invoices are refused meanwhile', async () => {
    const placed = await as('credit.manager').post('/customers/dupont/credit-hold').send({ reason: 'Bankruptcy rumours' }).expect(201);
    expect(placed.body).toMatchObject({ onHold: true, holds: [{ kind: 'manual', reason: 'Bankruptcy rumours' }] });
    await unchanged(() => h.http().post('/customers/dupont/credit-hold').send({ reason: 'again' }), 409, 'CREDIT_HOLD_ALREADY_PLACED');
    await unchanged(() => h.http().post('/invoices').send({ customerId: 'dupont', issueDate: '2026-02-05', lines: [line('1.00')] }), 422, 'CUSTOMER_ON_CREDIT_HOLD');
    await unchanged(() => h.http().delete('/customers/dupont/credit-hold').send({}), 400, 'VALIDATION_FAILED', 'reason');
    const credit = await h.http().get('/customers/dupont/credit').expect(200);
    expect(credit.body.hold).toMatchObject({ onHold: true, holds: [{ kind: 'manual', reason: 'Bankruptcy rumours', actor: 'credit.manager' }] });
    const released = await as('cfo').delete('/customers/dupont/credit-hold').send({ reason: 'Rumours unfounded' }).expect(200);
    expect(released.body).toMatchObject({ released: ['manual'], onHold: false });
    await unchanged(() => h.http().delete('/customers/dupont/credit-hold').send({ reason: 'x' }), 409, 'CUSTOMER_NOT_ON_HOLD');
    await h.http().post('/invoices').send({ id: 'd3', customerId: 'dupont', issueDate: '2026-02-05', lines: [line('1.00')] }).expect(201);
  });

  it('assesses a customer with an explained, versioned result and changes the limit relying on it', async () => {
    const res = await as('analyst.eve').post('/customers/dupont/credit-assessments').send({
      id: 'as-1', assessedOn: '2026-06-30', yearsInBusiness: 12, externalRating: { agency: 'Banque de France', grade: 'B' },
      financials: { workingCapital: '200000.00', retainedEarnings: '300000.00', ebit: '100000.00', bookEquity: '500000.00', totalAssets: '1000000.00', totalLiabilities: '500000.00', annualRevenue: '5000000.00' },
    }).expect(201);
    expect(res.body).toMatchObject({
      assessmentId: 'as-1', modelVersion: 'ar-credit-score/1', inputs: { financials: { ebit: '100000.00' } },
      // Z'' 4.012 → 88 points (×50); behaviour: 3 of 3 late, (120 + 89 + 72) / 3 = 93.67 days → 0 points (×30);
      // 12 years → 100 (×10); grade B → 80 (×10): 6200 / 100 = 62 → C; limit 5 000 000.00 × 5 % = 250 000.00; net 30.
      result: { zScore: 4.012, zone: 'safe', score: 62, rating: 'C', confidence: 100, recommendedLimit: '250000.00', recommendedTerms: { type: 'net', days: 30 } },
    });
    expect(res.body.breakdown.components.map((c: { name: string }) => c.name)).toEqual(['altman_z2', 'payment_behaviour', 'years_in_business', 'external_rating']);
    // d1 (due 2026-03-02), d2 (2026-04-02) and d3 are unpaid: late as of 2026-06-30, so the behaviour component counts them.
    expect(res.body.inputs.paymentBehaviour).toMatchObject({ invoicesDue: 3, paidLate: 3, averageDaysLate: 93.67, openDisputes: 0 });

    const partial = await h.http().post('/customers/dupont/credit-assessments').send({ id: 'as-2', assessedOn: '2026-06-30', yearsInBusiness: 3 }).expect(201);
    expect(partial.body.result.confidence).toBe(40);
    expect(partial.body.breakdown.missingInputs).toEqual(expect.arrayContaining(['workingCapital', 'totalAssets', 'externalRating', 'annualRevenue']));
    expect(partial.body.result.recommendedLimit).toBeNull();

    await unchanged(() => h.http().post('/customers/dupont/credit-assessments').send({ financials: { ebit: '12,5' } }), 400, 'VALIDATION_FAILED', 'financials.ebit');
    await unchanged(() => h.http().post('/customers/dupont/credit-assessments').send({ financials: { ebit: '12.505' } }), 400, 'AMOUNT_TOO_MANY_DECIMALS', 'financials.ebit');
    await unchanged(() => h.http().post('/customers/dupont/credit-assessments').send({ financials: { totalAssets: '-1.00' } }), 400, 'FINANCIALS_INVALID', 'financials.totalAssets');
    await unchanged(() => h.http().post('/customers/x3/credit-assessments').send({}), 422, 'ASSESSMENT_INPUTS_INSUFFICIENT');
    await unchanged(() => h.http().put('/customers/dupont/credit-limit').send({ amount: '-5.00', reason: 'x' }), 400, 'VALIDATION_FAILED', 'amount');
    await unchanged(() => h.http().put('/customers/dupont/credit-limit').send({ amount: '5.00', reason: 'x', assessmentId: 'nope' }), 422, 'ASSESSMENT_NOT_FOUND', 'assessmentId');

    await as('cfo').put('/customers/dupont/credit-limit').send({ amount: '20000.00', reason: 'Annual review per assessment', assessmentId: 'as-1' }).expect(200);
    const credit = await h.http().get('/customers/dupont/credit').expect(200);
    expect(credit.body).toMatchObject({
      creditLimit: '20000.00', country: 'FR', rating: partial.body.result.rating,
      terms: { type: 'end_of_month', days: 50, agreedBeyondCap: true }, creditPolicy: { policy: 'reject', source: 'global' },
      exposure: { openReceivables: '241.20', pendingApproval: '0.00', unappliedCredit: '0.00', exposure: '241.20' },
      availableCredit: '19758.80', utilisation: '0.0121', utilisationPercent: '1.21',
      latestAssessment: { assessmentId: 'as-2' },
    });
    const history = await h.http().get('/customers/dupont/history').expect(200);
    const change = history.body.events.find((e: { type: string }) => e.type === 'CreditLimitChanged');
    expect(change).toMatchObject({ data: { reason: 'Annual review per assessment', assessment: { assessmentId: 'as-1', rating: res.body.result.rating } }, metadata: { actor: 'cfo' } });
  });

  it('holds invoices over the limit for approval; a person approves (next number) or rejects with a reason', async () => {
    await h.http().post('/customers').send({ id: 'big', name: 'Big Co', currency: 'EUR', creditLimit: '1000.00', creditPolicy: 'hold_for_approval' }).expect(201);
    await h.http().post('/invoices').send({ id: 'b1', customerId: 'big', issueDate: '2026-03-01', lines: [line('700.00', '1', '0')] }).expect(201);
    const held = await h.http().post('/invoices').send({ id: 'b2', customerId: 'big', issueDate: '2026-03-02', lines: [line('500.00', '1', '0')] }).expect(201);
    expect(held.body).toMatchObject({
      id: 'b2', number: null, dueDate: null, status: 'pending_approval',
      creditDecision: { decision: 'pending_approval', policy: 'hold_for_approval', policySource: 'customer', outstanding: '700.00', exposure: '1200.00', excess: '200.00' },
    });
    // The pending invoice counts in the exposure: 700 + 500 pending + 100 > 1000 → held too.
    const held2 = await h.http().post('/invoices').send({ id: 'b3', customerId: 'big', issueDate: '2026-03-03', lines: [line('100.00', '1', '0')] }).expect(201);
    expect(held2.body.creditDecision).toMatchObject({ pendingApproval: '500.00', exposure: '1300.00' });
    expect((await h.http().get('/customers/big/credit').expect(200)).body).toMatchObject({
      exposure: { openReceivables: '700.00', pendingApproval: '600.00', exposure: '1300.00' }, availableCredit: '-300.00', utilisationPercent: '130.00',
      pendingInvoices: [{ invoiceId: 'b2', total: '500.00' }, { invoiceId: 'b3', total: '100.00' }],
    });
    expect((await h.http().get('/customers/big/balance').expect(200)).body.outstanding).toBe('700.00');
    expect((await h.http().get('/reports/pending-approvals').expect(200)).body.customers).toEqual([{
      customerId: 'big', name: 'Big Co', currency: 'EUR', creditLimit: '1000.00', exposure: '1300.00', onHold: false,
      invoices: [{ invoiceId: 'b2', total: '500.00', issueDate: '2026-03-02' }, { invoiceId: 'b3', total: '100.00', issueDate: '2026-03-03' }],
    }]);
    await h.http().get('/invoices/b2').expect(404);

    // A retried submission (same Idempotency-Key) answers the same and appends nothing.
    const heldKey = () => h.http().post('/invoices').set('Idempotency-Key', 'held-b4').send({ id: 'b4', customerId: 'big', issueDate: '2026-03-03', lines: [line('1.00', '1', '0')] });
    const firstHeld = await heldKey().expect(201);
    const headAfterHeld = await h.head();
    const againHeld = await heldKey().expect(201);
    expect(againHeld.headers['idempotent-replayed']).toBe('true');
    expect({ ...againHeld.body, position: 0 }).toEqual({ ...firstHeld.body, position: 0 });
    expect(await h.head()).toBe(headAfterHeld);
    await h.http().post('/invoices/b4/reject').send({ reason: 'Duplicate order' }).expect(200);

    const numbersBefore = (await h.http().post('/invoices').send({ customerId: 'dupont', issueDate: '2026-03-03', lines: [line('1.00')] }).expect(201)).body.number;
    const approved = await as('cfo').post('/invoices/b2/approve').send({ reason: 'Parent guarantee received', issueDate: '2026-03-04' }).expect(200);
    expect(approved.body).toMatchObject({
      number: `INV-${String(Number(numbersBefore.slice(4)) + 1).padStart(6, '0')}`, status: 'issued', issueDate: '2026-03-04', dueDate: '2026-04-03',
      creditDecision: {
        decision: 'approved_on_review', pendingApproval: '100.00', exposure: '1300.00',
        review: { reason: 'Parent guarantee received', submittedBy: 'bootstrap-admin', approvedBy: 'cfo', submittedExposure: '1200.00' },
      },
    });
    await unchanged(() => as('cfo').post('/invoices/b2/approve').send({ reason: 'again' }), 409, 'INVOICE_NOT_PENDING_APPROVAL');
    // The approval retried with its key is a replay, not a second number.
    const approveKey = () => as('cfo').post('/invoices/b5/approve').set('Idempotency-Key', 'approve-b5').send({ reason: 'ok' });
    await as('clerk.bob').post('/invoices').send({ id: 'b5', customerId: 'big', issueDate: '2026-03-04', lines: [line('1.00', '1', '0')] }).expect(201);
    // A clerk may issue, not approve (403 from the role); a submitter who may approve is refused by four eyes (b3 below).
    await unchanged(() => as('clerk.bob').post('/invoices/b5/approve').send({ reason: 'mine' }), 403, 'FORBIDDEN');
    const a1 = await approveKey().expect(200);
    const headAfterApproval = await h.head();
    const a2 = await approveKey().expect(200);
    expect(a2.headers['idempotent-replayed']).toBe('true');
    expect(a2.body.number).toBe(a1.body.number);
    expect(await h.head()).toBe(headAfterApproval);
    await unchanged(() => as('cfo').post('/invoices/b3/approve').send({ reason: 'x', issueDate: '2026-03-01' }), 400, 'ISSUE_DATE_BEFORE_SUBMISSION', 'issueDate');
    // Four eyes by identity: the admin key that submitted b3 cannot approve it, whatever its role.
    await unchanged(() => h.http().post('/invoices/b3/approve').send({ reason: 'x' }), 422, 'APPROVER_IS_SUBMITTER');
    await unchanged(() => h.http().post('/invoices/nope/approve').send({ reason: 'x' }), 404, 'INVOICE_NOT_FOUND');
    await unchanged(() => h.http().post('/invoices/b3/reject').send({}), 400, 'VALIDATION_FAILED', 'reason');
    const rejected = await as('cfo').post('/invoices/b3/reject').send({ reason: 'Order cancelled' }).expect(200);
    expect(rejected.body).toMatchObject({ id: 'b3', status: 'rejected', reason: 'Order cancelled' });
    await unchanged(() => as('cfo').post('/invoices/b3/approve').send({ reason: 'x' }), 409, 'INVOICE_NOT_PENDING_APPROVAL');
    // The rejection left no gap: the next invoice takes the number after the last approved one.
    const next = await h.http().post('/invoices').send({ customerId: 'dupont', issueDate: '2026-03-05', lines: [line('1.00')] }).expect(201);
    expect(Number(next.body.number.slice(4))).toBe(Number(a1.body.number.slice(4)) + 1);
    expect(Number(a1.body.number.slice(4))).toBe(Number(approved.body.number.slice(4)) + 1);

    expect((await h.http().get('/customers/big/credit').expect(200)).body.exposure).toMatchObject({ openReceivables: '1201.00', pendingApproval: '0.00' });
    const report = await h.http().get('/reports/credit-exposure?over=0.8').expect(200);
    expect(report.body.customers.map((c: { customerId: string }) => c.customerId)).toContain('big');
    expect(report.body.customers.find((c: { customerId: string }) => c.customerId === 'big')).toMatchObject({ utilisation: '1.2010', exposure: '1201.00', availableCredit: '-201.00' });
    expect(report.body.customers.map((c: { customerId: string }) => c.customerId)).not.toContain('dupont');
    expect((await h.http().get('/reports/credit-exposure?over=abc').expect(400)).body.code).toBe('UTILISATION_INVALID');

    const history = await h.http().get('/customers/big/history').expect(200);
    const facts = history.body.events.map((e: { type: string; metadata: { actor: string }; data: { reason?: string } }) => [e.type, e.metadata.actor, e.data.reason]);
    expect(facts).toEqual(expect.arrayContaining([
      ['InvoiceSubmittedForApproval', 'bootstrap-admin', undefined],
      ['InvoiceRejected', 'cfo', 'Order cancelled'],
    ]));
    const approval = history.body.events.find((e: { type: string; data: { invoiceId: string } }) => e.type === 'InvoiceIssued' && e.data.invoiceId === 'b2');
    expect(approval).toMatchObject({ metadata: { actor: 'cfo' }, data: { creditDecision: { decision: 'approved_on_review', review: { reason: 'Parent guarantee received' } } } });
  });

  it('runs the hold policy as of a date: holds customers over N days past due, releases them once paid', async () => {
    await h.http().post('/customers').send({ id: 'late', name: 'Late Ltd', currency: 'EUR', creditLimit: '5000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'l1', customerId: 'late', issueDate: '2026-01-01', lines: [line('100.00', '1', '0')] }).expect(201); // due 2026-01-31
    const notYet = await h.http().post('/credit-holds/policy-run').send({ asOf: '2026-03-02' }).expect(200); // 30 days past due: not more than 30
    expect(notYet.body.placed.map((p: { customerId: string }) => p.customerId)).not.toContain('late');
    const run = await as('scheduler').post('/credit-holds/policy-run').send({ asOf: '2026-03-03' }).expect(200);
    expect(run.body).toMatchObject({ asOf: '2026-03-03', maxDaysPastDue: 30, release: 'automatic' });
    expect(run.body.placed).toEqual(expect.arrayContaining([{ customerId: 'late', overdue: 1 }]));
    const again = await h.http().post('/credit-holds/policy-run').send({ asOf: '2026-03-03' }).expect(200);
    expect(again.body.placed).toEqual([]);
    expect(again.body.kept).toContain('late');
    await unchanged(() => h.http().post('/invoices').send({ customerId: 'late', issueDate: '2026-03-04', lines: [line('1.00')] }), 422, 'CUSTOMER_ON_CREDIT_HOLD');
    const credit = await h.http().get('/customers/late/credit').expect(200);
    expect(credit.body.hold.holds).toEqual([expect.objectContaining({ kind: 'policy', reason: expect.stringContaining('1 invoice(s) more than 30 days past due as of 2026-03-03'), actor: 'scheduler' })]);

    await h.http().post('/payments').send({ customerId: 'late', amount: '100.00', receivedOn: '2026-03-05', method: 'sepa' }).expect(201);
    const release = await h.http().post('/credit-holds/policy-run').send({ asOf: '2026-03-06' }).expect(200);
    expect(release.body.released).toContain('late');
    await h.http().post('/invoices').send({ customerId: 'late', issueDate: '2026-03-06', lines: [line('1.00')] }).expect(201);
    const history = await h.http().get('/customers/late/history').expect(200);
    const holds = history.body.events.filter((e: { type: string }) => e.type.startsWith('CreditHold'));
    expect(holds.map((e: { type: string; data: { kind: string; policy: { overdue: unknown[] } } }) => [e.type, e.data.kind, e.data.policy.overdue.length]))
      .toEqual([['CreditHoldPlaced', 'policy', 1], ['CreditHoldReleased', 'policy', 0]]);
    expect(holds[0].data.policy.overdue[0]).toMatchObject({ invoiceId: 'l1', dueDate: '2026-01-31', daysPastDue: 31, outstanding: 10000 });
    await unchanged(() => h.http().post('/credit-holds/policy-run').send({ asOf: '2026-02-30' }), 400, 'DATE_MALFORMED', 'asOf');
  });

  it('changes the customer\'s credit policy with a reason', async () => {
    const r = await h.http().put('/customers/dupont/credit-policy').send({ policy: 'hold_for_approval', reason: 'Key account' }).expect(200);
    expect(r.body).toMatchObject({ policy: 'hold_for_approval', source: 'customer' });
    const back = await h.http().put('/customers/dupont/credit-policy').send({ policy: 'default', reason: 'Review ended' }).expect(200);
    expect(back.body).toMatchObject({ policy: 'reject', source: 'global' });
    await unchanged(() => h.http().put('/customers/dupont/credit-policy').send({ policy: 'maybe', reason: 'x' }), 400, 'VALIDATION_FAILED', 'policy');
  });

  it('the audit trail lists every fact of the customer in log order, with the bodies the log holds', async () => {
    const { value } = await h.app.get(QueryBus).execute<GetHistoryQuery, { value: AuditedEvent[] }>(new GetHistoryQuery('dupont'));
    const log = (await h.app.get<EventStore>(EVENT_STORE).readAll(-1, 100_000))
      .filter((e) => e.data.customerId === 'dupont' && !e.streamId.startsWith('invoicenumbers-'));
    expect(value.length).toBeGreaterThan(5);
    expect(value.map((e) => [Number(e.position), e.streamId, e.revision, e.type, e.id, e.data, e.metadata]))
      .toEqual(log.map((e) => [e.position, e.streamId, e.revision, e.type, e.id, e.data, e.metadata]));
    expect(value.find((e) => e.type === 'CustomerRegistered')?.effectiveOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('rebuilds the credit-exposure projection identical to the live one', async () => {
    expect((await h.projector().verify('credit-exposure')).identical).toBe(true);
    expect((await h.projector().verify('audit-trail')).identical).toBe(true);
  });
});
