import Database from 'better-sqlite3';
import { EventMetadata, StoredEvent } from '../../event-store.port';

/**
 * `position` is the rowid: SQLite gives max(rowid)+1 and rows are never deleted, so it grows strictly with
 * commit order and a committed transaction never leaves a gap behind a reader's position.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY,
  stream_id TEXT    NOT NULL,
  revision  INTEGER NOT NULL,
  event_id  TEXT    NOT NULL UNIQUE,
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL,
  metadata  TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS streams (
  stream_id     TEXT PRIMARY KEY,
  last_revision INTEGER NOT NULL
) WITHOUT ROWID;
`;
// \`streams\` is no longer written (decision 0023): a stream's revision is read from the (stream_id, revision)
// index of \`events\`, which every append writes anyway — one B-tree page less per durable commit. The
// table stays so that files created by earlier versions open unchanged.

export interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

export interface EventPlace {
  stream_id: string;
  revision: number;
  position: number;
}

const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata';

/** `busyTimeoutMs`: how long a statement waits for another connection's lock before SQLITE_BUSY. */
export function openDatabase(path: string, readonly: boolean, busyTimeoutMs = 5_000): Database.Database {
  const db = new Database(path, { readonly, fileMustExist: readonly, timeout: busyTimeoutMs });
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    // FULL: the WAL is fsynced at every commit, so an acknowledged append survives kill -9 and power loss.
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
  }
  return db;
}

/** A row of `COLUMNS` as an array (statements in `.raw()` mode: no per-row object with named keys). */
export type RawEventRow = [position: number, streamId: string, revision: number, eventId: string, type: string, data: string, metadata: string];

/** A row of one stream's read, without the stream id. */
export type StreamEventRow = [position: number, revision: number, eventId: string, type: string, data: string, metadata: string];

/**
 * `readStreams` up to a position, alone: the paged replay (ADR 0109) steps it on a read-only connection of its own,
 * which needs this one statement, not the whole set `prepareStatements` compiles.
 */
export function prepareReadStreamsUpTo(db: Database.Database): Database.Statement<unknown[], RawEventRow> {
  return db.prepare<unknown[], RawEventRow>(
    `SELECT ${COLUMNS} FROM events WHERE position IN ` +
      '(SELECT position FROM events WHERE stream_id IN (SELECT value FROM json_each(?)) AND position <= ?) ORDER BY position',
  ).raw(true) as unknown as Database.Statement<unknown[], RawEventRow>;
}

export function prepareStatements(db: Database.Database) {
  const raw = (sql: string) => db.prepare<unknown[], RawEventRow>(sql).raw(true) as unknown as Database.Statement<unknown[], RawEventRow>;
  return {
    /** The stream's last revision, from the UNIQUE (stream_id, revision) index (one index seek, no table read). */
    lastRevision: db.prepare<[string], number>('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1').pluck(true),
    /** Changes when another connection (e.g. another process) commits to the file; not for this connection's commits. */
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(true),
    placeOf: db.prepare<[string], EventPlace>('SELECT stream_id, revision, position FROM events WHERE event_id = ?'),
    insert: db.prepare<[string, number, string, string, string, string], unknown>(
      'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    /** A stream read: the stream id is the caller's, not read back for every row (see `streamRowToStoredEvent`). */
    readForward: db.prepare<unknown[], StreamEventRow>(
      'SELECT position, revision, event_id, type, data, metadata FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    ).raw(true) as unknown as Database.Statement<unknown[], StreamEventRow>,
    readBackward: raw(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`),
    readAll: raw(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
    /**
     * The log read of the given types (a JSON array): the rowid range is scanned as by `readAll` and the other rows
     * are skipped on their `type` column, so their data and metadata are never parsed (ADR 0108; plan pinned by the
     * SQLite adapter's test).
     */
    readAllOfTypes: raw(`SELECT ${COLUMNS} FROM events WHERE position > ? AND type IN (SELECT value FROM json_each(?)) ORDER BY position LIMIT ?`),
    /**
     * Every event of the streams listed in a JSON array, by position. The inner query finds the positions in the
     * (stream_id, revision) index alone (covering); the outer reads those rows by rowid in ascending order, so
     * no temporary B-tree sorts the whole rows (query plan pinned by the SQLite adapter's test).
     */
    readStreams: raw(
      `SELECT ${COLUMNS} FROM events WHERE position IN ` +
        '(SELECT position FROM events WHERE stream_id IN (SELECT value FROM json_each(?))) ORDER BY position',
    ),
    head: db.prepare<[], { head: number | null }>('SELECT max(position) AS head FROM events'),
    countAfter: db.prepare<[number, number], { n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE position > ? LIMIT ?)'),
    countAfterOfTypes: db.prepare<[number, string, number], { n: number }>(
      'SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE position > ? AND type IN (SELECT value FROM json_each(?)) LIMIT ?)',
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
  };
}

/** Same object as `toStoredEvent` (same keys, same order) from a `.raw()` row. */
export function rawToStoredEvent(row: RawEventRow): StoredEvent {
  return {
    id: row[3],
    type: row[4],
    data: JSON.parse(row[5]) as Record<string, unknown>,
    metadata: JSON.parse(row[6]) as EventMetadata,
    streamId: row[1],
    revision: row[2],
    position: row[0],
  };
}

/** Same object as `rawToStoredEvent`, for the rows of one stream's read. */
export function streamRowsToStoredEvents(streamId: string, rows: StreamEventRow[]): StoredEvent[] {
  const events = new Array<StoredEvent>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    events[i] = {
      id: row[2],
      type: row[3],
      data: JSON.parse(row[4]) as Record<string, unknown>,
      metadata: JSON.parse(row[5]) as EventMetadata,
      streamId,
      revision: row[1],
      position: row[0],
    };
  }
  return events;
}

/** SQLite's LIMIT: a negative value means no limit. */
export function sqlLimit(maxCount: number | undefined): number {
  return maxCount === undefined || !Number.isFinite(maxCount) ? -1 : Math.max(0, Math.floor(maxCount));
}
