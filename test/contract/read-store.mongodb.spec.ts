import { MongoClient } from 'mongodb';
import { MongoReadStore } from '../../libs/read-store/adapters/mongodb/mongodb-read-store';
import { describeReadStoreContract } from './read-store.contract';
import { describeListContract } from './read-store.lists.contract';

/** Runs against a real MongoDB only when MONGODB_URI is set; otherwise reported as skipped, never faked. */
const uri = process.env.MONGODB_URI;
let seq = 0;

if (uri) {
  const mongoFixture = async () => {
    const database = `ar_read_store_test_${process.pid}_${Date.now()}_${seq++}`;
    const store = new MongoReadStore({ uri, database });
    return {
      store,
      dispose: async () => {
        await store.close();
        const client = await MongoClient.connect(uri);
        await client.db(database).dropDatabase();
        await client.close();
      },
    };
  };
  describeReadStoreContract('mongodb', mongoFixture);
  describeListContract('mongodb', mongoFixture);
} else {
  describe.skip('ReadStore contract: mongodb (set MONGODB_URI to run)', () => {
    it('runs the shared read-store contract', () => undefined);
    it('runs the shared list-semantics contract', () => undefined);
  });
}
