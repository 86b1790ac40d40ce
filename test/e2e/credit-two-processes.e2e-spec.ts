import { CreditStandingReader } from '../../libs/application/credit-standing';
import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Two API instances on the same stores (the second with AR_PROJECTOR=off, reading the first one's projections):
 * their in-process locks do not see each other, so only the series revision orders their credit decisions. Invoices
 * sent to both at once still never pass a limit that only some fit under (ADR 0011). Several rounds.
 */
describe('credit decisions across two API processes', () => {
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    a = await startApi();
    b = await startApi(a.dataDir, { AR_PROJECTOR: 'off' });
  });
  afterAll(async () => {
    await b.app.close();
    await a.close();
  });

  it.each([1, 2, 3, 4])('round %i: 12 invoices of 100.00 sent to both instances against a 1000.00 limit → exactly 10 issued', async (round) => {
    const customer = `two-${round}`;
    await a.http().post('/customers').send({ id: customer, name: 'Two', currency: 'EUR', creditLimit: '1000.00' }).expect(201);
    const send = (h: Harness) => h.http().post('/invoices').send({ customerId: customer, issueDate: '2026-05-01', lines: [line('100.00', '1', '0')] });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => send(i % 2 === 0 ? a : b)));
    const statuses = results.map((r) => (r.status === 201 ? 'issued' : `${r.status} ${r.body.code}`));
    const issued = statuses.filter((s) => s === 'issued').length;
    // The others are refused by the limit (or asked to retry when a read model lagged or the series kept moving).
    for (const s of statuses.filter((x) => x !== 'issued')) expect(['422 CREDIT_LIMIT_EXCEEDED', '409 READ_MODEL_BEHIND', '409 CONCURRENCY_CONFLICT']).toContain(s);
    expect(issued).toBeLessThanOrEqual(10);
    if (!statuses.some((s) => s.startsWith('409'))) expect(issued).toBe(10);
    const balance = await a.http().get(`/customers/${customer}/balance`).expect(200);
    expect(Number(balance.body.outstanding)).toBe(issued * 100);
  });

  it('a decision made on figures older than another process\'s reservation is decided again on fresh figures', async () => {
    await a.http().post('/customers').send({ id: 'race', name: 'Race', currency: 'EUR', creditLimit: '1000.00' }).expect(201);
    await a.http().post('/invoices').send({ customerId: 'race', issueDate: '2026-05-01', lines: [line('900.00', '1', '0')] }).expect(201);
    // Force the worst interleaving: B has read the series tail and the figures (900.00) when A issues 100.00.
    const reader = b.app.get(CreditStandingReader);
    const original = reader.read.bind(reader);
    let raced = false;
    reader.read = async (...args) => {
      const figures = await original(...args);
      if (!raced) {
        raced = true;
        await a.http().post('/invoices').send({ id: 'race-a', customerId: 'race', issueDate: '2026-05-01', lines: [line('100.00', '1', '0')] }).expect(201);
      }
      return figures;
    };
    try {
      const fromB = await b.http().post('/invoices').send({ id: 'race-b', customerId: 'race', issueDate: '2026-05-01', lines: [line('100.00', '1', '0')] });
      expect(raced).toBe(true);
      // B's reservation at the old tail conflicts; B reads the figures again (1000.00) and refuses.
      expect({ status: fromB.status, code: fromB.body.code, exposure: fromB.body.details?.exposure }).toEqual({ status: 422, code: 'CREDIT_LIMIT_EXCEEDED', exposure: '1100.00' });
    } finally {
      reader.read = original;
    }
    expect((await a.http().get('/customers/race/balance').expect(200)).body.outstanding).toBe('1000.00');
  });
});
