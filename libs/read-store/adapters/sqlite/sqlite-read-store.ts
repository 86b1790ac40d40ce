import Database from 'better-sqlite3';
import { LeaseLostError, type BatchOutcome, type Checkpoint, type CollectionChanges, type CompoundIndex, type Doc, type Fence, type Filter, type FindOptions, type GetOptions, type Lease, type ProjectionBatch, type ReadStore } from '../../read-store.port';
import { probeWriteLock } from '../../../sqlite/sqlite-file';
import { WalCheckpointer } from '../../../sqlite/wal-checkpointer';
import { positionFromStored, positionToText } from '../../stored-position';
import { assertField, fieldExpr, foldText, jsonFieldExpr, orderLimit, whereClause } from './sqlite-filter';

export interface SqliteReadStoreOptions {
  /** File path, or ':memory:'. */
  path: string;
  /** How long a write waits for another connection's lock before failing with SQLITE_BUSY (default 5000). */
  busyTimeoutMs?: number;
  /**
   * WAL checkpoints on a worker thread instead of inside the live projector's commits (ADR 0116); this connection
   * then checkpoints itself only past BACKSTOP_CHECKPOINT_PAGES. Default false. Not for ':memory:'.
   */
  backgroundCheckpoints?: boolean;
}

/** With background checkpoints, the WAL size (pages) past which this connection checkpoints itself, if the worker fell behind. */
export const BACKSTOP_CHECKPOINT_PAGES = 40_000;

const COLLECTION = /^[A-Za-z0-9_]+$/;
/** A document as JSON text, whether stored as binary JSON (written since ADR 0108) or as text (before). */
const DOC = 'json(doc)';
type Row = { key: string; doc: string };
type CheckpointRow = { projection: string; position: string | number; updated_at: string };
type LeaseRow = { name: string; holder: string; token: number; expires_at: number };

/**
 * Read models in their own SQLite file: one table per collection (`c_<name>`, key + document), expression
 * indexes on `json_extract`. Documents are written as SQLite's binary JSON (`jsonb(?)`, SQLite ≥ 3.45), which
 * `json_extract` and `->` read without parsing the whole text again for every index and every field (ADR 0108),
 * and read back as text with `json(doc)`; rows written as JSON text by earlier versions read the same. `synchronous=NORMAL`: a power cut may lose the last batches, never tear one,
 * and the file can always be rebuilt from the log.
 */
export class SqliteReadStore implements ReadStore {
  private readonly db: Database.Database;
  /** The worker that checkpoints this file's WAL, when `backgroundCheckpoints` (ADR 0116). */
  readonly checkpointer: WalCheckpointer | null = null;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly tables = new Set<string>();
  private readonly commitTx: Database.Transaction<(projection: string, changes: readonly CollectionChanges[], checkpoint: number, at: string, fence?: Fence) => void>;
  private readonly commitManyTx: Database.Transaction<(batches: readonly ProjectionBatch[], at: string, fence?: Fence) => BatchOutcome[]>;
  /** Per table: its upsert and delete statements, prepared once (the live path writes the same tables every batch). */
  private readonly writers = new Map<string, Writer>();
  private readonly setMetaTx: Database.Transaction<(key: string, value: string, fence?: Fence) => void>;
  private readonly acquireTx: Database.Transaction<(name: string, holder: string, nowMs: number, ttlMs: number) => LeaseRow>;

  constructor(options: SqliteReadStoreOptions) {
    this.db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('cache_size = -65536');
    // The live projector rewrites the same hot pages (the tail of each index, the busiest documents) batch after batch:
    // a checkpoint every 10,000 WAL pages (≈ 40 MB) instead of SQLite's 1,000 copies each such page to the file once
    // per ten times as many commits (ADR 0103).
    const background = options.backgroundCheckpoints === true && options.path !== ':memory:';
    // With the checkpoint worker (ADR 0116), this connection's own checkpoint is only the backstop.
    this.db.pragma(`wal_autocheckpoint = ${background ? BACKSTOP_CHECKPOINT_PAGES : 10_000}`);
    if (background) this.checkpointer = new WalCheckpointer({ path: options.path });
    this.db.pragma('temp_store = MEMORY');
    this.db.function('ar_fold', { deterministic: true }, (value: unknown) => foldText(value));
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS _checkpoint (projection TEXT PRIMARY KEY, position TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS _lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, token INTEGER NOT NULL, expires_at INTEGER NOT NULL);`);
    migrateCheckpointsToText(this.db);
    this.commitTx = this.db.transaction((projection: string, changes: readonly CollectionChanges[], checkpoint: number, at: string, fence?: Fence) => {
      if (fence) this.assertFence(fence);
      this.writeBatch(projection, changes, checkpoint, at);
    });
    // Called inside commitManyTx: a SAVEPOINT, so that one batch that fails is rolled back alone.
    const batchTx = this.db.transaction((batch: ProjectionBatch, at: string) => this.writeBatch(batch.projection, batch.changes, batch.checkpoint, at));
    this.commitManyTx = this.db.transaction((batches: readonly ProjectionBatch[], at: string, fence?: Fence): BatchOutcome[] => {
      if (fence) this.assertFence(fence);
      return batches.map((batch) => {
        try {
          batchTx(batch, at);
          return null;
        } catch (error) {
          // Some errors (I/O, full disk, out of memory) make SQLite roll the whole transaction back: then nothing of
          // the earlier batches is written either, and the call as a whole fails.
          if (!this.db.inTransaction) throw error;
          return { error };
        }
      });
    });
    this.setMetaTx = this.db.transaction((key: string, value: string, fence?: Fence) => {
      if (fence) this.assertFence(fence);
      this.stmt('INSERT INTO _meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    });
    // Run as BEGIN IMMEDIATE: two instances deciding at once are serialised by SQLite's write lock.
    this.acquireTx = this.db.transaction((name: string, holder: string, nowMs: number, ttlMs: number): LeaseRow => {
      const row = this.stmt('SELECT name, holder, token, expires_at FROM _lease WHERE name = ?').get(name) as LeaseRow | undefined;
      const expiresAt = nowMs + ttlMs;
      if (!row) {
        this.stmt('INSERT INTO _lease (name, holder, token, expires_at) VALUES (?, ?, 1, ?)').run(name, holder, expiresAt);
        return { name, holder, token: 1, expires_at: expiresAt };
      }
      if (row.holder === holder && row.expires_at > nowMs) {
        this.stmt('UPDATE _lease SET expires_at = ? WHERE name = ?').run(expiresAt, name);
        return { ...row, expires_at: expiresAt };
      }
      if (row.expires_at <= nowMs) {
        // Lapsed (or released): whoever takes it, even its last holder, gets a new token, which fences off every write
        // the previous term still has in flight.
        this.stmt('UPDATE _lease SET holder = ?, token = token + 1, expires_at = ? WHERE name = ?').run(holder, expiresAt, name);
        return { name, holder, token: row.token + 1, expires_at: expiresAt };
      }
      return row;
    });
  }

  async get(collection: string, key: string, options?: GetOptions): Promise<Doc | null> {
    if (options?.fields !== undefined) {
      // The fields cut out of the binary JSON in SQL: JS parses one small array, not the whole document.
      const { row, toDoc } = fieldsRow(options.fields, 'get');
      return this.read(collection, null, (t) => {
        const values = this.stmt(`SELECT ${row} FROM ${t} WHERE key = ?`).pluck().get(key) as string | undefined;
        return values === undefined ? null : toDoc(JSON.parse(values) as unknown[]);
      });
    }
    return this.read(collection, null, (t) => {
      const doc = this.stmt(`SELECT ${DOC} FROM ${t} WHERE key = ?`).pluck().get(key) as string | undefined;
      return doc === undefined ? null : (JSON.parse(doc) as Doc);
    });
  }

  async getMany(collection: string, keys: readonly string[]): Promise<Map<string, Doc>> {
    const result = new Map<string, Doc>();
    if (keys.length === 0) return result;
    return this.read(collection, result, (t) => {
      // One statement whatever the number of keys: the keys travel as one JSON array.
      const rows = this.stmt(`SELECT key, ${DOC} AS doc FROM ${t} WHERE key IN (SELECT value FROM json_each(?))`).all(JSON.stringify(keys)) as Row[];
      for (const row of rows) result.set(row.key, JSON.parse(row.doc) as Doc);
      return result;
    });
  }

  async find(collection: string, filter: Filter, options?: FindOptions): Promise<Doc[]> {
    const where = whereClause(filter);
    const params = [...where.params];
    const tail = orderLimit(options, params);
    if (options?.fields !== undefined) return this.findFields(collection, options.fields, where.sql, tail, params);
    return this.read(collection, [] as Doc[], (t) => {
      if (tail === '') {
        // Unsorted and unlimited (e.g. an aging over every open item): the matching documents come back
        // as ONE JSON array text, parsed once — far cheaper than a row object and a JSON.parse per document.
        // Same plan, hence same rows in the same order, as the per-row query below.
        let joined: string | null | undefined;
        try {
          joined = this.stmt(`SELECT group_concat(${DOC}, ',') FROM ${t}${where.sql}`).pluck().get(...params) as string | null;
        } catch (error) {
          if (!/too big|Invalid string length/i.test(String(error))) throw error;
          joined = undefined; // larger than one string may be: row by row instead
        }
        if (joined === null) return [];
        if (joined !== undefined) return JSON.parse(`[${joined}]`) as Doc[];
      }
      const rows = this.stmt(`SELECT ${DOC} FROM ${t}${where.sql}${tail}`).pluck().all(...params) as string[];
      return rows.map((doc) => JSON.parse(doc) as Doc);
    });
  }

  /**
   * `find` with `fields`: each row is built in SQL as one JSON array text of the fields' JSON values
   * (`doc -> '$.f'`, the expressions compound indexes carry), so a covering index answers without reading a
   * document, and JS parses one small array per row instead of the whole document.
   */
  private findFields(collection: string, fields: readonly string[], where: string, tail: string, params: unknown[]): Doc[] {
    const { row, toDoc } = fieldsRow(fields);
    return this.read(collection, [] as Doc[], (t) => {
      if (tail === '') {
        let joined: string | null | undefined;
        try {
          joined = this.stmt(`SELECT group_concat(${row}, ',') FROM ${t}${where}`).pluck().get(...params) as string | null;
        } catch (error) {
          if (!/too big|Invalid string length/i.test(String(error))) throw error;
          joined = undefined;
        }
        if (joined === null) return [];
        if (joined !== undefined) return (JSON.parse(`[${joined}]`) as unknown[][]).map(toDoc);
      }
      const rows = this.stmt(`SELECT ${row} FROM ${t}${where}${tail}`).pluck().all(...params) as string[];
      return rows.map((r) => toDoc(JSON.parse(r) as unknown[]));
    });
  }

  /**
   * `find`'s statement stepped row by row (better-sqlite3's `iterate`): one row in memory at a time, each parsed
   * and visited before the next is read; synchronous, like `find`, so no other statement can run in between.
   */
  async forEach(collection: string, filter: Filter, options: FindOptions, visit: (doc: Doc) => void): Promise<number> {
    const where = whereClause(filter);
    const params = [...where.params];
    const tail = orderLimit(options, params);
    const fields = options.fields === undefined ? null : fieldsRow(options.fields);
    return this.read(collection, 0, (t) => {
      let visited = 0;
      // Rows parsed a chunk at a time, as one JSON array text: one JSON.parse per chunk is cheaper than one per row.
      let chunk: string[] = [];
      const flush = () => {
        const values = JSON.parse(`[${chunk.join(',')}]`) as unknown[];
        chunk = [];
        for (const value of values) visit(fields ? fields.toDoc(value as unknown[]) : (value as Doc));
        visited += values.length;
      };
      const rows = this.stmt(`SELECT ${fields ? fields.row : DOC} FROM ${t}${where.sql}${tail}`).pluck().iterate(...params) as IterableIterator<string>;
      for (const text of rows) {
        chunk.push(text);
        if (chunk.length === FOR_EACH_CHUNK) flush();
      }
      if (chunk.length > 0) flush();
      return visited;
    });
  }

  async count(collection: string, filter: Filter): Promise<number> {
    const where = whereClause(filter);
    return this.read(collection, 0, (t) => this.stmt(`SELECT count(*) FROM ${t}${where.sql}`).pluck().get(...where.params) as number);
  }

  async scan(collection: string, afterKey: string | null, limit: number): Promise<Array<{ key: string; doc: Doc }>> {
    return this.read(collection, [] as Array<{ key: string; doc: Doc }>, (t) => {
      const rows = (afterKey === null
        ? this.stmt(`SELECT key, ${DOC} AS doc FROM ${t} ORDER BY key LIMIT ?`).all(limit)
        : this.stmt(`SELECT key, ${DOC} AS doc FROM ${t} WHERE key > ? ORDER BY key LIMIT ?`).all(afterKey, limit)) as Row[];
      return rows.map((r) => ({ key: r.key, doc: JSON.parse(r.doc) as Doc }));
    });
  }

  async ensureIndexes(collection: string, fields: readonly string[]): Promise<void> {
    const table = this.createTable(collection);
    this.withTempFiles(() => {
      for (const field of fields) {
        this.db.exec(`CREATE INDEX IF NOT EXISTS "ix_${collection}__${assertField(field)}" ON ${table} (${fieldExpr(field)})`);
      }
    });
  }

  /**
   * Index creation sorts every row of the collection: with `temp_store = MEMORY` the sorter's spill files live in
   * RAM, so a rebuild's memory grew with the collection (≈ 100 MB more per million rows). Spilled to temporary
   * files instead for the duration, the sort stays within the page-cache budget (ADR 0096). Queries keep MEMORY.
   */
  private withTempFiles(fn: () => void): void {
    if (this.db.inTransaction) return fn();
    this.db.pragma('temp_store = FILE');
    try {
      fn();
    } finally {
      this.db.pragma('temp_store = MEMORY');
    }
  }

  async ensureCompoundIndex(collection: string, index: CompoundIndex): Promise<void> {
    if (index.fields.length === 0) throw new Error('A compound index needs at least one field');
    const table = this.createTable(collection);
    const include = index.include ?? [];
    // Keys as json_extract (what filters compare), carried fields as `doc -> '$.f'` (what find with fields selects).
    const columns = [...index.fields.map(fieldExpr), ...include.map(jsonFieldExpr)];
    const name = `cx_${collection}__${index.fields.map(assertField).join('_')}${include.length > 0 ? `__with_${include.map(assertField).join('_')}` : ''}`;
    this.withTempFiles(() => this.db.exec(`CREATE INDEX IF NOT EXISTS "${name}" ON ${table} (${columns.join(', ')})`));
  }

  async commitBatch(projection: string, changes: readonly CollectionChanges[], checkpoint: number, at: string, fence?: Fence): Promise<void> {
    try {
      // Fenced: BEGIN IMMEDIATE, so the token read and the writes are one serialised transaction.
      if (fence) this.commitTx.immediate(projection, changes, checkpoint, at, fence);
      else this.commitTx(projection, changes, checkpoint, at);
    } catch (error) {
      this.forgetSchema(); // a rolled-back CREATE TABLE must not stay in the cache
      throw error;
    }
  }

  async commitBatches(batches: readonly ProjectionBatch[], at: string, fence?: Fence): Promise<BatchOutcome[]> {
    if (batches.length === 0) return [];
    try {
      // IMMEDIATE: the write lock is taken (or SQLITE_BUSY answered) once, before any batch; holding it, no batch
      // waits on another connection.
      const outcomes = this.commitManyTx.immediate(batches, at, fence);
      if (outcomes.some((o) => o !== null)) this.forgetSchema();
      return outcomes;
    } catch (error) {
      this.forgetSchema();
      throw error;
    }
  }

  async getCheckpoint(projection: string): Promise<Checkpoint | null> {
    const row = this.stmt('SELECT projection, position, updated_at FROM _checkpoint WHERE projection = ?').get(projection) as CheckpointRow | undefined;
    return row ? toCheckpoint(row) : null;
  }

  async listCheckpoints(): Promise<Checkpoint[]> {
    return (this.stmt('SELECT projection, position, updated_at FROM _checkpoint ORDER BY projection').all() as CheckpointRow[]).map(toCheckpoint);
  }

  async dropCollection(collection: string): Promise<void> {
    this.db.exec(`DROP TABLE IF EXISTS ${tableOf(collection)}`);
    this.forgetSchema();
  }

  /**
   * Copies a collection and its checkpoint from another read-store file (a parallel rebuild's staging file, ADR 0119)
   * into this one, where the collection must be absent or empty: one transaction, so the checkpoint never comes
   * without its documents. The rows are copied as stored (SQLite's transfer of `INSERT INTO … SELECT *` between two
   * tables of the same schema: no document parsed or re-encoded). Returns the documents copied. A collection the
   * file does not hold (its projection wrote nothing) copies only the checkpoint, if any.
   */
  async importCollection(file: string, collection: string): Promise<number> {
    const table = tableOf(collection);
    if (this.db.inTransaction) throw new Error('importCollection inside a transaction');
    this.db.prepare("ATTACH DATABASE ? AS staged").run(file);
    try {
      return this.db.transaction(() => {
        const target = this.createTable(collection);
        if (this.db.prepare(`SELECT 1 FROM main.${target} LIMIT 1`).get()) throw new Error(`importCollection: ${collection} is not empty`);
        const has = this.db.prepare("SELECT 1 FROM staged.sqlite_master WHERE type = 'table' AND name = ?").get(table.slice(1, -1));
        const copied = has ? this.db.prepare(`INSERT INTO main.${target} SELECT * FROM staged.${table}`).run().changes : 0;
        this.db.prepare('INSERT INTO main._checkpoint (projection, position, updated_at) SELECT projection, position, updated_at FROM staged._checkpoint WHERE projection = ? '
          + 'ON CONFLICT(projection) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at').run(collection);
        return copied;
      })();
    } finally {
      this.db.exec('DETACH DATABASE staged');
      this.forgetSchema();
    }
  }

  async deleteCheckpoint(projection: string): Promise<void> {
    this.stmt('DELETE FROM _checkpoint WHERE projection = ?').run(projection);
  }

  async setMeta(key: string, value: string, fence?: Fence): Promise<void> {
    if (fence) this.setMetaTx.immediate(key, value, fence);
    else this.setMetaTx(key, value);
  }

  async acquireLease(name: string, holder: string, nowMs: number, ttlMs: number): Promise<Lease> {
    // No busy wait: better-sqlite3 waits synchronously, which would stall the event loop (and the API) for the
    // whole busy timeout while another connection holds the lock. A busy attempt fails at once (SQLITE_BUSY) and
    // the keeper tries again at its next renewal, long before the term ends.
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    try {
      return toLease(this.acquireTx.immediate(name, holder, nowMs, ttlMs));
    } finally {
      this.db.pragma(`busy_timeout = ${Number(timeout)}`);
    }
  }

  async releaseLease(name: string, holder: string, token: number): Promise<void> {
    this.stmt('UPDATE _lease SET expires_at = 0 WHERE name = ? AND holder = ? AND token = ?').run(name, holder, token);
  }

  async getLease(name: string): Promise<Lease | null> {
    const row = this.stmt('SELECT name, holder, token, expires_at FROM _lease WHERE name = ?').get(name) as LeaseRow | undefined;
    return row ? toLease(row) : null;
  }

  /** Inside a write transaction: the lease still carries the fence's token, or nothing of the transaction is written. */
  private assertFence(fence: Fence): void {
    const current = (this.stmt('SELECT token FROM _lease WHERE name = ?').pluck().get(fence.lease) as number | undefined) ?? null;
    if (current !== fence.token) throw new LeaseLostError(fence.lease, fence.token, current);
  }

  async getMeta(key: string): Promise<string | null> {
    return (this.stmt('SELECT value FROM _meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  }



  /** Takes the write lock and releases it at once, busy timeout 0 for this one statement: SQLITE_BUSY if held. */
  async probe(): Promise<void> {
    probeWriteLock(this.db);
  }

  async close(): Promise<void> {
    // The worker's connection first: the last one to close checkpoints the WAL and removes it.
    await this.checkpointer?.close();
    if (this.db.open) this.db.close();
  }

  /** One projection's changes and its checkpoint, inside the caller's transaction. */
  private writeBatch(projection: string, changes: readonly CollectionChanges[], checkpoint: number, at: string): void {
    for (const change of changes) {
      const writer = this.writer(change.collection);
      const upserts = change.upserts;
      let i = 0;
      // As one statement per chunk: a JSON array of [key, doc] pairs, split by SQLite itself, instead of one statement
      // run per document — a rebuild's flush (ADR 0108), and a live batch's documents of one collection from
      // UPSERT_MANY_FROM on (the projector's batch of some thirty invoices: about −5 % of the command path's CPU, ADR 0108's addendum).
      if (upserts.length >= UPSERT_MANY_FROM) {
        for (; i < upserts.length; i += UPSERT_CHUNK) writer.upsertMany.run(pairs(upserts, i, Math.min(upserts.length, i + UPSERT_CHUNK)));
      }
      for (; i < upserts.length; i++) writer.upsert.run(upserts[i].key, serialize(upserts[i].doc, upserts[i].key));
      for (const key of change.deletes) writer.del.run(key);
    }
    this.stmt('INSERT INTO _checkpoint (projection, position, updated_at) VALUES (?, ?, ?) ON CONFLICT(projection) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at')
      .run(projection, positionToText(checkpoint, `checkpoint of ${projection}`), at);
  }

  private writer(collection: string): Writer {
    let writer = this.writers.get(collection);
    if (writer === undefined) {
      const table = this.createTable(collection);
      writer = {
        upsert: this.db.prepare(`INSERT INTO ${table} (key, doc) VALUES (?, jsonb(?)) ON CONFLICT(key) DO UPDATE SET doc = excluded.doc`),
        // jsonb_each parses the chunk once; each document is cut out of it as binary JSON, not re-parsed. WHERE true:
        // an upsert's SELECT needs one (SQLite's parsing ambiguity of ON CONFLICT).
        upsertMany: this.db.prepare(
          `INSERT INTO ${table} (key, doc) SELECT value ->> 0, jsonb_extract(value, '$[1]') FROM jsonb_each(?) WHERE true ON CONFLICT(key) DO UPDATE SET doc = excluded.doc`,
        ),
        del: this.db.prepare(`DELETE FROM ${table} WHERE key = ?`),
      };
      this.writers.set(collection, writer);
    }
    return writer;
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private createTable(collection: string): string {
    const table = tableOf(collection);
    if (!this.tables.has(table)) {
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL)`);
      this.tables.add(table);
    }
    return table;
  }

  /** Reads a collection that may not exist (yet, or any more: another process may have dropped it). */
  private read<T>(collection: string, empty: T, fn: (table: string) => T): T {
    const table = tableOf(collection);
    if (!this.tables.has(table)) {
      const exists = this.stmt("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table.slice(1, -1));
      if (!exists) return empty;
      this.tables.add(table);
    }
    try {
      return fn(table);
    } catch (error) {
      if (!/no such table/.test(String(error))) throw error;
      this.forgetSchema();
      return empty;
    }
  }

  private forgetSchema(): void {
    this.tables.clear();
    this.statements.clear();
    this.writers.clear();
  }
}

function tableOf(collection: string): string {
  if (!COLLECTION.test(collection)) throw new Error(`Invalid collection name: ${JSON.stringify(collection)}`);
  return `"c_${collection}"`;
}

type Writer = { upsert: Database.Statement; upsertMany: Database.Statement; del: Database.Statement };

/** Upserts at least this many are written a chunk of this many per statement (the rest one by one). */
const UPSERT_CHUNK = 512;
/** Fewer documents than this are written one statement each. */
const UPSERT_MANY_FROM = 4;

/** `[[key, doc], …]` as JSON text, each document checked as `serialize` does. */
function pairs(upserts: ReadonlyArray<{ key: string; doc: Doc }>, from: number, to: number): string {
  const parts: string[] = new Array(to - from);
  for (let i = from; i < to; i++) parts[i - from] = `[${JSON.stringify(upserts[i].key)},${serialize(upserts[i].doc, upserts[i].key)}]`;
  return `[${parts.join(',')}]`;
}

function serialize(doc: Doc, key: string): string {
  const json = JSON.stringify(doc);
  if (typeof json !== 'string') throw new Error(`Document ${key} is not JSON-serializable`);
  return json;
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return { projection: row.projection, position: positionFromStored(row.position, `checkpoint of ${row.projection}`), updatedAt: row.updated_at };
}

/**
 * Files written before ADR 0092 declare `_checkpoint.position INTEGER`: on open the table is rebuilt with a TEXT
 * column holding the same positions as decimal text, in one IMMEDIATE transaction (two processes opening the file at
 * once: the second finds it done). Idempotent; a file already in the new layout is not touched.
 */
export function migrateCheckpointsToText(db: Database.Database): boolean {
  const declared = () => db.prepare("SELECT type FROM pragma_table_info('_checkpoint') WHERE name = 'position'").pluck().get() as string | undefined;
  if (declared()?.toUpperCase() !== 'INTEGER') return false;
  return db.transaction(() => {
    if (declared()?.toUpperCase() !== 'INTEGER') return false;
    db.exec(`
      CREATE TABLE _checkpoint_text (projection TEXT PRIMARY KEY, position TEXT NOT NULL, updated_at TEXT NOT NULL);
      INSERT INTO _checkpoint_text (projection, position, updated_at) SELECT projection, CAST(position AS TEXT), updated_at FROM _checkpoint;
      DROP TABLE _checkpoint;
      ALTER TABLE _checkpoint_text RENAME TO _checkpoint;`);
    return true;
  }).immediate();
}

function toLease(row: LeaseRow): Lease {
  return { name: row.name, holder: row.holder, token: row.token, expiresAt: row.expires_at };
}

/** Rows `forEach` parses at once: ~1 MB of text for the aging's rows, a bound whatever the number of matches. */
const FOR_EACH_CHUNK = 4_096;

/** `find` with `fields`: the SQL of one row as a JSON array text of the fields' values, and the document it makes. */
function fieldsRow(fields: readonly string[], method = 'find'): { row: string; toDoc: (values: unknown[]) => Doc } {
  if (fields.length === 0) throw new Error(`${method}: fields must name at least one field`);
  const names = fields.map(assertField);
  const row = `'[' || ${names.map((f) => `coalesce(${jsonFieldExpr(f)}, 'null')`).join(` || ',' || `)} || ']'`;
  const toDoc = (values: unknown[]): Doc => {
    const doc: Doc = {};
    for (let i = 0; i < names.length; i++) doc[names[i]] = values[i];
    return doc;
  };
  return { row, toDoc };
}
