import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { LeaseLostError } from '../../libs/read-store/read-store.port';
import { describeReadStoreContract } from './read-store.contract';
import { describeListContract } from './read-store.lists.contract';
import { pageRequest, readPage } from '../../libs/application/queries/lists/list-page';
import { invoicesProjection, sortIndexes } from '../../projections';
import { ensureProjectionIndexes } from '../../libs/projection-runtime/projection';
import { OLDEST_DUE_SORT } from '../../libs/application/commands/open-invoices';

const sqliteFixture = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-read-store-'));
  const store = new SqliteReadStore({ path: join(dir, 'read.db') });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
describeReadStoreContract('sqlite', sqliteFixture);
describeListContract('sqlite', sqliteFixture);

describe('SqliteReadStore specifics', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ar-read-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes documents as binary JSON, and reads, filters and indexes rows written as JSON text before ADR 0108 alike', async () => {
    const path = join(dir, 'read.db');
    // A file of an earlier version: the same table, documents as JSON text.
    const old = new Database(path);
    old.exec('CREATE TABLE "c_items" (key TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL)');
    const text = { customerId: 'c1', dueDate: '2024-01-03', total: 12345678901, label: 'é "quoted" \u2028', lines: [{ n: 1 }, { n: -0.5 }], flag: true, none: null };
    old.prepare('INSERT INTO "c_items" (key, doc) VALUES (?, ?)').run('old', JSON.stringify(text));
    old.close();
    const store = new SqliteReadStore({ path });
    const fresh = { ...text, dueDate: '2024-01-05', label: 'new' };
    await store.commitBatch('items', [{ collection: 'items', upserts: [{ key: 'new', doc: fresh }], deletes: [] }], 1, 'now');
    await store.ensureIndexes('items', ['dueDate']);
    await store.ensureCompoundIndex('items', { fields: ['customerId', 'dueDate'], include: ['lines'] });
    expect(await store.get('items', 'old')).toEqual(text);
    expect(await store.get('items', 'new')).toEqual(fresh);
    expect([...(await store.getMany('items', ['old', 'new'])).entries()].sort()).toEqual([['new', fresh], ['old', text]]);
    expect(await store.find('items', { dueDate: { $gt: '2024-01-04' } })).toEqual([fresh]);
    expect(await store.find('items', { customerId: 'c1' }, { sort: [['dueDate', 1]], limit: 2 })).toEqual([text, fresh]);
    expect(await store.find('items', { customerId: 'c1' }, { fields: ['dueDate', 'lines'] })).toEqual([{ dueDate: '2024-01-03', lines: text.lines }, { dueDate: '2024-01-05', lines: text.lines }]);
    expect((await store.scan('items', null, 10)).map((e) => e.doc)).toEqual([fresh, text]);
    // Rewritten, the old row is binary JSON too.
    await store.commitBatch('items', [{ collection: 'items', upserts: [{ key: 'old', doc: { ...text, total: 1 } }], deletes: [] }], 2, 'now');
    expect(await store.get('items', 'old')).toEqual({ ...text, total: 1 });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT key, typeof(doc) AS t FROM "c_items" ORDER BY key').all()).toEqual([{ key: 'new', t: 'blob' }, { key: 'old', t: 'blob' }]);
    db.close();
  });

  it('imports a staged collection with its checkpoint and its indexes, and refuses to import over documents (ADR 0119)', async () => {
    const staging = new SqliteReadStore({ path: join(dir, 'staging.db') });
    const docs = Array.from({ length: 700 }, (_, i) => ({ key: `k${String(i).padStart(4, '0')}`, doc: { customerId: `c${i % 7}`, dueDate: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`, n: i } }));
    await staging.commitBatch('gen_g2', [{ collection: 'gen_g2', upserts: docs, deletes: [] }], 41, '2026-12-03T00:00:00.000Z');
    await staging.commitBatch('empty_g2', [], 41, '2026-12-03T00:00:00.000Z');
    await staging.ensureIndexes('gen_g2', ['dueDate']);
    await staging.close();
    const store = new SqliteReadStore({ path: join(dir, 'read.db') });
    await store.ensureIndexes('gen_g2', ['dueDate']);
    expect(await store.importCollection(join(dir, 'staging.db'), 'gen_g2')).toBe(700);
    expect(await store.importCollection(join(dir, 'staging.db'), 'empty_g2')).toBe(0);
    expect(await store.getCheckpoint('gen_g2')).toMatchObject({ position: 41 });
    expect(await store.getCheckpoint('empty_g2')).toMatchObject({ position: 41 });
    expect(await store.count('gen_g2', {})).toBe(700);
    expect(await store.get('gen_g2', 'k0123')).toEqual({ customerId: 'c4', dueDate: '2024-01-12', n: 123 });
    // The index was carried with the rows: a filter on it answers from it, with the same rows as a scan.
    expect((await store.find('gen_g2', { dueDate: '2024-01-12' })).map((d) => d.n)).toEqual(docs.filter((d) => d.doc.dueDate === '2024-01-12').map((d) => d.doc.n));
    await expect(store.importCollection(join(dir, 'staging.db'), 'gen_g2')).rejects.toThrow(/not empty/);
    expect(await store.count('gen_g2', {})).toBe(700);
    await store.close();
    const db = new Database(join(dir, 'read.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('writes a large batch a chunk of documents per statement, the same rows as one by one, later upserts winning', async () => {
    const store = new SqliteReadStore({ path: join(dir, 'read.db') });
    const doc = (i: number, v: number) => ({ n: i, v, label: `é "q" \\ ${i}`, nested: { list: [i, null, true] } });
    // 1,300: two whole chunks of 512 and 276 one by one; keys with quotes, backslashes and accents.
    const keys = Array.from({ length: 1300 }, (_, i) => `k"${i}\\é`);
    await store.commitBatch('big', [{ collection: 'big', upserts: keys.map((key, i) => ({ key, doc: doc(i, 1) })), deletes: [] }], 1, 'now');
    await store.commitBatch('big', [{ collection: 'big', upserts: keys.slice(0, 600).map((key, i) => ({ key, doc: doc(i, 2) })), deletes: [keys[1299]] }], 2, 'now');
    expect(await store.count('big', {})).toBe(1299);
    const all = await store.getMany('big', keys);
    expect(all.size).toBe(1299);
    for (let i = 0; i < 1299; i++) expect(all.get(keys[i])).toEqual(doc(i, i < 600 ? 2 : 1));
    await expect(store.commitBatch('big', [{ collection: 'big', upserts: keys.map((key, i) => ({ key, doc: (i === 700 ? undefined : doc(i, 3)) as never })), deletes: [] }], 3, 'now')).rejects.toThrow(/not JSON-serializable/);
    expect((await store.getCheckpoint('big'))?.position).toBe(2);
    await store.close();
  });

  it('answers indexed filters through the json_extract expression indexes', async () => {
    const path = join(dir, 'read.db');
    const store = new SqliteReadStore({ path });
    await store.ensureIndexes('open_items', ['dueDate', 'customerId']);
    const upserts = Array.from({ length: 2000 }, (_, i) => ({ key: `k${i}`, doc: { dueDate: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`, customerId: `c${i % 50}` } }));
    await store.commitBatch('open_items', [{ collection: 'open_items', upserts, deletes: [] }], 1, 'now');
    await store.close();
    const db = new Database(path, { readonly: true });
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('\n');
    expect(plan(`SELECT doc FROM "c_open_items" WHERE json_extract(doc, '$.dueDate') < '2024-01-05'`)).toMatch(/USING INDEX ix_open_items__dueDate/);
    expect(plan(`SELECT doc FROM "c_open_items" WHERE json_extract(doc, '$.customerId') = 'c7'`)).toMatch(/USING INDEX ix_open_items__customerId/);
    db.close();
  });

  it('answers a filter and a sort on the leading field of a compound index from that index, with no index of its own (ADR 0117)', async () => {
    const path = join(dir, 'read.db');
    const store = new SqliteReadStore({ path });
    // What ensureProjectionIndexes creates for a projection declaring `dueDate` and the compound (dueDate, invoiceId).
    await store.ensureIndexes('invoices', []);
    await store.ensureCompoundIndex('invoices', { fields: ['dueDate', 'invoiceId'] });
    const upserts = Array.from({ length: 2000 }, (_, i) => ({ key: `i${i}`, doc: { invoiceId: `i${i}`, dueDate: `2024-01-${String((i % 28) + 1).padStart(2, '0')}` } }));
    await store.commitBatch('invoices', [{ collection: 'invoices', upserts, deletes: [] }], 1, 'now');
    // Days 01–04: 2000 ÷ 28 = 71 rem 12, so days 1–12 hold 72 invoices each: 4 × 72 = 288.
    const due = await store.find('invoices', { dueDate: { $lt: '2024-01-05' } });
    expect(due).toHaveLength(288);
    await store.close();
    const db = new Database(path, { readonly: true });
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('\n');
    expect(plan(`SELECT doc FROM "c_invoices" WHERE json_extract(doc, '$.dueDate') < '2024-01-05'`)).toMatch(/USING INDEX cx_invoices__dueDate_invoiceId/);
    expect(plan(`SELECT doc FROM "c_invoices" ORDER BY json_extract(doc, '$.dueDate') LIMIT 10`)).toMatch(/SCAN .*USING INDEX cx_invoices__dueDate_invoiceId/);
    expect(plan(`SELECT doc FROM "c_invoices" ORDER BY json_extract(doc, '$.dueDate') LIMIT 10`)).not.toMatch(/TEMP B-TREE/);
    db.close();
  });

  it('answers a find with fields from a covering compound index, without reading the documents', async () => {
    const path = join(dir, 'read.db');
    const store = new SqliteReadStore({ path });
    await store.ensureIndexes('open_items', ['closedOn', 'issueDate']);
    await store.ensureCompoundIndex('open_items', { fields: ['closedOn', 'issueDate'], include: ['customerId', 'total', 'movements'] });
    const upserts = Array.from({ length: 2000 }, (_, i) => ({
      key: `k${i}`,
      doc: { closedOn: i % 3 === 0 ? '9999-12-31' : `2024-02-${String((i % 28) + 1).padStart(2, '0')}`, issueDate: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`, customerId: `c${i % 50}`, total: i, movements: [{ on: '2024-01-30', amount: 1 }], number: `N${i}` },
    }));
    await store.commitBatch('open_items', [{ collection: 'open_items', upserts, deletes: [] }], 1, 'now');
    const found = await store.find('open_items', { issueDate: { $lte: '2024-01-15' }, closedOn: { $gt: '2024-02-20' } }, { fields: ['customerId', 'total', 'movements'] });
    const expected = upserts.filter((u) => u.doc.issueDate <= '2024-01-15' && u.doc.closedOn > '2024-02-20');
    expect(found.map((d) => d.total).sort((a, b) => Number(a) - Number(b))).toEqual(expected.map((u) => u.doc.total));
    expect(found[0]).toEqual({ customerId: expect.any(String), total: expect.any(Number), movements: [{ on: '2024-01-30', amount: 1 }] });
    await store.close();
    const db = new Database(path, { readonly: true });
    const row = `'[' || coalesce((doc -> '$.customerId'), 'null') || ',' || coalesce((doc -> '$.total'), 'null') || ',' || coalesce((doc -> '$.movements'), 'null') || ']'`;
    const sql = `SELECT group_concat(${row}, ',') FROM "c_open_items" WHERE json_extract(doc, '$.issueDate') <= '2024-01-15' AND json_extract(doc, '$.closedOn') > '2024-02-20'`;
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('\n');
    expect(plan).toMatch(/USING COVERING INDEX cx_open_items__closedOn_issueDate__with_customerId_total_movements/);
    db.close();
  });

  it("walks a payment's oldest-due page of one customer and one status from the invoices' index: no sort, no other row (ADR 0121)", async () => {
    const path = join(dir, 'read.db');
    const store = new SqliteReadStore({ path });
    await ensureProjectionIndexes(store, 'invoices', invoicesProjection);
    // 3,000 invoices of 30 customers, three statuses, 28 due dates
    const upserts = Array.from({ length: 3000 }, (_, i) => ({
      key: `i${i}`,
      doc: { invoiceId: `i${i}`, customerId: `c${i % 30}`, status: ['issued', 'paid', 'partially_paid'][i % 3], number: `F-${String(i).padStart(5, '0')}`, issueDate: '2026-01-01', dueDate: `2026-02-${String((i % 28) + 1).padStart(2, '0')}`, outstanding: 100, currency: 'EUR', lines: [] },
    }));
    await store.commitBatch('invoices', [{ collection: 'invoices', upserts, deletes: [] }], 1, 'now');
    const statements = (store as unknown as { statements: Map<string, unknown> }).statements;
    statements.clear();
    const page = await store.find('invoices', { customerId: 'c3', status: 'issued' }, { fields: ['invoiceId', 'dueDate'], sort: OLDEST_DUE_SORT, limit: 8 });
    // c3 holds i3, i33, i63, …: every one 'issued' (3 | i), due on 2026-02-(i mod 28 + 1): the 8 earliest due dates
    const expected = upserts.filter((u) => u.doc.customerId === 'c3').sort((a, b) => (a.doc.dueDate < b.doc.dueDate ? -1 : a.doc.dueDate > b.doc.dueDate ? 1 : a.doc.number < b.doc.number ? -1 : 1)).slice(0, 8);
    expect(page).toEqual(expected.map((u) => ({ invoiceId: u.doc.invoiceId, dueDate: u.doc.dueDate })));
    const sql = [...statements.keys()].find((q) => q.includes('ORDER BY') && q.includes('LIMIT'))!;
    await store.close();
    const db = new Database(path, { readonly: true });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('c3', 'issued', 8) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
    expect(plan).toMatch(/USING INDEX cx_invoices__customerId_status_dueDate_issueDate_number_invoiceId/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    db.close();
  });

  it('reads every list order, and the page after a cursor, from its (field, id) index: no sort of the rows', async () => {
    const path = join(dir, 'read.db');
    const store = new SqliteReadStore({ path });
    const spec = { idField: 'invoiceId', sorts: { dueDate: 'dueDate', amount: 'total' }, defaultSort: 'dueDate' };
    for (const index of sortIndexes(spec)) await store.ensureCompoundIndex('inv', index);
    const upserts = Array.from({ length: 3000 }, (_, i) => ({ key: `i${i}`, doc: { invoiceId: `i${String(i).padStart(5, '0')}`, dueDate: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`, total: i % 97, status: i % 3 === 0 ? 'paid' : 'issued' } }));
    await store.commitBatch('p', [{ collection: 'inv', upserts, deletes: [] }], 1, 'now');
    const sqlOf = async (sort: string, cursor: boolean) => {
      // The statement readPage sends (captured from the store's prepared statements).
      const first = await readPage(store, 'inv', spec, { status: 'issued' }, pageRequest(spec, { sort, limit: '10' }));
      const request = pageRequest(spec, { sort, limit: '10', cursor: cursor ? first.next ?? undefined : undefined });
      const statements = (store as unknown as { statements: Map<string, unknown> }).statements;
      statements.clear();
      await readPage(store, 'inv', spec, { status: 'issued' }, request);
      return [...statements.keys()].find((s) => s.includes('ORDER BY') && s.includes('LIMIT'))!;
    };
    const db = new Database(path, { readonly: true });
    db.function('ar_fold', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : null));
    for (const sort of ['dueDate', '-dueDate', 'amount', '-amount']) {
      for (const cursor of [false, true]) {
        const sql = await sqlOf(sort, cursor);
        const params = (sql.match(/\?/g) ?? []).map((_, i, all) => (i === all.length - 1 ? 11 : sort.includes('amount') ? 5 : '2024-01-05'));
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
        expect({ sort, cursor, plan }).toEqual({ sort, cursor, plan: expect.stringMatching(new RegExp(`USING INDEX cx_inv__${sort.includes('amount') ? 'total' : 'dueDate'}_invoiceId`)) });
        expect(plan).not.toMatch(/TEMP B-TREE/);
      }
    }
    db.close();
    await store.close();
  });

  it('keeps committed batches across a reopen', async () => {
    const path = join(dir, 'read.db');
    const first = new SqliteReadStore({ path });
    await first.commitBatch('p', [{ collection: 'c', upserts: [{ key: 'k', doc: { v: 1 } }], deletes: [] }], 3, 'now');
    await first.close();
    const second = new SqliteReadStore({ path });
    expect(await second.get('c', 'k')).toEqual({ v: 1 });
    expect((await second.getCheckpoint('p'))?.position).toBe(3);
    await second.close();
  });

  it('rejects collection and field names that could escape SQL', async () => {
    const store = new SqliteReadStore({ path: ':memory:' });
    await expect(store.find('x"; DROP TABLE _meta; --', {})).rejects.toThrow(/Invalid collection/);
    await expect(store.find('x', { "a') OR 1=1 --": 1 })).rejects.toThrow(/Invalid field/);
    await store.close();
  });

  it('checkpoints its WAL every 10,000 pages, not every 1,000 (ADR 0103)', async () => {
    const path = join(dir, 'read.db');
    const store = new SqliteReadStore({ path });
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    await store.close();
  });

  describe('commitBatches: several projections in one transaction (ADR 0102)', () => {
    const batch = (projection: string, collection: string, checkpoint: number, docs: Record<string, unknown>, deletes: string[] = []) => ({
      projection, checkpoint, changes: [{ collection, upserts: Object.entries(docs).map(([key, doc]) => ({ key, doc: doc as Record<string, unknown> })), deletes }],
    });

    it('writes every batch and every checkpoint; a batch with no changes moves its checkpoint only', async () => {
      const store = new SqliteReadStore({ path: join(dir, 'read.db') });
      await store.commitBatch('b', [{ collection: 'b_docs', upserts: [{ key: 'gone', doc: { n: 0 } }], deletes: [] }], 1, 'then');
      const outcomes = await store.commitBatches([
        batch('a', 'a_docs', 7, { x: { n: 1 }, y: { n: 2 } }),
        batch('b', 'b_docs', 7, { z: { n: 3 } }, ['gone']),
        { projection: 'c', changes: [], checkpoint: 7 },
      ], 'now');
      expect(outcomes).toEqual([null, null, null]);
      expect([...(await store.getMany('a_docs', ['x', 'y'])).values()]).toEqual([{ n: 1 }, { n: 2 }]);
      expect(await store.get('b_docs', 'z')).toEqual({ n: 3 });
      expect(await store.get('b_docs', 'gone')).toBeNull();
      expect((await store.listCheckpoints()).map((c) => [c.projection, c.position, c.updatedAt])).toEqual([['a', 7, 'now'], ['b', 7, 'now'], ['c', 7, 'now']]);
      await store.close();
    });

    it('a batch that cannot be written is rolled back alone (documents and checkpoint) and answered with its error; the others commit', async () => {
      const store = new SqliteReadStore({ path: join(dir, 'read.db') });
      await store.commitBatch('b', [{ collection: 'b_docs', upserts: [{ key: 'k', doc: { v: 'old' } }], deletes: [] }], 3, 'then');
      const outcomes = await store.commitBatches([
        batch('a', 'a_docs', 9, { x: { n: 1 } }),
        // The first document is written, then the second is refused: the whole batch goes, the first too.
        batch('b', 'b_docs', 9, { k: { v: 'new' }, bad: { n: BigInt(1) } }),
        batch('c', 'c_new', 9, { y: { n: 2 } }),
      ], 'now');
      expect(outcomes[0]).toBeNull();
      expect(outcomes[1]).toEqual({ error: expect.objectContaining({ message: expect.stringMatching(/BigInt/) }) });
      expect(outcomes[2]).toBeNull();
      expect(await store.get('a_docs', 'x')).toEqual({ n: 1 });
      expect(await store.get('c_new', 'y')).toEqual({ n: 2 });
      expect(await store.get('b_docs', 'k')).toEqual({ v: 'old' });
      expect(await store.get('b_docs', 'bad')).toBeNull();
      expect((await store.getCheckpoint('b'))?.position).toBe(3);
      expect((await store.getCheckpoint('a'))?.position).toBe(9);
      // A table created by a rolled-back batch is created again by the next write.
      const again = await store.commitBatches([batch('d', 'd_docs', 1, { bad: { n: BigInt(1) } })], 'now');
      expect(again[0]).not.toBeNull();
      expect(await store.commitBatches([batch('d', 'd_docs', 1, { ok: { n: 1 } })], 'now')).toEqual([null]);
      expect(await store.get('d_docs', 'ok')).toEqual({ n: 1 });
      await store.close();
    });

    it('a transaction that cannot start (another connection holds the write lock) rejects, and nothing is written', async () => {
      const path = join(dir, 'read.db');
      const store = new SqliteReadStore({ path, busyTimeoutMs: 20 });
      await store.commitBatch('a', [], 1, 'then');
      const lock = new Database(path);
      lock.exec('BEGIN IMMEDIATE');
      try {
        await expect(store.commitBatches([batch('a', 'a_docs', 2, { x: { n: 1 } }), batch('b', 'b_docs', 2, { y: { n: 1 } })], 'now')).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      } finally {
        lock.exec('ROLLBACK');
        lock.close();
      }
      expect(await store.get('a_docs', 'x')).toBeNull();
      expect(await store.getCheckpoint('b')).toBeNull();
      expect((await store.getCheckpoint('a'))?.position).toBe(1);
      await store.close();
    });

    it('a stale fence refuses the whole call: nothing written', async () => {
      const store = new SqliteReadStore({ path: join(dir, 'read.db') });
      const first = await store.acquireLease('projector', 'A', 0, 1000);
      await store.acquireLease('projector', 'B', 5000, 1000);
      await expect(store.commitBatches([batch('a', 'a_docs', 2, { x: { n: 1 } })], 'now', { lease: 'projector', token: first.token })).rejects.toBeInstanceOf(LeaseLostError);
      expect(await store.get('a_docs', 'x')).toBeNull();
      expect(await store.getCheckpoint('a')).toBeNull();
      expect(await store.commitBatches([batch('a', 'a_docs', 2, { x: { n: 1 } })], 'now', { lease: 'projector', token: first.token + 1 })).toEqual([null]);
      await store.close();
    });
  });
});
