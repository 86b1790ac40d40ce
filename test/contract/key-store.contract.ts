import type { KeyStore } from '../../libs/identity/key-store.port';

/** One contract for every key-store adapter (ADR 0040): run on SQLite always, on MongoDB with MONGODB_URI. */
export function describeKeyStoreContract(name: string, open: () => Promise<{ store: KeyStore; reopen?: () => Promise<KeyStore>; dispose: () => Promise<void> }>): void {
  describe(`KeyStore contract: ${name}`, () => {
    let store: KeyStore;
    let reopen: (() => Promise<KeyStore>) | undefined;
    let dispose: () => Promise<void>;
    beforeAll(async () => { ({ store, reopen, dispose } = await open()); });
    afterAll(async () => { await store.close(); await dispose(); });

    const key = (id: string, keyName: string, createdAt = '2026-12-01T10:00:00.000Z') => ({ id, name: keyName, role: 'clerk' as const, actOnBehalf: false, createdAt, createdBy: 'admin' });

    it('finds a key by its hash only', async () => {
      await store.insert(key('k1', 'billing'), 'h1');
      expect(await store.findByHash('h1')).toMatchObject({ id: 'k1', name: 'billing', role: 'clerk', actOnBehalf: false, revokedAt: null, lastUsedAt: null });
      expect(await store.findByHash('h2')).toBeNull();
      expect(await store.get('k1')).toMatchObject({ id: 'k1' });
    });

    it('refuses a second active key of the same name, and allows the name again once the first is revoked', async () => {
      await expect(store.insert(key('k2', 'billing', '2026-12-01T10:00:01.000Z'), 'h2')).rejects.toMatchObject({ code: 'KEY_NAME_TAKEN', kind: 'conflict' });
      expect(await store.revoke('k1', '2026-12-01T11:00:00.000Z')).toBe(true);
      expect(await store.revoke('k1', '2026-12-01T12:00:00.000Z')).toBe(true);
      expect((await store.get('k1'))!.revokedAt).toBe('2026-12-01T11:00:00.000Z'); // the first revocation stands
      await store.insert(key('k2', 'billing', '2026-12-01T10:00:01.000Z'), 'h2');
      expect(await store.revoke('nope', '2026-12-01T12:00:00.000Z')).toBe(false);
    });

    it('records last use, lists every key in creation order, and removes one', async () => {
      await store.touch('k2', '2026-12-01T13:00:00.000Z');
      if (reopen) {
        await store.close();
        store = await reopen();
      }
      expect((await store.list()).map((k) => [k.id, k.revokedAt !== null, k.lastUsedAt])).toEqual([['k1', true, null], ['k2', false, '2026-12-01T13:00:00.000Z']]);
      await store.remove('k2');
      expect(await store.get('k2')).toBeNull();
    });
  });
}
