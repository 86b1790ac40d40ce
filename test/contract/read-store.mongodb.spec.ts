import { MongoClient } from 'mongodb';
import { MongoReadStore } from '../../libs/read-store/adapters/mongodb/mongodb-read-store';
import { describeReadStoreContract } from './read-store.contract';
import { describeListContract } from './read-store.lists.contract';

/** Runs against a real MongoDB only when MONGODB_URI is set; otherwise reported as skipped, never faked. */
const uri = process.env.MONGODB_URI;
let seq = 0;

if (uri) {
  for (const transactions of ['auto', 'never'] as const) {
    describeReadStoreContract(`mongodb (transactions: ${transactions})`, async () => {
      const database = `ar_read_store_test_${process.pid}_${Date.now()}_${seq++}`;
      let fault = false;
      const store = new MongoReadStore({
        uri, database, transactions,
        betweenWrites: () => {
          if (!fault) return;
          fault = false;
          throw new Error('injected fault between the documents and the checkpoint');
        },
      });
      const admin = await MongoClient.connect(uri);
      return {
        store,
        armFaultBetweenWrites: () => { fault = true; },
        transactional: () => store.isTransactional(),
        createForeignIndex: async (collection, fields) => {
          const keys: Record<string, 1> = {};
          for (const f of fields) keys[f] = 1;
          await admin.db(database).collection(collection).createIndex(keys, { name: `by_hand_${fields.join('_')}` });
        },
        legacyCheckpoint: {
          // Before the store's first checkpoint read, at which it migrates what an earlier version left.
          write: async (projection, position, at) => {
            await admin.db(database).collection<{ _id: string; position: number; updatedAt: string }>('_checkpoints').insertOne({ _id: projection, position, updatedAt: at });
          },
          stored: async (projection) => (await admin.db(database).collection<{ _id: string; position: unknown }>('_checkpoints').findOne({ _id: projection }))?.position,
        },
        dispose: async () => {
          await store.close();
          await admin.db(database).dropDatabase();
          await admin.close();
        },
      };
    }, { writesApart: true, legacyCheckpoints: true });
  }
  // The list semantics (ADR 0069) on the same store.
  describeListContract('mongodb', async () => {
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
  });
} else {
  describe.skip('ReadStore contract: mongodb (set MONGODB_URI to run)', () => {
    it('runs the shared read-store contract', () => undefined);
    it('runs the shared list-semantics contract', () => undefined);
  });
}
