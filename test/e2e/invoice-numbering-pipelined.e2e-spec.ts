import { EventSourcedRepository } from '../../libs/application/event-sourced-repository';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port';
import type { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { line, startApi, type Harness } from '../support/api-harness';

const SERIES = 'invoicenumbers-INV';

/**
 * Invoices of many customers numbered concurrently share group commits (ADR 0057): the number is assigned when the
 * reservation is queued, chained on the reservation queued before it. Numbers must stay gap-free and follow the log
 * (CGI annex II art. 242 nonies A, I-2°: "une séquence chronologique et continue"), also when a reservation in the
 * middle of a group fails.
 */
describe.each([
  ['reservation and invoice in one transaction (SQLite, ADR 0115)', true],
  ['reservation, then invoice (a store without one-transaction appendMany, as EventStoreDB)', false],
])('invoice numbers under concurrent issuing (one process): %s', (_mode, oneTransaction) => {
  let h: Harness;
  const customers = Array.from({ length: 8 }, (_, i) => `pc${i}`);
  beforeAll(async () => {
    h = await startApi();
    Object.defineProperty(h.app.get(EVENT_STORE), 'appendManyInOneTransaction', { value: oneTransaction, configurable: true });
    for (const id of customers) await h.http().post('/customers').send({ id, name: `Customer ${id}`, currency: 'EUR', creditLimit: '1000000.00' }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  /**
   * Wraps every append that carries a reservation of the INV series — alone (`repo.appendChained`) or with its invoice
   * in one `appendMany` — so a test can fail one or count those in flight, whichever way the store is written.
   */
  function onReservations(wrap: <T>(write: () => Promise<T>) => Promise<T>): () => void {
    const repo = h.app.get(EventSourcedRepository);
    const store = h.app.get<EventStore>(EVENT_STORE);
    const chained = repo.appendChained.bind(repo);
    const many = store.appendMany.bind(store);
    const a = jest.spyOn(repo, 'appendChained').mockImplementation(((stream, events, c) =>
      stream.streamId === SERIES ? wrap(() => chained(stream, events, c)) : chained(stream, events, c)) as typeof repo.appendChained);
    const b = jest.spyOn(store, 'appendMany').mockImplementation(((parts) =>
      parts.some((p) => p.streamId === SERIES) ? wrap(() => many(parts)) : many(parts)) as typeof store.appendMany);
    return () => { a.mockRestore(); b.mockRestore(); };
  }

  /** The series stream as written: number n at revision n − 1, in log order, and each reservation's invoice written. */
  async function series(): Promise<Array<{ number: string; invoiceId: string; position: number }>> {
    const events = await h.app.get<EventStore>(EVENT_STORE).readStream(SERIES);
    events.forEach((e, i) => expect({ revision: e.revision, number: e.data.number }).toEqual({ revision: i, number: `INV-${String(i + 1).padStart(6, '0')}` }));
    for (let i = 1; i < events.length; i++) expect(events[i].position).toBeGreaterThan(events[i - 1].position);
    return events.map((e) => ({ number: e.data.number as string, invoiceId: e.data.invoiceId as string, position: e.position }));
  }

  it('numbers 40 concurrent invoices 1…40 without a gap, in fewer durable commits than invoices', async () => {
    const store = h.app.get<SqliteEventStore>(EVENT_STORE);
    const flushes = store.stats.flushes;
    // 100.00 + 20 % VAT = 120.00 each, far below every customer's limit: none is refused.
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      h.http().post('/invoices').send({ id: `pi${i}`, customerId: customers[i % customers.length], issueDate: '2026-04-01', lines: [line('100.00')] })));
    for (const a of answers) expect({ status: a.status, total: a.body.total }).toEqual({ status: 201, total: '120.00' });
    const numbers = answers.map((a) => a.body.number as string).sort();
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => `INV-${String(i + 1).padStart(6, '0')}`));
    const written = await series();
    expect(written).toHaveLength(40);
    // Each answer names the number its reservation carries.
    for (const a of answers) expect(written.find((w) => w.invoiceId === a.body.id)?.number).toBe(a.body.number);
    // 40 reservations + 40 invoices; grouped, they take fewer durable commits than the 80 appends — and, each invoice
    // written in the commit of its reservation, at most one per invoice.
    if (oneTransaction) expect(store.stats.flushes - flushes).toBeLessThanOrEqual(40);
    else expect(store.stats.flushes - flushes).toBeLessThan(80);
    if (oneTransaction) for (const w of written) expect((await h.app.get<EventStore>(EVENT_STORE).readStream(`invoice-${w.invoiceId}`)).map((e) => e.type)).toEqual(['InvoiceIssued']);
  }, 60_000);

  it('a reservation failing in the middle of a group: the ones chained on it are numbered again, no gap, no duplicate', async () => {
    let failures = 1;
    const restore = onReservations(async (write) => {
      if (failures > 0) {
        failures--;
        // Queued like any other append (so the next reservations chain on it), then refused by the store.
        await new Promise((r) => setImmediate(r));
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      }
      return write();
    });
    let answers;
    try {
      answers = await Promise.all(Array.from({ length: 16 }, (_, i) =>
        h.http().post('/invoices').send({ id: `pf${i}`, customerId: customers[i % customers.length], issueDate: '2026-04-02', lines: [line('100.00')] })));
    } finally {
      restore();
    }
    // The one whose reservation failed is refused as unavailable (nothing written); every other one is numbered.
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array(15).fill(201), 503]);
    const refused = answers.findIndex((a) => a.status === 503);
    expect(await h.app.get<EventStore>(EVENT_STORE).readStream(`invoice-pf${refused}`)).toEqual([]);
    const written = await series();
    expect(written).toHaveLength(40 + 15);
    const numbers = answers.filter((a) => a.status === 201).map((a) => a.body.number as string).sort();
    expect(numbers).toEqual(Array.from({ length: 15 }, (_, i) => `INV-${String(41 + i).padStart(6, '0')}`));
  }, 60_000);

  it('a store that may apply appends out of call order gets one reservation in flight at a time, still gap-free', async () => {
    const store = h.app.get<SqliteEventStore>(EVENT_STORE);
    const before = (await series()).length;
    const reservationsQueued: number[] = [];
    let inFlight = 0;
    const restore = onReservations(async (write) => {
      reservationsQueued.push(++inFlight);
      try {
        return await write();
      } finally {
        inFlight--;
      }
    });
    Object.defineProperty(store, 'appendsInCallOrder', { value: false, configurable: true });
    let answers;
    try {
      answers = await Promise.all(Array.from({ length: 12 }, (_, i) =>
        h.http().post('/invoices').send({ id: `po${i}`, customerId: customers[i % customers.length], issueDate: '2026-04-03', lines: [line('100.00')] })));
    } finally {
      restore();
      Object.defineProperty(store, 'appendsInCallOrder', { value: true, configurable: true });
    }
    for (const a of answers) expect(a.status).toBe(201);
    // Never two reservations in flight at once (an ordered store lets them share a group commit).
    expect(reservationsQueued.length).toBe(12);
    expect(Math.max(...reservationsQueued)).toBe(1);
    const numbers = answers.map((a) => a.body.number as string).sort();
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => `INV-${String(before + 1 + i).padStart(6, '0')}`));
    expect((await series()).length).toBe(before + 12);
  }, 60_000);

  it('an invoice dated before one queued just before it is refused, not numbered after it', async () => {
    const later = h.http().post('/invoices').send({ id: 'pl1', customerId: 'pc0', issueDate: '2026-04-10', lines: [line('100.00')] });
    const earlier = h.http().post('/invoices').send({ id: 'pl2', customerId: 'pc1', issueDate: '2026-04-05', lines: [line('100.00')] });
    const [a, b] = await Promise.all([later, earlier]);
    const written = await series();
    // Whichever was numbered first, the series' dates never go backward.
    const dates = (await h.app.get<EventStore>(EVENT_STORE).readStream(SERIES)).map((e) => (e.data.invoice as { issueDate: string }).issueDate);
    for (let i = 1; i < dates.length; i++) expect(dates[i] >= dates[i - 1]).toBe(true);
    expect(a.status).toBe(201);
    expect([201, 422]).toContain(b.status);
    if (b.status === 422) expect(b.body).toMatchObject({ code: 'INVOICE_DATE_BEFORE_LAST_NUMBERED', details: { field: 'issueDate', lastIssueDate: '2026-04-10' } });
    expect(written).toHaveLength(40 + 15 + 12 + (b.status === 201 ? 2 : 1));
  }, 60_000);
});
