import { LeaseLostError, type Doc, type Filter, type FindOptions, type ReadStore } from '../../libs/read-store/read-store.port';

export interface ReadStoreFixture {
  store: ReadStore;
  dispose(): Promise<void>;
  /** Arms a one-shot fault between the next batch's documents and its checkpoint (stores that write them apart). */
  armFaultBetweenWrites?: () => void;
  /** Whether a batch and its checkpoint commit in one transaction (SQLite; MongoDB on a replica set). */
  transactional?: () => Promise<boolean>;
  /** Creates, behind the store's back, an index on `fields` under another name (as an operator or an older version would). */
  createForeignIndex?: (collection: string, fields: readonly string[]) => Promise<void>;
  /** Writes, behind the store's back, a checkpoint as an earlier version stored it (a number); `stored` reads it back raw. */
  legacyCheckpoint?: { write(projection: string, position: number, at: string): Promise<void>; stored(projection: string): Promise<unknown> };
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
export function describeReadStoreContract(name: string, factory: () => Promise<ReadStoreFixture>, options: { writesApart?: boolean; legacyCheckpoints?: boolean } = {}): void {
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

    it('get with fields returns exactly those fields of the document, in order, null where it lacks one (ADR 0118)', async () => {
      await seed();
      await store.commitBatch('proj', [{ collection: 'items', upserts: [{ key: 'f', doc: { n: 5, status: 'open', open: { i1: 300, i2: 200 }, meta: { a: 'é"\\' } } }], deletes: [] }], 5, AT);
      const picked = await store.get('items', 'f', { fields: ['meta', 'n', 'note'] });
      expect(picked).toEqual({ meta: { a: 'é"\\' }, n: 5, note: null });
      expect(Object.keys(picked!)).toEqual(['meta', 'n', 'note']);
      expect(await store.get('items', 'f', { fields: ['open'] })).toEqual({ open: { i1: 300, i2: 200 } });
      expect(await store.get('items', 'zz', { fields: ['n'] })).toBeNull();
      expect(await store.get('nowhere', 'a', { fields: ['n'] })).toBeNull();
      await expect(store.get('items', 'f', { fields: [] })).rejects.toThrow(/fields/);
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

    it('forEach visits, one at a time, exactly what find returns (filter, sort, limit, fields), and counts them', async () => {
      await seed();
      await store.ensureCompoundIndex('items', { fields: ['status', 'due'], include: ['n', 'lines'] });
      await store.commitBatch('proj', [{ collection: 'items', upserts: [{ key: 'f', doc: { n: 5, due: '2024-04-01', status: 'open', lines: [{ on: '2024-04-02', amount: -3 }] } }], deletes: [] }], 5, AT);
      const visited = async (filter: Filter, options: FindOptions) => {
        const docs: Doc[] = [];
        const count = await store.forEach('items', filter, options, (doc) => docs.push(doc));
        expect(count).toBe(docs.length);
        return docs;
      };
      const asks: Array<[Filter, FindOptions]> = [
        [{}, {}],
        [{ status: 'open' }, { fields: ['n', 'lines', 'note'] }],
        [{ status: 'open', due: { $gte: '2024-03-10' } }, { fields: ['due', 'n'] }],
        [{ n: { $gte: 2 } }, { sort: [['n', -1]], limit: 3 }],
        [{}, { sort: [['due', 1], ['n', -1]], fields: ['n'] }],
        [{ status: 'none' }, { fields: ['n'] }],
        [{}, { limit: 0 }],
      ];
      const byN = (docs: Doc[]) => [...docs].sort((a, b) => Number(a.n) - Number(b.n));
      for (const [filter, options] of asks) {
        const found = await store.find('items', filter, options);
        const got = await visited(filter, options);
        // Unsorted asks may come in another order; sorted ones in the same.
        if (options.sort) expect(got).toEqual(found);
        else expect(byN(got)).toEqual(byN(found));
      }
      expect((await visited({ status: 'open' }, { fields: ['n', 'lines', 'note'] })).find((d) => d.n === 5)).toEqual({ n: 5, lines: [{ on: '2024-04-02', amount: -3 }], note: null });
      expect(await visited({ status: 'open' }, {})).toHaveLength(4);
      expect(await store.forEach('nowhere', {}, { fields: ['n'] }, () => { throw new Error('nothing to visit'); })).toBe(0);
    });

    it('forEach stops at a throw from the visitor and rejects with it; the store keeps answering', async () => {
      await seed();
      let seen = 0;
      await expect(store.forEach('items', {}, {}, () => {
        seen++;
        if (seen === 2) throw new Error('visitor refused');
      })).rejects.toThrow('visitor refused');
      expect(seen).toBe(2);
      expect(await store.find('items', {}, {})).toHaveLength(5);
      expect(await store.forEach('items', {}, {}, () => undefined)).toBe(5);
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

    // SQLite writes documents and checkpoint in one transaction (the mid-way failure above covers it): MongoDB only.
    (options.writesApart ? it : it.skip)('a fault between a batch’s documents and its checkpoint: all or nothing in a transaction, else the replay converges', async () => {
      if (!fx.armFaultBetweenWrites) throw new Error('the fixture must arm the fault');
      await seed();
      const batch = [{ collection: 'items', upserts: [{ key: 'a', doc: { n: 100 } }, { key: 'new', doc: { n: 5 } }], deletes: ['c'] }];
      fx.armFaultBetweenWrites();
      await expect(store.commitBatch('proj', batch, 9, '2024-06-01T00:00:00.000Z')).rejects.toThrow(/injected/);
      expect((await store.getCheckpoint('proj'))?.position).toBe(4);
      if (await fx.transactional?.()) {
        expect(await store.get('items', 'a')).toEqual(items[0].doc);
        expect(await store.get('items', 'new')).toBeNull();
        expect(await store.get('items', 'c')).toEqual(items[2].doc);
      }
      // The projector re-applies the same batch from the old checkpoint (4): replacements and deletes by key converge.
      await store.commitBatch('proj', batch, 9, '2024-06-01T00:00:00.000Z');
      expect(await store.get('items', 'a')).toEqual({ n: 100 });
      expect(await store.get('items', 'new')).toEqual({ n: 5 });
      expect(await store.get('items', 'c')).toBeNull();
      expect((await store.getCheckpoint('proj'))?.position).toBe(9);
    });

    it('ensureIndexes is idempotent by key: an equivalent index under another name is kept, not a conflict', async () => {
      await seed();
      await fx.createForeignIndex?.('items', ['due']);
      await fx.createForeignIndex?.('items', ['status', 'n']);
      await store.ensureIndexes('items', ['due', 'status']);
      await store.ensureIndexes('items', ['due', 'status']);
      await store.ensureCompoundIndex('items', { fields: ['status', 'n'] });
      await store.ensureCompoundIndex('items', { fields: ['status', 'n'] });
      expect(await store.count('items', { status: 'open', due: { $gte: '2024-02-01' } })).toBe(2);
    });

    it('leaves out a field set to undefined, as JSON does', async () => {
      await store.commitBatch('u', [{ collection: 'undef', upserts: [{ key: 'k', doc: { a: 1, b: undefined } }], deletes: [] }], 1, AT);
      const doc = await store.get('undef', 'k');
      expect(doc).toEqual({ a: 1 });
      expect(Object.keys(doc ?? {})).toEqual(['a']);
      expect(await store.count('undef', { b: null })).toBe(1);
      expect(await store.find('undef', {}, { fields: ['a', 'b'] })).toEqual([{ a: 1, b: null }]);
    });

    it('compares booleans, numbers, strings and arrays the same way on every store', async () => {
      const docs: Array<{ key: string; doc: Doc }> = [
        { key: 't', doc: { v: true } },
        { key: 'f', doc: { v: false } },
        { key: 'one', doc: { v: 1 } },
        { key: 'two', doc: { v: 2 } },
        { key: 's2', doc: { v: '2' } },
        { key: 'arr', doc: { v: [2, 'x'] } },
        { key: 'nul', doc: { v: null } },
        { key: 'none', doc: {} },
      ];
      await store.commitBatch('sem', [{ collection: 'sem', upserts: docs, deletes: [] }], 1, AT);
      const matching = async (filter: Parameters<ReadStore['find']>[1]) => {
        const found = await store.find('sem', filter);
        return docs.filter((d) => found.some((f) => JSON.stringify(f) === JSON.stringify(d.doc))).map((d) => d.key).sort();
      };
      // JSON booleans compare as 1/0 (SQLite's json_extract): true matches true and 1; false matches false and 0.
      expect(await matching({ v: true })).toEqual(['one', 't']);
      expect(await matching({ v: false })).toEqual(['f']);
      // A number never equals a string; an array never equals one of its elements (it is a value, not a set).
      expect(await matching({ v: 2 })).toEqual(['two']);
      expect(await matching({ v: '2' })).toEqual(['s2']);
      expect(await matching({ v: 'x' })).toEqual([]);
      expect(await matching({ v: { $in: [2, 'x'] } })).toEqual(['two']);
      // $ne matches what is not equal: arrays, other types, and missing or null fields.
      expect(await matching({ v: { $ne: 2 } })).toEqual(['arr', 'f', 'none', 'nul', 'one', 's2', 't']);
      // null matches null and missing; $in with null too.
      expect(await matching({ v: null })).toEqual(['none', 'nul']);
      expect(await matching({ v: { $in: [null, '2'] } })).toEqual(['none', 'nul', 's2']);
      // A number bound takes numbers only (SQLite alone would put every TEXT — '2', an array's JSON — above it).
      expect(await matching({ v: { $gte: 2 } })).toEqual(['two']);
      // Booleans as 1/0 again: false (0) and true (1) are below 3, the string '2' and the array are not numbers.
      expect(await matching({ v: { $lt: 3 } })).toEqual(['f', 'one', 't', 'two']);
      expect(await matching({ v: { $gt: '1', $lt: '3' } })).toEqual(['s2']);
      // A string bound compares as SQLite orders values: every number and boolean is below every string.
      expect(await matching({ v: { $lt: '3' } })).toEqual(['f', 'one', 's2', 't', 'two']);
      await expect(store.find('sem', { v: { $gt: true } as never })).rejects.toThrow(/Unsupported range bound/);
    });

    describe('the projector lease (one active instance, fenced writes)', () => {
      const TTL = 1000;
      it('grants a free lease, renews it with the same token, refuses it to another holder until it lapses, then increments the token', async () => {
        expect(await store.getLease('projector')).toBeNull();
        const first = await store.acquireLease('projector', 'A', 10_000, TTL);
        expect(first).toEqual({ name: 'projector', holder: 'A', token: 1, expiresAt: 11_000 });
        // B while A's term runs (10 500 < 11 000): refused, answered with A's lease.
        expect(await store.acquireLease('projector', 'B', 10_500, TTL)).toEqual(first);
        // A renews at 10 600: same token, term to 11 600.
        expect(await store.acquireLease('projector', 'A', 10_600, TTL)).toEqual({ ...first, expiresAt: 11_600 });
        // A stops renewing; at 11 600 the term has lapsed: B takes over with token 2.
        expect(await store.acquireLease('projector', 'B', 11_600, TTL)).toEqual({ name: 'projector', holder: 'B', token: 2, expiresAt: 12_600 });
        expect(await store.acquireLease('projector', 'A', 11_700, TTL)).toMatchObject({ holder: 'B', token: 2 });
        expect(await store.getLease('projector')).toMatchObject({ holder: 'B', token: 2 });
      });

      it('a release lets the next instance in at once; a release by a stale holder changes nothing', async () => {
        const a = await store.acquireLease('pm', 'A', 0, TTL);
        await store.releaseLease('pm', 'B', a.token);
        expect(await store.acquireLease('pm', 'B', 1, TTL)).toMatchObject({ holder: 'A' });
        await store.releaseLease('pm', 'A', a.token);
        expect(await store.acquireLease('pm', 'B', 2, TTL)).toMatchObject({ holder: 'B', token: 2 });
      });

      it('refuses a stale holder’s fenced batch and metadata: nothing written; the current holder’s go through', async () => {
        const a = await store.acquireLease('projector', 'A', 0, TTL);
        await store.commitBatch('proj', [{ collection: 'fenced', upserts: [{ key: 'k', doc: { v: 'A1' } }], deletes: [] }], 3, AT, { lease: 'projector', token: a.token });
        const b = await store.acquireLease('projector', 'B', TTL, TTL);
        expect(b.token).toBe(a.token + 1);
        const stale = store.commitBatch('proj', [{ collection: 'fenced', upserts: [{ key: 'k', doc: { v: 'A2' } }], deletes: [] }], 9, AT, { lease: 'projector', token: a.token });
        await expect(stale).rejects.toBeInstanceOf(LeaseLostError);
        await expect(store.setMeta('pm:checkpoint', '9', { lease: 'projector', token: a.token })).rejects.toBeInstanceOf(LeaseLostError);
        expect(await store.get('fenced', 'k')).toEqual({ v: 'A1' });
        expect((await store.getCheckpoint('proj'))?.position).toBe(3);
        expect(await store.getMeta('pm:checkpoint')).toBeNull();
        await store.commitBatch('proj', [{ collection: 'fenced', upserts: [{ key: 'k', doc: { v: 'B1' } }], deletes: [] }], 5, AT, { lease: 'projector', token: b.token });
        await store.setMeta('pm:checkpoint', '5', { lease: 'projector', token: b.token });
        expect(await store.get('fenced', 'k')).toEqual({ v: 'B1' });
        expect(await store.getMeta('pm:checkpoint')).toBe('5');
      });

      it('of two instances asking at once, exactly one gets the lease', async () => {
        const answers = await Promise.all(['A', 'B', 'C'].map((h) => store.acquireLease('race', h, 0, TTL)));
        const holders = new Set(answers.map((l) => l.holder));
        expect(holders.size).toBe(1);
        expect(answers.every((l) => l.token === 1)).toBe(true);
      });
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

    it('stores checkpoints exactly, as decimal text: -1, 0 and 2^53 − 1 come back digit for digit (ADR 0092)', async () => {
      await store.commitBatch('none', [], -1, AT);
      await store.commitBatch('zero', [], 0, AT);
      // 2^53 − 1 = 9 007 199 254 740 991, the largest position the port holds.
      await store.commitBatch('max', [], 9_007_199_254_740_991, AT);
      expect((await store.listCheckpoints()).map((c) => [c.projection, c.position])).toEqual([['max', 9_007_199_254_740_991], ['none', -1], ['zero', 0]]);
      if (fx.legacyCheckpoint) expect(await fx.legacyCheckpoint.stored('max')).toBe('9007199254740991');
    });

    it('refuses a checkpoint beyond 2^53 − 1 and writes nothing of its batch', async () => {
      await store.commitBatch('p', [], 7, AT);
      await expect(store.commitBatch('p', [{ collection: 'beyond', upserts: [{ key: 'k', doc: { n: 1 } }], deletes: [] }], 2 ** 53, AT)).rejects.toThrow(/2\^53 − 1/);
      expect(await store.get('beyond', 'k')).toBeNull();
      expect((await store.getCheckpoint('p'))?.position).toBe(7);
    });

    // SQLite migrates its older layout on open instead (read-store.sqlite-checkpoints.spec.ts).
    if (options.legacyCheckpoints) it('reads a checkpoint an earlier version stored as a number, exactly, and stores it as text from then on', async () => {
      if (!fx.legacyCheckpoint) throw new Error('the fixture must give legacyCheckpoint');
      await fx.legacyCheckpoint.write('old', 123_456_789, AT);
      expect(await store.getCheckpoint('old')).toEqual({ projection: 'old', position: 123_456_789, updatedAt: AT });
      expect(await fx.legacyCheckpoint.stored('old')).toBe('123456789');
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
