import { MongoClient, MongoServerError, type AnyBulkWriteOperation, type ClientSession, type Db, type Filter as MongoFilter, type Sort } from 'mongodb';
import {
  LeaseLostError,
  type Checkpoint, type CollectionChanges, type CompoundIndex, type Doc, type Fence, type Filter, type FindOptions, type GetOptions, type Lease, type ReadStore,
} from '../../read-store.port';
import { positionFromStored, positionToText, StoredPositionError } from '../../stored-position';
import { toMongoFilter } from './mongodb-filter';

export interface MongoReadStoreOptions {
  uri: string;
  /** Database name; defaults to the one in the URI. */
  database?: string;
  /**
   * `auto` (default): a transaction per batch when the deployment is a replica set or sharded (multi-document
   * transactions exist), the idempotent-replay order otherwise; `never`: always the replay order.
   */
  transactions?: 'auto' | 'never';
  /** Test seam: runs between a batch's documents and its checkpoint (a fault injected there). */
  betweenWrites?: () => Promise<void> | void;
}

type Stored = Doc & { _id: string };
/** `position`: decimal text (ADR 0092); documents written before it hold a number, read exactly and rewritten on first use. */
type CheckpointDoc = { _id: string; position: string | number; updatedAt: string };
type MetaDoc = { _id: string; value: string };
type LeaseDoc = { _id: string; holder: string; token: number; expiresAt: number; fencedWrites?: number };

const CHECKPOINTS = '_checkpoints';
const META = '_meta';
const LEASES = '_leases';
const NAMESPACE_NOT_FOUND = 26;
const DUPLICATE_KEY = 11000;

/**
 * Read models in MongoDB: one collection per read-model collection, `_id` = key, the document's fields at the
 * top level; the port's Filter is translated (`toMongoFilter`) so that it matches exactly what the SQLite store
 * matches. A batch is one unordered `bulkWrite` per collection, then the checkpoint: inside one transaction on a
 * replica set (what docker-compose runs, ADR 0064); on a standalone server in that order, so that a crash in
 * between re-applies the batch from the old checkpoint, which is harmless because replacements and deletes by
 * key are idempotent. `ignoreUndefined`: a field set to undefined is left out, as JSON (and SQLite) leave it out.
 */
export class MongoReadStore implements ReadStore {
  private readonly client: MongoClient;
  private readonly db: Db;
  private transactional: Promise<boolean> | null = null;
  private checkpointsMigrated: Promise<void> | null = null;

  constructor(private readonly options: MongoReadStoreOptions) {
    this.client = new MongoClient(options.uri, { ignoreUndefined: true });
    this.db = this.client.db(options.database);
  }

  async get(collection: string, key: string, options?: GetOptions): Promise<Doc | null> {
    const fields = options?.fields;
    if (fields === undefined) return (await this.docs(collection).findOne({ _id: key }, { projection: { _id: 0 } })) as Doc | null;
    if (fields.length === 0) throw new Error('get: fields must name at least one field');
    const projection: Record<string, 0 | 1> = { _id: 0 };
    for (const field of fields) projection[field] = 1;
    const doc = (await this.docs(collection).findOne({ _id: key }, { projection })) as Doc | null;
    if (doc === null) return null;
    // Exactly the asked fields, in order, null where the document lacks one (as the SQLite store answers).
    const out: Doc = {};
    for (const field of fields) out[field] = doc[field] ?? null;
    return out;
  }

  async getMany(collection: string, keys: readonly string[]): Promise<Map<string, Doc>> {
    const result = new Map<string, Doc>();
    if (keys.length === 0) return result;
    for await (const doc of this.docs(collection).find({ _id: { $in: [...keys] } })) {
      const { _id, ...rest } = doc;
      result.set(_id, rest);
    }
    return result;
  }

  async find(collection: string, filter: Filter, options?: FindOptions): Promise<Doc[]> {
    if (options?.limit === 0) return []; // MongoDB reads limit 0 as "no limit"
    const fields = options?.fields;
    if (fields !== undefined && fields.length === 0) throw new Error('find: fields must name at least one field');
    const projection: Record<string, 0 | 1> = { _id: 0 };
    if (fields) for (const field of fields) projection[field] = 1;
    let cursor = this.docs(collection).find(toMongoFilter(filter) as MongoFilter<Stored>, { projection });
    if (options?.sort && options.sort.length > 0) cursor = cursor.sort(options.sort as Sort);
    if (options?.limit !== undefined) cursor = cursor.limit(options.limit);
    const docs = (await cursor.toArray()) as Doc[];
    if (!fields) return docs;
    // Exactly the asked fields, in order, null where the document lacks one (as the SQLite store answers).
    return docs.map((doc) => {
      const out: Doc = {};
      for (const field of fields) out[field] = doc[field] ?? null;
      return out;
    });
  }

  async forEach(collection: string, filter: Filter, options: FindOptions, visit: (doc: Doc) => void): Promise<number> {
    if (options.limit === 0) return 0; // MongoDB reads limit 0 as "no limit"
    const fields = options.fields;
    if (fields !== undefined && fields.length === 0) throw new Error('find: fields must name at least one field');
    const projection: Record<string, 0 | 1> = { _id: 0 };
    if (fields) for (const field of fields) projection[field] = 1;
    let cursor = this.docs(collection).find(toMongoFilter(filter) as MongoFilter<Stored>, { projection });
    if (options.sort && options.sort.length > 0) cursor = cursor.sort(options.sort as Sort);
    if (options.limit !== undefined) cursor = cursor.limit(options.limit);
    let visited = 0;
    try {
      for await (const stored of cursor) {
        const doc = stored as Doc;
        if (!fields) visit(doc);
        else {
          // Exactly the asked fields, in order, null where the document lacks one (as `find` answers).
          const out: Doc = {};
          for (const field of fields) out[field] = doc[field] ?? null;
          visit(out);
        }
        visited++;
      }
    } finally {
      await cursor.close();
    }
    return visited;
  }

  async count(collection: string, filter: Filter): Promise<number> {
    return this.docs(collection).countDocuments(toMongoFilter(filter) as MongoFilter<Stored>);
  }

  async scan(collection: string, afterKey: string | null, limit: number): Promise<Array<{ key: string; doc: Doc }>> {
    const filter: MongoFilter<Stored> = afterKey === null ? {} : { _id: { $gt: afterKey } };
    const docs = await this.docs(collection).find(filter).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map(({ _id, ...doc }) => ({ key: _id, doc }));
  }

  async ensureIndexes(collection: string, fields: readonly string[]): Promise<void> {
    for (const field of fields) await this.ensureIndex(collection, { [field]: 1 });
  }

  /** MongoDB: a compound index on `fields` (covered queries need the projection to match; arrays in `include` would make it multikey, so `include` is not indexed). */
  async ensureCompoundIndex(collection: string, index: CompoundIndex): Promise<void> {
    if (index.fields.length === 0) throw new Error('A compound index needs at least one field');
    const keys: Record<string, 1> = {};
    for (const field of index.fields) keys[field] = 1;
    await this.ensureIndex(collection, keys);
  }

  /**
   * Idempotent by key, not by name: an index with the same key pattern, whatever it is called (one made by hand, or
   * by an older version under another name), is kept; only a missing key pattern is created, under the server's
   * default name (`field_1_other_1`). Creating it under a fixed name would fail with IndexOptionsConflict (85) or
   * IndexKeySpecsConflict (86) beside an equivalent index.
   */
  private async ensureIndex(collection: string, keys: Record<string, 1 | -1>): Promise<void> {
    const existing = await this.listIndexKeys(collection);
    if (existing.some((k) => sameKeys(k, keys))) return;
    await this.docs(collection).createIndex(keys);
  }

  private async listIndexKeys(collection: string): Promise<Array<Record<string, unknown>>> {
    try {
      return (await this.docs(collection).listIndexes().toArray()).map((ix) => ix.key as Record<string, unknown>);
    } catch (error) {
      if (error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND) return [];
      throw error;
    }
  }

  async commitBatch(projection: string, changes: readonly CollectionChanges[], checkpoint: number, at: string, fence?: Fence): Promise<void> {
    // Same contract as the SQLite store: a document that is not plain JSON fails the batch before any write.
    for (const change of changes) for (const { key, doc } of change.upserts) assertJson(doc, key);
    const write = async (session?: ClientSession) => {
      if (fence) await this.assertFence(fence, session);
      for (const change of changes) {
        const ops: AnyBulkWriteOperation<Stored>[] = [];
        for (const { key, doc } of change.upserts) {
          ops.push({ replaceOne: { filter: { _id: key }, replacement: doc, upsert: true } });
        }
        for (const key of change.deletes) ops.push({ deleteOne: { filter: { _id: key } } });
        if (ops.length > 0) await this.docs(change.collection).bulkWrite(ops, { ordered: false, session });
      }
      await this.options.betweenWrites?.();
      await this.checkpoints().replaceOne({ _id: projection }, { position: positionToText(checkpoint, `checkpoint of ${projection}`), updatedAt: at }, { upsert: true, session });
    };
    if (await this.isTransactional()) {
      await this.client.withSession((session) => session.withTransaction(() => write(session)));
    } else {
      await write();
    }
  }

  /** True when the deployment runs multi-document transactions (a replica set or a sharded cluster). */
  isTransactional(): Promise<boolean> {
    if (this.options.transactions === 'never') return Promise.resolve(false);
    this.transactional ??= this.db.admin().command({ hello: 1 }).then(
      (hello) => typeof hello.setName === 'string' || hello.msg === 'isdbgrid',
      (error: unknown) => {
        this.transactional = null; // asked again next time: the server may be unreachable for now
        throw error;
      },
    );
    return this.transactional;
  }

  async getCheckpoint(projection: string): Promise<Checkpoint | null> {
    await this.migrateCheckpoints();
    const doc = await this.checkpoints().findOne({ _id: projection });
    return doc ? toCheckpoint(doc) : null;
  }

  async listCheckpoints(): Promise<Checkpoint[]> {
    await this.migrateCheckpoints();
    return (await this.checkpoints().find({}).sort({ _id: 1 }).toArray()).map(toCheckpoint);
  }

  /**
   * Once per instance, at the first checkpoint read: checkpoints an earlier version stored as numbers become decimal
   * text. Each rewrite is conditional on the number it replaces (a projector committing meanwhile wins); a failure is
   * retried at the next read, and until then the numbers are read exactly anyway.
   */
  private migrateCheckpoints(): Promise<void> {
    this.checkpointsMigrated ??= (async () => {
      const numeric = await this.checkpoints().find({ position: { $not: { $type: 'string' } } }).toArray();
      // One that is not a whole number in range stays as it is: reading it fails with its name, the others migrate.
      const updates = numeric.flatMap((doc) => {
        const text = storedPositionText(doc.position, doc._id);
        return text === null ? [] : [{ updateOne: { filter: { _id: doc._id, position: doc.position }, update: { $set: { position: text } } } }];
      });
      if (updates.length > 0) await this.checkpoints().bulkWrite(updates, { ordered: false });
    })().catch((error: unknown) => {
      this.checkpointsMigrated = null;
      throw error;
    });
    return this.checkpointsMigrated;
  }

  async dropCollection(collection: string): Promise<void> {
    try {
      await this.docs(collection).drop();
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND)) throw error;
    }
  }

  async deleteCheckpoint(projection: string): Promise<void> {
    await this.checkpoints().deleteOne({ _id: projection });
  }

  async getMeta(key: string): Promise<string | null> {
    return (await this.db.collection<MetaDoc>(META).findOne({ _id: key }))?.value ?? null;
  }

  async setMeta(key: string, value: string, fence?: Fence): Promise<void> {
    const write = async (session?: ClientSession) => {
      if (fence) await this.assertFence(fence, session);
      await this.db.collection<MetaDoc>(META).replaceOne({ _id: key }, { value }, { upsert: true, session });
    };
    if (fence && (await this.isTransactional())) await this.client.withSession((session) => session.withTransaction(() => write(session)));
    else await write();
  }

  /**
   * One atomic document operation per step (`findOneAndUpdate`), so two instances never both win: renew when held by
   * `holder` and not lapsed; take over when lapsed (token + 1); create when absent (a duplicate key means another
   * instance created it first). The answer is the lease as stored.
   */
  async acquireLease(name: string, holder: string, nowMs: number, ttlMs: number): Promise<Lease> {
    const leases = this.leases();
    const expiresAt = nowMs + ttlMs;
    const renewed = await leases.findOneAndUpdate({ _id: name, holder, expiresAt: { $gt: nowMs } }, { $set: { expiresAt } }, { returnDocument: 'after' });
    if (renewed) return toLease(renewed);
    const taken = await leases.findOneAndUpdate(
      { _id: name, expiresAt: { $lte: nowMs } },
      { $set: { holder, expiresAt }, $inc: { token: 1 } },
      { returnDocument: 'after' },
    );
    if (taken) return toLease(taken);
    try {
      await leases.insertOne({ _id: name, holder, token: 1, expiresAt });
      return { name, holder, token: 1, expiresAt };
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
    }
    const current = await leases.findOne({ _id: name });
    if (!current) throw new Error(`Lease ${name} vanished while being acquired`);
    return toLease(current);
  }

  async releaseLease(name: string, holder: string, token: number): Promise<void> {
    await this.leases().updateOne({ _id: name, holder, token }, { $set: { expiresAt: 0 } });
  }

  async getLease(name: string): Promise<Lease | null> {
    const doc = await this.leases().findOne({ _id: name });
    return doc ? toLease(doc) : null;
  }

  /**
   * The fence is a conditional write of the lease document itself (`token` unchanged), not a read: in the batch's
   * transaction (replica set) a takeover committed meanwhile is a write conflict on that document, so the transaction
   * is retried by `withTransaction`, meets the new token and writes nothing. Without transactions the check precedes
   * the writes: a window of one batch remains, which the new holder's idempotent replay from its checkpoint
   * overwrites (ADR 0063).
   */
  private async assertFence(fence: Fence, session?: ClientSession): Promise<void> {
    const held = await this.leases().findOneAndUpdate({ _id: fence.lease, token: fence.token }, { $inc: { fencedWrites: 1 } }, { session, returnDocument: 'after' });
    if (held) return;
    const lease = await this.leases().findOne({ _id: fence.lease }, { session });
    throw new LeaseLostError(fence.lease, fence.token, lease?.token ?? null);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private docs(collection: string) {
    return this.db.collection<Stored>(collection);
  }

  private checkpoints() {
    return this.db.collection<CheckpointDoc>(CHECKPOINTS);
  }

  private leases() {
    return this.db.collection<LeaseDoc>(LEASES);
  }
}

/** The port's Filter is MongoDB's, but for `$contains` (an escaped, case-insensitive `$regex`). */
function assertJson(doc: Doc, key: string): void {
  if (typeof JSON.stringify(doc) !== 'string') throw new Error(`Document ${key} is not JSON-serializable`);
}

function toCheckpoint(doc: CheckpointDoc): Checkpoint {
  return { projection: doc._id, position: positionFromStored(doc.position, `checkpoint of ${doc._id}`), updatedAt: doc.updatedAt };
}

/** A checkpoint of an earlier version (a number, or a Long) as the decimal text this version stores; null if it is not a position. */
export function storedPositionText(stored: unknown, projection: string): string | null {
  try {
    return positionToText(positionFromStored(stored, `checkpoint of ${projection}`), `checkpoint of ${projection}`);
  } catch (error) {
    if (error instanceof StoredPositionError) return null;
    throw error;
  }
}

function toLease(doc: LeaseDoc): Lease {
  return { name: doc._id, holder: doc.holder, token: doc.token, expiresAt: doc.expiresAt };
}

/** Same key pattern: same fields in the same order with the same directions. */
export function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ea = Object.entries(a);
  const eb = Object.entries(b);
  return ea.length === eb.length && ea.every(([field, dir], i) => eb[i][0] === field && Number(eb[i][1]) === Number(dir));
}
