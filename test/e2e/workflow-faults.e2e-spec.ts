import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { runCli } from '../../apps/cli/src/main';
import type { Io } from '../../apps/cli/src/io';
import { ApplyPaymentCommand } from '../../libs/application/commands/invoice.commands';
import { EventSourcedRepository } from '../../libs/application/event-sourced-repository';
import { findOrphans } from '../../libs/application/reporting/workflow-orphans';
import { ProcessManager } from '../../libs/application/process-manager';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import type { InvoiceNumberReserved } from '../../libs/domain/invoice/invoice-numbering.events';
import type { PaymentAllocated, PaymentReceived } from '../../libs/domain/payment/payment.events';
import { line, startApi, type Harness } from '../support/api-harness';
import { holdExclusiveLock } from '../support/faults';

/**
 * Fault injection on the real SQLite stores (ADR 0045–0047): another connection holds an exclusive lock on a
 * database for longer than the busy timeout while payments and invoices come in; a step is refused on purpose.
 * Afterwards: no 500 was answered, no workflow step is orphaned, the invoice series has no gap, and every
 * invoice's outstanding is its total minus what was applied to it.
 */
const FAST = {
  AR_SQLITE_BUSY_TIMEOUT_MS: '150', AR_STEP_RETRY_BASE_MS: '20', AR_STEP_RETRY_MAX_DELAY_MS: '200', AR_STEP_MAX_ATTEMPTS: '3', AR_READ_WAIT_MS: '4000',
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Sent = { status: number; body: Record<string, unknown>; retryAfter?: string };

/** A careful client: a 503 is retried with the same ids after its Retry-After (shortened here), up to 40 times. */
async function send(h: Harness, path: string, body: object, statuses: number[]): Promise<Sent> {
  for (let attempt = 0; ; attempt++) {
    const res = await h.http().post(path).send(body);
    statuses.push(res.status);
    if (res.status === 503) {
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { reason: expect.stringMatching(/SQLITE_BUSY|locked/i) } });
      if (attempt < 40) { await sleep(100); continue; }
    }
    return { status: res.status, body: res.body as Record<string, unknown> };
  }
}

/**
 * A payment recorded without its application to the invoice — what an EventStoreDB plan cut short after the
 * payment's part, or an earlier version, leaves (on SQLite the command path writes both in one transaction,
 * ADR 0030): the process manager's step is then the only way the invoice learns of it.
 */
async function recordedWithoutApplication(h: Harness, p: { paymentId: string; customerId: string; invoiceId: string; amount: number; receivedOn: string }): Promise<void> {
  const received: PaymentReceived = { type: 'PaymentReceived', data: { paymentId: p.paymentId, customerId: p.customerId, amount: p.amount, currency: 'EUR', receivedOn: p.receivedOn, method: 'sepa', reference: null } };
  const allocated: PaymentAllocated = { type: 'PaymentAllocated', data: { paymentId: p.paymentId, customerId: p.customerId, invoiceId: p.invoiceId, amount: p.amount, receivedOn: p.receivedOn, rule: 'explicit', unapplied: 0 } };
  const id = `pay-${p.paymentId}`;
  await h.app.get(EventSourcedRepository).append({ streamId: `payment-${p.paymentId}`, last: null }, [received, allocated],
    { actor: 'clerk', recordedAt: `${p.receivedOn}T09:00:00.000Z`, commandId: id, correlationId: id, causationId: id });
}

async function caughtUp(h: Harness, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = (await h.http().get('/projections').expect(200)).body as {
      projections: Array<{ state: string; lag: number }>; processManager: { state: string; lag: number };
    };
    if (s.processManager.lag === 0 && s.processManager.state === 'live' && s.projections.every((p) => p.state === 'live' && p.lag === 0)) return;
    if (Date.now() > until) throw new Error(`not caught up: ${JSON.stringify(s)}`);
    await sleep(50);
  }
}

/** The invariants the suite ends on: 0 orphans, numbers 1..n each once, outstanding = total − applied for every invoice. */
async function assertInvariants(h: Harness, customers: string[]): Promise<void> {
  const store = h.app.get<EventStore>(EVENT_STORE);
  const { checkpoint } = await h.app.get(ProcessManager).status();
  expect(checkpoint).toBe(await store.headPosition());
  const completeness = await findOrphans(store, checkpoint);
  expect(completeness.orphans).toEqual([]);
  const numbers: number[] = [];
  for (const c of customers) {
    const history = (await h.http().get(`/customers/${c}/history`).expect(200)).body as { events: Array<{ type: string; streamId?: string; data: Record<string, unknown> }> };
    const applied = new Map<string, number>();
    for (const e of history.events) {
      if (e.type === 'InvoiceIssued') numbers.push(Number(String(e.data.number).slice(4)));
      // Payments and credit notes applied (the only reductions this suite makes).
      if (e.type === 'PaymentApplied' || e.type === 'CreditNoteApplied') applied.set(String(e.data.invoiceId), (applied.get(String(e.data.invoiceId)) ?? 0) + Number(e.data.amount));
    }
    for (const e of history.events.filter((x) => x.type === 'InvoiceIssued')) {
      const id = String(e.data.invoiceId);
      const view = (await h.http().get(`/invoices/${id}`).expect(200)).body as { total: string; outstanding: string; paid: string };
      // outstanding = total − applied (payments and credit notes), in minor units (DOMAIN.md invariant): e.g. 120.00 − 50.00 = 70.00.
      const toMinor = (s: string) => Math.round(Number(s) * 100);
      expect({ id, outstanding: toMinor(view.outstanding) }).toEqual({ id, outstanding: Number(e.data.total) - (applied.get(id) ?? 0) });
    }
  }
  numbers.sort((a, b) => a - b);
  expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
}

describe('workflows under store faults (SQLite, real stores)', () => {
  let h: Harness;
  const statuses: number[] = [];
  beforeAll(async () => {
    h = await startApi(undefined, FAST);
    for (const c of ['fa', 'fb']) await h.http().post('/customers').send({ id: c, name: c, currency: 'EUR', creditLimit: '1000000.00' }).expect(201);
  });
  afterAll(async () => {
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    await h.close();
  });

  it('an exclusive lock on the event log longer than the busy timeout: 503 with Retry-After, never 500; retries complete everything once', async () => {
    const lock = holdExclusiveLock(join(h.dataDir, 'events.sqlite'), 1200);
    const load = [0, 1, 2, 3, 4, 5].map(async (i) => {
      const c = i % 2 === 0 ? 'fa' : 'fb';
      const inv = await send(h, '/invoices', { id: `lk-${i}`, customerId: c, issueDate: '2026-03-01', lines: [line('100.00', '1', '0.20')] }, statuses);
      expect([201, 202]).toContain(inv.status);
      const pay = await send(h, '/payments', { id: `lkp-${i}`, customerId: c, amount: '50.00', receivedOn: '2026-03-02', method: 'sepa', allocations: [{ invoiceId: `lk-${i}`, amount: '50.00' }] }, statuses);
      expect([201, 202]).toContain(pay.status);
    });
    await Promise.all([lock, ...load]);
    expect(statuses).toContain(503);
    await caughtUp(h);
    await assertInvariants(h, ['fa', 'fb']);
  }, 60_000);

  it('an exclusive lock on the read-model database: projections and the process manager retry, then heal without a restart', async () => {
    const lock = holdExclusiveLock(join(h.dataDir, 'read-models.sqlite'), 1200);
    await sleep(20);
    const inv = h.http().post('/invoices').send({ id: 'rm-1', customerId: 'fa', issueDate: '2026-03-03', lines: [line('10.00', '1', '0')] });
    let sawRetrying = false;
    const watch = (async () => {
      for (let i = 0; i < 20 && !sawRetrying; i++) {
        const s = (await h.http().get('/projections')).body as { projections: Array<{ state: string; lastError: string | null }> };
        sawRetrying = s.projections.some((p) => p.state === 'retrying' && /SQLITE_BUSY|locked/i.test(p.lastError ?? ''));
        await sleep(50);
      }
    })();
    const res = await inv;
    statuses.push(res.status);
    expect([201, 202, 503]).toContain(res.status);
    await Promise.all([lock, watch]);
    expect(sawRetrying).toBe(true);
    if (res.status === 503) expect([201, 202]).toContain((await send(h, '/invoices', { id: 'rm-1', customerId: 'fa', issueDate: '2026-03-03', lines: [line('10.00', '1', '0')] }, statuses)).status);
    await caughtUp(h);
    // Healed without a restart: the next invoice is issued at once.
    await h.http().post('/invoices').send({ id: 'rm-2', customerId: 'fb', issueDate: '2026-03-03', lines: [line('10.00', '1', '0')] }).expect(201);
    await caughtUp(h);
    await assertInvariants(h, ['fa', 'fb']);
  }, 60_000);

  it('a step refused N times transiently: the payment\'s retry answers 202 as recorded, the process manager completes it; no second payment', async () => {
    await h.http().post('/invoices').send({ id: 'st-1', customerId: 'fa', issueDate: '2026-03-04', lines: [line('200.00', '1', '0')] }).expect(201);
    const bus = h.app.get(CommandBus);
    const original = bus.execute.bind(bus);
    let refusals = 4; // the client's retry, then three of the process manager's: it must not pass over the step
    const spy = jest.spyOn(bus, 'execute').mockImplementation(((command: unknown) => {
      if (command instanceof ApplyPaymentCommand && command.invoiceId === 'st-1' && refusals > 0) {
        refusals--;
        return Promise.reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
      }
      return original(command as never);
    }) as typeof bus.execute);
    const payment = { id: 'stp-1', customerId: 'fa', amount: '80.00', receivedOn: '2026-03-05', method: 'sepa', allocations: [{ invoiceId: 'st-1', amount: '80.00' }] };
    await h.app.get(ProcessManager).stop();
    try {
      await recordedWithoutApplication(h, { paymentId: 'stp-1', customerId: 'fa', invoiceId: 'st-1', amount: 8_000, receivedOn: '2026-03-05' });
      const res = await h.http().post('/payments').send(payment);
      statuses.push(res.status);
      expect(res.status).toBe(202);
      expect(res.body.completion).toMatchObject({ state: 'pending', steps: [{ invoiceId: 'st-1', amount: '80.00' }] });
      await h.app.get(ProcessManager).start();
      await caughtUp(h);
      expect(refusals).toBe(0);
    } finally {
      spy.mockRestore();
    }
    // 200.00 − 80.00 = 120.00 outstanding: applied once.
    expect((await h.http().get('/invoices/st-1').expect(200)).body).toMatchObject({ paid: '80.00', outstanding: '120.00' });
    // The client's retry with the same id answers as recorded, nothing pending, nothing written twice.
    const head = await h.head();
    const again = await h.http().post('/payments').send(payment);
    expect(again.status).toBeLessThan(300);
    expect(again.body.completion).toBeUndefined();
    expect(await h.head()).toBe(head);
    await assertInvariants(h, ['fa', 'fb']);
  }, 60_000);

  it('an invoice whose one-transaction write fails (SQLite, ADR 0115): 503, neither the number nor the invoice written; the retry takes the next number', async () => {
    const store = h.app.get<EventStore>(EVENT_STORE);
    const seriesLength = async () => (await store.readStream('invoicenumbers-INV')).length;
    const before = await seriesLength();
    const original = store.appendMany.bind(store);
    let refusals = 1;
    const spy = jest.spyOn(store, 'appendMany').mockImplementation((async (parts) => {
      if (parts.some((p) => p.streamId === 'invoice-nr-0') && refusals > 0) {
        refusals--;
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      }
      return original(parts);
    }) as typeof store.appendMany);
    try {
      const res = await h.http().post('/invoices').set('Idempotency-Key', 'nr-0-key').send({ id: 'nr-0', customerId: 'fb', issueDate: '2026-03-06', lines: [line('30.00', '1', '0')] });
      statuses.push(res.status);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      spy.mockRestore();
    }
    expect(await seriesLength()).toBe(before);
    expect(await store.readStream('invoice-nr-0')).toEqual([]);
    const retry = await h.http().post('/invoices').set('Idempotency-Key', 'nr-0-key').send({ id: 'nr-0', customerId: 'fb', issueDate: '2026-03-06', lines: [line('30.00', '1', '0')] });
    expect(retry.status).toBe(201);
    // Gap-free: the retry takes the number the failed write did not.
    expect(retry.body.number).toBe(`INV-${String(before + 1).padStart(6, '0')}`);
    expect(await seriesLength()).toBe(before + 1);
    await caughtUp(h);
    await assertInvariants(h, ['fa', 'fb']);
  }, 60_000);

  it('an invoice whose InvoiceIssued append fails after its number was reserved (a store without one-transaction appendMany, as EventStoreDB): 202 with the number; the retry completes it with the same number', async () => {
    const store = h.app.get<EventStore>(EVENT_STORE);
    Object.defineProperty(store, 'appendManyInOneTransaction', { value: false, configurable: true });
    const repo = h.app.get(EventSourcedRepository);
    const original = repo.append.bind(repo);
    let refusals = 1;
    const spy = jest.spyOn(repo, 'append').mockImplementation((async (stream, events, ctx) => {
      if (events.some((e) => e.type === 'InvoiceIssued') && stream.streamId === 'invoice-nr-1' && refusals > 0) {
        refusals--;
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      }
      return original(stream, events, ctx);
    }) as typeof repo.append);
    // The process manager must not complete it before the client's retry in this test: stop it meanwhile.
    await h.app.get(ProcessManager).stop();
    let number: string;
    try {
      const res = await h.http().post('/invoices').set('Idempotency-Key', 'nr-1-key').send({ id: 'nr-1', customerId: 'fb', issueDate: '2026-03-06', lines: [line('30.00', '1', '0')] });
      statuses.push(res.status);
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ status: 'number_reserved', completion: { state: 'pending' } });
      number = res.body.number as string;
      expect(number).toMatch(/^INV-\d{6}$/);
    } finally {
      spy.mockRestore();
      Object.defineProperty(store, 'appendManyInOneTransaction', { value: true, configurable: true });
    }
    const retry = await h.http().post('/invoices').set('Idempotency-Key', 'nr-1-key').send({ id: 'nr-1', customerId: 'fb', issueDate: '2026-03-06', lines: [line('30.00', '1', '0')] });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ number, status: 'issued' });
    await h.app.get(ProcessManager).start();
    await caughtUp(h);
    await assertInvariants(h, ['fa', 'fb']);
  }, 60_000);

  it('a credit note whose CreditNoteIssued append fails after its number was reserved: 202 with the number; the retry completes it, no second CN number', async () => {
    await h.http().post('/invoices').send({ id: 'cn-inv', customerId: 'fa', issueDate: '2026-03-06', lines: [line('100.00', '1', '0')] }).expect(201);
    const repo = h.app.get(EventSourcedRepository);
    const original = repo.append.bind(repo);
    let refusals = 1;
    const spy = jest.spyOn(repo, 'append').mockImplementation((async (stream, events, ctx) => {
      if (events.some((e) => e.type === 'CreditNoteIssued') && refusals > 0) {
        refusals--;
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      }
      return original(stream, events, ctx);
    }) as typeof repo.append);
    await h.app.get(ProcessManager).stop();
    const body = { id: 'cn-x', customerId: 'fa', invoiceId: 'cn-inv', issueDate: '2026-03-06', reason: 'damaged', amount: '40.00' };
    let number: string;
    try {
      const res = await h.http().post('/credit-notes').set('Idempotency-Key', 'cn-x-key').send(body);
      statuses.push(res.status);
      expect(res.status).toBe(202);
      expect(res.body.completion).toMatchObject({ state: 'pending', reason: expect.stringMatching(/SQLITE_BUSY/) });
      number = res.body.number as string;
      expect(number).toMatch(/^CN-\d{6}$/);
    } finally {
      spy.mockRestore();
    }
    const retry = await h.http().post('/credit-notes').set('Idempotency-Key', 'cn-x-key').send(body);
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ number, appliedToInvoice: '40.00' });
    await h.app.get(ProcessManager).start();
    await caughtUp(h);
    // 100.00 − 40.00 credited = 60.00 outstanding; one CN number used.
    expect((await h.http().get('/invoices/cn-inv').expect(200)).body).toMatchObject({ creditNoted: '40.00', outstanding: '60.00' });
    const store = h.app.get<EventStore>(EVENT_STORE);
    expect((await store.readStream('creditnotenumbers-CN')).map((e) => e.data.number)).toEqual([number]);
    expect((await findOrphans(store, await store.headPosition())).orphans).toEqual([]);
  }, 60_000);

  it('a step refused for a non-transient reason is parked (persisted, visible), later steps of that customer wait, others go on; ar process retry completes them', async () => {
    await h.http().post('/invoices').send({ id: 'pk-a', customerId: 'fa', issueDate: '2026-03-07', lines: [line('100.00', '1', '0')] }).expect(201);
    await h.http().post('/invoices').send({ id: 'pk-b', customerId: 'fb', issueDate: '2026-03-07', lines: [line('100.00', '1', '0')] }).expect(201);
    const bus = h.app.get(CommandBus);
    const original = bus.execute.bind(bus);
    const spy = jest.spyOn(bus, 'execute').mockImplementation(((command: unknown) => {
      if (command instanceof ApplyPaymentCommand && command.invoiceId === 'pk-a') return Promise.reject(new Error('refused on purpose'));
      return original(command as never);
    }) as typeof bus.execute);
    try {
      await recordedWithoutApplication(h, { paymentId: 'pk-p1', customerId: 'fa', invoiceId: 'pk-a', amount: 1_000, receivedOn: '2026-03-08' });
      await recordedWithoutApplication(h, { paymentId: 'pk-p2', customerId: 'fa', invoiceId: 'pk-a', amount: 1_500, receivedOn: '2026-03-08' });
      // Another customer's payment goes through at once.
      expect((await h.http().post('/payments').send({ id: 'pk-p3', customerId: 'fb', amount: '20.00', receivedOn: '2026-03-08', method: 'sepa', allocations: [{ invoiceId: 'pk-b', amount: '20.00' }] })).status).toBe(201);
      const until = Date.now() + 10_000;
      let pm: { parked: Array<{ type: string; lane: string; blockedBy: number | null; error: string }>; lag: number };
      do {
        await sleep(50);
        pm = (await h.http().get('/projections').expect(200)).body.processManager;
      } while ((pm.parked.length < 2 || pm.lag > 0) && Date.now() < until);
      expect(pm.parked).toMatchObject([
        { type: 'PaymentAllocated', lane: 'customer:fa', blockedBy: null, error: 'refused on purpose' },
        { type: 'PaymentAllocated', lane: 'customer:fa', blockedBy: expect.any(Number) },
      ]);
      // 100.00 − 20.00 = 80.00 for the other customer's invoice; fa's invoice still shows nothing applied.
      expect((await h.http().get('/invoices/pk-b').expect(200)).body).toMatchObject({ outstanding: '80.00' });
      expect((await h.http().get('/invoices/pk-a').expect(200)).body).toMatchObject({ outstanding: '100.00' });
    } finally {
      spy.mockRestore();
    }
    // Parked steps survive a restart and are orphans for the verification.
    await h.restart();
    const store = h.app.get<EventStore>(EVENT_STORE);
    expect((await h.http().get('/projections').expect(200)).body.processManager.parked).toHaveLength(2);
    expect((await h.http().get('/projections/health').expect(200)).body).toMatchObject({
      status: 'degraded', reasons: [expect.stringMatching(/^2 workflow step\(s\) parked/)], processManager: { parked: 2 },
    });
    // …and in the metrics an alert reads (Prometheus text format).
    const parkedMetrics = (await h.http().get('/metrics').expect(200).expect('Content-Type', /text\/plain/)).text;
    expect(parkedMetrics).toMatch(/^ar_workflow_steps_parked 2$/m);
    expect(parkedMetrics).toMatch(/^ar_process_manager_state\{state="live"\} 1$/m);
    const orphans = (await findOrphans(store, await store.headPosition())).orphans;
    expect(orphans.map((o) => [o.kind, o.streamId])).toEqual([['allocation_not_applied', 'payment-pk-p1'], ['allocation_not_applied', 'payment-pk-p2']]);
    const verify = await cli(h.dataDir, 'verify');
    expect(verify.code).toBe(3);
    expect(verify.out).toMatch(/INCOMPLETE: 2 workflow step\(s\)[\s\S]*position \d+ PaymentAllocated \(payment-pk-p1@1/);
    // The cause is fixed (the stub is gone): the operator retries; both complete, in order.
    const retried = await cli(h.dataDir, 'process', 'retry', '--json');
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.out).runs.map((r: { outcome: string }) => r.outcome)).toEqual(['completed', 'completed']);
    await caughtUp(h);
    // 100.00 − 10.00 − 15.00 = 75.00.
    expect((await h.http().get('/invoices/pk-a').expect(200)).body).toMatchObject({ outstanding: '75.00' });
    expect((await h.http().get('/projections').expect(200)).body.processManager.parked).toEqual([]);
    expect((await h.http().get('/projections/health').expect(200)).body).toMatchObject({ status: 'ok', reasons: [] });
    expect((await h.http().get('/metrics').expect(200)).text).toMatch(/^ar_workflow_steps_parked 0$/m);
    expect((await cli(h.dataDir, 'verify')).code).toBe(0);
    await assertInvariants(h, ['fa', 'fb']);
  }, 60_000);

  it('orphans an earlier version passed over (checkpoint beyond them): ar verify lists them with their positions, ar process repair completes them as events', async () => {
    await h.http().post('/invoices').send({ id: 'old-1', customerId: 'fb', issueDate: '2026-03-09', lines: [line('400.00', '1', '0')] }).expect(201);
    await caughtUp(h);
    await h.app.close();
    // What the old process manager left: a payment allocated and never applied, a number reserved and never issued,
    // and its checkpoint moved past both.
    const store = new SqliteEventStore({ path: join(h.dataDir, 'events.sqlite') });
    const repo = new EventSourcedRepository(store);
    const ctx = (id: string) => ({ actor: 'clerk', recordedAt: '2026-03-10T09:00:00.000Z', commandId: id, correlationId: id, causationId: id });
    const received: PaymentReceived = { type: 'PaymentReceived', data: { paymentId: 'old-p', customerId: 'fb', amount: 36_739, currency: 'EUR', receivedOn: '2026-03-10', method: 'sepa', reference: null } };
    const allocated: PaymentAllocated = { type: 'PaymentAllocated', data: { paymentId: 'old-p', customerId: 'fb', invoiceId: 'old-1', amount: 36_739, receivedOn: '2026-03-10', rule: 'explicit', unapplied: 0 } };
    await repo.append({ streamId: 'payment-old-p', last: null }, [received, allocated], ctx('pay-old-p'));
    const [tail] = await store.readStream('invoicenumbers-INV', { direction: 'backward', maxCount: 1 });
    const number = `INV-${String(tail.revision + 2).padStart(6, '0')}`;
    const invoice = {
      invoiceId: 'old-2', customerId: 'fb', number, currency: 'EUR', issueDate: '2026-03-10', dueDate: '2026-04-09', paymentTermsDays: 30, net: 5000, tax: 0, total: 5000,
      lines: [{ description: 'x', quantity: '1', unitPrice: 5000, taxRate: '0', net: 5000, tax: 0, gross: 5000 }],
      creditDecision: { decision: 'approved' as const, creditLimit: 100_000_000, outstanding: 0, exposure: 5000 },
    };
    const reservation: InvoiceNumberReserved = { type: 'InvoiceNumberReserved', data: { series: 'INV', number, invoiceId: 'old-2', customerId: 'fb', invoice } };
    await repo.append({ streamId: 'invoicenumbers-INV', last: { revision: tail.revision, hash: tail.metadata.hash } }, [reservation], ctx('issue-old-2'));
    const head = await store.headPosition();
    await store.close();
    const reads = new SqliteReadStore({ path: join(h.dataDir, 'read-models.sqlite') });
    await reads.setMeta('process-manager:position', String(head));
    await reads.close();

    const verify = await cli(h.dataDir, 'verify');
    expect(verify.code).toBe(3);
    expect(verify.out).toMatch(new RegExp(`INCOMPLETE: 2 workflow step[\\s\\S]*position ${head - 1} PaymentAllocated \\(payment-old-p@1[\\s\\S]*position ${head} InvoiceNumberReserved`));
    const repaired = await cli(h.dataDir, 'process', 'repair', '--json');
    expect(repaired.code).toBe(0);
    expect(JSON.parse(repaired.out).runs.map((r: { type: string; outcome: string }) => [r.type, r.outcome])).toEqual([['PaymentAllocated', 'completed'], ['InvoiceNumberReserved', 'completed']]);
    expect((await cli(h.dataDir, 'verify')).code).toBe(0);

    await h.restart();
    await caughtUp(h);
    // The 367.39 of issue 12 applied once: 400.00 − 367.39 = 32.61; the reserved number issued with its invoice.
    expect((await h.http().get('/invoices/old-1').expect(200)).body).toMatchObject({ paid: '367.39', outstanding: '32.61' });
    expect((await h.http().get('/invoices/old-2').expect(200)).body).toMatchObject({ number, total: '50.00', status: 'issued' });
    await assertInvariants(h, ['fa', 'fb']);
  }, 60_000);
});

async function cli(dataDir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const errStream = new PassThrough() as unknown as NodeJS.WriteStream;
  (errStream as unknown as PassThrough).on('data', (c) => { err += String(c); });
  const io: Io = { out: (t) => { out += t; }, err: (t) => { err += t; }, isTTY: false, errStream };
  const code = await runCli(argv, io, { AR_DATA_DIR: dataDir, ...FAST });
  return { code, out, err };
}
