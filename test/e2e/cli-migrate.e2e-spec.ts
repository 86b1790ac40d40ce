import Database from 'better-sqlite3';
import { runAr } from '../support/cli';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import type { StoredEvent } from '../../libs/event-store/event-store.port';
import { startApi, type Harness } from '../support/api-harness';


const ar = (dataDir: string, ...argv: string[]) => runAr({ AR_DATA_DIR: dataDir, AR_READ_WAIT_MS: '5000', AR_DUNNING_SCHEDULE: 'off', AR_CREDIT_HOLD_SCHEDULE: 'off' }, argv);

async function allEvents(path: string): Promise<StoredEvent[]> {
  const store = new SqliteEventStore({ path, readonly: true });
  try {
    return await store.readAll(-1, 1_000_000);
  } finally {
    await store.close();
  }
}

/** What must survive a migration: ids, streams, revisions, types, data, metadata (hashes), and the global order. */
const essence = (events: StoredEvent[]) => events.map((e) => ({ id: e.id, streamId: e.streamId, revision: e.revision, type: e.type, data: e.data, metadata: e.metadata }));

/**
 * `ar migrate` from the embedded log to another store, through the same code path as to EventStoreDB (ADR 0067):
 * here the target is `sqlite:<dir>`. Interrupted by a failure injected in the target, then resumed.
 */
describe('ar migrate --to sqlite:<dir>', () => {
  let h: Harness;
  const scratch = mkdtempSync(join(tmpdir(), 'ar-migrate-'));
  const target = join(scratch, 'target');
  beforeAll(async () => {
    h = await startApi();
    for (let i = 0; i < 12; i++) {
      await h.http().post('/customers').send({ id: `m-${i}`, name: `Migrated ${i}`, currency: 'EUR', creditLimit: '5000.00' }).expect(201);
    }
    for (let i = 0; i < 6; i++) {
      await h.http().post('/invoices').send({ id: `inv-${i}`, customerId: `m-${i % 3}`, issueDate: '2026-03-02', lines: [{ description: 'Service', quantity: '1', unitPrice: '100.00', taxRate: '0.20' }] }).expect(201);
    }
    await h.app.close();
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('refuses a target it does not know, and an EventStoreDB target without a read store', async () => {
    const bad = await ar(h.dataDir, 'migrate', '--to', 'postgres://x');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--to must be esdb://…, kurrentdb://… or sqlite:<dir>');
    const esdb = await ar(h.dataDir, 'migrate', '--to', 'esdb://admin:secret@localhost:2113?tls=false');
    expect(esdb.code).toBe(2);
    expect(esdb.err).toContain('needs --read-store');
    expect(esdb.err).not.toContain('secret');
  });

  it('stops where the target fails, then a second run resumes and finishes, verified against the source', async () => {
    const source = await allEvents(join(h.dataDir, 'events.sqlite'));
    expect(source.length).toBeGreaterThan(22);
    // The target exists with the schema and a trigger that refuses the 20th event of the log: a failure mid-way.
    mkdirSync(target, { mode: 0o700 });
    await new SqliteEventStore({ path: join(target, 'events.sqlite') }).close();
    const db = new Database(join(target, 'events.sqlite'));
    db.exec(`CREATE TRIGGER injected_failure BEFORE INSERT ON events WHEN NEW.event_id = '${source[19].id}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    db.close();

    const first = await ar(h.dataDir, 'migrate', '--to', `sqlite:${target}`, '--batch-size', '7');
    expect(first.code).toBe(1);
    expect(first.err).toContain('injected failure');
    const partial = await allEvents(join(target, 'events.sqlite'));
    // Batches of 7: the first two (14 events) were checkpointed; in the third the appends before the 20th went in.
    expect(partial.length).toBeGreaterThanOrEqual(14);
    expect(partial.length).toBeLessThan(source.length);
    expect(essence(partial)).toEqual(essence(source.slice(0, partial.length)));
    expect(readdirSync(join(h.dataDir, 'migrations'))).toHaveLength(1);

    const fix = new Database(join(target, 'events.sqlite'));
    fix.exec('DROP TRIGGER injected_failure');
    fix.close();
    const second = await ar(h.dataDir, 'migrate', '--to', `sqlite:${target}`, '--batch-size', '7');
    expect(second.err).toMatch(/resumed after position 14: copied \d+ events to sqlite:.* \([1-6] already there\)/);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(new RegExp(`verified ${source.length} events in \\d+ streams, \\d+ heads matched the source's`));
    expect(essence(await allEvents(join(target, 'events.sqlite')))).toEqual(essence(source));
  });

  it('is idempotent: a third run copies nothing and verifies again', async () => {
    const again = await ar(h.dataDir, 'migrate', '--to', `sqlite:${target}`);
    expect(again.code).toBe(0);
    expect(again.err).toMatch(/resumed after position \d+: copied 0 events .* \(0 already there\)/);
    expect((await allEvents(join(target, 'events.sqlite'))).length).toBe((await allEvents(join(h.dataDir, 'events.sqlite'))).length);
  });

  it('leaves a target that ar verify --heads accepts with the source\'s heads, and an API that serves it', async () => {
    const heads = join(scratch, 'source-heads.json');
    const exported = await ar(h.dataDir, 'export', 'heads', '--output', heads);
    expect(exported.code).toBe(0);
    const verified = await ar(target, 'verify', '--heads', heads);
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/heads matched/);
    const api = await startApi(target);
    try {
      // Read models were rebuilt there; API keys came along (the harness's admin key is the migrated one).
      const balance = await api.http().get('/customers/m-1/balance').expect(200);
      expect(balance.headers['x-read-model-consistency']).toBe('fresh');
      const status = await api.http().get('/projections').expect(200);
      for (const p of status.body.projections) expect(p.lag).toBe(0);
    } finally {
      await api.app.close();
    }
  });

  it('refuses to copy into a target whose streams differ from the source', async () => {
    const other = join(scratch, 'other');
    mkdirSync(other, { mode: 0o700 });
    const source = await allEvents(join(h.dataDir, 'events.sqlite'));
    const store = new SqliteEventStore({ path: join(other, 'events.sqlite') });
    const first = source[0];
    await store.append(first.streamId, 'no_stream', [{ id: 'someone-else', type: first.type, data: first.data, metadata: first.metadata }]);
    await store.close();
    const r = await ar(h.dataDir, 'migrate', '--to', `sqlite:${other}`);
    expect(r.code).toBe(5);
    expect(r.err).toContain('MIGRATION_TARGET_DIVERGES');
    expect(existsSync(join(other, 'read-models.sqlite'))).toBe(false);
    writeFileSync(join(scratch, 'done'), '');
  });
});
