import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../event-store/adapters/sqlite/sqlite-event-store';
import type { EventStore, StoredEvent } from '../event-store/event-store.port';
import { chainEvents } from '../event-store/hash-chain';
import { checkMigration, copyLog, type MigrationCheckpoint } from './migration';

/** copyLog and checkMigration over the port (ADR 0067): the sequential path (EventStoreDB's) and the atomic one. */
describe('migration of the log', () => {
  let dir: string;
  let source: SqliteEventStore;
  const open: SqliteEventStore[] = [];
  const store = (name: string) => { const s = new SqliteEventStore({ path: join(dir, `${name}.sqlite`) }); open.push(s); return s; };
  const essence = (events: StoredEvent[]) => events.map((e) => [e.streamId, e.revision, e.id, e.metadata.hash]);
  const all = (s: EventStore) => s.readAll(-1, 100_000);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ar-migration-'));
    source = store('source');
    // Streams interleaved as commands interleave them: a, b, a, a, c, b … (a run of one stream, then another).
    const plan = ['a', 'b', 'a', 'a', 'c', 'b', 'a', 'c', 'c', 'b'];
    const last = new Map<string, { revision: number; hash: string }>();
    for (const [i, s] of plan.entries()) {
      const [e] = chainEvents(`s-${s}`, last.get(s) ?? null, [{ id: `e-${i}`, type: 'Noted', data: { i }, metadata: { actor: 't', recordedAt: '2026-01-01T00:00:00.000Z', commandId: `c${i}`, correlationId: `c${i}`, causationId: `c${i}`, schemaVersion: 1 } }]);
      await source.append(`s-${s}`, last.has(s) ? last.get(s)!.revision : 'no_stream', [e]);
      last.set(s, { revision: (last.get(s)?.revision ?? -1) + 1, hash: e.metadata.hash });
    }
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const atomicBatches of [false, true]) {
    it(`copies in order with ids and hashes, in batches that split streams (${atomicBatches ? 'atomic appendMany' : 'one append after another'})`, async () => {
      const target = store(`target-${atomicBatches}`);
      const saved: MigrationCheckpoint[] = [];
      const r = await copyLog(source, target, { batchSize: 3, atomicBatches, targetName: 't', checkpoint: { load: () => null, save: (c) => saved.push(c) } });
      expect(r).toMatchObject({ copied: 10, skipped: 0, resumedAfter: -1 });
      expect(essence(await all(target))).toEqual(essence(await all(source)));
      // One checkpoint per batch of 3: after the 3rd, 6th, 9th and 10th events.
      expect(saved.map((c) => c.copied)).toEqual([3, 6, 9, 10]);
      expect((await checkMigration(source, target)).verified).toBe(true);
    });
  }

  it('resumes from a checkpoint that is behind what the target holds: checks and skips, copies the rest', async () => {
    const target = store('target');
    await copyLog(source, target, { batchSize: 4, targetName: 't' });
    const sourceEvents = await all(source);
    // A checkpoint two batches stale: everything after position of event 2 is re-read and found in place.
    const stale: MigrationCheckpoint = { format: 'ar-migration/1', target: 't', afterPosition: sourceEvents[1].position, copied: 2, updatedAt: '2026-01-01T00:00:00.000Z' };
    const r = await copyLog(source, target, { batchSize: 4, targetName: 't', checkpoint: { load: () => stale, save: () => undefined } });
    expect(r).toMatchObject({ copied: 0, skipped: 8, resumedAfter: sourceEvents[1].position });
    expect(essence(await all(target))).toEqual(essence(sourceEvents));
  });

  it('finds a target with more events than the source unverified', async () => {
    const target = store('target');
    await copyLog(source, target, { targetName: 't' });
    const [extra] = chainEvents('s-z', null, [{ id: 'stray', type: 'Noted', data: {}, metadata: { actor: 't', recordedAt: '2026-01-01T00:00:00.000Z', commandId: 'x', correlationId: 'x', causationId: 'x', schemaVersion: 1 } }]);
    await target.append('s-z', 'no_stream', [extra]);
    const check = await checkMigration(source, target);
    expect(check).toMatchObject({ verified: false, sourceEvents: 10, targetEvents: 11, sourceStreams: 3, targetStreams: 4 });
  });

  it('refuses a target stream holding another event at a revision', async () => {
    const target = store('target');
    const [first] = await source.readStream('s-a');
    await target.append('s-a', 'no_stream', [{ id: 'other', type: first.type, data: first.data, metadata: first.metadata }]);
    await expect(copyLog(source, target, { targetName: 't' })).rejects.toMatchObject({ code: 'MIGRATION_TARGET_DIVERGES', details: { streamId: 's-a', revision: 0 } });
  });
});
