import { Binary, MongoClient, type Collection } from 'mongodb';
import { KeyDestroyedError, type DataKey, type DataKeyStore } from '../../data-key-store.port';

export interface MongoDataKeyStoreOptions {
  uri: string;
  /** Its own database, not the read models' (which may be dropped and rebuilt). */
  database: string;
}

interface KeyDoc { _id: string; key: Binary | null; createdAt: string; destroyedAt: string | null }

/**
 * Data keys in MongoDB (with the Mongo read store, so that every API instance shares them): collection
 * `data_keys`, `_id` = customer id. Destroying unsets the key; the WiredTiger files and the oplog keep old
 * versions until compaction and oplog rollover, which docs/security.md tells operators to bound. Thin, on the
 * official driver's typed API; its contract run needs MONGODB_URI (skipped otherwise).
 */
export class MongoDataKeyStore implements DataKeyStore {
  private readonly client: MongoClient;
  private readonly keys: Collection<KeyDoc>;

  constructor(options: MongoDataKeyStoreOptions) {
    this.client = new MongoClient(options.uri);
    this.keys = this.client.db(options.database).collection<KeyDoc>('data_keys');
  }

  async get(customerId: string): Promise<DataKey | null> {
    const d = await this.keys.findOne({ _id: customerId });
    if (!d) return null;
    if (d.destroyedAt !== null || d.key === null) return { status: 'destroyed', destroyedAt: d.destroyedAt ?? d.createdAt };
    return { status: 'active', key: Buffer.from(d.key.buffer), createdAt: d.createdAt };
  }

  async create(customerId: string, candidate: Buffer, at: string): Promise<Buffer> {
    // Insert-if-absent: the first writer's key wins, a concurrent one reads it back.
    await this.keys.updateOne({ _id: customerId }, { $setOnInsert: { key: new Binary(candidate), createdAt: at, destroyedAt: null } }, { upsert: true });
    const k = await this.get(customerId);
    if (k === null) throw new Error(`data key of ${customerId} not stored`);
    if (k.status === 'destroyed') throw new KeyDestroyedError(customerId, k.destroyedAt);
    return k.key;
  }

  async createMany(candidates: ReadonlyArray<{ id: string; key: Buffer }>, at: string): Promise<void> {
    if (candidates.length === 0) return;
    // Insert-if-absent for each, in one round trip; unordered, since each upsert stands alone.
    await this.keys.bulkWrite(candidates.map((c) => ({
      updateOne: { filter: { _id: c.id }, update: { $setOnInsert: { key: new Binary(c.key), createdAt: at, destroyedAt: null } }, upsert: true },
    })), { ordered: false });
  }

  async destroy(customerId: string, at: string): Promise<void> {
    await this.keys.updateOne({ _id: customerId }, { $set: { key: null }, $setOnInsert: { createdAt: at } }, { upsert: true });
    await this.keys.updateOne({ _id: customerId, destroyedAt: null }, { $set: { destroyedAt: at } });
    await this.keys.updateOne({ _id: customerId, destroyedAt: { $exists: false } }, { $set: { destroyedAt: at } });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
