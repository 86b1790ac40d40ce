import { MongoClient, MongoServerError, type AnyBulkWriteOperation, type Db, type Filter as MongoFilter, type Sort } from 'mongodb';
import type { Checkpoint, CollectionChanges, CompoundIndex, Doc, Filter, FindOptions, ReadStore } from '../../read-store.port';

export interface MongoReadStoreOptions {
  uri: string;
  /** Database name; defaults to the one in the URI. */
  database?: string;
}

type Stored = Doc & { _id: string };
type CheckpointDoc = { _id: string; position: number; updatedAt: string };
type MetaDoc = { _id: string; value: string };

const CHECKPOINTS = '_checkpoints';
const META = '_meta';
const NAMESPACE_NOT_FOUND = 26;

/**
 * Read models in MongoDB: one collection per read-model collection, `_id` = key, the document's fields at the
 * top level (so the port's Filter is already a MongoDB filter). A batch is one unordered `bulkWrite` per
 * collection, then the checkpoint: a crash in between re-applies the batch from the old checkpoint, which
 * is harmless because replacements and deletes by key are idempotent.
 */
export class MongoReadStore implements ReadStore {
  private readonly client: MongoClient;
  private readonly db: Db;

  constructor(options: MongoReadStoreOptions) {
    this.client = new MongoClient(options.uri);
    this.db = this.client.db(options.database);
  }

  async get(collection: string, key: string): Promise<Doc | null> {
    const doc = await this.docs(collection).findOne({ _id: key }, { projection: { _id: 0 } });
    return doc as Doc | null;
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
    let cursor = this.docs(collection).find(toMongo(filter), { projection });
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

  async count(collection: string, filter: Filter): Promise<number> {
    return this.docs(collection).countDocuments(toMongo(filter));
  }

  async scan(collection: string, afterKey: string | null, limit: number): Promise<Array<{ key: string; doc: Doc }>> {
    const filter: MongoFilter<Stored> = afterKey === null ? {} : { _id: { $gt: afterKey } };
    const docs = await this.docs(collection).find(filter).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map(({ _id, ...doc }) => ({ key: _id, doc }));
  }

  async ensureIndexes(collection: string, fields: readonly string[]): Promise<void> {
    for (const field of fields) await this.docs(collection).createIndex({ [field]: 1 }, { name: `ix_${field}` });
  }

  /** MongoDB: a compound index on `fields` (covered queries need the projection to match; arrays in `include` would make it multikey, so `include` is not indexed). */
  async ensureCompoundIndex(collection: string, index: CompoundIndex): Promise<void> {
    if (index.fields.length === 0) throw new Error('A compound index needs at least one field');
    const keys: Record<string, 1> = {};
    for (const field of index.fields) keys[field] = 1;
    await this.docs(collection).createIndex(keys, { name: `cx_${index.fields.join('_')}` });
  }

  async commitBatch(projection: string, changes: readonly CollectionChanges[], checkpoint: number, at: string): Promise<void> {
    // Same contract as the SQLite store: a document that is not plain JSON fails the batch before any write.
    for (const change of changes) for (const { key, doc } of change.upserts) assertJson(doc, key);
    for (const change of changes) {
      const ops: AnyBulkWriteOperation<Stored>[] = [];
      for (const { key, doc } of change.upserts) {
        ops.push({ replaceOne: { filter: { _id: key }, replacement: doc, upsert: true } });
      }
      for (const key of change.deletes) ops.push({ deleteOne: { filter: { _id: key } } });
      if (ops.length > 0) await this.docs(change.collection).bulkWrite(ops, { ordered: false });
    }
    await this.checkpoints().replaceOne({ _id: projection }, { position: checkpoint, updatedAt: at }, { upsert: true });
  }

  async getCheckpoint(projection: string): Promise<Checkpoint | null> {
    const doc = await this.checkpoints().findOne({ _id: projection });
    return doc ? toCheckpoint(doc) : null;
  }

  async listCheckpoints(): Promise<Checkpoint[]> {
    return (await this.checkpoints().find({}).sort({ _id: 1 }).toArray()).map(toCheckpoint);
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

  async setMeta(key: string, value: string): Promise<void> {
    await this.db.collection<MetaDoc>(META).replaceOne({ _id: key }, { value }, { upsert: true });
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
}

/** The port's Filter is MongoDB's, but for `$contains` (an escaped, case-insensitive `$regex`). */
function toMongo(filter: Filter): MongoFilter<Stored> {
  return translate(filter) as MongoFilter<Stored>;
}

/** Exported for its spec: the translation is pure; the store's behaviour is the contract suite's (MONGODB_URI). */
export function translate(filter: Filter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, cond] of Object.entries(filter)) {
    if (cond === undefined) continue;
    if (field === '$or' || field === '$and') {
      const branches = (cond as Filter[]).map(translate);
      // MongoDB refuses an empty $or/$and: an empty $or matches nothing, an empty $and everything.
      if (branches.length === 0) {
        if (field === '$or') out._id = { $in: [] };
        continue;
      }
      out[field] = branches;
      continue;
    }
    if (cond !== null && typeof cond === 'object' && !Array.isArray(cond) && '$contains' in cond) {
      const { $contains, ...rest } = cond as { $contains?: string };
      out[field] = $contains === undefined ? rest : { ...rest, $type: 'string', $regex: escapeRegex($contains), $options: 'i' };
      continue;
    }
    out[field] = cond;
  }
  return out;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function assertJson(doc: Doc, key: string): void {
  if (typeof JSON.stringify(doc) !== 'string') throw new Error(`Document ${key} is not JSON-serializable`);
}

function toCheckpoint(doc: CheckpointDoc): Checkpoint {
  return { projection: doc._id, position: doc.position, updatedAt: doc.updatedAt };
}
