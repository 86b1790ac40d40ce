import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
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
  eventStore: EventStore;
  readStore: ReadStore;
  /** Appends `count` InvoiceIssued events (one stream each) spread over `customers`; returns the head. */
  issue(count: number, customers?: number, total?: (i: number) => number): Promise<number>;
  reopen(): Promise<void>;
  /** Stores of a second process on the same files (closed by dispose). */
  attach(): { eventStore: EventStore; readStore: ReadStore };
  dispose(): Promise<void>;
}

export async function openWorld(): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'ar-projector-'));
  let seq = 0;
  const attached: Array<{ eventStore: EventStore; readStore: ReadStore }> = [];
  const open = () => ({
    eventStore: new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 20 }),
    readStore: new SqliteReadStore({ path: join(dir, 'read.db') }),
  });
  const world: World = {
    dir,
    ...open(),
    async issue(count, customers = 7, total = (i) => 100 + (i % 13)) {
      const appends: Array<Promise<unknown>> = [];
      for (let i = 0; i < count; i++, seq++) {
        const invoiceId = `inv-${seq}`;
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
