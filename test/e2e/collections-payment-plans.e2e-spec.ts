import { line, startApi, type Harness } from '../support/api-harness';

/** Payment plans over HTTP: dunning pauses for their invoices; a missed instalment breaks the plan and dunning resumes. */
describe('collections over HTTP — payment plans', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-01-01', lines: [line('500.00')] }).expect(201); // 600.00 due 01-31
    await h.http().post('/invoices').send({ id: 'i2', customerId: 'acme', issueDate: '2026-01-10', lines: [line('250.00')] }).expect(201); // 300.00 due 02-09
  });
  afterAll(async () => { await h.close(); });

  it('refuses instalments that do not add up, without writing', async () => {
    const head = await h.head();
    const r = await h.http().post('/payment-plans').send({ customerId: 'acme', invoiceIds: ['i1', 'i2'], agreedOn: '2026-02-20', instalments: [{ dueDate: '2026-03-15', amount: '899.99' }] }).expect(422);
    expect(r.body).toMatchObject({ code: 'PLAN_TOTAL_MISMATCH', details: { outstanding: '900.00', instalments: '899.99' } });
    expect(await h.head()).toBe(head);
  });

  it('puts the invoices in the plan (dunning skips them), then breaks it when an instalment is missed and dunning resumes', async () => {
    const plan = await h.http().post('/payment-plans').send({
      id: 'pl1', customerId: 'acme', invoiceIds: ['i1', 'i2'], agreedOn: '2026-02-20', graceDays: 5,
      instalments: [{ dueDate: '2026-03-15', amount: '450.00' }, { dueDate: '2026-04-15', amount: '450.00' }],
    }).expect(201);
    expect(plan.body).toMatchObject({ id: 'pl1', status: 'active', total: '900.00' });
    expect((await h.http().get('/invoices/i1').expect(200)).body).toMatchObject({ status: 'in_payment_plan', planId: 'pl1' });
    await h.http().post('/payment-plans').send({ customerId: 'acme', invoiceIds: ['i1'], agreedOn: '2026-02-21', instalments: [{ dueDate: '2026-03-15', amount: '600.00' }] }).expect(409)
      .expect((r) => expect(r.body.code).toBe('INVOICE_IN_PAYMENT_PLAN'));

    const skipped = (await h.http().get('/reports/dunning?asOf=2026-03-10').expect(200)).body;
    expect(skipped.actions).toEqual([]);
    expect(skipped.skipped).toEqual(expect.arrayContaining([expect.objectContaining({ invoiceId: 'i1', reason: 'under a payment plan' })]));

    // First instalment paid in time (payments go to instalments in order), the second is not.
    await h.http().post('/payments').send({ customerId: 'acme', amount: '450.00', receivedOn: '2026-03-14', method: 'sepa' }).expect(201);
    const run1 = await h.http().post('/dunning/runs').send({ asOf: '2026-04-01' }).expect(201);
    expect(run1.body.sent).toEqual([]);
    const run2 = await h.http().post('/dunning/runs').send({ asOf: '2026-04-21' }).expect(201);
    expect(run2.body.sent.map((s: { invoiceId: string }) => s.invoiceId).sort()).toEqual(['i1', 'i2']);
    // 71 days past due once released: the first reminder, never a skip to the agency level (ADR 0039).
    expect(run2.body.sent.map((s: { level: number }) => s.level)).toEqual([1, 1]);
    expect((await h.http().get('/invoices/i2').expect(200)).body).toMatchObject({ planId: null, status: 'issued' });
    const types = (await h.http().get('/customers/acme/history').expect(200)).body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['PaymentPlanAgreed', 'PaymentPlanAttached', 'PaymentPlanBroken', 'PaymentPlanDetached']));
    const check = await h.http().post('/payment-plans/pl1/check').send({ asOf: '2026-04-22' }).expect(200);
    expect(check.body).toMatchObject({ status: 'broken', events: [] });
  });

  it('a kept plan is not broken by charges assessed on its invoice, and a check as of a past date counts only what was received by then', async () => {
    await h.http().post('/customers').send({ id: 'kept', name: 'Kept SARL', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    // Issued on i2's date: numbers follow the dates (ADR 0049).
    await h.http().post('/invoices').send({ id: 'k1', customerId: 'kept', issueDate: '2026-01-10', lines: [line('750.00')] }).expect(201); // 900.00 due 02-09
    await h.http().post('/payment-plans').send({
      id: 'pl2', customerId: 'kept', invoiceIds: ['k1'], agreedOn: '2026-02-20', graceDays: 5,
      instalments: [{ dueDate: '2026-03-15', amount: '450.00' }, { dueDate: '2026-04-15', amount: '450.00' }],
    }).expect(201);
    // The first instalment paid on time, then late charges assessed onto k1 while the plan runs.
    await h.http().post('/payments').send({ id: 'k-mar', customerId: 'kept', amount: '450.00', receivedOn: '2026-03-14', method: 'sepa', allocations: [{ invoiceId: 'k1', amount: '450.00' }] }).expect(201);
    // Charges are not instalments: covered by 03-25 = 450.00 (the March receipt) ≥ 450.00 due by the first
    // instalment → still kept (counting the charges against the plan would leave 450.00 − charges and break it).
    const charged = await h.http().post('/invoices/k1/late-charges').send({ asOf: '2026-03-20' }).expect(200);
    expect(Number(charged.body.assessed.amount)).toBeGreaterThan(40);
    expect((await h.http().post('/payment-plans/pl2/check').send({ asOf: '2026-03-25' }).expect(200)).body).toMatchObject({ status: 'active', events: [] });
    await h.http().post('/payments').send({ id: 'k-apr', customerId: 'kept', amount: '450.00', receivedOn: '2026-04-14', method: 'sepa', allocations: [{ invoiceId: 'k1', amount: '450.00' }] }).expect(201);
    // As of 04-15 both instalments are received: the plan is completed even though the charges are still owed.
    expect((await h.http().post('/payment-plans/pl2/check').send({ asOf: '2026-04-15' }).expect(200)).body).toMatchObject({ status: 'completed', events: ['PaymentPlanCompleted'] });

    // A second plan whose only receipt so far is April's: a check as of 03-25 (first instalment 03-15 + 5 days of
    // grace passed) counts what was received by 03-25 = 0.00 < 450.00 → broken; the April receipt is not counted.
    await h.http().post('/invoices').send({ id: 'k2', customerId: 'kept', issueDate: '2026-01-10', lines: [line('750.00')] }).expect(201); // 900.00 due 02-09
    await h.http().post('/payment-plans').send({
      id: 'pl3', customerId: 'kept', invoiceIds: ['k2'], agreedOn: '2026-02-20', graceDays: 5,
      instalments: [{ dueDate: '2026-03-15', amount: '450.00' }, { dueDate: '2026-04-15', amount: '450.00' }],
    }).expect(201);
    await h.http().post('/payments').send({ id: 'k2-apr', customerId: 'kept', amount: '450.00', receivedOn: '2026-04-14', method: 'sepa', allocations: [{ invoiceId: 'k2', amount: '450.00' }] }).expect(201);
    expect((await h.http().post('/payment-plans/pl3/check').send({ asOf: '2026-03-25' }).expect(200)).body).toMatchObject({ status: 'broken', events: ['PaymentPlanBroken'] });
    const broken = (await h.http().get('/customers/kept/history').expect(200)).body.events.find((e: { type: string }) => e.type === 'PaymentPlanBroken');
    expect(broken.data).toMatchObject({ planId: 'pl3', instalment: 1, covered: 0, dueByThen: 45_000, brokenOn: '2026-03-25' });
  });

  it('rebuilds projections identical to the live ones, with no process-manager error', async () => {
    for (const name of ['open-balances', 'invoices', 'open-items', 'audit-trail']) {
      expect({ name, identical: (await h.projector().verify(name)).identical }).toEqual({ name, identical: true });
    }
    expect((await h.http().get('/projections').expect(200)).body.processManager).toMatchObject({ state: 'live', lastError: null, retrying: null, parked: [] });
  });
});
