import type { EventStore } from '../../libs/event-store/event-store.port';
import { Projector, type ProjectionStatus } from '../../libs/projection-runtime/projector';
import type { ReadStore } from '../../libs/read-store/read-store.port';
import type { Projection } from '../../libs/projection-runtime/projection';
import { holdExclusiveLock } from '../support/faults';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { countingProjection, expectedCounts, openWorld, type World } from './projector.fixtures';
import { join } from 'node:path';

const total = (i: number) => 100 + (i % 13);
const FAST = { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 3 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The real store, with the next `n` calls of the given methods failing with `error` (what a driver throws), then normal
 * again; `hidden` methods are absent (a store without them).
 */
function failing<T extends object>(store: T, methods: ReadonlyArray<keyof T>, n: { left: number }, error: () => Error, hidden: ReadonlyArray<keyof T> = []): T {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (hidden.includes(prop as keyof T)) return undefined;
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (methods.includes(prop as keyof T)) {
        return (...args: unknown[]) => {
          if (n.left > 0) { n.left--; return Promise.reject(error()); }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

async function until(p: Projector, predicate: (s: ProjectionStatus) => boolean, ms = 5000, index = 0): Promise<ProjectionStatus> {
  const end = Date.now() + ms;
  for (;;) {
    const s = (await p.status())[index];
    if (predicate(s)) return s;
    if (Date.now() > end) throw new Error(`status never matched: ${JSON.stringify(s)}`);
    await sleep(5);
  }
}

/** The live path's two ways to write: one transaction for every projection (ADR 0102), or one commit each. */
const WRITES: ReadonlyArray<[string, ReadonlyArray<keyof ReadStore>, ReadonlyArray<keyof ReadStore>]> = [
  ['one commitBatches for every projection', ['commitBatch', 'commitBatches'], []],
  ['a store without commitBatches (one commitBatch per projection)', ['commitBatch'], ['commitBatches']],
];

/** Projections heal (ADR 0045): a store error makes the projector retry from its checkpoint, never stop or skip. */
describe.each(WRITES)('Projector heals after store errors: %s', (_mode, writes, hidden) => {
  let world: World;
  const running: Projector[] = [];
  const start = async (eventStore: EventStore, readStore: ReadStore) => {
    const p = new Projector({ eventStore, readStore, projections: [countingProjection()], batchSize: 4, retry: FAST });
    running.push(p);
    await p.start();
    return p;
  };
  beforeEach(async () => (world = await openWorld()));
  afterEach(async () => {
    for (const p of running.splice(0)) await p.stop();
    await world.dispose();
  });

  async function counts(p: Projector) {
    const docs = await world.readStore.find((await p.liveCollection('customer-counts')) ?? '', {}, { sort: [['customerId', 1]] });
    return new Map(docs.map((d) => [d.customerId as string, { events: d.events, invoiced: d.invoiced }]));
  }

  it('a busy read store (SQLITE_BUSY on commit, 5 times): retrying with the error, then live with every event applied once', async () => {
    const head = await world.issue(30, 7, total);
    const left = { left: 5 };
    const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const p = await start(world.eventStore, failing(world.readStore, writes, left, busy, hidden));
    const seen = await until(p, (s) => s.state === 'retrying');
    expect(seen).toMatchObject({ state: 'retrying', lastError: expect.stringMatching(/SQLITE_BUSY: database is locked/) });
    expect(seen.failures).toBeGreaterThan(0);
    expect(await p.waitForPosition(head, 5000)).toBe(true);
    expect(left.left).toBe(0);
    expect((await p.status())[0]).toMatchObject({ state: 'live', failures: 0, lastError: null, checkpoint: head, lag: 0 });
    // Nothing skipped, nothing applied twice: 30 invoices over 7 customers, as a clean run gives.
    expect(await counts(p)).toEqual(expectedCounts(30, 7, total));
  });

  it('a real exclusive lock on the read-model file longer than the busy timeout: retrying, then healed without a restart', async () => {
    await world.issue(5, 3, total);
    const path = join(world.dir, 'read-models.sqlite');
    const readStore = new SqliteReadStore({ path, busyTimeoutMs: 20 });
    const p = await start(world.eventStore, readStore);
    expect(await p.waitForPosition(await world.eventStore.headPosition(), 5000)).toBe(true);
    const lock = holdExclusiveLock(path, 400);
    const head = await world.issue(10, 3, total);
    const seen = await until(p, (s) => s.state === 'retrying');
    expect(seen.lastError).toMatch(/SQLITE_BUSY|locked/i);
    await lock;
    expect(await p.waitForPosition(head, 5000)).toBe(true);
    expect((await p.status())[0]).toMatchObject({ state: 'live', lastError: null, checkpoint: head });
    await p.stop();
    await readStore.close();
  });

  it('a busy read store is tried once per round, not once per projection (each try waits out the busy timeout); all heal together', async () => {
    const head = await world.issue(12, 4, total);
    let refusals = 3;
    const tried: string[] = [];
    const busyStore = new Proxy(world.readStore, {
      get(target, prop, receiver) {
        if (hidden.includes(prop as keyof ReadStore)) return undefined;
        const value = Reflect.get(target, prop, receiver);
        if (prop === 'commitBatch') {
          return (collection: string, ...rest: unknown[]) => {
            tried.push(collection.replace(/@.*$/, '').slice(0, 8));
            if (refusals > 0) { refusals--; return Promise.reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })); }
            return (value as (...a: unknown[]) => unknown).apply(target, [collection, ...rest]);
          };
        }
        if (prop === 'commitBatches') {
          return (batches: Array<{ projection: string }>, ...rest: unknown[]) => {
            tried.push(batches.map((b) => b.projection.slice(0, 8)).join('+'));
            if (refusals > 0) { refusals--; return Promise.reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })); }
            return (value as (...a: unknown[]) => unknown).apply(target, [batches, ...rest]);
          };
        }
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const names = ['counts-a', 'counts-b', 'counts-c'];
    const p = new Projector({ eventStore: world.eventStore, readStore: busyStore, projections: names.map((n) => countingProjection(n)), batchSize: 100, retry: FAST });
    running.push(p);
    await p.start();
    expect(await p.waitForPosition(head, 5000)).toBe(true);
    if (hidden.includes('commitBatches')) {
      // Three rounds meet the busy store at the first projection and leave the two others untried; the fourth commits
      // each projection once. Trying every projection would have made 3 refused calls in round 1 (a, b, c).
      expect(tried.slice(0, 3)).toEqual(['counts_a', 'counts_a', 'counts_a']);
    } else {
      // One transaction per round for all three: three refused rounds, then the fourth commits them together.
      expect(tried).toEqual(Array(4).fill('counts_a+counts_b+counts_c'));
    }
    for (const s of await p.status()) expect(s).toMatchObject({ state: 'live', failures: 0, lastError: null, checkpoint: head });
  });

  it('a dropped log subscription (connection lost, as EventStoreDB reports it) resubscribes from the checkpoint', async () => {
    const head = await world.issue(12, 5, total);
    const left = { left: 3 };
    const lost = () => Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), { name: 'UnavailableError', type: 'unavailable' });
    const p = await start(failing(world.eventStore, ['readAll'], left, lost), world.readStore);
    expect(await p.waitForPosition(head, 5000)).toBe(true);
    expect(left.left).toBe(0);
    const more = await world.issue(8, 5, total);
    expect(await p.waitForPosition(more, 5000)).toBe(true);
    expect(await counts(p)).toEqual(expectedCounts(20, 5, total));
  });

  it('a store error that is not transient parks the projection after maxAttempts, at its checkpoint, visibly', async () => {
    await world.issue(6, 3, total);
    const left = { left: 1000 };
    const broken = () => Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    const p = await start(world.eventStore, failing(world.readStore, writes, left, broken, hidden));
    const parked = await until(p, (s) => s.state === 'parked');
    expect(parked).toMatchObject({ state: 'parked', checkpoint: -1, lastError: expect.stringMatching(/SQLITE_CORRUPT/) });
    // 3 attempts (FAST.maxAttempts), then no more.
    expect(1000 - left.left).toBe(3);
    await sleep(100);
    expect(1000 - left.left).toBe(3);
  });

  it('a batch one projection cannot write (a document JSON cannot hold) parks that projection alone; the others commit the same batches', async () => {
    const head = await world.issue(9, 3, total);
    const poison = total(4);
    const unwritable: Projection = {
      name: 'unwritable', version: 1, indexes: [],
      keysOf: (e) => (e.type === 'InvoiceIssued' ? [e.data.invoiceId] : []),
      // A BigInt is no JSON: the store refuses this document when it writes the batch, not the projection's code.
      evolve: (_doc, e) => ({ total: e.type === 'InvoiceIssued' && e.data.total === poison ? BigInt(poison) : 1 }),
    };
    const readStore = failing(world.readStore, [], { left: 0 }, () => new Error('unused'), hidden);
    const p = new Projector({ eventStore: world.eventStore, readStore, projections: [countingProjection(), unwritable], batchSize: 4, retry: FAST });
    running.push(p);
    await p.start();
    expect(await p.waitForPosition(head, 5000, ['customer-counts'])).toBe(true);
    const parked = await until(p, (s) => s.name === 'unwritable' && s.state === 'parked', 5000, 1);
    // Invoices 0–3 are the first batch of 4 (committed); invoice 4 is in the second batch, rolled back whole.
    const firstBatchEnd = (await world.eventStore.readAll(-1, 4))[3].position;
    expect(parked).toMatchObject({ state: 'parked', checkpoint: firstBatchEnd, lastError: expect.stringMatching(/BigInt/) });
    expect(await world.readStore.count((await p.liveCollection('unwritable'))!, {})).toBe(4);
    expect((await p.status())[0]).toMatchObject({ state: 'live', checkpoint: head, lastError: null });
    expect(await counts(p)).toEqual(expectedCounts(9, 3, total));
  });
});

