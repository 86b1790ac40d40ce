import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteKeyStore } from '../../libs/identity/adapters/sqlite/sqlite-key-store';
import { describeKeyStoreContract } from './key-store.contract';

describeKeyStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-keys-'));
  const path = join(dir, 'api-keys.sqlite');
  return {
    store: new SqliteKeyStore(path),
    reopen: async () => new SqliteKeyStore(path),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('SqliteKeyStore file', () => {
  it('is readable by its owner only (0600)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ar-keys-mode-'));
    const store = new SqliteKeyStore(join(dir, 'api-keys.sqlite'));
    try {
      expect(statSync(join(dir, 'api-keys.sqlite')).mode & 0o777).toBe(0o600);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Keys found are answered from memory (ADR 0094): the API and the CLI hold two connections to the same file, so a
 * key verified by one and then revoked, removed or touched through the other must be read again at the next lookup.
 */
describe('SqliteKeyStore, keys found kept in memory', () => {
  const key = (id: string, name: string) => ({ id, name, role: 'clerk' as const, actOnBehalf: false, createdAt: '2026-12-01T10:00:00.000Z', createdBy: 'admin' });
  let dir: string;
  let api: SqliteKeyStore;
  let cli: SqliteKeyStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ar-keys-cache-'));
    api = new SqliteKeyStore(join(dir, 'api-keys.sqlite'));
    cli = new SqliteKeyStore(join(dir, 'api-keys.sqlite'));
  });
  afterEach(async () => {
    await api.close();
    await cli.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a key verified by the API, when the CLI revokes it, then the next lookup by the API finds it revoked', async () => {
    await api.insert(key('k1', 'billing'), 'h1');
    expect((await api.findByHash('h1'))!.revokedAt).toBeNull();
    expect((await api.findByHash('h1'))!.revokedAt).toBeNull();
    await cli.revoke('k1', '2026-12-01T11:00:00.000Z');
    expect((await api.findByHash('h1'))!.revokedAt).toBe('2026-12-01T11:00:00.000Z');
  });

  it('given a key verified by the API, when the CLI removes it, then the API no longer finds it', async () => {
    await cli.insert(key('k1', 'billing'), 'h1');
    expect(await api.findByHash('h1')).toMatchObject({ id: 'k1' });
    await cli.remove('k1');
    expect(await api.findByHash('h1')).toBeNull();
  });

  it('given a key verified, when the same connection revokes or touches it, then the next lookup shows the change', async () => {
    await api.insert(key('k1', 'billing'), 'h1');
    expect((await api.findByHash('h1'))!.lastUsedAt).toBeNull();
    await api.touch('k1', '2026-12-01T10:30:00.000Z');
    expect((await api.findByHash('h1'))!.lastUsedAt).toBe('2026-12-01T10:30:00.000Z');
    await api.revoke('k1', '2026-12-01T11:00:00.000Z');
    expect((await api.findByHash('h1'))!.revokedAt).toBe('2026-12-01T11:00:00.000Z');
  });

  it('given a key the API did not know, when the CLI creates it, then the API finds it at once', async () => {
    expect(await api.findByHash('h2')).toBeNull();
    await cli.insert(key('k2', 'collector'), 'h2');
    expect(await api.findByHash('h2')).toMatchObject({ id: 'k2', name: 'collector' });
  });

  it('given a record returned, when the caller changes it, then the next lookup is unaffected', async () => {
    await api.insert(key('k1', 'billing'), 'h1');
    const first = (await api.findByHash('h1'))!;
    (first as { revokedAt: string | null }).revokedAt = 'tampered';
    expect((await api.findByHash('h1'))!.revokedAt).toBeNull();
  });
});
