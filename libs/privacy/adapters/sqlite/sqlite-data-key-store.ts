import Database from 'better-sqlite3';
import { openPrivateFile } from '../../../sqlite/sqlite-file';
import { KeyDestroyedError, type DataKey, type DataKeyStore } from '../../data-key-store.port';

interface Row { customer_id: string; data_key: Buffer | null; created_at: string; destroyed_at: string | null }

/**
 * Data keys in `<dataDir>/data-keys.sqlite` (mode 0600), a file of its own beside the log: backups of the log
 * alone never carry the keys. `secure_delete` overwrites a destroyed key's bytes in the page, and a TRUNCATE
 * checkpoint after each destruction empties the WAL, which would otherwise still hold the page as it was.
 */
export class SqliteDataKeyStore implements DataKeyStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = openPrivateFile(path);
    this.db.pragma('secure_delete = ON');
    this.db.exec(`CREATE TABLE IF NOT EXISTS data_keys (
      customer_id TEXT PRIMARY KEY, data_key BLOB, created_at TEXT NOT NULL, destroyed_at TEXT)`);
  }

  async get(customerId: string): Promise<DataKey | null> {
    const r = this.db.prepare('SELECT * FROM data_keys WHERE customer_id = ?').get(customerId) as Row | undefined;
    if (!r) return null;
    if (r.destroyed_at !== null || r.data_key === null) return { status: 'destroyed', destroyedAt: r.destroyed_at ?? r.created_at };
    return { status: 'active', key: Buffer.from(r.data_key), createdAt: r.created_at };
  }

  async create(customerId: string, candidate: Buffer, at: string): Promise<Buffer> {
    this.db.prepare('INSERT OR IGNORE INTO data_keys (customer_id, data_key, created_at) VALUES (?, ?, ?)').run(customerId, candidate, at);
    const k = await this.get(customerId);
    if (k === null) throw new Error(`data key of ${customerId} not stored`);
    if (k.status === 'destroyed') throw new KeyDestroyedError(customerId, k.destroyedAt);
    return k.key;
  }

  async createMany(candidates: ReadonlyArray<{ id: string; key: Buffer }>, at: string): Promise<void> {
    // One transaction, so one fsync (synchronous=FULL) for a whole statement's keys instead of one per key.
    const insert = this.db.prepare('INSERT OR IGNORE INTO data_keys (customer_id, data_key, created_at) VALUES (?, ?, ?)');
    this.db.transaction(() => { for (const c of candidates) insert.run(c.id, c.key, at); })();
  }

  async destroy(customerId: string, at: string): Promise<void> {
    this.db.prepare(`INSERT INTO data_keys (customer_id, data_key, created_at, destroyed_at) VALUES (?, NULL, ?, ?)
      ON CONFLICT (customer_id) DO UPDATE SET data_key = NULL, destroyed_at = COALESCE(destroyed_at, excluded.destroyed_at)`).run(customerId, at, at);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
