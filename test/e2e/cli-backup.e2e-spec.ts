import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { runAr } from '../support/cli';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type Harness } from '../support/api-harness';


const ar = (dataDir: string, ...argv: string[]) => runAr({ AR_DATA_DIR: dataDir, AR_READ_WAIT_MS: '5000', AR_DUNNING_SCHEDULE: 'off', AR_CREDIT_HOLD_SCHEDULE: 'off' }, argv);

/** `ar backup` while the API writes, `ar restore`, and `ar verify --heads` on the restored copy (ADR 0068). */
describe('ar backup / ar restore', () => {
  let h: Harness;
  const scratch = mkdtempSync(join(tmpdir(), 'ar-backup-'));
  const backup = join(scratch, 'backup-1');
  let acknowledged = 0;
  beforeAll(async () => { h = await startApi(); });
  afterAll(async () => {
    await h.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('backs up online while the API keeps acknowledging writes', async () => {
    for (let i = 0; i < 20; i++) await h.http().post('/customers').send({ id: `b-${i}`, name: `Backup ${i}`, currency: 'EUR', creditLimit: '100.00' }).expect(201);
    acknowledged = 20;
    let writing = true;
    const writer = (async () => {
      for (let i = 20; writing; i++) {
        const res = await h.http().post('/customers').send({ id: `b-${i}`, name: `Backup ${i}`, currency: 'EUR', creditLimit: '100.00' });
        expect(res.status).toBe(201);
        acknowledged++;
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    const r = await ar(h.dataDir, 'backup', backup, '--json');
    writing = false;
    await writer;
    expect(r.err).toContain('backed up events.sqlite');
    expect(r.code).toBe(0);
    const manifest = JSON.parse(r.out);
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual(['events.sqlite', 'read-models.sqlite', 'api-keys.sqlite', 'idempotency.sqlite', 'data-keys.sqlite']);
    for (const f of manifest.files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The 20 acknowledged before the backup began are in it (one credit stream each), plus the key's stream.
    const heads = JSON.parse(readFileSync(join(backup, 'heads.json'), 'utf8'));
    expect(heads.streams).toBeGreaterThanOrEqual(21);
    expect(manifest.heads).toMatchObject({ streams: heads.streams, digest: heads.digest });
    expect(existsSync(`${backup}.partial`)).toBe(false);
    expect(acknowledged).toBeGreaterThan(20);
  });

  it('restores into an empty data directory, and ar verify --heads verifies the copy', async () => {
    const restored = join(scratch, 'restored');
    const r = await ar(restored, 'restore', backup);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/verified \d+ events in \d+ streams, \d+ heads matched/);
    const v = await ar(restored, 'verify', '--heads', join(backup, 'heads.json'));
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^verified \d+ events in \d+ streams, \d+ heads matched/);
    // The live log went on after the backup: it still holds every head the backup recorded.
    const live = await ar(h.dataDir, 'verify', '--heads', join(backup, 'heads.json'));
    expect(live.code).toBe(0);
    // The restored instance serves the data: the balance of a customer from before the backup.
    const again = await startApi(restored);
    try {
      await again.http().get('/customers/b-3/balance').expect(200);
    } finally {
      await again.app.close();
    }
  });

  it('refuses to replace a log without --force, and moves the old files aside with it', async () => {
    const target = join(scratch, 'restored');
    const refused = await ar(target, 'restore', backup);
    expect(refused.code).toBe(5);
    expect(refused.err).toContain('RESTORE_WOULD_REPLACE');
    const forced = await ar(target, 'restore', backup, '--force');
    expect(forced.code).toBe(0);
    expect(forced.err).toMatch(/moved the previous files aside to .*pre-restore-/);
    const aside = readdirSync(target).find((n) => n.startsWith('pre-restore-'))!;
    expect(readdirSync(join(target, aside))).toContain('events.sqlite');
  });

  it('refuses a damaged backup before touching the data directory', async () => {
    const fd = openSync(join(backup, 'events.sqlite'), 'r+');
    writeSync(fd, Buffer.from('X'), 0, 1, 5000);
    closeSync(fd);
    const target = join(scratch, 'from-damaged');
    const r = await ar(target, 'restore', backup);
    expect(r.code).toBe(5);
    expect(r.err).toMatch(/BACKUP_INVALID: .*events\.sqlite does not match its sha-256/);
    expect(existsSync(join(target, 'events.sqlite'))).toBe(false);
  });

  it('refuses to back up into an existing directory', async () => {
    const r = await ar(h.dataDir, 'backup', backup);
    expect(r.code).toBe(5);
    expect(r.err).toContain('BACKUP_EXISTS');
  });
});
