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

  it.each([1, 2, 3, 4])('round %i: 12 invoices of 100.00 sent to both instances against a 1000.00 limit → exactly 10 issued, 2 refused (409s retried)', async (round) => {
    const customer = `two-${round}`;
    await a.http().post('/customers').send({ id: customer, name: 'Two', currency: 'EUR', creditLimit: '1000.00' }).expect(201);
    const send = (h: Harness, key: string) => h.http().post('/invoices').set('Idempotency-Key', key).send({ customerId: customer, issueDate: '2026-05-01', lines: [line('100.00', '1', '0')] });
    // A 409 (read model lagging, series kept moving) wrote nothing and asks the client to retry: this client does,
    // with the same key, a bounded number of times, so every invoice ends issued or refused by the limit.
    const settle = async (h: Harness, key: string) => {
      let r = await send(h, key);
      for (let attempt = 0; r.status === 409 && attempt < 30; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20 + 10 * attempt));
        r = await send(h, key);
      }
      return r;
    };
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => settle(i % 2 === 0 ? a : b, `two-${round}-${i}`)));
    const statuses = results.map((r) => (r.status === 201 ? 'issued' : `${r.status} ${r.body.code}`));
    // 12 × 100.00 against 1000.00: exactly 10 fit, exactly 2 are refused by the limit — never fewer successes
    // (a build answering 409 to everything fails here), never more (the limit would be passed).
    expect(statuses.filter((s) => s === 'issued')).toHaveLength(10);
    expect(statuses.filter((s) => s !== 'issued')).toEqual(['422 CREDIT_LIMIT_EXCEEDED', '422 CREDIT_LIMIT_EXCEEDED']);
    const issued = 10;
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
