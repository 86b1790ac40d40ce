import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { DomainError } from '../../../domain/shared/errors';
import type { ApiKeyRecord, KeyStore } from '../../key-store.port';
import type { Role } from '../../permissions';

export interface MongoKeyStoreOptions {
  uri: string;
  /** Its own database, not the read models' (which may be dropped and rebuilt). */
  database: string;
}

interface KeyDoc {
  _id: string;
  name: string;
  role: string;
  actOnBehalf: boolean;
  hash: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** The name while the key is active, absent once revoked: a partial unique index keeps active names unique. */
  activeName?: string;
}

const DUPLICATE_KEY = 11000;

const toRecord = (d: KeyDoc): ApiKeyRecord => ({
  id: d._id, name: d.name, role: d.role as Role, actOnBehalf: d.actOnBehalf, createdAt: d.createdAt, createdBy: d.createdBy, lastUsedAt: d.lastUsedAt, revokedAt: d.revokedAt,
});

/**
 * API keys in MongoDB (when the read store is MongoDB, so that every API instance sees the same keys):
 * collection `api_keys` of its own database, `_id` = key id, unique `hash`, unique `activeName`. Thin, on the
 * official driver's typed API; its contract run needs MONGODB_URI (skipped otherwise, ADR 0040).
 */
export class MongoKeyStore implements KeyStore {
  private readonly client: MongoClient;
  private readonly keys: Collection<KeyDoc>;
  private indexes: Promise<unknown> | null = null;

  constructor(options: MongoKeyStoreOptions) {
    this.client = new MongoClient(options.uri);
    this.keys = this.client.db(options.database).collection<KeyDoc>('api_keys');
  }

  private ready(): Promise<unknown> {
    this.indexes ??= Promise.all([
      this.keys.createIndex({ hash: 1 }, { unique: true }),
      this.keys.createIndex({ activeName: 1 }, { unique: true, partialFilterExpression: { activeName: { $exists: true } } }),
    ]);
    return this.indexes;
  }

  async insert(k: Omit<ApiKeyRecord, 'lastUsedAt' | 'revokedAt'>, hash: string): Promise<void> {
    await this.ready();
    try {
      await this.keys.insertOne({
        _id: k.id, name: k.name, role: k.role, actOnBehalf: k.actOnBehalf, hash, createdAt: k.createdAt, createdBy: k.createdBy, lastUsedAt: null, revokedAt: null, activeName: k.name,
      });
    } catch (err) {
      if (err instanceof MongoServerError && err.code === DUPLICATE_KEY && (await this.keys.findOne({ activeName: k.name })) !== null) {
        throw new DomainError('KEY_NAME_TAKEN', `An active API key is already named "${k.name}"`, { field: 'name', name: k.name }, 'conflict');
      }
      throw err;
    }
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | null> {
    const d = await this.keys.findOne({ hash });
    return d ? toRecord(d) : null;
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const d = await this.keys.findOne({ _id: id });
    return d ? toRecord(d) : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.keys.find({}).sort({ createdAt: 1, _id: 1 }).toArray()).map(toRecord);
  }

  async revoke(id: string, at: string): Promise<boolean> {
    await this.keys.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at }, $unset: { activeName: '' } });
    return (await this.keys.countDocuments({ _id: id })) > 0;
  }

  async touch(id: string, at: string): Promise<void> {
    await this.keys.updateOne({ _id: id }, { $set: { lastUsedAt: at } });
  }

  async remove(id: string): Promise<void> {
    await this.keys.deleteOne({ _id: id });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
