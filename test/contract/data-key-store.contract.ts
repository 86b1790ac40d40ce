import { DATA_KEY_BYTES, newDataKey, open, seal } from '../../libs/privacy/cipher';
import { KeyDestroyedError, type DataKeyStore } from '../../libs/privacy/data-key-store.port';

/** One contract for every data-key store (ADR 0082): memory and SQLite always, MongoDB with MONGODB_URI. */
export function describeDataKeyStoreContract(name: string, start: () => Promise<{ store: DataKeyStore; reopen?: () => Promise<DataKeyStore>; dispose: () => Promise<void> }>): void {
  describe(`DataKeyStore contract: ${name}`, () => {
    let store: DataKeyStore;
    let reopen: (() => Promise<DataKeyStore>) | undefined;
    let dispose: () => Promise<void>;
    beforeAll(async () => { ({ store, reopen, dispose } = await start()); });
    afterAll(async () => { await store.close(); await dispose(); });

    it('has no key for an unknown customer (missing, not destroyed)', async () => {
      expect(await store.get('nobody')).toBeNull();
    });

    it('keeps the first key created: a second candidate gets the key in force, which opens what the first sealed', async () => {
      const first = newDataKey();
      const kept = await store.create('c1', first, '2026-12-01T10:00:00.000Z');
      expect(kept.equals(first)).toBe(true);
      const again = await store.create('c1', newDataKey(), '2026-12-01T10:00:01.000Z');
      expect(again.equals(first)).toBe(true);
      const got = await store.get('c1');
      expect(got).toMatchObject({ status: 'active', createdAt: '2026-12-01T10:00:00.000Z' });
      expect(got?.status === 'active' && got.key.length).toBe(DATA_KEY_BYTES);
      expect(open(got!.status === 'active' ? got!.key : Buffer.alloc(0), seal(first, 'c1', 'Dupont SARL'))).toBe('Dupont SARL');
    });

    it('destroys a key for good: a tombstone with its date, no key; destroying again keeps the first date; no new key after', async () => {
      await store.create('c2', newDataKey(), '2026-12-01T10:00:00.000Z');
      await store.destroy('c2', '2026-12-02T09:00:00.000Z');
      await store.destroy('c2', '2026-12-03T09:00:00.000Z');
      expect(await store.get('c2')).toEqual({ status: 'destroyed', destroyedAt: '2026-12-02T09:00:00.000Z' });
      await expect(store.create('c2', newDataKey(), '2026-12-04T09:00:00.000Z')).rejects.toBeInstanceOf(KeyDestroyedError);
      // A customer erased before any key was made (nothing sealed yet) gets the tombstone too.
      await store.destroy('c3', '2026-12-02T09:00:00.000Z');
      expect(await store.get('c3')).toMatchObject({ status: 'destroyed' });
    });

    it('creates many keys at once, keeping a key in force and a tombstone as they are', async () => {
      const existing = newDataKey();
      await store.create('m1', existing, '2026-12-01T10:00:00.000Z');
      await store.destroy('m2', '2026-12-01T10:00:00.000Z');
      const fresh = newDataKey();
      await store.createMany([{ id: 'm1', key: newDataKey() }, { id: 'm2', key: newDataKey() }, { id: 'bankentry~m3', key: fresh }], '2026-12-02T10:00:00.000Z');
      expect(await store.get('m1')).toMatchObject({ status: 'active', key: existing, createdAt: '2026-12-01T10:00:00.000Z' });
      expect(await store.get('m2')).toMatchObject({ status: 'destroyed' });
      expect(await store.get('bankentry~m3')).toMatchObject({ status: 'active', key: fresh, createdAt: '2026-12-02T10:00:00.000Z' });
      await store.createMany([], '2026-12-02T10:00:00.000Z');
    });

    it('keeps keys and tombstones across a reopen', async () => {
      if (!reopen) return;
      const other = await reopen();
      try {
        expect(await other.get('c1')).toMatchObject({ status: 'active' });
        expect(await other.get('c2')).toMatchObject({ status: 'destroyed' });
      } finally {
        await other.close();
      }
    });
  });
}
