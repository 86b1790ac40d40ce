import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { canonicalJson } from '../../libs/projection-runtime/generations';
import { Projector } from '../../libs/projection-runtime/projector';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { ALL_PROJECTIONS } from '../../projections';
import { loadCommands, simulateLedger } from '../bench/fixtures';

/**
 * Every projection rebuilt under any memory budget — a flush after every few documents, each document touched again
 * read back from the store (ADR 0026, 0096), any batch size — ends with exactly the documents of a rebuild that never
 * flushed before its end. Reproduce a failure with FC_SEED=<seed>.
 */
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`rebuild-budgets property seed: FC_SEED=${seed}`);

describe('rebuilds under memory budgets (property)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-rebuild-budgets-'));
  let eventStore: SqliteEventStore;
  let reference: Map<string, Map<string, string>>;
  let run = 0;

  /** Every projection's live documents, canonical JSON by key. */
  async function rebuilt(options: { batch: number; maxDocuments: number; maxMs: number }): Promise<Map<string, Map<string, string>>> {
    const path = join(dir, `read-${run++}.db`);
    const readStore = new SqliteReadStore({ path });
    try {
      const projector = new Projector({
        eventStore, readStore, projections: ALL_PROJECTIONS, rebuildBatchSize: options.batch,
        rebuildFlush: { maxDocuments: options.maxDocuments, maxMs: options.maxMs },
      });
      await projector.rebuild();
      const out = new Map<string, Map<string, string>>();
      for (const p of ALL_PROJECTIONS) {
        const docs = new Map<string, string>();
        const collection = (await projector.liveCollection(p.name))!;
        for (let after: string | null = null; ;) {
          const page = await readStore.scan(collection, after, 1000);
          if (page.length === 0) break;
          for (const { key, doc } of page) docs.set(key, canonicalJson(doc));
          after = page[page.length - 1].key;
        }
        out.set(p.name, docs);
      }
      return out;
    } finally {
      await readStore.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    }
  }

  beforeAll(async () => {
    eventStore = new SqliteEventStore({ path: join(dir, 'events.db') });
    // Customers touched again and again (balances, exposure, ledgers), invoices paid, credited, written off later.
    await loadCommands(eventStore, simulateLedger({ seed: 5, minEvents: 2_500, customers: 25, invoicesPerDay: 6 }));
    reference = await rebuilt({ batch: 10_000, maxDocuments: 10_000_000, maxMs: 3_600_000 });
  }, 120_000);

  afterAll(async () => {
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the reference holds documents of every kind the ledger makes', () => {
    for (const name of ['invoices', 'open-items', 'open-balances', 'customer-ledger', 'journal', 'audit-trail', 'credit-exposure']) {
      expect(reference.get(name)!.size).toBeGreaterThan(20);
    }
  });

  it('any budget, any batch size: the same documents', async () => {
    await fc.assert(fc.asyncProperty(
      fc.record({
        batch: fc.integer({ min: 7, max: 700 }),
        maxDocuments: fc.integer({ min: 1, max: 400 }),
      }),
      async (o) => {
        const got = await rebuilt({ ...o, maxMs: 3_600_000 });
        for (const [name, docs] of reference) {
          const mine = got.get(name)!;
          expect({ name, size: mine.size }).toEqual({ name, size: docs.size });
          for (const [key, json] of docs) if (mine.get(key) !== json) expect({ name, key, doc: mine.get(key) }).toEqual({ name, key, doc: json });
        }
      },
    ), { seed, numRuns: 8 });
  }, 240_000);
});
