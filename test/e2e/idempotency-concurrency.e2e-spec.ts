import { line, startApi, type Harness } from '../support/api-harness';

describe('idempotent retries and concurrent commands over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'c1', name: 'One', currency: 'EUR', creditLimit: '10000.00' }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  it('the same Idempotency-Key gives the same response and appends nothing', async () => {
    const send = () => h.http().post('/invoices').set('Idempotency-Key', 'order-77').send({ customerId: 'c1', issueDate: '2026-01-01', lines: [line('100.00')] });
    const first = await send().expect(201);
    const head = await h.head();
    const again = await send().expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect({ ...again.body, position: 0 }).toEqual({ ...first.body, position: 0 });
    expect(await h.head()).toBe(head);

    const pay = () => h.http().post('/payments').set('Idempotency-Key', 'bank-line-9').send({ customerId: 'c1', amount: '50.00', receivedOn: '2026-01-05', method: 'sepa' });
    const p1 = await pay().expect(201);
    const afterPay = await h.head();
    const p2 = await pay().expect(201);
    expect(p2.body.id).toBe(p1.body.id);
    expect(p2.body.allocations).toEqual(p1.body.allocations);
    expect(await h.head()).toBe(afterPay);
    expect((await h.http().get(`/invoices/${first.body.id}`).expect(200)).body.outstanding).toBe('70.00');
  });

  it('the same key on another route is refused as a reused key (ADR 0044), writing nothing', async () => {
    const head = await h.head();
    const res = await h.http().post('/customers').set('Idempotency-Key', 'order-77').send({ name: 'Two', currency: 'EUR', creditLimit: '1.00' }).expect(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await h.head()).toBe(head);
  });

  it('concurrent invoices for one customer never pass a limit only some fit under', async () => {
    await h.http().post('/customers').send({ id: 'tight', name: 'Tight', currency: 'EUR', creditLimit: '1000.00' }).expect(201);
    const results = await Promise.all(Array.from({ length: 12 }, () =>
      h.http().post('/invoices').send({ customerId: 'tight', issueDate: '2026-01-01', lines: [line('100.00', '1', '0')] })));
    const accepted = results.filter((r) => r.status === 201);
    expect(results.filter((r) => r.status === 422).every((r) => r.body.code === 'CREDIT_LIMIT_EXCEEDED')).toBe(true);
    expect(accepted).toHaveLength(10);
    const balance = await h.http().get('/customers/tight/balance').expect(200);
    expect(balance.body.outstanding).toBe('1000.00');
    // Numbers stay gap-free and unique under concurrency.
    const numbers = accepted.map((r) => Number(String(r.body.number).slice(4))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('concurrent payments for one customer allocate without over-applying', async () => {
    await h.http().post('/customers').send({ id: 'busy', name: 'Busy', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    for (let i = 0; i < 3; i++) {
      await h.http().post('/invoices').send({ id: `b${i}`, customerId: 'busy', issueDate: `2026-01-0${i + 1}`, lines: [line('100.00', '1', '0')] }).expect(201);
    }
    const payments = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      h.http().post('/payments').send({ id: `bp${i}`, customerId: 'busy', amount: '50.00', receivedOn: '2026-02-01', method: 'sepa' })));
    expect(payments.map((p) => p.status)).toEqual(Array(8).fill(201));
    const balance = await h.http().get('/customers/busy/balance').expect(200);
    expect(balance.body).toMatchObject({ invoiced: '300.00', paid: '300.00', outstanding: '0.00', unapplied: '100.00' });
  });
});
