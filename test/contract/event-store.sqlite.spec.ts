import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { prepareReadStreamsUpTo, prepareStatements } from '../../libs/event-store/adapters/sqlite/sqlite-schema';
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
      const statements = prepareStatements(db);
      // readStreamsPaged steps the same query, bounded by a position (ADR 0109).
      for (const [sql, args] of [[statements.readStreams.source, ['["a","b"]']], [prepareReadStreamsUpTo(db).source, ['["a","b"]', 10]]] as const) {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
        expect(plan).toMatch(/SEARCH events USING INTEGER PRIMARY KEY \(rowid=\?\)/);
        expect(plan).toMatch(/SEARCH events USING COVERING INDEX sqlite_autoindex_events_2 \(stream_id=\?\)/);
        expect(plan).not.toMatch(/TEMP B-TREE/);
        expect(plan).not.toMatch(/SCAN events/);
      }
      db.close();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite event store: readAll of given types, query plan (ADR 0108)', () => {
  it('scans the rowid range after the position and tests each row type against the list, without sorting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ar-event-store-plan-'));
    const store = new SqliteEventStore({ path: join(dir, 'events.db') });
    try {
      const db = new Database(join(dir, 'events.db'), { readonly: true });
      const statements = prepareStatements(db);
      const plan = (sql: string, ...args: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
      const read = plan(statements.readAllOfTypes.source, -1, '["a"]', 10);
      const count = plan(statements.countAfterOfTypes.source, -1, '["a"]', 10);
      db.close();
      for (const p of [read, count]) {
        expect(p).toMatch(/SEARCH events USING INTEGER PRIMARY KEY \(rowid>\?\)/);
        expect(p).toMatch(/LIST SUBQUERY/);
        expect(p).not.toMatch(/TEMP B-TREE/);
      }
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite event store: the last event read back from memory', () => {
  const event = (id: string) => ({
    id, type: 'T', data: { n: id },
    metadata: { actor: 'a', recordedAt: '2026-01-01T00:00:00.000Z', commandId: id, correlationId: id, causationId: id, schemaVersion: 1, prevHash: '0'.repeat(64), hash: id },
  });
  const tail = async (store: SqliteEventStore, streamId: string) =>
    (await store.readStream(streamId, { direction: 'backward', maxCount: 1 })).map((e) => e.id);

  it('answers a stream read back empty with the event written since, by this connection or another one on the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ar-event-store-tail-'));
    const mine = new SqliteEventStore({ path: join(dir, 'events.db') });
    const other = new SqliteEventStore({ path: join(dir, 'events.db') });
    try {
      expect(await tail(mine, 's-own')).toEqual([]);
      expect(await tail(mine, 's-other')).toEqual([]);
      await mine.append('s-own', 'no_stream', [event('own-0')]);
      expect(await tail(mine, 's-own')).toEqual(['own-0']);
      expect(await tail(mine, 's-other')).toEqual([]);
      await other.append('s-other', 'no_stream', [event('other-0')]);
      expect(await tail(mine, 's-other')).toEqual(['other-0']);
      expect(await tail(mine, 's-own')).toEqual(['own-0']);
    } finally {
      await mine.close();
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
