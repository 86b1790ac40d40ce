import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { SqliteEventStore } from '../libs/event-store/adapters/sqlite/sqlite-event-store';
import { canonicalJson } from '../libs/projection-runtime/generations';
import type { ProjectedEvent, Projection } from '../libs/projection-runtime/projection';
import { Projector } from '../libs/projection-runtime/projector';
import { SqliteReadStore } from '../libs/read-store/adapters/sqlite/sqlite-read-store';
import type { ReadStore } from '../libs/read-store/read-store.port';
import { loadCommands, simulateLedger } from '../test/bench/fixtures';
import { ALL_PROJECTIONS } from './index';

/**
 * `keyPerEvent` (ADR 0123): a projection declaring it is never read back by the runtime, so the declaration must be
 * true of it — over a whole simulated ledger, no key is given by two events, and evolving what an event built with
 * the same event again gives the same document (a replayed event). And the runtime honours it: a rebuild and the live
 * projector with the declaration end with exactly the documents of the same projections without it (read back as any
 * other), and read none of their documents.
 */
const KEY_PER_EVENT = ALL_PROJECTIONS.filter((p) => p.keyPerEvent === true);
const withoutDeclaration = (ps: readonly Projection[]): Projection[] => ps.map((p) => ({ ...p, keyPerEvent: undefined }));

describe('projections keyed per event (ADR 0123)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-key-per-event-'));
  let eventStore: SqliteEventStore;
  let log: ProjectedEvent[];

  beforeAll(async () => {
    eventStore = new SqliteEventStore({ path: join(dir, 'events.db') });
    await loadCommands(eventStore, simulateLedger({ seed: 11, minEvents: 2_000, customers: 20, invoicesPerDay: 6 }));
    log = (await eventStore.readAll(-1, 1_000_000)) as unknown as ProjectedEvent[];
  }, 120_000);

  afterAll(async () => {
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are the audit trail, the journal and the customer ledger', () => {
    expect(KEY_PER_EVENT.map((p) => p.name).sort()).toEqual(['audit-trail', 'customer-ledger', 'journal']);
  });

  it.each(KEY_PER_EVENT.map((p) => [p.name, p] as const))('%s: no key is given by two events, and a replayed event builds the same document', (_name, p) => {
    const by = new Map<string, number>();
    let documents = 0;
    for (const event of log) {
      for (const key of p.keysOf(event)) {
        // Given the ledger's events, when two of them give one key, the declaration is false.
        expect({ key, first: by.get(key) ?? event.position }).toEqual({ key, first: event.position });
        by.set(key, event.position);
        const built = p.evolve(null, event);
        if (built === null) continue;
        documents++;
        expect(isDeepStrictEqual(p.evolve(built, event), built)).toBe(true);
      }
    }
    // The ledger does exercise them: every invoice and payment gives a document to each of the three.
    expect(documents).toBeGreaterThan(1_000);
  });

  /** The live documents of every projection, as canonical JSON by key, and the keys the runtime read back. */
  async function built(projections: readonly Projection[], how: 'rebuild' | 'live'): Promise<{ docs: Map<string, Map<string, string>>; readBack: Set<string> }> {
    const readStore = new SqliteReadStore({ path: join(dir, `read-${how}-${projections[0].keyPerEvent ?? 'none'}-${Date.now()}.db`) });
    const readBack = new Set<string>();
    const watched = new Proxy(readStore, {
      get(target, prop, receiver) {
        if (prop === 'getMany') {
          return (collection: string, keys: readonly string[]) => {
            if (keys.length > 0) readBack.add(collection);
            return target.getMany(collection, keys);
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as ReadStore;
    const projector = new Projector({ eventStore, readStore: watched, projections, rebuildBatchSize: 97, rebuildFlush: { maxDocuments: 150, maxMs: 60_000 } });
    try {
      if (how === 'rebuild') await projector.rebuild();
      else {
        await projector.start();
        expect(await projector.waitForPosition(log[log.length - 1].position, 60_000)).toBe(true);
      }
      const docs = new Map<string, Map<string, string>>();
      for (const p of KEY_PER_EVENT) {
        const collection = (await projector.liveCollection(p.name))!;
        const byKey = new Map<string, string>();
        for (let after: string | null = null; ;) {
          const page = await readStore.scan(collection, after, 500);
          for (const { key, doc } of page) byKey.set(key, canonicalJson(doc));
          if (page.length < 500) break;
          after = page[page.length - 1].key;
        }
        docs.set(p.name, byKey);
      }
      return { docs, readBack };
    } finally {
      await projector.stop();
      await readStore.close();
    }
  }

  it.each(['rebuild', 'live'] as const)('%s: the same documents as without the declaration, none read back', async (how) => {
    const declared = await built(KEY_PER_EVENT, how);
    const undeclared = await built(withoutDeclaration(KEY_PER_EVENT), how);
    for (const p of KEY_PER_EVENT) {
      expect(declared.docs.get(p.name)!.size).toBeGreaterThan(500);
      expect([...declared.docs.get(p.name)!].sort()).toEqual([...undeclared.docs.get(p.name)!].sort());
    }
    expect([...declared.readBack]).toEqual([]);
    // Without the declaration the live projector does read its keys back: the watch above would see it.
    if (how === 'live') expect(undeclared.readBack.size).toBeGreaterThan(0);
  }, 120_000);
});
