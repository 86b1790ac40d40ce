import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { prepareReadStreamsUpTo, prepareStatements } from '../../libs/event-store/adapters/sqlite/sqlite-schema';
import { describeEventStoreContract } from './event-store.contract';

/** One small event with the given id (its metadata complete, its hash the id). */
const event = (id: string) => ({
  id, type: 'T', data: { n: id },
  metadata: { actor: 'a', recordedAt: '2026-01-01T00:00:00.000Z', commandId: id, correlationId: id, causationId: id, schemaVersion: 1, prevHash: '0'.repeat(64), hash: id },
});

/** Two connections on one new file, closed and removed after `fn`. */
async function onOneFile(prefix: string, fn: (mine: SqliteEventStore, other: SqliteEventStore) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const mine = new SqliteEventStore({ path: join(dir, 'events.db') });
  const other = new SqliteEventStore({ path: join(dir, 'events.db') });
  try {
    await fn(mine, other);
  } finally {
    await mine.close();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

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
  const tail = async (store: SqliteEventStore, streamId: string) =>
    (await store.readStream(streamId, { direction: 'backward', maxCount: 1 })).map((e) => e.id);

  it('answers a stream read back empty with the event written since, by this connection or another one on the file', () => onOneFile('ar-event-store-tail-', async (mine, other) => {
    expect(await tail(mine, 's-own')).toEqual([]);
    expect(await tail(mine, 's-other')).toEqual([]);
    await mine.append('s-own', 'no_stream', [event('own-0')]);
    expect(await tail(mine, 's-own')).toEqual(['own-0']);
    expect(await tail(mine, 's-other')).toEqual([]);
    await other.append('s-other', 'no_stream', [event('other-0')]);
    expect(await tail(mine, 's-other')).toEqual(['other-0']);
    expect(await tail(mine, 's-own')).toEqual(['own-0']);
  }));
});

describe('SQLite event store: short streams read back from memory (ADR 0114)', () => {
  const ids = async (store: SqliteEventStore, streamId: string, options?: { fromRevision?: number; maxCount?: number }) =>
    (await store.readStream(streamId, options)).map((e) => `${e.revision}:${e.id}`);

  it('answers a whole stream read with what this connection appended since, and with what another connection on the file did', () => onOneFile('ar-event-store-streams-', async (mine, other) => {
    expect(await ids(mine, 's')).toEqual([]);
    await mine.append('s', 'no_stream', [event('e0'), event('e1')]);
    expect(await ids(mine, 's')).toEqual(['0:e0', '1:e1']);
    expect(await ids(mine, 's', { fromRevision: 1 })).toEqual(['1:e1']);
    expect(await ids(mine, 's', { maxCount: 1 })).toEqual(['0:e0']);
    await other.append('s', 1, [event('e2')]);
    expect(await ids(mine, 's')).toEqual(['0:e0', '1:e1', '2:e2']);
    // A refused append in a group (its savepoint rolled back) adds nothing to the stream kept in memory.
    const refused = mine.append('s', 0, [event('late')]);
    const accepted = mine.append('s', 2, [event('e3')]);
    await expect(refused).rejects.toThrow();
    await accepted;
    expect(await ids(mine, 's')).toEqual(['0:e0', '1:e1', '2:e2', '3:e3']);
    expect(await ids(other, 's')).toEqual(['0:e0', '1:e1', '2:e2', '3:e3']);
  }));

  it('builds every read afresh: a caller that changes the events it got changes nothing another caller reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ar-event-store-streams-'));
    const store = new SqliteEventStore({ path: join(dir, 'events.db') });
    try {
      await store.append('s', 'no_stream', [event('e0')]);
      const [first] = await store.readStream('s');
      (first.data as { n: string }).n = 'changed';
      first.metadata.actor = 'someone else';
      const [again] = await store.readStream('s');
      expect(again.data).toEqual({ n: 'e0' });
      expect(again.metadata.actor).toBe('a');
      expect(again).not.toBe(first);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers every read as the file does, whatever the appends of two connections and the reads in between (property)', async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`sqlite stream cache property seed: FC_SEED=${seed}`);
    const dir = mkdtempSync(join(tmpdir(), 'ar-event-store-streams-'));
    let n = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(
            fc.record({ kind: fc.constant('append' as const), by: fc.integer({ min: 0, max: 1 }), stream: fc.integer({ min: 0, max: 1 }), events: fc.integer({ min: 1, max: 8 }), stale: fc.boolean() }),
            fc.record({ kind: fc.constant('read' as const), by: fc.integer({ min: 0, max: 1 }), stream: fc.integer({ min: 0, max: 1 }), from: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined, freq: 2 }), max: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined, freq: 2 }) }),
          ), { maxLength: 40 }),
          async (steps) => {
            const path = join(dir, `events-${++n}.db`);
            const stores = [new SqliteEventStore({ path }), new SqliteEventStore({ path })];
            const file = new Database(path, { readonly: true });
            const truth = file.prepare('SELECT revision, event_id FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?');
            try {
              for (const step of steps) {
                const streamId = `s${step.stream}`;
                const store = stores[step.by];
                if (step.kind === 'append') {
                  const [last] = await store.readStream(streamId, { direction: 'backward', maxCount: 1 });
                  const expected = last === undefined ? 'no_stream' : last.revision;
                  const events = Array.from({ length: step.events }, () => event(`e${++n}`));
                  // A stale expectation is refused and must leave nothing behind, in the file or in memory.
                  await store.append(streamId, step.stale && typeof expected === 'number' ? expected - 1 : expected, events).catch((e) => { if (!step.stale) throw e; });
                } else {
                  const options = { fromRevision: step.from, maxCount: step.max };
                  const rows = truth.all(streamId, step.from ?? 0, step.max ?? -1) as Array<{ revision: number; event_id: string }>;
                  expect(await ids(store, streamId, options)).toEqual(rows.map((r) => `${r.revision}:${r.event_id}`));
                }
              }
            } finally {
              file.close();
              for (const s of stores) await s.close();
            }
          },
        ),
        { seed, numRuns: 80 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
