import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { describeReadStoreContract } from './read-store.contract';
import { describeListContract } from './read-store.lists.contract';
import { pageRequest, readPage } from '../../libs/application/queries/lists/list-page';
import { sortIndexes } from '../../projections';

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
});
