import { MongoClient } from 'mongodb';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryDataKeyStore } from '../../libs/privacy/adapters/memory/memory-data-key-store';
import { MongoDataKeyStore } from '../../libs/privacy/adapters/mongodb/mongodb-data-key-store';
import { SqliteDataKeyStore } from '../../libs/privacy/adapters/sqlite/sqlite-data-key-store';
import { newDataKey } from '../../libs/privacy/cipher';
import { describeDataKeyStoreContract } from './data-key-store.contract';

describeDataKeyStoreContract('memory', async () => ({ store: new MemoryDataKeyStore(), dispose: async () => undefined }));

describeDataKeyStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-data-keys-'));
  const path = join(dir, 'data-keys.sqlite');
  return { store: new SqliteDataKeyStore(path), reopen: async () => new SqliteDataKeyStore(path), dispose: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('SqliteDataKeyStore file', () => {
  it('is 0600, and once a key is destroyed its bytes are in neither the database nor its WAL (secure_delete, TRUNCATE checkpoint)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ar-data-keys-shred-'));
    const store = new SqliteDataKeyStore(join(dir, 'data-keys.sqlite'));
    try {
      expect(statSync(join(dir, 'data-keys.sqlite')).mode & 0o777).toBe(0o600);
      const key = newDataKey();
      await store.create('c1', key, '2026-12-01T10:00:00.000Z');
      const holds = () => readdirSync(dir).some((f) => readFileSync(join(dir, f)).includes(key));
      expect(holds()).toBe(true);
      await store.destroy('c1', '2026-12-02T10:00:00.000Z');
      expect(holds()).toBe(false);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Against a real MongoDB only when MONGODB_URI is set; otherwise reported as skipped, never faked. */
const uri = process.env.MONGODB_URI;
if (uri) {
  describeDataKeyStoreContract('mongodb', async () => {
    const database = `ar_data_keys_test_${process.pid}_${Date.now()}`;
    return {
      store: new MongoDataKeyStore({ uri, database }),
      reopen: async () => new MongoDataKeyStore({ uri, database }),
      dispose: async () => {
        const client = await MongoClient.connect(uri);
        await client.db(database).dropDatabase();
        await client.close();
      },
    };
  });
} else {
  describe.skip('DataKeyStore contract: mongodb (set MONGODB_URI to run)', () => {
    it('runs the shared data-key-store contract', () => undefined);
  });
}
