import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port';
import { chainEvents } from '../../libs/event-store/hash-chain';
import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Interest during a payment plan over HTTP (ADR 0051). Code de commerce L441-10: simple interest from the day after
 * the due date at the ECB main refinancing rate of 1 January 2026 (2.15 %) + 10 points = 12.15 %, days actual/365,
 * rounded once half-up; D441-5: EUR 40 once per late invoice. Every invoice is 500.00 + 20 % VAT = 600.00.
 */
describe('payment plans over HTTP — interest during the plan', () => {
  let h: Harness;
  const plan = (id: string, invoiceId: string, agreedOn: string, instalments: Array<[string, string]>, extra: Record<string, unknown> = {}) =>
    h.http().post('/payment-plans').send({ id, customerId: 'pi', invoiceIds: [invoiceId], agreedOn, graceDays: 5, instalments: instalments.map(([dueDate, amount]) => ({ dueDate, amount })), ...extra });
  const pay = (id: string, invoiceId: string, receivedOn: string) =>
    h.http().post('/payments').send({ id, customerId: 'pi', amount: '300.00', receivedOn, method: 'sepa', allocations: [{ invoiceId, amount: '300.00' }] }).expect(201);
  const assess = (invoiceId: string, asOf: string) => h.http().post(`/invoices/${invoiceId}/late-charges`).send({ asOf }).expect(200);

  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'pi', name: 'Plans SARL', currency: 'EUR', country: 'FR', creditLimit: '100000.00' }).expect(201);
    // Issued in date order (chronological numbering, ADR 0049).
    await h.http().post('/invoices').send({ id: 'a1', customerId: 'pi', issueDate: '2026-01-01', lines: [line('500.00')] }).expect(201); // 600.00 due 01-31
    for (const id of ['w1', 'w2', 'v1']) {
      await h.http().post('/invoices').send({ id, customerId: 'pi', issueDate: '2026-01-10', lines: [line('500.00')] }).expect(201); // 600.00 due 02-09
    }
  });
  afterAll(async () => { await h.close(); });

  it('accrue (the default), kept: nothing for the plan days while it runs, the whole period once it is completed', async () => {
    const agreed = await plan('pa', 'a1', '2026-03-01', [['2026-03-31', '300.00'], ['2026-04-30', '300.00']]).expect(201);
    expect(agreed.body).toMatchObject({ id: 'pa', status: 'active', interest: 'accrue', agreedOn: '2026-03-01', endedOn: null });
    // While in force, asOf 03-20: only the days before the agreement, 02-01…02-28 = 28 d:
    // 600.00 × 12.15 % × 28 / 365 = 5.592… → 5.59, + 40.00 (D441-5) = 45.59; 03-01…03-20 deferred to the plan's end.
    const during = await assess('a1', '2026-03-20');
    expect(during.body).toMatchObject({
      assessed: { from: '2026-02-01', through: '2026-02-28', interest: '5.59', compensation: '40.00', amount: '45.59' }, outstanding: '645.59',
      deferredToPlanEnd: { planId: 'pa', interest: 'accrue', from: '2026-03-01', through: '2026-03-20' },
    });
    expect((await assess('a1', '2026-03-25')).body).toMatchObject({ assessed: null, deferredToPlanEnd: { from: '2026-03-01', through: '2026-03-25' } });
    // The preview agrees: the whole period is shown, nothing more is to assess while the plan runs.
    expect((await h.http().get('/invoices/a1/late-charges?asOf=2026-03-25').expect(200)).body).toMatchObject({ assessedThrough: '2026-02-28', toAssess: null });
    await pay('pa-1', 'a1', '2026-03-31');
    await pay('pa-2', 'a1', '2026-04-30');
    expect((await h.http().post('/payment-plans/pa/check').send({ asOf: '2026-04-30' }).expect(200)).body).toMatchObject({ status: 'completed', interest: 'accrue', endedOn: '2026-04-30' });
    // After completion, asOf 05-31, from 03-01: 03-01…03-31 (31 d) on 600.00, 04-01…04-30 (30 d) on 300.00 (the
    // 03-31 receipt lowers it from the next day), nothing owed from 05-01: (600.00 × 31 + 300.00 × 30) × 12.15 % / 365
    // = 27 600.00 × 0.1215 / 365 = 9.187… → 9.19. Whole period 5.59 + 9.19 = 14.78 (one computation over
    // 02-01…05-31: (600.00 × 59 + 300.00 × 30) × 0.1215 / 365 = 14.779… → 14.78, the same).
    const after = await assess('a1', '2026-05-31');
    expect(after.body).toMatchObject({ assessed: { from: '2026-03-01', through: '2026-05-31', interest: '9.19', compensation: '0.00', amount: '9.19' }, outstanding: '54.78', deferredToPlanEnd: null });
    expect((await h.http().get('/payment-plans/pa').expect(200)).body).toMatchObject({ status: 'completed', interest: 'accrue', total: '600.00' });
  });

  it('waive, kept: no interest for the days the plan was in force; the days before it and the EUR 40 stay due', async () => {
    const agreed = await plan('pw', 'w1', '2026-02-20', [['2026-03-15', '300.00'], ['2026-04-15', '300.00']], { interest: 'waive' }).expect(201);
    expect(agreed.body).toMatchObject({ interest: 'waive', status: 'active' });
    await pay('pw-1', 'w1', '2026-03-14');
    await pay('pw-2', 'w1', '2026-04-14');
    expect((await h.http().post('/payment-plans/pw/check').send({ asOf: '2026-04-15' }).expect(200)).body).toMatchObject({ status: 'completed', interest: 'waive', endedOn: '2026-04-15' });
    // 02-10…02-19 (10 d, before the agreement) on 600.00: 600.00 × 12.15 % × 10 / 365 = 1.997… → 2.00; 02-20…04-15
    // waived; nothing owed after. + 40.00 = 42.00. (Accrued, it would have been (600.00 × 33 + 300.00 × 31) × 0.1215 / 365 = 9.69.)
    // The preview applies the waiver too.
    expect((await h.http().get('/invoices/w1/late-charges?asOf=2026-05-31').expect(200)).body).toMatchObject({ interest: '2.00', compensation: '40.00', toAssess: { total: '42.00' } });
    const after = await assess('w1', '2026-05-31');
    expect(after.body).toMatchObject({ assessed: { from: '2026-02-10', through: '2026-05-31', interest: '2.00', compensation: '40.00', amount: '42.00' }, outstanding: '42.00' });
    expect((await h.http().get('/payment-plans/pw').expect(200)).body).toMatchObject({ interest: 'waive', status: 'completed', agreedOn: '2026-02-20', endedOn: '2026-04-15' });
  });

  it('waive, broken: the waiver is lost, every day is charged from the original due date', async () => {
    await plan('pb', 'w2', '2026-02-20', [['2026-03-15', '300.00'], ['2026-04-15', '300.00']], { interest: 'waive' }).expect(201);
    await pay('pb-1', 'w2', '2026-03-14');
    // Second instalment unpaid 5 days after 04-15: broken on 04-21.
    expect((await h.http().post('/payment-plans/pb/check').send({ asOf: '2026-04-21' }).expect(200)).body).toMatchObject({ status: 'broken', interest: 'waive', endedOn: '2026-04-21' });
    // 02-10…03-14 (33 d) on 600.00, 03-15…05-31 (17 + 30 + 31 = 78 d) on 300.00:
    // (600.00 × 33 + 300.00 × 78) × 12.15 % / 365 = 43 200.00 × 0.1215 / 365 = 14.380… → 14.38, + 40.00 = 54.38.
    const after = await assess('w2', '2026-05-31');
    expect(after.body).toMatchObject({ assessed: { from: '2026-02-10', through: '2026-05-31', interest: '14.38', compensation: '40.00', amount: '54.38' }, outstanding: '354.38' });
  });

  it('a v1 agreement (written before the interest rule existed) reads as accrue', async () => {
    // PaymentPlanAgreed as schema v1 wrote it: no `interest`. The process manager attaches the invoice, as for any agreement.
    const store = h.app.get<EventStore>(EVENT_STORE);
    const data = {
      planId: 'pv1', customerId: 'pi', currency: 'EUR', invoices: [{ invoiceId: 'v1', outstanding: 60_000 }],
      instalments: [{ dueDate: '2026-03-15', amount: 30_000 }, { dueDate: '2026-04-15', amount: 30_000 }], total: 60_000, graceDays: 10, agreedOn: '2026-02-20',
    };
    const metadata = { actor: 'admin', recordedAt: '2026-02-20T09:00:00.000Z', commandId: 'v1-plan', correlationId: 'v1-plan', causationId: 'v1-plan', schemaVersion: 1 };
    await store.append('paymentplan-pv1', 'no_stream', chainEvents('paymentplan-pv1', null, [{ id: '00000000-0000-4000-8000-0000000000a1', type: 'PaymentPlanAgreed', data, metadata }]));
    const got = await h.http().get('/payment-plans/pv1').expect(200);
    expect(got.body).toMatchObject({ id: 'pv1', interest: 'accrue', status: 'active', agreedOn: '2026-02-20', endedOn: null, total: '600.00' });
    let planId: string | null = null;
    for (let i = 0; i < 50 && planId !== 'pv1'; i++) {
      planId = (await h.http().get('/invoices/v1').expect(200)).body.planId;
      if (planId !== 'pv1') await new Promise((r) => setTimeout(r, 100));
    }
    expect(planId).toBe('pv1');
    // In force under accrue: 02-10…02-19 (10 d) on 600.00 = 2.00 (as above) + 40.00 = 42.00; 02-20…03-31 deferred.
    expect((await assess('v1', '2026-03-31')).body).toMatchObject({
      assessed: { from: '2026-02-10', through: '2026-02-19', interest: '2.00', compensation: '40.00', amount: '42.00' },
      deferredToPlanEnd: { planId: 'pv1', interest: 'accrue', from: '2026-02-20', through: '2026-03-31' },
    });
    const history = (await h.http().get('/customers/pi/history').expect(200)).body.events.find((e: { type: string; data: { planId?: string } }) => e.type === 'PaymentPlanAgreed' && e.data.planId === 'pv1');
    expect(history.metadata.schemaVersion).toBe(1);
  });

  it('refuses an interest rule it does not know, without writing', async () => {
    const head = await h.head();
    const r = await plan('px', 'v1', '2026-02-20', [['2026-03-15', '600.00']], { interest: 'forgive' }).expect(400);
    expect(JSON.stringify(r.body)).toContain('interest must be one of accrue, waive');
    expect(await h.head()).toBe(head);
  });
});
