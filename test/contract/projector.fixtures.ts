import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { EventStoreDbEventStore } from '../../libs/event-store/adapters/eventstoredb/eventstoredb-event-store';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { MongoReadStore } from '../../libs/read-store/adapters/mongodb/mongodb-read-store';
import { FakeEventStoreDb } from '../support/fake-eventstoredb';
import type { EventStore } from '../../libs/event-store/event-store.port';
import { chainEvents } from '../../libs/event-store/hash-chain';
import type { Projection, ProjectedEvent } from '../../libs/projection-runtime/projection';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import type { Doc, ReadStore } from '../../libs/read-store/read-store.port';

export interface CustomerCount extends Record<string, unknown> {
  customerId: string;
  events: number;
  invoiced: number;
  lastPosition: number;
}

/** Toy read model: per customer, how many events and how much invoiced. `factor` changes it between versions. */
export function countingProjection(name = 'customer-counts', version = 1, factor = 1): Projection<CustomerCount> {
  return {
    name,
    version,
    indexes: ['events', 'invoiced'],
    keysOf: (e) => (e.type === 'InvoiceIssued' || e.type === 'PaymentReceived' ? [e.data.customerId] : []),
    evolve: (doc, e) => ({
      customerId: e.data.customerId,
      events: (doc?.events ?? 0) + 1,
      invoiced: (doc?.invoiced ?? 0) + (e.type === 'InvoiceIssued' ? e.data.total * factor : 0),
      lastPosition: e.position,
    }),
  };
}

/** Throws on the first InvoiceIssued whose total is `poison`. */
export function fragileProjection(poison: number): Projection {
  return {
    name: 'fragile',
    version: 1,
    indexes: [],
    keysOf: (e: ProjectedEvent) => (e.type === 'InvoiceIssued' ? [e.data.invoiceId] : []),
    evolve: (_doc, e) => {
      if (e.type === 'InvoiceIssued' && e.data.total === poison) throw new Error(`poisoned invoice ${e.data.invoiceId}`);
      return { seen: e.position };
    },
  };
}

export interface World {
  dir: string;
  /** This world's own id: its streams are `invoice-<run>-…` (and `invoicenumbers-<run>`, `payment-<run>-…`). */
  run: string;
  eventStore: EventStore;
  readStore: ReadStore;
  /** Appends `count` InvoiceIssued events (one stream each) spread over `customers`; returns the head. */
  issue(count: number, customers?: number, total?: (i: number) => number): Promise<number>;
  reopen(): Promise<void>;
  /**
   * The positions of the log's events in order. Positions are opaque (ADR 0061): on EventStoreDB they are byte
   * offsets, so "the 4th event" is `positions[3]`, never 3.
   */
  positions(): Promise<number[]>;
  /** Stores of a second process on the same files (closed by dispose). */
  attach(): { eventStore: EventStore; readStore: ReadStore };
  dispose(): Promise<void>;
}

/**
 * The adapter combinations every projector suite runs on (one suite, parameterised): SQLite/SQLite and the
 * EventStoreDB adapter over the in-memory server model with SQLite run everywhere; those with a real server run
 * when EVENTSTORE_CONNECTION_STRING and/or MONGODB_URI are set (the CI workflow, `npm run test:integration` with
 * docker compose), and are reported as skipped otherwise, never faked.
 */
export interface AdapterCombination {
  name: string;
  /** Why it cannot run here, or null. */
  skip: string | null;
  eventStore: 'sqlite' | 'esdb-model' | 'esdb';
  readStore: 'sqlite' | 'mongodb';
}

const ESDB = process.env.EVENTSTORE_CONNECTION_STRING;
const MONGO = process.env.MONGODB_URI;
const needs = (esdb: boolean, mongo: boolean) => {
  const missing = [esdb && !ESDB ? 'EVENTSTORE_CONNECTION_STRING' : null, mongo && !MONGO ? 'MONGODB_URI' : null].filter(Boolean);
  return missing.length === 0 ? null : `set ${missing.join(' and ')}`;
};

export const COMBINATIONS: readonly AdapterCombination[] = [
  { name: 'SQLite/SQLite', skip: null, eventStore: 'sqlite', readStore: 'sqlite' },
  { name: 'EventStoreDB server model/SQLite', skip: null, eventStore: 'esdb-model', readStore: 'sqlite' },
  { name: 'EventStoreDB/MongoDB', skip: needs(true, true), eventStore: 'esdb', readStore: 'mongodb' },
  { name: 'EventStoreDB/SQLite', skip: needs(true, false), eventStore: 'esdb', readStore: 'sqlite' },
  { name: 'SQLite/MongoDB', skip: needs(false, true), eventStore: 'sqlite', readStore: 'mongodb' },
];

/**
 * `describe` once per combination (`describe.skip` with the reason for those that cannot run here). `durable`: only
 * the combinations whose stores outlive a process (the crash suites; the in-memory server model does not).
 */
export function describeEachCombination(title: string, body: (combination: AdapterCombination) => void, options: { durable?: boolean } = {}): void {
  for (const c of COMBINATIONS) {
    if (options.durable && c.eventStore === 'esdb-model') continue;
    if (c.skip) describe.skip(`${title} [${c.name}] — skipped: ${c.skip}`, () => it('needs the servers (docker compose up, see docs/operations.md)', () => undefined));
    else describe(`${title} [${c.name}]`, () => body(c));
  }
}

/** Where a world's data lives: enough for another process to open the same world (`openWorld(c, locator)`). */
export interface WorldLocator {
  dir: string;
  run: string;
}

export async function openWorld(combination: AdapterCombination = COMBINATIONS[0], at?: WorldLocator): Promise<World> {
  const dir = at?.dir ?? mkdtempSync(join(tmpdir(), 'ar-projector-'));
  // Every world has its own stream prefix and database: a shared server holds other runs' events and documents.
  const run = at?.run ?? randomUUID().replace(/-/g, '').slice(0, 12);
  const model = combination.eventStore === 'esdb-model' ? new FakeEventStoreDb({ systemNoise: true }) : null;
  const database = `ar_projector_${run}`;
  let seq = 0;
  const attached: Array<{ eventStore: EventStore; readStore: ReadStore }> = [];
  // A shared server holds other runs' streams: the adapter follows only this world's.
  const prefixes = [`invoice-${run}-`, `invoicenumbers-${run}`, `payment-${run}-`];
  const open = (): { eventStore: EventStore; readStore: ReadStore } => ({
    eventStore: combination.eventStore === 'sqlite'
      ? new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 20 })
      : model
        ? new EventStoreDbEventStore({ client: model.asClient(), streamPrefixes: prefixes })
        : new EventStoreDbEventStore({ connectionString: ESDB!, streamPrefixes: prefixes }),
    readStore: combination.readStore === 'sqlite' ? new SqliteReadStore({ path: join(dir, 'read.db') }) : new MongoReadStore({ uri: MONGO!, database }),
  });
  const world: World = {
    dir,
    run,
    ...open(),
    async issue(count, customers = 7, total = (i) => 100 + (i % 13)) {
      const appends: Array<Promise<unknown>> = [];
      for (let i = 0; i < count; i++, seq++) {
        const invoiceId = `${run}-inv-${seq}`;
        const [event] = chainEvents(`invoice-${invoiceId}`, null, [{
          id: `evt-${seq}`,
          type: 'InvoiceIssued',
          data: { invoiceId, customerId: `cust-${seq % customers}`, total: total(seq) },
          metadata: { actor: 'test', recordedAt: '2024-03-01T09:30:00.000Z', commandId: `cmd-${seq}`, correlationId: `cmd-${seq}`, causationId: `cmd-${seq}`, schemaVersion: 1 },
        }]);
        appends.push(world.eventStore.append(`invoice-${invoiceId}`, 'no_stream', [event]));
      }
      await Promise.all(appends);
      return world.eventStore.headPosition();
    },
    async positions() {
      const out: number[] = [];
      for (let after = -1; ;) {
        const batch = await world.eventStore.readAll(after, 1000);
        if (batch.length === 0) return out;
        out.push(...batch.map((e) => e.position));
        after = batch[batch.length - 1].position;
      }
    },
    attach() {
      const stores = open();
      attached.push(stores);
      return stores;
    },
    async reopen() {
      await world.eventStore.close();
      await world.readStore.close();
      Object.assign(world, open());
    },
    async dispose() {
      for (const stores of attached) {
        await stores.eventStore.close();
        await stores.readStore.close();
      }
      await world.eventStore.close();
      await world.readStore.close();
      if (combination.readStore === 'mongodb') {
        const client = await MongoClient.connect(MONGO!);
        await client.db(database).dropDatabase();
        await client.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** Every document of a collection as `key → canonical JSON`, for byte-level comparisons. */
export async function dump(readStore: ReadStore, collection: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let after: string | null = null; ;) {
    const page: Array<{ key: string; doc: Doc }> = await readStore.scan(collection, after, 1000);
    if (page.length === 0) return out;
    for (const { key, doc } of page) out.set(key, JSON.stringify(doc, Object.keys(doc).sort()));
    after = page[page.length - 1].key;
  }
}

/** What a full fold of the log gives, computed without the runtime. */
export function expectedCounts(totalEvents: number, customers: number, total: (i: number) => number, factor = 1): Map<string, { events: number; invoiced: number }> {
  const out = new Map<string, { events: number; invoiced: number }>();
  for (let i = 0; i < totalEvents; i++) {
    const key = `cust-${i % customers}`;
    const cur = out.get(key) ?? { events: 0, invoiced: 0 };
    out.set(key, { events: cur.events + 1, invoiced: cur.invoiced + total(i) * factor });
  }
  return out;
}
