import { line, startApi, type Harness } from '../support/api-harness';

/** Dunning at the collection-agency level puts the customer on the Credit aggregate's hold (ADR 0017), once. */
describe('dunning → credit hold over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'late', name: 'Late SARL', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'l1', customerId: 'late', issueDate: '2026-01-01', lines: [line('1000.00')] }).expect(201); // due 01-31
    await h.http().post('/invoices').send({ id: 'l2', customerId: 'late', issueDate: '2026-01-02', lines: [line('200.00')] }).expect(201); // due 02-01
  });
  afterAll(async () => { await h.close(); });

  it('a run at the agency level places a manual hold naming invoice and level; a new invoice is refused', async () => {
    expect((await h.http().get('/customers/late/credit').expect(200)).body.hold).toEqual({ onHold: false, holds: [] });
    // Letters go in ladder order at the ladder's intervals (ADR 0039): levels 1–3 on 02-08, 02-22, 03-08, no hold yet.
    for (const [asOf, level] of [['2026-02-08', 1], ['2026-02-22', 2], ['2026-03-08', 3]] as const) {
      const climb = await h.http().post('/dunning/runs').send({ asOf }).expect(201);
      expect(climb.body.sent.map((s: { invoiceId: string; level: number; creditHold: boolean }) => [s.invoiceId, s.level, s.creditHold])).toEqual([['l1', level, false], ['l2', level, false]]);
    }
    expect((await h.http().get('/customers/late/credit').expect(200)).body.hold.onHold).toBe(false);
    const run = await h.http().post('/dunning/runs').send({ asOf: '2026-04-15' }).expect(201);
    expect(run.body.sent).toEqual(expect.arrayContaining([
      expect.objectContaining({ invoiceId: 'l1', level: 4, creditHold: true }),
      expect.objectContaining({ invoiceId: 'l2', level: 4, creditHold: true }),
    ]));
    const credit = (await h.http().get('/customers/late/credit').expect(200)).body;
    expect(credit.hold.onHold).toBe(true);
    // Two invoices asked for it: one hold, from the first reminder; the second request found it in force.
    expect(credit.hold.holds).toEqual([expect.objectContaining({ kind: 'manual', reason: 'Dunning level 4 (Collection agency) on invoice INV-000001' })]);
    const refused = await h.http().post('/invoices').send({ id: 'l3', customerId: 'late', issueDate: '2026-04-16', lines: [line('10.00')] }).expect(422);
    expect(refused.body.code).toBe('CUSTOMER_ON_CREDIT_HOLD');
    const types = (await h.http().get('/customers/late/history').expect(200)).body.events.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'CreditHoldPlaced')).toHaveLength(1);
  });

  it('a second run for the same date adds nothing', async () => {
    const head = await h.head();
    const again = await h.http().post('/dunning/runs').send({ asOf: '2026-04-15' }).expect(201);
    expect(again.body.sent).toEqual([]);
    expect(await h.head()).toBe(head);
    const types = (await h.http().get('/customers/late/history').expect(200)).body.events.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'CreditHoldPlaced')).toHaveLength(1);
  });

  it('after a person releases the hold, a later run (no new level to reach) does not place it again', async () => {
    await h.http().delete('/customers/late/credit-hold').send({ reason: 'Agreed a schedule' }).expect(200);
    const run = await h.http().post('/dunning/runs').send({ asOf: '2026-05-15' }).expect(201);
    expect(run.body.sent).toEqual([]);
    expect((await h.http().get('/customers/late/credit').expect(200)).body.hold.onHold).toBe(false);
  });
});
