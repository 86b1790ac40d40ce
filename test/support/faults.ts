import Database from 'better-sqlite3';

/**
 * Holds BEGIN EXCLUSIVE on a SQLite file from a second connection for `ms` (what a backup tool, a long query or a
 * stuck writer does to the engine). In WAL mode readers go on; every other writer waits its busy timeout, then fails.
 */
export function holdExclusiveLock(path: string, ms: number): Promise<void> {
  const db = new Database(path);
  db.exec('BEGIN EXCLUSIVE');
  return new Promise<void>((resolve) => setTimeout(resolve, ms)).then(() => {
    db.exec('COMMIT');
    db.close();
  });
}
