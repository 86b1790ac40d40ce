import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../event-store/adapters/sqlite/sqlite-event-store';
import { chainEvents, eventHash, type UnhashedEvent } from '../../event-store/hash-chain';
import { exportHeads, parseHeadsFile, verifyLog } from './log-verification';

const event = (n: number, data: Record<string, unknown>): UnhashedEvent => ({
  id: `e-${n}`, type: 'PaymentApplied', data,
  metadata: { actor: 'clerk', recordedAt: '2026-03-01T10:00:00.000Z', commandId: `c-${n}`, correlationId: `c-${n}`, causationId: `c-${n}`, schemaVersion: 1 },
});

describe('whole-log verification against exported stream heads', () => {
  let dir: string;
  let store: SqliteEventStore;
  const file = () => join(dir, 'events.sqlite');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ar-heads-'));
    store = new SqliteEventStore({ path: file() });
    // Three streams, interleaved: a-0 b-0 a-1 c-0 a-2 b-1
    const appended: Record<string, { revision: number; hash: string } | null> = { 'invoice-a': null, 'invoice-b': null, 'invoice-c': null };
    let n = 0;
    for (const stream of ['invoice-a', 'invoice-b', 'invoice-a', 'invoice-c', 'invoice-a', 'invoice-b']) {
      const [e] = chainEvents(stream, appended[stream], [event(n++, { amount: 100 * n, invoiceId: stream })]);
      const r = await store.append(stream, appended[stream] === null ? 'no_stream' : appended[stream]!.revision, [e]);
      appended[stream] = { revision: r.nextRevision, hash: e.metadata.hash };
    }
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sql = (fn: (db: Database.Database) => void) => {
    const db = new Database(file());
    try { fn(db); } finally { db.close(); }
  };

  it('exports every stream head with a digest, and verifies an untouched log against it', async () => {
    const heads = await exportHeads(store, 2);
    expect(heads).toMatchObject({ format: 'ar-stream-heads/1', streams: 3, headPosition: await store.headPosition() });
    expect(heads.heads.map((h) => [h.streamId, h.revision])).toEqual([['invoice-a', 2], ['invoice-b', 1], ['invoice-c', 0]]);
    expect(parseHeadsFile(JSON.stringify(heads), 'heads.json')).toEqual(heads);
    expect(await verifyLog(store, heads.heads, { batchSize: 2 })).toEqual({ verified: true, events: 6, streams: 3, headsChecked: 3, firstBreak: null });
    expect(await verifyLog(store, null)).toMatchObject({ verified: true, headsChecked: null });
  });

  it('accepts events appended after the export', async () => {
    const heads = await exportHeads(store);
    const [last] = await store.readStream('invoice-c', { direction: 'backward', maxCount: 1 });
    const [e] = chainEvents('invoice-c', { revision: last.revision, hash: last.metadata.hash }, [event(99, { amount: 1 })]);
    await store.append('invoice-c', last.revision, [e]);
    expect((await verifyLog(store, heads.heads)).verified).toBe(true);
  });

  it('catches a deleted tail and a deleted stream that every chain alone accepts', async () => {
    const heads = await exportHeads(store);
    sql((db) => db.prepare("DELETE FROM events WHERE stream_id = 'invoice-a' AND revision = 2").run());
    expect((await verifyLog(store, null)).verified).toBe(true);
    expect((await verifyLog(store, heads.heads)).firstBreak).toEqual({ streamId: 'invoice-a', revision: 2, reason: 'truncated', position: null });
    sql((db) => db.prepare("DELETE FROM events WHERE stream_id = 'invoice-b'").run());
    expect((await verifyLog(store, heads.heads)).firstBreak).toMatchObject({ streamId: 'invoice-a', reason: 'truncated' });
    expect((await verifyLog(store, heads.heads.filter((h) => h.streamId !== 'invoice-a'))).firstBreak).toEqual({ streamId: 'invoice-b', revision: 0, reason: 'stream_missing', position: null });
  });

  it('catches an event rewritten with its hash recomputed, at its position', async () => {
    const heads = await exportHeads(store);
    sql((db) => {
      const row = db.prepare("SELECT position, event_id AS id, type, data, metadata FROM events WHERE stream_id = 'invoice-c' AND revision = 0").get() as { position: number; id: string; type: string; data: string; metadata: string };
      const data = { ...JSON.parse(row.data), amount: 1 };
      const metadata = JSON.parse(row.metadata);
      metadata.hash = eventHash('invoice-c', 0, { id: row.id, type: row.type, data, metadata });
      db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(JSON.stringify(data), JSON.stringify(metadata), row.position);
    });
    expect((await verifyLog(store, null)).verified).toBe(true);
    const head = heads.heads.find((h) => h.streamId === 'invoice-c')!;
    expect((await verifyLog(store, heads.heads)).firstBreak).toEqual({ streamId: 'invoice-c', revision: 0, reason: 'anchor_mismatch', position: head.position });
  });

  it('reports a broken chain first, where it is in the log', async () => {
    sql((db) => db.prepare("UPDATE events SET data = json_set(data, '$.amount', 7) WHERE stream_id = 'invoice-b' AND revision = 0").run());
    const v = await verifyLog(store, null);
    expect(v).toMatchObject({ verified: false, events: 1, firstBreak: { streamId: 'invoice-b', revision: 0, reason: 'hash_mismatch' } });
  });

  it('refuses a heads file that is not one, or whose heads were edited', async () => {
    const heads = await exportHeads(store);
    expect(() => parseHeadsFile('{', 'h.json')).toThrow(expect.objectContaining({ code: 'HEADS_FILE_INVALID', kind: 'invalid' }));
    expect(() => parseHeadsFile('{"format":"other"}', 'h.json')).toThrow(/not a ar-stream-heads\/1 file/);
    const edited = { ...heads, heads: heads.heads.map((h) => (h.streamId === 'invoice-a' ? { ...h, revision: 1 } : h)) };
    expect(() => parseHeadsFile(JSON.stringify(edited), 'h.json')).toThrow(/digest does not match/);
  });
});
