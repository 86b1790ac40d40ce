import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../event-store/adapters/sqlite/sqlite-event-store';
import { chainEvents } from '../event-store/hash-chain';
import { SqliteReadStore } from '../read-store/adapters/sqlite/sqlite-read-store';
import type { Doc, ReadStore } from '../read-store/read-store.port';
import type { Projection } from './projection';
import { Projector } from './projector';

/**
 * The live projector keeps the documents it last committed (ADR 0113): the next batch for the same key evolves them
 * without reading them back. Only committed state is kept; a failed commit makes the slot read the store again.
 */
describe('live projector: the documents it last committed', () => {
  /** Per customer: the number of payments and their sum (minor units), deleted by a PaymentReversed of all. */
  const tally: Projection<{ count: number; total: number }> = {
    name: 'tally',
    version: 1,
    indexes: [],
    keysOf: (e) => (e.type === 'PaymentReceived' || e.type === 'PaymentReversed' ? [(e.data as { customerId: string }).customerId] : []),
    evolve: (doc, e) => {
      const amount = (e.data as { amount: number }).amount;
      if (e.type === 'PaymentReversed') return null;
      return { count: (doc?.count ?? 0) + 1, total: (doc?.total ?? 0) + amount };
    },
  };
  let dir: string;
  let events: SqliteEventStore;
  let reads: SqliteReadStore;
  let projector: Projector;
  const readBack: string[] = [];
  let failNextCommit = false;
  let head: { revision: number; hash: string } | null = null;
  let n = 0;

  const append = async (type: string, data: Record<string, unknown>) => {
    const [e] = chainEvents('payments', head, [{
      id: `e${++n}`, type, data,
      metadata: { actor: 't', recordedAt: '2026-12-03T00:00:00.000Z', commandId: `c${n}`, correlationId: `c${n}`, causationId: `c${n}`, schemaVersion: 1 },
    }]);
    const r = await events.append('payments', head === null ? 'no_stream' : head.revision, [e]);
    head = { revision: r.nextRevision, hash: e.metadata.hash };
    expect(await projector.waitForPosition(r.position, 5_000)).toBe(true);
  };
  const stored = async (key: string): Promise<Doc | null> => reads.get((await projector.liveCollection('tally'))!, key);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ar-live-cache-'));
    events = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    reads = new SqliteReadStore({ path: join(dir, 'read.sqlite') });
    const watched = new Proxy(reads, {
      get(target, prop, receiver) {
        if (prop === 'getMany') {
          return (collection: string, keys: readonly string[]) => {
            if (collection.startsWith('tally')) readBack.push(...keys);
            return target.getMany(collection, keys);
          };
        }
        if (prop === 'commitBatches') {
          return (...args: Parameters<NonNullable<ReadStore['commitBatches']>>) => {
            if (failNextCommit) {
              failNextCommit = false;
              return Promise.reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
            }
            return target.commitBatches(...args);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    projector = new Projector({ eventStore: events, readStore: watched, projections: [tally], retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 20 } });
    await projector.start();
  });
  afterAll(async () => {
    await projector.stop();
    await events.close();
    await reads.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given three payments of one customer in three batches, the document is read back once, and holds 10.00 + 20.00 + 30.00', async () => {
    await append('PaymentReceived', { customerId: 'c1', paymentId: 'p1', amount: 1_000 });
    await append('PaymentReceived', { customerId: 'c1', paymentId: 'p2', amount: 2_000 });
    await append('PaymentReceived', { customerId: 'c1', paymentId: 'p3', amount: 3_000 });
    expect(readBack.filter((k) => k === 'c1')).toHaveLength(1); // the first batch only: then it is the slot's own
    expect(await stored('c1')).toEqual({ count: 3, total: 6_000 }); // 1,000 + 2,000 + 3,000
  });

  it('a document deleted by the slot is known absent: the next event starts it afresh without a read', async () => {
    await append('PaymentReversed', { customerId: 'c1', paymentId: 'p3', amount: 3_000 });
    expect(await stored('c1')).toBeNull();
    readBack.length = 0;
    await append('PaymentReceived', { customerId: 'c1', paymentId: 'p4', amount: 4_000 });
    expect(readBack).toEqual([]);
    expect(await stored('c1')).toEqual({ count: 1, total: 4_000 });
  });

  it('after a commit that failed, the slot reads the store again, and nothing is counted twice', async () => {
    readBack.length = 0;
    failNextCommit = true;
    await append('PaymentReceived', { customerId: 'c1', paymentId: 'p5', amount: 500 });
    // The failed attempt evolved from the kept document; the retry read it back from the store (still 1 payment).
    expect(readBack.filter((k) => k === 'c1')).toHaveLength(1);
    expect(await stored('c1')).toEqual({ count: 2, total: 4_500 }); // 4,000 + 500, once
  });
});
