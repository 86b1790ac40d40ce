import type { Doc, ReadStore } from '../../libs/read-store/read-store.port';

export interface ReadStoreFixture {
  store: ReadStore;
  dispose(): Promise<void>;
}

const AT = '2024-05-01T00:00:00.000Z';
const items: Array<{ key: string; doc: Doc }> = [
  { key: 'a', doc: { n: 1, due: '2024-01-10', status: 'open', flag: true, note: null } },
  { key: 'b', doc: { n: 2, due: '2024-02-10', status: 'open', flag: false } },
  { key: 'c', doc: { n: 3, due: '2024-03-10', status: 'settled', flag: true, note: 'x' } },
  { key: 'd', doc: { n: 4, due: '2024-03-10', status: 'open', flag: false } },
  { key: 'e', doc: { n: 10, due: '2023-12-31', status: 'disputed', flag: true, note: 'y' } },
];
const keysOf = (docs: Doc[]) => docs.map((d) => items.find((i) => i.doc.n === d.n)?.key).sort();

/** One lifecycle suite run unchanged against every ReadStore adapter. */
export function describeReadStoreContract(name: string, factory: () => Promise<ReadStoreFixture>): void {
  describe(`ReadStore contract: ${name}`, () => {
    let fx: ReadStoreFixture;
    let store: ReadStore;
    beforeEach(async () => {
      fx = await factory();
      store = fx.store;
    });
    afterEach(async () => fx.dispose());

    const seed = async () => {
      await store.ensureIndexes('items', ['due', 'status', 'n']);
      await store.commitBatch('proj', [{ collection: 'items', upserts: items, deletes: [] }], 4, AT);
    };

    it('gets a document by key, null when absent (also for an unknown collection)', async () => {
      await seed();
      expect(await store.get('items', 'c')).toEqual(items[2].doc);
      expect(await store.get('items', 'zz')).toBeNull();
      expect(await store.get('nowhere', 'a')).toBeNull();
    });

    it('getMany returns the existing keys only', async () => {
      await seed();
      const many = await store.getMany('items', ['a', 'zz', 'e']);
      expect([...many.keys()].sort()).toEqual(['a', 'e']);
      expect(many.get('e')).toEqual(items[4].doc);
      expect((await store.getMany('items', [])).size).toBe(0);
      expect((await store.getMany('nowhere', ['a'])).size).toBe(0);
    });

    it('find supports equality, null and each comparison operator', async () => {
      await seed();
      const f = async (filter: Parameters<ReadStore['find']>[1]) => keysOf(await store.find('items', filter));
      expect(await f({})).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(await f({ status: 'open' })).toEqual(['a', 'b', 'd']);
      expect(await f({ n: 3 })).toEqual(['c']);
      expect(await f({ flag: true })).toEqual(['a', 'c', 'e']);
      expect(await f({ note: null })).toEqual(['a', 'b', 'd']);
      expect(await f({ note: { $ne: null } })).toEqual(['c', 'e']);
      expect(await f({ status: { $eq: 'settled' } })).toEqual(['c']);
      expect(await f({ status: { $ne: 'open' } })).toEqual(['c', 'e']);
      expect(await f({ note: { $ne: 'x' } })).toEqual(['a', 'b', 'd', 'e']);
      expect(await f({ due: { $lt: '2024-02-10' } })).toEqual(['a', 'e']);
      expect(await f({ due: { $lte: '2024-02-10' } })).toEqual(['a', 'b', 'e']);
      expect(await f({ due: { $gt: '2024-02-10' } })).toEqual(['c', 'd']);
      expect(await f({ due: { $gte: '2024-02-10', $lt: '2024-03-10' } })).toEqual(['b']);
      expect(await f({ n: { $gt: 2, $lte: 4 } })).toEqual(['c', 'd']);
      expect(await f({ n: { $gte: 4 } })).toEqual(['d', 'e']);
      expect(await f({ status: { $in: ['settled', 'disputed'] } })).toEqual(['c', 'e']);
      expect(await f({ note: { $in: ['x', null] } })).toEqual(['a', 'b', 'c', 'd']);
      expect(await f({ status: { $in: [] } })).toEqual([]);
      expect(await f({ status: 'open', due: { $gte: '2024-02-01' }, flag: false })).toEqual(['b', 'd']);
      expect(await store.find('nowhere', { status: 'open' })).toEqual([]);
    });

    it('find sorts on one or more fields and limits', async () => {
      await seed();
      const ns = (docs: Doc[]) => docs.map((d) => d.n);
      expect(ns(await store.find('items', {}, { sort: [['n', -1]] }))).toEqual([10, 4, 3, 2, 1]);
      expect(ns(await store.find('items', {}, { sort: [['due', 1], ['n', -1]] }))).toEqual([10, 1, 2, 4, 3]);
      expect(ns(await store.find('items', { status: 'open' }, { sort: [['due', -1]], limit: 2 }))).toEqual([4, 2]);
      expect(await store.find('items', {}, { limit: 0 })).toEqual([]);
      expect(await store.find('items', {}, { limit: 3 })).toHaveLength(3);
    });

    it('find with fields returns exactly those fields, in order, null where a document lacks one', async () => {
      await seed();
      await store.commitBatch('proj', [{ collection: 'items', upserts: [{ key: 'f', doc: { n: 5, due: '2024-04-01', status: 'open', lines: [{ on: '2024-04-02', amount: -3 }], meta: { a: 'é"\\' } } }], deletes: [] }], 5, AT);
      const picked = await store.find('items', { status: 'open' }, { fields: ['n', 'lines', 'note', 'meta'] });
      const byN = new Map(picked.map((d) => [d.n, d]));
      expect(byN.get(5)).toEqual({ n: 5, lines: [{ on: '2024-04-02', amount: -3 }], note: null, meta: { a: 'é"\\' } });
      expect(byN.get(1)).toEqual({ n: 1, lines: null, note: null, meta: null });
      expect([...byN.keys()].sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 4, 5]);
      for (const doc of picked) expect(Object.keys(doc)).toEqual(['n', 'lines', 'note', 'meta']);
      // Same documents, same filters, sort and limit as without fields.
      const sorted = await store.find('items', { n: { $gte: 2 } }, { sort: [['due', -1]], limit: 3, fields: ['due', 'flag'] });
      expect(sorted[0]).toEqual({ due: '2024-04-01', flag: null });
      expect(sorted.slice(1).map((d) => d.due)).toEqual(['2024-03-10', '2024-03-10']);
      expect(sorted.slice(1).map((d) => d.flag).sort()).toEqual([false, true]);
      expect(await store.find('items', { status: 'none' }, { fields: ['n'] })).toEqual([]);
      expect(await store.find('nowhere', {}, { fields: ['n'] })).toEqual([]);
    });

    it('a compound index, before or after the data, changes no answer and follows later writes', async () => {
      const query = async () => {
        const docs = await store.find('items', { due: { $lte: '2024-03-10' }, n: { $gt: 1 } }, { fields: ['status', 'n', 'flag'] });
        return docs.sort((a, b) => Number(a.n) - Number(b.n));
      };
      await store.ensureCompoundIndex('items', { fields: ['due', 'n'], include: ['status', 'n', 'flag'] });
      await seed();
      const before = await query();
      expect(before).toEqual([
        { status: 'open', n: 2, flag: false },
        { status: 'settled', n: 3, flag: true },
        { status: 'open', n: 4, flag: false },
        { status: 'disputed', n: 10, flag: true },
      ]);
      await store.ensureCompoundIndex('items', { fields: ['due', 'n'], include: ['status', 'n', 'flag'] });
      await store.ensureCompoundIndex('items', { fields: ['status'] });
      expect(await query()).toEqual(before);
      await store.commitBatch('proj', [{ collection: 'items', upserts: [{ key: 'c', doc: { n: 3, due: '2024-03-10', status: 'open' } }], deletes: ['d'] }], 6, AT);
      expect(await query()).toEqual([
        { status: 'open', n: 2, flag: false },
        { status: 'open', n: 3, flag: null },
        { status: 'disputed', n: 10, flag: true },
      ]);
      expect(await store.count('items', { status: 'open' })).toBe(3);
    });

    it('counts with a filter', async () => {
      await seed();
      expect(await store.count('items', {})).toBe(5);
      expect(await store.count('items', { status: 'open', n: { $gt: 1 } })).toBe(2);
      expect(await store.count('nowhere', {})).toBe(0);
    });

    it('an upsert replaces the whole document; deletes remove it', async () => {
      await seed();
      await store.commitBatch('proj', [{ collection: 'items', upserts: [{ key: 'a', doc: { n: 1, due: '2025-01-01' } }], deletes: ['b', 'zz'] }], 5, AT);
      expect(await store.get('items', 'a')).toEqual({ n: 1, due: '2025-01-01' });
      expect(await store.get('items', 'b')).toBeNull();
      expect(await store.count('items', {})).toBe(4);
      expect(keysOf(await store.find('items', { status: 'open' }))).toEqual(['d']);
    });

    it('a large batch (a rebuild flush) writes every document, replacing existing ones, with indexes maintained', async () => {
      await seed();
      const many = Array.from({ length: 1_000 }, (_, i) => ({ key: `bulk-${String(i).padStart(4, '0')}`, doc: { n: i, status: i % 2 === 0 ? 'even' : 'odd' } }));
      const replaced = { key: 'a', doc: { n: -1, status: 'replaced' } };
      await store.commitBatch('proj', [{ collection: 'items', upserts: [...many.slice(0, 500), replaced, ...many.slice(500)], deletes: ['b'] }], 10, AT);
      expect(await store.count('items', {})).toBe(4 + 1_000);
      expect(await store.count('items', { status: 'even' })).toBe(500);
      expect(await store.get('items', 'a')).toEqual(replaced.doc);
      expect(await store.get('items', 'bulk-0999')).toEqual({ n: 999, status: 'odd' });
      const page = await store.scan('items', 'bulk-0497', 3);
      expect(page).toEqual([many[498], many[499], many[500]]);
      expect((await store.getCheckpoint('proj'))?.position).toBe(10);
    });

    it('ensureIndexes is idempotent and can precede or follow the data', async () => {
      await store.ensureIndexes('items', ['due']);
      await seed();
      await store.ensureIndexes('items', ['due', 'status', 'n']);
      expect(await store.count('items', { due: { $gte: '2024-01-01' } })).toBe(4);
    });

    it('commitBatch writes several collections and the checkpoint together', async () => {
      await store.commitBatch('multi', [
        { collection: 'left', upserts: [{ key: 'k', doc: { v: 1 } }], deletes: [] },
        { collection: 'right', upserts: [{ key: 'k', doc: { v: 2 } }], deletes: [] },
      ], 7, AT);
      expect(await store.get('left', 'k')).toEqual({ v: 1 });
      expect(await store.get('right', 'k')).toEqual({ v: 2 });
      expect(await store.getCheckpoint('multi')).toEqual({ projection: 'multi', position: 7, updatedAt: AT });
    });

    it('a batch that fails mid-way leaves neither its documents nor its checkpoint', async () => {
      await seed();
      const bad = [
        { collection: 'items', upserts: [{ key: 'a', doc: { n: 100 } }, { key: 'new', doc: { n: 5 } }], deletes: ['c'] },
        { collection: 'other', upserts: [{ key: 'x', doc: { ok: 1 } }, { key: 'y', doc: { big: BigInt(1) } }], deletes: [] },
      ];
      await expect(store.commitBatch('proj', bad, 9, '2024-06-01T00:00:00.000Z')).rejects.toThrow();
      expect(await store.get('items', 'a')).toEqual(items[0].doc);
      expect(await store.get('items', 'new')).toBeNull();
      expect(await store.get('items', 'c')).toEqual(items[2].doc);
      expect(await store.get('other', 'x')).toBeNull();
      expect((await store.getCheckpoint('proj'))?.position).toBe(4);
    });

    it('keeps one checkpoint per projection, lists and deletes them', async () => {
      expect(await store.getCheckpoint('p1')).toBeNull();
      await store.commitBatch('p1', [], 3, AT);
      await store.commitBatch('p2', [], 8, AT);
      await store.commitBatch('p1', [], 5, '2024-05-02T00:00:00.000Z');
      expect(await store.getCheckpoint('p1')).toEqual({ projection: 'p1', position: 5, updatedAt: '2024-05-02T00:00:00.000Z' });
      expect((await store.listCheckpoints()).map((c) => [c.projection, c.position])).toEqual([['p1', 5], ['p2', 8]]);
      await store.deleteCheckpoint('p1');
      expect(await store.getCheckpoint('p1')).toBeNull();
      expect(await store.listCheckpoints()).toHaveLength(1);
    });

    it('stores metadata as key/value', async () => {
      expect(await store.getMeta('live:x')).toBeNull();
      await store.setMeta('live:x', 'x_v1_g1');
      await store.setMeta('live:x', 'x_v1_g2');
      expect(await store.getMeta('live:x')).toBe('x_v1_g2');
    });

    it('drops a collection (and tolerates dropping a missing one)', async () => {
      await seed();
      await store.dropCollection('items');
      await store.dropCollection('never_created');
      expect(await store.count('items', {})).toBe(0);
      expect(await store.get('items', 'a')).toBeNull();
      expect((await store.getCheckpoint('proj'))?.position).toBe(4);
      await seed();
      expect(await store.count('items', {})).toBe(5);
    });

    it('scans every document with its key, in key order, by pages', async () => {
      await seed();
      const first = await store.scan('items', null, 2);
      expect(first.map((e) => e.key)).toEqual(['a', 'b']);
      expect(first[0].doc).toEqual(items[0].doc);
      const rest = await store.scan('items', 'b', 10);
      expect(rest.map((e) => e.key)).toEqual(['c', 'd', 'e']);
      expect(await store.scan('nowhere', null, 10)).toEqual([]);
    });
  });
}
