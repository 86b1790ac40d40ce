import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKSTOP_CHECKPOINT_PAGES, SqliteEventStore } from '../event-store/adapters/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../read-store/adapters/sqlite/sqlite-read-store';

/** WAL checkpoints on a worker thread (ADR 0116): the file is checkpointed, nothing is lost, nothing blocks. */
describe('WAL checkpoints on a worker thread', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ar-wal-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const event = (id: string) => ({
    id, type: 'T', data: { n: id, pad: 'x'.repeat(400) },
    metadata: { actor: 'a', recordedAt: '2026-01-01T00:00:00.000Z', commandId: id, correlationId: id, causationId: id, schemaVersion: 1, prevHash: '0'.repeat(64), hash: id },
  });
  /** What another connection on the file reads. */
  const rowsInFile = (path: string) => {
    const db = new Database(path, { readonly: true });
    try { return db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }; } finally { db.close(); }
  };

  it('the event store: its own connection checkpoints only past the backstop; the worker copies the whole WAL into the file, nothing lost', async () => {
    const path = join(dir, 'events.db');
    const store = new SqliteEventStore({ path, backgroundCheckpoints: true });
    try {
      expect(store.checkpointer).not.toBeNull();
      expect((store as unknown as { db: Database.Database }).db.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_CHECKPOINT_PAGES);
      // 40 groups of 32 appends: ~1,300 events of ~0.6 kB, past SQLite's default threshold of 1,000 pages.
      for (let g = 0; g < 40; g++) {
        await Promise.all(Array.from({ length: 32 }, (_, i) => store.append(`s-${g}-${i}`, 'no_stream', [event(`e-${g}-${i}`)])));
      }
      const result = await store.checkpointer!.runNow();
      expect(result.busy).toBe(0);
      expect(result.log).toBeGreaterThan(0);
      expect(result.checkpointed).toBe(result.log);
      expect(rowsInFile(path).n).toBe(1280);
      expect((await store.readAll(-1, 2000)).length).toBe(1280);
    } finally {
      await store.close();
    }
    // Closed: the worker's connection too (the last one removed the WAL), and the thread is gone.
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('the WAL stays bounded under a stream of commits: each checkpoint lets the writer start the WAL over', async () => {
    const path = join(dir, 'events.db');
    const store = new SqliteEventStore({ path, backgroundCheckpoints: true });
    try {
      let n = 0;
      for (let round = 0; round < 6; round++) {
        for (let g = 0; g < 20; g++) await Promise.all(Array.from({ length: 32 }, () => { const id = `e${++n}`; return store.append(`s${n}`, 'no_stream', [event(id)]); }));
        const r = await store.checkpointer!.runNow();
        expect(r.checkpointed).toBe(r.log);
      }
      // 3,840 events of ~0.6 kB: ~2.5 MB in the table. Started over after each checkpoint, the WAL never held more than
      // one round (20 groups), far below all of it (without the restarts it would hold every round: > 2.5 MB).
      expect(statSync(`${path}-wal`).size).toBeLessThan(2_000_000);
      expect((await store.readAll(-1, 5000)).length).toBe(3840);
    } finally {
      await store.close();
    }
  });

  it('the read store: batches committed while the worker checkpoints are all there, read back by another connection', async () => {
    const path = join(dir, 'read.db');
    const store = new SqliteReadStore({ path, backgroundCheckpoints: true });
    try {
      for (let b = 0; b < 30; b++) {
        const upserts = Array.from({ length: 100 }, (_, i) => ({ key: `k${b}-${i}`, doc: { b, i, pad: 'y'.repeat(300) } }));
        await store.commitBatches([{ projection: 'p', changes: [{ collection: 'things', upserts, deletes: [] }], checkpoint: b }], '2026-01-01T00:00:00.000Z');
        if (b % 10 === 9) expect((await store.checkpointer!.runNow()).busy).toBe(0);
      }
      const other = new SqliteReadStore({ path });
      try {
        expect((await other.getCheckpoint('p'))?.position).toBe(29);
        expect(await other.get('things', 'k29-99')).toEqual({ b: 29, i: 99, pad: 'y'.repeat(300) });
      } finally {
        await other.close();
      }
    } finally {
      await store.close();
    }
  });

  it('without the option, no worker: the connection checkpoints inside its commits as before', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'events.db') });
    const read = new SqliteReadStore({ path: join(dir, 'read.db') });
    try {
      expect(store.checkpointer).toBeNull();
      expect(read.checkpointer).toBeNull();
    } finally {
      await store.close();
      await read.close();
    }
  });
});
