import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { ConcurrencyError, DuplicateEventIdError, StoredEvent } from '../../libs/event-store/event-store.port';
import { verifyChain } from '../../libs/event-store/hash-chain';
import { ids, nextEvents, streamName, waitFor } from './event-store.fixtures';

describe('SqliteEventStore specifics', () => {
  let dir: string;
  let path: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ar-event-store-'));
    path = join(dir, 'events.db');
    store = new SqliteEventStore({ path, pollIntervalMs: 100 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('group commit', () => {
    it('writes 200 concurrent appends in far fewer durable transactions', async () => {
      const streams = Array.from({ length: 200 }, (_, i) => streamName(`group${i}`));
      const results = await Promise.all(streams.map((s) => store.append(s, 'no_stream', nextEvents(s, null, 1))));
      expect(new Set(results.map((r) => r.position)).size).toBe(200);
      expect(store.stats.appends).toBe(200);
      expect(store.stats.flushes).toBeLessThanOrEqual(2);
      expect(store.stats.largestGroup).toBeGreaterThanOrEqual(100);
    });

    it('rejects a failing append alone and checks each append against the earlier ones of its group', async () => {
      const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(streamName);
      await store.append(b, 'no_stream', nextEvents(b, null, 1));
      const [taken] = nextEvents(a, null, 1);
      await store.append(a, 'no_stream', [taken]);
      const flushesBefore = store.stats.flushes;
      const first = nextEvents(d, null, 1);
      const settled = await Promise.allSettled([
        store.append(c, 'no_stream', nextEvents(c, null, 2)),
        store.append(b, 'no_stream', nextEvents(b, null, 1)), // conflict
        store.append(d, 'no_stream', [{ ...nextEvents(d, null, 1)[0], id: taken.id }]), // duplicate id
        store.append(d, 'no_stream', first), // the stream is still new: the failed append left nothing
        store.append(d, 0, nextEvents(d, { ...first[0], streamId: d, revision: 0, position: 0 }, 1)), // sees the previous one
        store.append(d, 0, nextEvents(d, null, 1)), // ... and so does this conflicting one
      ]);
      expect(store.stats.flushes).toBe(flushesBefore + 1);
      expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled', 'rejected']);
      const reasons = settled.map((r) => (r.status === 'rejected' ? r.reason : null));
      expect(reasons[1]).toBeInstanceOf(ConcurrencyError);
      expect(reasons[2]).toBeInstanceOf(DuplicateEventIdError);
      expect(reasons[5]).toMatchObject({ expected: 0, actual: 1 });
      const streamD = await store.readStream(d);
      expect(streamD).toHaveLength(2);
      expect(verifyChain(streamD)).toBeNull();
      expect(await store.readStream(c)).toHaveLength(2);
      expect(await store.readStream(b)).toHaveLength(1);
    });

    it('runs a multi-stream append inside the group: its refusal undoes all its parts and nothing else', async () => {
      const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(streamName);
      await store.append(b, 'no_stream', nextEvents(b, null, 1));
      const flushesBefore = store.stats.flushes;
      const settled = await Promise.allSettled([
        store.append(c, 'no_stream', nextEvents(c, null, 1)),
        // a written (3 events), then b refused: a must be rolled back with it
        store.appendMany([{ streamId: a, expected: 'no_stream', events: nextEvents(a, null, 3) }, { streamId: b, expected: 'no_stream', events: nextEvents(b, null, 1) }]),
        store.appendMany([{ streamId: d, expected: 'no_stream', events: nextEvents(d, null, 1) }, { streamId: a, expected: 'no_stream', events: nextEvents(a, null, 1) }]),
      ]);
      expect(store.stats.flushes).toBe(flushesBefore + 1);
      expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await store.readStream(a)).toHaveLength(1); // only the second plan's event
      expect(await store.readStream(b)).toHaveLength(1);
      expect(await store.readStream(c)).toHaveLength(1);
      expect(await store.readStream(d)).toHaveLength(1);
    });

    it('keeps one flush per append when appends are sequential, near the raw durable-commit rate', async () => {
      const n = 150;
      const raw = new Database(join(dir, 'raw.db'));
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = FULL');
      raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      const insert = raw.prepare('INSERT INTO t (v) VALUES (?)');
      let t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) insert.run('x'.repeat(400));
      const rawMs = Number(process.hrtime.bigint() - t0) / 1e6;
      raw.close();

      const s = streamName('sequential');
      let last: StoredEvent | null = null;
      const batch = Array.from({ length: n }, () => null).map(() => nextEvents(s, null, 1)[0]);
      t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) {
        const result = await store.append(s, i === 0 ? 'no_stream' : i - 1, [batch[i]]);
        last = { ...batch[i], streamId: s, revision: result.nextRevision, position: result.position };
      }
      const storeMs = Number(process.hrtime.bigint() - t0) / 1e6;
      expect(last?.revision).toBe(n - 1);
      expect(store.stats.flushes).toBe(n);
      // Generous bound: the store adds a savepoint, a few index lookups and one setImmediate per append.
      expect(storeMs).toBeLessThan(rawMs * 4 + 250);
      process.stdout.write(`sequential appends: raw ${(rawMs / n).toFixed(3)} ms/commit, store ${(storeMs / n).toFixed(3)} ms/append\n`);
    });

    it('flushes pending appends on close', async () => {
      const s = streamName('closing');
      const pending = store.append(s, 'no_stream', nextEvents(s, null, 2));
      await store.close();
      await expect(pending).resolves.toMatchObject({ nextRevision: 1 });
      store = new SqliteEventStore({ path });
      expect(await store.readStream(s)).toHaveLength(2);
    });
  });

  describe('stream revisions', () => {
    it('takes a stream revision from its events, whatever an older version left in the streams table', async () => {
      const s = streamName('legacy');
      const first = nextEvents(s, null, 2);
      await store.append(s, 'no_stream', first);
      // Files written before decision 0023 also kept a `streams` row per stream; a stale one must not matter.
      const raw = new Database(path);
      try {
        raw.prepare('INSERT INTO streams (stream_id, last_revision) VALUES (?, ?)').run(s, 0);
      } finally {
        raw.close();
      }
      const stale = store.append(s, 0, nextEvents(s, null, 1));
      await expect(stale).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(stale).rejects.toMatchObject({ expected: 0, actual: 1 });
      const [last] = await store.readStream(s, { direction: 'backward', maxCount: 1 });
      await expect(store.append(s, 1, nextEvents(s, last, 1))).resolves.toMatchObject({ nextRevision: 2 });
      const all = await store.readStream(s);
      expect(all.map((e) => e.revision)).toEqual([0, 1, 2]);
      expect(verifyChain(all)).toBeNull();
    });
  });

  describe('several connections on one file', () => {
    it('delivers appends made through another connection by polling', async () => {
      const other = new SqliteEventStore({ path });
      const received: StoredEvent[] = [];
      const subscription = store.subscribeToAll(-1, async (events) => void received.push(...events));
      try {
        const s = streamName('elsewhere');
        const events = nextEvents(s, null, 3);
        await other.append(s, 'no_stream', events);
        await waitFor(() => received.length === 3, 2000, 'polled delivery');
        expect(ids(received)).toEqual(ids(events));
      } finally {
        await subscription.close();
        await other.close();
      }
    });

    it('opens read-only: reads work, appends are refused', async () => {
      const s = streamName('ro');
      await store.append(s, 'no_stream', nextEvents(s, null, 2));
      const reader = SqliteEventStore.openReadOnly(path);
      try {
        expect(await reader.readStream(s)).toHaveLength(2);
        expect(await reader.headPosition()).toBe(await store.headPosition());
        await expect(reader.append(s, 1, nextEvents(s, null, 1))).rejects.toThrow(/read-only/);
      } finally {
        await reader.close();
      }
    });
  });
});
