import fc from 'fast-check';
import type { Doc, Filter, ReadStore } from '../../libs/read-store/read-store.port';
import { pageRequest, readPage, type Page } from '../../libs/application/queries/lists/list-page';
import { sortIndexes, type ListSpec } from '../../projections';
import type { ReadStoreFixture } from './read-store.contract';

const AT = '2026-01-01T00:00:00.000Z';
const SPEC: ListSpec = { idField: 'id', sorts: { due: 'due', amount: 'amount', name: 'name', id: 'id' }, defaultSort: 'due' };

const doc = (id: string, due: string, amount: number, name: string, extra: Doc = {}) => ({ key: id, doc: { id, due, amount, name, ...extra } });
/** Five documents; x2/x3/x4 share a due date and x1/x4 an amount, so ties are broken by the id. */
const docs = [
  doc('x1', '2026-02-01', 500, 'ACME SAS', { status: 'open' }),
  doc('x2', '2026-01-15', 100, 'SOCIÉTÉ Générale', { status: 'open' }),
  doc('x3', '2026-01-15', 900, 'a.b Conseil', { status: 'paid' }),
  doc('x4', '2026-01-15', 500, 'Zeta (Holdings) [EU]', { status: 'open' }),
  doc('x5', '2026-03-01', 50, 'axb SARL', { status: 'paid' }),
];

/**
 * The list semantics (ADR 0069) run unchanged against every ReadStore: text search, `$or`/`$and`, sorts with
 * the id as tie-breaker, cursor pages that neither repeat nor skip when documents are inserted between pages.
 */
export function describeListContract(name: string, factory: () => Promise<ReadStoreFixture>): void {
  describe(`List semantics contract: ${name}`, () => {
    let fx: ReadStoreFixture;
    let store: ReadStore;
    let position = 0;
    const put = async (upserts: Array<{ key: string; doc: Doc }>, deletes: string[] = []) =>
      store.commitBatch('lists', [{ collection: 'items', upserts, deletes }], ++position, AT);
    const page = (filter: Filter, query: { limit?: string; sort?: string; cursor?: string }) => readPage(store, 'items', SPEC, filter, pageRequest(SPEC, query));
    const all = async (filter: Filter, sort: string, limit: number): Promise<{ ids: string[]; pages: Page[] }> => {
      const pages: Page[] = [];
      let cursor: string | undefined;
      do {
        const p = await page(filter, { limit: String(limit), sort, cursor });
        pages.push(p);
        cursor = p.next ?? undefined;
      } while (cursor !== undefined);
      return { ids: pages.flatMap((p) => p.items.map((d) => String(d.id))), pages };
    };

    beforeEach(async () => {
      fx = await factory();
      store = fx.store;
      await store.ensureIndexes('items', ['status']);
      for (const index of sortIndexes(SPEC)) await store.ensureCompoundIndex('items', index);
      await put(docs);
    });
    afterEach(async () => fx.dispose());

    it('$contains matches text case-insensitively (beyond ASCII), literally (no pattern characters), and only strings', async () => {
      const ids = async (filter: Filter) => (await store.find('items', filter, { sort: [['id', 1]] })).map((d) => d.id);
      expect(await ids({ name: { $contains: 'acme' } })).toEqual(['x1']);
      expect(await ids({ name: { $contains: 'société' } })).toEqual(['x2']);
      expect(await ids({ name: { $contains: 'GÉNÉRALE' } })).toEqual(['x2']);
      expect(await ids({ name: { $contains: 'a.b' } })).toEqual(['x3']); // not axb: the dot is a dot
      expect(await ids({ name: { $contains: '(holdings) [eu]' } })).toEqual(['x4']);
      expect(await ids({ name: { $contains: '' } })).toEqual(['x1', 'x2', 'x3', 'x4', 'x5']);
      expect(await ids({ amount: { $contains: '5' } })).toEqual([]);
      expect(await ids({ missing: { $contains: 'a' } })).toEqual([]);
      expect(await store.count('items', { name: { $contains: 's' } })).toBe(5); // SAS, SOCIÉTÉ, Conseil, Holdings, SARL
    });

    it('$or and $and combine filters; an empty $or matches nothing', async () => {
      const ids = async (filter: Filter) => (await store.find('items', filter, { sort: [['id', 1]] })).map((d) => d.id);
      expect(await ids({ $or: [{ status: 'paid' }, { amount: { $gte: 500 } }] })).toEqual(['x1', 'x3', 'x4', 'x5']);
      expect(await ids({ status: 'open', $or: [{ due: '2026-01-15' }, { name: { $contains: 'acme' } }] })).toEqual(['x1', 'x2', 'x4']);
      expect(await ids({ $and: [{ $or: [{ id: 'x1' }, { id: 'x2' }] }, { $or: [{ id: 'x2' }, { id: 'x3' }] }] })).toEqual(['x2']);
      expect(await ids({ $or: [] })).toEqual([]);
      expect(await store.count('items', { $or: [{ status: 'paid' }, { id: 'x1' }] })).toBe(3);
    });

    it('sorts by the field then the id, in both directions, and pages without a repeat or a gap', async () => {
      // due ascending: x2, x3, x4 (2026-01-15, by id), x1 (02-01), x5 (03-01); descending reverses the whole order.
      expect((await all({}, 'due', 2)).ids).toEqual(['x2', 'x3', 'x4', 'x1', 'x5']);
      expect((await all({}, '-due', 2)).ids).toEqual(['x5', 'x1', 'x4', 'x3', 'x2']);
      // amount 50, 100, 500 (x1, x4 by id), 900.
      expect((await all({}, 'amount', 1)).ids).toEqual(['x5', 'x2', 'x1', 'x4', 'x3']);
      expect((await all({}, '-amount', 3)).ids).toEqual(['x3', 'x4', 'x1', 'x2', 'x5']);
      const { pages } = await all({ status: 'open' }, 'due', 2);
      expect(pages.map((p) => p.items.length)).toEqual([2, 1]);
      expect(pages.map((p) => p.total)).toEqual([3, 3]);
      expect(pages[1].next).toBeNull();
    });

    it('a cursor stays valid when documents are inserted and deleted between pages', async () => {
      const first = await page({}, { limit: '2', sort: 'due' }); // x2, x3
      expect(first.items.map((d) => d.id)).toEqual(['x2', 'x3']);
      // Inserted before the cursor (not shown: already passed), tied with it but after by id (shown), and later;
      // x4 deleted (not shown), x5 changed to an earlier date (passed: not shown).
      await put([
        doc('x0', '2026-01-01', 1, 'Early'), doc('x35', '2026-01-15', 1, 'Tie after'), doc('x9', '2026-12-31', 1, 'Late'),
        doc('x5', '2026-01-02', 50, 'axb SARL', { status: 'paid' }),
      ], ['x4']);
      const rest: string[] = [];
      let cursor = first.next;
      while (cursor !== null) {
        const p = await page({}, { limit: '2', sort: 'due', cursor });
        rest.push(...p.items.map((d) => String(d.id)));
        cursor = p.next;
      }
      expect(rest).toEqual(['x35', 'x1', 'x9']);
    });

    it('a cursor belongs to its sort and filter', async () => {
      const first = await page({ status: 'open' }, { limit: '1', sort: 'due' });
      await expect(page({ status: 'paid' }, { limit: '1', sort: 'due', cursor: first.next ?? '' })).rejects.toMatchObject({ code: 'CURSOR_INVALID' });
      await expect(page({ status: 'open' }, { limit: '1', sort: '-due', cursor: first.next ?? '' })).rejects.toMatchObject({ code: 'CURSOR_INVALID' });
      await expect(page({}, { cursor: 'eyJzIjoxfQ' })).rejects.toMatchObject({ code: 'CURSOR_INVALID' });
      expect(() => pageRequest(SPEC, { limit: '501' })).toThrow(expect.objectContaining({ code: 'LIMIT_INVALID' }));
      expect(() => pageRequest(SPEC, { sort: 'status' })).toThrow(expect.objectContaining({ code: 'SORT_INVALID' }));
    });

    it('property: walking the pages of any sort and page size gives the stored order exactly once (FC_SEED reproduces)', async () => {
      const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
      console.log(`list contract (${name}) property seed: FC_SEED=${seed}`);
      const row = fc.record({ due: fc.constantFrom('2026-01-01', '2026-01-02', '2026-01-03'), amount: fc.integer({ min: 0, max: 3 }), name: fc.constantFrom('a', 'B', 'é') });
      await fc.assert(fc.asyncProperty(
        fc.array(row, { minLength: 0, maxLength: 30 }), fc.constantFrom('due', '-due', 'amount', '-amount', 'name', '-name', 'id', '-id'), fc.integer({ min: 1, max: 7 }),
        async (rows, sort, limit) => {
          const upserts = rows.map((r, i) => doc(`r${String(i).padStart(2, '0')}`, r.due, r.amount, r.name));
          const stale = (await store.scan('items', null, 10_000)).map((r) => r.key).filter((k) => !upserts.some((u) => u.key === k));
          await put(upserts, stale);
          const field = SPEC.sorts[sort.replace(/^-/, '')] as 'due' | 'amount' | 'name' | 'id';
          const dir = sort.startsWith('-') ? -1 : 1;
          const expected = rows.map((r, i) => ({ ...r, id: `r${String(i).padStart(2, '0')}` }))
            .sort((a, b) => dir * (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((r) => r.id);
          expect((await all({}, sort, limit)).ids).toEqual(expected);
        },
      ), { seed, numRuns: 40 });
    });
  });
}
