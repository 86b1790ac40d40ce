import { ALL_PROJECTIONS } from '../../projections';
import { line, startApi, type Harness } from '../support/api-harness';

describe('AR slice over HTTP (SQLite)', () => {
  let h: Harness;
  beforeAll(async () => { h = await startApi(); });
  afterAll(async () => { await h.close(); });

  it('registers, invoices, collects and reports, each read reflecting the write before it', async () => {
    // The actor is the authenticated principal: a clerk's key named clerk.anna.
    const anna = await h.createKey('clerk', 'clerk.anna');
    await h.as(anna.key).post('/customers')
      .send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '10000.00' }).expect(201)
      .expect((r) => expect(r.body).toEqual({ id: 'acme', position: expect.any(Number) }));

    const inv1 = await h.http().post('/invoices')
      .send({ id: 'i1', customerId: 'acme', issueDate: '2026-01-10', lines: [line('1200.00', '3'), line('10.00', '2', '0.055')] })
      .expect(201);
    // 3 × 1200.00 = 3600.00 + 20 % = 720.00; 2 × 10.00 = 20.00 + 5.5 % = 1.10 → total 4341.10
    expect(inv1.body).toMatchObject({ id: 'i1', number: 'INV-000001', net: '3620.00', tax: '721.10', total: '4341.10', dueDate: '2026-02-09', status: 'issued' });

    const inv2 = await h.http().post('/invoices').send({ id: 'i2', customerId: 'acme', issueDate: '2026-02-01', lines: [line('1000.00')] }).expect(201);
    expect(inv2.body).toMatchObject({ number: 'INV-000002', total: '1200.00', dueDate: '2026-03-03' });

    // Reference names i2: it is settled first, the rest goes to the oldest due (i1).
    const payment = { id: 'p1', customerId: 'acme', amount: '1500.00', receivedOn: '2026-02-20', method: 'bank_transfer', reference: 'INV-000002' };
    const headBefore = await h.head();
    const pay = await h.http().post('/payments').set('Idempotency-Key', 'slice-p1').send(payment).expect(201);
    expect(pay.body).toMatchObject({ id: 'p1', allocations: [{ invoiceId: 'i2', amount: '1200.00' }, { invoiceId: 'i1', amount: '300.00' }], unapplied: '0.00' });
    // One append: PaymentReceived, 2 × PaymentAllocated, i2's PaymentApplied + InvoiceSettled, i1's PaymentApplied = 6 events;
    // the answer's position is the last of them.
    expect(await h.head()).toBe(headBefore + 6);
    expect(pay.body.position).toBe(headBefore + 6);
    // The same request under the same key: the same body, position included, and nothing appended.
    const again = await h.http().post('/payments').set('Idempotency-Key', 'slice-p1').send(payment).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(pay.body);
    expect(await h.head()).toBe(headBefore + 6);

    const balance = await h.http().get('/customers/acme/balance').expect(200);
    expect(balance.headers['x-read-model-consistency']).toBe('fresh');
    expect(balance.body).toEqual({
      customerId: 'acme', name: 'ACME SAS', currency: 'EUR', invoiced: '5541.10', paid: '1500.00', outstanding: '4041.10',
      unapplied: '0.00', creditLimit: '10000.00', availableCredit: '5958.90', invoiceCount: 2, openInvoiceCount: 1,
    });
    expect((await h.http().get('/invoices/i2').expect(200)).body).toMatchObject({ status: 'paid', paid: '1200.00', outstanding: '0.00', settledOn: '2026-02-20' });
    expect((await h.http().get('/invoices/i1').expect(200)).body).toMatchObject({ status: 'partially_paid', paid: '300.00', outstanding: '4041.10' });

    // Aging as of 2026-03-01: i1 due 2026-02-09 → 20 days late; the payment of 2026-02-20 counts.
    const aging = await h.http().get('/reports/aging?asOf=2026-03-01').expect(200);
    expect(aging.body).toMatchObject({ asOf: '2026-03-01', currency: 'EUR', total: '4041.10', buckets: { current: '0.00', '1-30': '4041.10', '31-60': '0.00' } });
    // As of 2026-02-15 the payment had not been received and i2 was not yet due.
    const before = await h.http().get('/reports/aging?asOf=2026-02-15').expect(200);
    expect(before.body.buckets).toEqual({ current: '1200.00', '1-30': '4341.10', '31-60': '0.00', '61-90': '0.00', '90+': '0.00' });
    expect(before.body.total).toBe('5541.10');
    // Before anything was issued nothing counts.
    expect((await h.http().get('/reports/aging?asOf=2025-12-31').expect(200)).body.total).toBe('0.00');

    const history = await h.http().get('/customers/acme/history').expect(200);
    const types = history.body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['CustomerRegistered', 'InvoiceIssued', 'InvoiceIssued', 'PaymentReceived', 'PaymentAllocated', 'PaymentAllocated', 'PaymentApplied', 'InvoiceSettled', 'PaymentApplied']);
    const positions = history.body.events.map((e: { position: number }) => e.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(history.body.events[0].metadata).toMatchObject({ actor: 'clerk.anna', actorId: `key:${anna.id}`, schemaVersion: 1 });
    expect(history.body.events[0].metadata.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes the credit limit with a reason and refuses an invoice that would exceed it', async () => {
    await h.http().put('/customers/acme/credit-limit').send({ amount: '5000.00', reason: 'Review' })
      .expect(200).expect((r) => expect(r.body).toMatchObject({ creditLimit: '5000.00', previousLimit: '10000.00' }));
    const head = await h.head();
    const refused = await h.http().post('/invoices').send({ customerId: 'acme', issueDate: '2026-03-01', lines: [line('1000.00')] }).expect(422);
    expect(refused.body).toEqual({
      code: 'CREDIT_LIMIT_EXCEEDED',
      message: expect.any(String),
      details: {
        customerId: 'acme', currency: 'EUR', creditLimit: '5000.00', outstanding: '4041.10', pendingApproval: '0.00', unappliedCredit: '0.00',
        invoiceTotal: '1200.00', exposure: '5241.10', excess: '241.10', policy: 'reject',
      },
    });
    expect(await h.head()).toBe(head);
    // The next accepted invoice takes the next number: the refusal left no gap.
    const ok = await h.http().post('/invoices').send({ customerId: 'acme', issueDate: '2026-03-01', lines: [line('500.00')] }).expect(201);
    expect(ok.body.number).toBe('INV-000003');
    expect(ok.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps its data across a restart and rebuilds projections identical to the live ones', async () => {
    await h.restart();
    expect((await h.http().get('/customers/acme/balance').expect(200)).body.outstanding).toBe('4641.10');
    for (const name of ['open-balances', 'invoices', 'open-items', 'audit-trail', 'credit-exposure', 'customer-credit', 'journal', 'lettering-links', 'customer-ledger', 'customer-months', 'customer-streams']) {
      const result = await h.projector().verify(name);
      expect({ name, identical: result.identical }).toEqual({ name, identical: true });
    }
  });

  it('reports each projection caught up with the log, and no process-manager error', async () => {
    const status = await h.http().get('/projections').expect(200);
    const head = await h.head();
    expect(status.body.processManager).toMatchObject({ state: 'live', lastError: null, retrying: null, parked: [] });
    expect(status.body.projections.map((p: { name: string }) => p.name)).toEqual(['open-balances', 'invoices', 'open-items', 'audit-trail', 'credit-exposure', 'customer-credit', 'journal', 'lettering-links', 'customer-ledger', 'customer-months', 'customer-streams', 'approval-requests', 'bank-entries', 'customer-profiles', 'payments', 'credit-notes', 'disputes', 'payment-plans']);
    const declared = new Map(ALL_PROJECTIONS.map((p) => [p.name, p.version]));
    for (const p of status.body.projections) expect(p).toMatchObject({ version: declared.get(p.name), checkpoint: head, head, lag: 0, lastError: null });
  });

  it('serves the OpenAPI document at /docs', async () => {
    await h.http().get('/docs').expect(200);
    const spec = await h.http().get('/docs-json').expect(200);
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/customers', '/invoices', '/payments', '/reports/aging', '/customers/{id}/history']));
  });
});
