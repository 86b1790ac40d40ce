import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { prepareStatements } from '../../libs/event-store/adapters/sqlite/sqlite-schema';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract('SQLite (temp file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-event-store-'));
  const store = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 100 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite event store: readStreams query plan', () => {
  it('finds the positions in the (stream_id, revision) index and reads the rows in position order, without sorting them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ar-event-store-plan-'));
    const store = new SqliteEventStore({ path: join(dir, 'events.db') });
    try {
      const db = new Database(join(dir, 'events.db'), { readonly: true });
      const sql = prepareStatements(db).readStreams.source;
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('["a","b"]') as Array<{ detail: string }>).map((r) => r.detail).join('\n');
      db.close();
      expect(plan).toMatch(/SEARCH events USING INTEGER PRIMARY KEY \(rowid=\?\)/);
      expect(plan).toMatch(/SEARCH events USING COVERING INDEX sqlite_autoindex_events_2 \(stream_id=\?\)/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
      expect(plan).not.toMatch(/SCAN events/);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
