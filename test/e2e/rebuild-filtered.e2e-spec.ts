import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_DEFAULTS } from '../../apps/cli/src/demo/demo-scenario';
import { runDemoSeed } from '../../apps/cli/src/demo/demo-seed';
import { SCHEMA_VERSIONS } from '../../libs/domain/events';
import { EVENT_STORE, type EventStore, type StoredEvent } from '../../libs/event-store/event-store.port';
import { logBatches } from '../../libs/event-store/log-batches';
import { foldedTypes, type ProjectedEvent, type Projection } from '../../libs/projection-runtime/projection';
import { Projector } from '../../libs/projection-runtime/projector';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import type { Doc } from '../../libs/read-store/read-store.port';
import { ALL_PROJECTIONS } from '../../projections';
import { startApi, type Harness } from '../support/api-harness';

/**
 * A rebuild that reads only the event types a projection declares (ADR 0108) gives the same read model as one that
 * reads the whole log, over the demo seed's generated ledger (disputes, credit notes, discounts, write-offs,
 * reversals, dunning, holds…), and still ends at the head when the log ends with events it does not fold.
 */
describe('rebuild filtered by event type', () => {
  let h: Harness;
  let store: EventStore;
  let log: StoredEvent[];
  const dir = mkdtempSync(join(tmpdir(), 'ar-rebuild-filtered-'));
  beforeAll(async () => {
    h = await startApi();
    await runDemoSeed(h.app, DEMO_DEFAULTS);
    // The last event is one neither invoices nor the journal folds.
    await h.http().post('/customers').send({ id: 'last-in-log', name: 'Last', currency: 'EUR', creditLimit: '100.00' }).expect(201);
    store = h.app.get<EventStore>(EVENT_STORE);
    log = [];
    for await (const batch of logBatches(store, -1, 1000)) log.push(...batch);
  }, 120_000);
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const dump = async (projector: Projector, readStore: SqliteReadStore, name: string): Promise<Map<string, Doc>> => {
    const collection = await projector.liveCollection(name);
    const docs = new Map<string, Doc>();
    if (collection === null) return docs;
    for (let after: string | null = null; ;) {
      const page = await readStore.scan(collection, after, 1000);
      if (page.length === 0) return docs;
      for (const { key, doc } of page) docs.set(key, doc);
      after = page[page.length - 1].key;
    }
  };

  it('declares the types of every projection, and the generated log has events of many types', () => {
    const types = new Set(log.map((e) => e.type));
    expect(types.size).toBeGreaterThanOrEqual(20);
    // Every projection declares its types since credit-exposure v2 (ADR 0120); customer-streams takes every type the
    // engine writes, so a rebuild of all of them together still reads the whole log.
    expect(ALL_PROJECTIONS.filter((p) => p.eventTypes === undefined).map((p) => p.name)).toEqual([]);
    expect(foldedTypes(ALL_PROJECTIONS)).toEqual(Object.keys(SCHEMA_VERSIONS).sort());
    // Each declared type is one the engine writes (a misspelt type would silently fold nothing).
    for (const p of ALL_PROJECTIONS) for (const t of p.eventTypes ?? []) expect({ p: p.name, t, known: t in SCHEMA_VERSIONS }).toEqual({ p: p.name, t, known: true });
  });

  it('keysOf gives no key for a type outside the declared ones, whatever the payload', () => {
    const others = [...Object.keys(SCHEMA_VERSIONS), 'AppendPlanned', 'NoSuchEvent'];
    // Real payloads of every shape in the log, retyped: a keysOf that looked at anything but its declared types would answer.
    const shapes = [...new Map(log.map((e) => [e.type, e])).values()];
    for (const p of ALL_PROJECTIONS) {
      if (p.eventTypes === undefined) continue;
      for (const type of others) {
        if (p.eventTypes.has(type)) continue;
        for (const e of shapes) expect({ p: p.name, type, from: e.type, keys: p.keysOf({ ...e, type } as unknown as ProjectedEvent) }).toEqual({ p: p.name, type, from: e.type, keys: [] });
      }
    }
  });

  it('gives every projection the same documents as the whole-log rebuild, and ends each at the head', async () => {
    const head = await store.headPosition();
    expect(log[log.length - 1].type).toBe('CustomerRegistered');
    const unfilteredStore = new SqliteReadStore({ path: join(dir, 'unfiltered.db') });
    const filteredStore = new SqliteReadStore({ path: join(dir, 'filtered.db') });
    // The same projections without their declarations: every rebuild of them reads the whole log.
    const whole: Projection[] = ALL_PROJECTIONS.map(({ eventTypes: _ignored, ...p }) => p);
    const unfiltered = new Projector({ eventStore: store, readStore: unfilteredStore, projections: whole, rebuildBatchSize: 64 });
    const filtered = new Projector({ eventStore: store, readStore: filteredStore, projections: ALL_PROJECTIONS, rebuildBatchSize: 64 });
    try {
      await unfiltered.rebuild();
      let compared = 0;
      for (const p of ALL_PROJECTIONS) {
        // Alone, as `ar projections rebuild NAME` does: the read is filtered by this projection's types only.
        await filtered.rebuild([p.name]);
        const expected = await dump(unfiltered, unfilteredStore, p.name);
        expect({ name: p.name, docs: await dump(filtered, filteredStore, p.name) }).toEqual({ name: p.name, docs: expected });
        compared += expected.size;
        const collection = (await filtered.liveCollection(p.name)) as string;
        expect({ name: p.name, checkpoint: (await filteredStore.getCheckpoint(collection))?.position }).toEqual({ name: p.name, checkpoint: head });
      }
      expect(compared).toBeGreaterThan(200);
    } finally {
      await unfilteredStore.close();
      await filteredStore.close();
    }
  }, 120_000);
});
