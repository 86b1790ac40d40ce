import { MongoClient } from 'mongodb';
import { MongoKeyStore } from '../../libs/identity/adapters/mongodb/mongodb-key-store';
import { describeKeyStoreContract } from './key-store.contract';

/** Runs against a real MongoDB only when MONGODB_URI is set; otherwise reported as skipped, never faked. */
const uri = process.env.MONGODB_URI;

if (uri) {
  describeKeyStoreContract('mongodb', async () => {
    const database = `ar_key_store_test_${process.pid}_${Date.now()}`;
    return {
      store: new MongoKeyStore({ uri, database }),
      reopen: async () => new MongoKeyStore({ uri, database }),
      dispose: async () => {
        const client = await MongoClient.connect(uri);
        await client.db(database).dropDatabase();
        await client.close();
      },
    };
  });
} else {
  describe.skip('KeyStore contract: mongodb (set MONGODB_URI to run)', () => {
    it('runs the shared key-store contract', () => undefined);
  });
}
