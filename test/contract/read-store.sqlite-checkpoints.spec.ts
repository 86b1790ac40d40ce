import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { StoredPositionError } from '../../libs/read-store/stored-position';

/**
 * ADR 0092: checkpoints are stored as decimal text. A read-model file written before (position INTEGER) is migrated
 * when it is opened: the same positions, read back exactly, and the documents untouched.
 */
describe('SQLite read store: checkpoints as decimal text, older files migrated on open', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ar-checkpoints-'));
    path = join(dir, 'read-models.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The layout and rows an earlier version wrote (its CREATE statements, verbatim). */
  function writeOldFormat(): void {
    const db = new Database(path);
    db.exec(`
      CREATE TABLE _checkpoint (projection TEXT PRIMARY KEY, position INTEGER NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE _lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, token INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE "c_balances_v3" (key TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL);`);
    const checkpoint = db.prepare('INSERT INTO _checkpoint VALUES (?, ?, ?)');
    checkpoint.run('balances_v3', 4_711, '2026-03-01T09:30:00.000Z');
    // 2^53 − 1, the largest position the port holds: must survive the migration digit for digit.
    checkpoint.run('aging_v2', 9_007_199_254_740_991n, '2026-03-01T09:31:00.000Z');
    checkpoint.run('process-manager:parked', -1, '2026-03-01T09:32:00.000Z');
    db.prepare('INSERT INTO _meta VALUES (?, ?)').run('process-manager:position', '4711');
    db.prepare('INSERT INTO "c_balances_v3" VALUES (?, ?)').run('c1', JSON.stringify({ customerId: 'c1', balance: 12_000 }));
    db.close();
  }

  const layout = () => {
    const db = new Database(path, { readonly: true });
    try {
      return {
        type: db.prepare("SELECT type FROM pragma_table_info('_checkpoint') WHERE name = 'position'").pluck().get(),
        stored: db.prepare('SELECT projection, typeof(position) AS kind, position FROM _checkpoint ORDER BY projection').all(),
      };
    } finally {
      db.close();
    }
  };

  it('given a file of the old format, when it is opened, then its checkpoints are the same positions, now stored as text', async () => {
    writeOldFormat();
    const store = new SqliteReadStore({ path });
    expect(await store.listCheckpoints()).toEqual([
      { projection: 'aging_v2', position: 9_007_199_254_740_991, updatedAt: '2026-03-01T09:31:00.000Z' },
      { projection: 'balances_v3', position: 4_711, updatedAt: '2026-03-01T09:30:00.000Z' },
      { projection: 'process-manager:parked', position: -1, updatedAt: '2026-03-01T09:32:00.000Z' },
    ]);
    expect(await store.get('balances_v3', 'c1')).toEqual({ customerId: 'c1', balance: 12_000 });
    expect(await store.getMeta('process-manager:position')).toBe('4711');
    await store.close();
    expect(layout()).toEqual({
      type: 'TEXT',
      stored: [
        { projection: 'aging_v2', kind: 'text', position: '9007199254740991' },
        { projection: 'balances_v3', kind: 'text', position: '4711' },
        { projection: 'process-manager:parked', kind: 'text', position: '-1' },
      ],
    });
  });

  it('given a migrated file, when it is opened again and written, then nothing is migrated twice and new checkpoints are text', async () => {
    writeOldFormat();
    await new SqliteReadStore({ path }).close();
    const again = new SqliteReadStore({ path });
    await again.commitBatch('balances_v3', [{ collection: 'balances_v3', upserts: [{ key: 'c2', doc: { customerId: 'c2', balance: 500 } }], deletes: [] }], 4_800, '2026-03-02T08:00:00.000Z');
    expect(await again.getCheckpoint('balances_v3')).toEqual({ projection: 'balances_v3', position: 4_800, updatedAt: '2026-03-02T08:00:00.000Z' });
    await again.close();
    expect(layout().stored).toContainEqual({ projection: 'balances_v3', kind: 'text', position: '4800' });
  });

  it('given a checkpoint beyond 2^53 − 1, when it is committed, then nothing of the batch is written', async () => {
    const store = new SqliteReadStore({ path });
    await store.commitBatch('p', [], 10, '2026-03-02T08:00:00.000Z');
    await expect(store.commitBatch('p', [{ collection: 'p', upserts: [{ key: 'k', doc: { a: 1 } }], deletes: [] }], 2 ** 53, '2026-03-02T08:01:00.000Z'))
      .rejects.toThrow(StoredPositionError);
    expect(await store.get('p', 'k')).toBeNull();
    expect((await store.getCheckpoint('p'))?.position).toBe(10);
    await store.close();
  });

  it('given a stored checkpoint that is not a whole number (a hand edit), when it is read, then it is refused, never read as 0', async () => {
    const store = new SqliteReadStore({ path });
    await store.close();
    const db = new Database(path);
    db.prepare('INSERT INTO _checkpoint VALUES (?, ?, ?)').run('broken', '12abc', '2026-03-02T08:00:00.000Z');
    db.close();
    const reopened = new SqliteReadStore({ path });
    await expect(reopened.getCheckpoint('broken')).rejects.toThrow(/checkpoint of broken: stored log position "12abc"/);
    await reopened.close();
  });
});
