import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { runAr } from '../support/cli';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandContext } from '../../libs/application/command-context';
import { EventSourcedRepository } from '../../libs/application/event-sourced-repository';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { startApi } from '../support/api-harness';

const ar = (dataDir: string, ...argv: string[]) => runAr({ AR_DATA_DIR: dataDir, AR_READ_WAIT_MS: '5000' }, argv);

/** `ar migrate pii` over a log written before encryption (ADR 0083), then the API on the new log. */
describe('ar migrate pii', () => {
  const root = mkdtempSync(join(tmpdir(), 'ar-pii-'));
  const oldDir = join(root, 'old');
  const newDir = join(root, 'new');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const NAME = 'Barnabé Quintavalle';
  const holds = (dir: string, needle: string) => readdirSync(dir).filter((f) => /\.sqlite/.test(f) && readFileSync(join(dir, f)).includes(Buffer.from(needle)));

  beforeAll(async () => {
    // The old engine's writes: personal data in clear under the hashes (no decrypting view wired).
    const { mkdirSync } = await import('node:fs');
    mkdirSync(oldDir, { recursive: true, mode: 0o700 });
    const store = new SqliteEventStore({ path: join(oldDir, 'events.sqlite') });
    const ctx: CommandContext = { actor: 'clerk.anna', recordedAt: '2025-01-05T10:00:00.000Z', commandId: 'reg-bq', correlationId: 'reg-bq', causationId: 'reg-bq' };
    await new EventSourcedRepository(store).append({ streamId: 'credit-bq', last: null }, [
      { type: 'CustomerRegistered', data: { customerId: 'bq', name: NAME, currency: 'EUR', creditLimit: 500_000, paymentTermsDays: 30 } },
      { type: 'CustomerDetailsChanged', data: { customerId: 'bq', reason: 'Registration', changes: { billingEmails: ['compta@quintavalle.example'], phone: '+33145678901' } } },
    ], ctx);
    await store.close();
  });

  it('writes the new log with the personal data sealed; both logs verify against their heads; the old one is untouched', async () => {
    expect(holds(oldDir, NAME).length).toBeGreaterThan(0);
    const r = await ar(oldDir, 'migrate', 'pii', '--to', newDir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Migrated 2 events in 1 streams .*; 2 events had personal data sealed/);
    for (const dir of [oldDir, newDir]) expect(existsSync(join(dir, 'pii-migration.json'))).toBe(true);
    const record = JSON.parse(readFileSync(join(newDir, 'pii-migration.json'), 'utf8'));
    expect(record.streams).toEqual([expect.objectContaining({ streamId: 'credit-bq', revision: 1, sealed: 2 })]);
    expect(record.streams[0].oldHash).not.toBe(record.streams[0].newHash);

    expect((await ar(oldDir, 'verify', '--heads', join(oldDir, 'pii-migration-heads-old.json'))).code).toBe(0);
    expect((await ar(newDir, 'verify', '--heads', join(newDir, 'pii-migration-heads-new.json'))).code).toBe(0);
    // Each heads file fits its own log only.
    expect((await ar(newDir, 'verify', '--heads', join(newDir, 'pii-migration-heads-old.json'))).code).toBe(3);
    expect(holds(newDir, NAME)).toEqual([]);
    expect(holds(oldDir, NAME).length).toBeGreaterThan(0);
    // Into a directory that already holds a log: refused.
    expect((await ar(oldDir, 'migrate', 'pii', '--to', newDir)).code).toBe(2);
  });

  it('the old log refuses an erasure (its clear data would stay); on the new log the API reads the profile and erases it', async () => {
    const old = await startApi(oldDir);
    try {
      const refused = await old.http().post('/customers/bq/erase').send({ reason: 'GDPR request' }).expect(409);
      expect(refused.body).toMatchObject({ code: 'PERSONAL_DATA_IN_CLEAR', details: { fields: ['CustomerRegistered.name', 'CustomerDetailsChanged.billingEmails', 'CustomerDetailsChanged.phone'] } });
    } finally {
      await old.close();
    }
    const h = await startApi(newDir);
    try {
      expect((await h.http().get('/customers/bq').expect(200)).body).toMatchObject({ name: NAME, contacts: { billingEmails: ['compta@quintavalle.example'], phone: '+33145678901' } });
      await h.http().post('/customers/bq/erase').send({ reason: 'GDPR request' }).expect(200);
      expect((await h.http().get('/customers/bq').expect(200)).body).toMatchObject({ name: '[erased]', erased: true });
      expect((await h.http().get('/customers/bq/history?verify=true').expect(200)).body.verification.verified).toBe(true);
      // `ar verify` after the erasure (the harness removes the directory on close): every chain, and every head the migration recorded, unchanged.
      const v = await ar(newDir, 'verify', '--heads', join(newDir, 'pii-migration-heads-new.json'));
      expect({ code: v.code, err: v.err }).toEqual({ code: 0, err: '' });
      expect(v.out).toMatch(/^verified \d+ events in \d+ streams, 1 heads matched/);
      expect(holds(newDir, NAME)).toEqual([]);
      // Nothing to redo: the erased customer's key is already gone.
      const again = await ar(newDir, 'privacy', 'reapply-erasures');
      expect(again).toMatchObject({ code: 0, out: '1 erased customer(s) in the log; 0 key(s) found again and destroyed\n' });
    } finally {
      await h.close();
    }
  });
});
