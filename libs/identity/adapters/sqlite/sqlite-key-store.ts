import Database from 'better-sqlite3';
import { openPrivateFile } from '../../../sqlite/sqlite-file';
import { DomainError } from '../../../domain/shared/errors';
import type { ApiKeyRecord, KeyStore } from '../../key-store.port';
import type { Role } from '../../permissions';

interface Row {
  id: string; name: string; role: string; act_on_behalf: number; created_at: string; created_by: string; last_used_at: string | null; revoked_at: string | null;
}

const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id, name: r.name, role: r.role as Role, actOnBehalf: r.act_on_behalf === 1, createdAt: r.created_at, createdBy: r.created_by,
  lastUsedAt: r.last_used_at, revokedAt: r.revoked_at,
});

/** Keys kept in memory at most (a deployment has a handful; the bound only stops growth). */
const MAX_CACHED_KEYS = 1_000;

const COLUMNS = 'id, name, role, act_on_behalf, created_at, created_by, last_used_at, revoked_at';

/**
 * API keys in `<dataDir>/api-keys.sqlite` (mode 0600), beside the log and not in the read store: the read
 * store may be deleted and rebuilt, keys may not. Durable commits (a revocation survives a crash at once).
 * The API and the CLI open the same file; a revocation by either is seen by the next request.
 *
 * Keys found are kept in memory (ADR 0094): an authentication then costs one `PRAGMA data_version` (SQLite's
 * counter of commits by other connections — another process, the CLI — to this file) instead of a statement
 * compiled and run. Any commit by another connection empties the cache, and so does every write through this one,
 * so a revocation, removal or new key is never answered from memory. Unknown hashes are not kept (a guesser
 * must not grow the cache; the failure limiter answers them).
 */
export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly found = new Map<string, ApiKeyRecord>();
  private seenVersion = -1;
  private readonly dataVersion: Database.Statement;
  private readonly byHash: Database.Statement;

  constructor(path: string) {
    this.db = openPrivateFile(path);
    this.db.exec(`CREATE TABLE IF NOT EXISTS api_keys (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, act_on_behalf INTEGER NOT NULL, hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL, created_by TEXT NOT NULL, last_used_at TEXT, revoked_at TEXT)`);
    this.db.exec('CREATE UNIQUE INDEX IF NOT EXISTS api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL');
    this.dataVersion = this.db.prepare('PRAGMA data_version').pluck();
    this.byHash = this.db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE hash = ?`);
  }

  /** Empties the cache when another connection has committed to the file since the last look. */
  private checkVersion(): void {
    const v = this.dataVersion.get() as number;
    if (v !== this.seenVersion) {
      this.found.clear();
      this.seenVersion = v;
    }
  }

  /** Writes through this connection do not move its own `data_version`: they empty the cache themselves. */
  private written(): void {
    this.found.clear();
  }

  async insert(k: Omit<ApiKeyRecord, 'lastUsedAt' | 'revokedAt'>, hash: string): Promise<void> {
    this.written();
    try {
      this.db.prepare('INSERT INTO api_keys (id, name, role, act_on_behalf, hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(k.id, k.name, k.role, k.actOnBehalf ? 1 : 0, hash, k.createdAt, k.createdBy);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && this.activeByName(k.name)) {
        throw new DomainError('KEY_NAME_TAKEN', `An active API key is already named "${k.name}"`, { field: 'name', name: k.name }, 'conflict');
      }
      throw err;
    }
  }

  private activeByName(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM api_keys WHERE name = ? AND revoked_at IS NULL').get(name) !== undefined;
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | null> {
    this.checkVersion();
    const hit = this.found.get(hash);
    if (hit !== undefined) return { ...hit };
    const r = this.byHash.get(hash) as Row | undefined;
    if (!r) return null;
    const record = toRecord(r);
    if (this.found.size >= MAX_CACHED_KEYS) this.found.clear();
    this.found.set(hash, record);
    return { ...record };
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const r = this.db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`).get(id) as Row | undefined;
    return r ? toRecord(r) : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`).all() as Row[]).map(toRecord);
  }

  async revoke(id: string, at: string): Promise<boolean> {
    this.written();
    this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
    return (await this.get(id)) !== null;
  }

  async touch(id: string, at: string): Promise<void> {
    this.written();
    this.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(at, id);
  }

  async remove(id: string): Promise<void> {
    this.written();
    this.db.prepare('DELETE FROM api_keys WHERE id = ?').run(id);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Closed with the application (Nest calls this on every provider that has it). */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
