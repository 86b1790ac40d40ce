import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteKeyStore } from './sqlite-key-store';

describe('SqliteKeyStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-keys-'));
  const path = join(dir, 'api-keys.sqlite');
  let store: SqliteKeyStore;
  beforeAll(() => { store = new SqliteKeyStore(path); });
  afterAll(async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); });

  const key = (id: string, name: string) => ({ id, name, role: 'clerk' as const, actOnBehalf: false, createdAt: '2026-12-01T10:00:00.000Z', createdBy: 'admin' });

  it('keeps keys by hash in a file only its owner can read', async () => {
    await store.insert(key('k1', 'billing'), 'h1');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await store.findByHash('h1')).toMatchObject({ id: 'k1', name: 'billing', role: 'clerk', revokedAt: null, lastUsedAt: null });
    expect(await store.findByHash('h2')).toBeNull();
  });

  it('refuses a second active key of the same name, and allows the name again once the first is revoked', async () => {
    await expect(store.insert(key('k2', 'billing'), 'h2')).rejects.toMatchObject({ code: 'KEY_NAME_TAKEN', kind: 'conflict' });
    expect(await store.revoke('k1', '2026-12-01T11:00:00.000Z')).toBe(true);
    expect(await store.revoke('k1', '2026-12-01T12:00:00.000Z')).toBe(true);
    expect((await store.get('k1'))!.revokedAt).toBe('2026-12-01T11:00:00.000Z'); // the first revocation stands
    await store.insert(key('k2', 'billing'), 'h2');
    expect(await store.revoke('nope', '2026-12-01T12:00:00.000Z')).toBe(false);
  });

  it('records last use, lists every key, and survives a reopen', async () => {
    await store.touch('k2', '2026-12-01T13:00:00.000Z');
    await store.close();
    store = new SqliteKeyStore(path);
    expect((await store.list()).map((k) => [k.id, k.revokedAt !== null, k.lastUsedAt])).toEqual([['k1', true, null], ['k2', false, '2026-12-01T13:00:00.000Z']]);
    await store.remove('k2');
    expect(await store.get('k2')).toBeNull();
  });
});
