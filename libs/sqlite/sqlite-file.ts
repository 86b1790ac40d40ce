import Database from 'better-sqlite3';
import { chmodSync } from 'node:fs';

/**
 * A small SQLite file of secrets (API keys, data keys): mode 0600 where this process owns it, WAL, and every
 * commit durable (`synchronous = FULL`).
 */
export function openPrivateFile(path: string, timeoutMs = 10_000): Database.Database {
  const db = new Database(path, { timeout: timeoutMs });
  try {
    chmodSync(path, 0o600);
  } catch {
    // not the owner (a read-only mount): keep the mode it has
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}

/**
 * Takes the write lock and releases it at once, busy timeout 0 for this one statement: SQLITE_BUSY if another
 * connection holds it (the readiness probes). Inside a transaction of this connection the lock is ours: nothing to do.
 */
export function probeWriteLock(db: Database.Database): void {
  if (!db.open) throw new Error('The SQLite database is closed');
  if (db.inTransaction) return;
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}
