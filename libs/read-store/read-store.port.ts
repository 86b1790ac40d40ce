/** Port: documents of the read models, and each projection's checkpoint. Bound by the READ_STORE token. */
export const READ_STORE = Symbol('READ_STORE');

export type Doc = Record<string, unknown>;

/**
 * Comparison on one top-level field; strings compare lexically (dates are YYYY-MM-DD), numbers numerically.
 * `$contains`: the field is a string holding the text, compared case-insensitively (Unicode lower case on
 * both sides, the same on every store); `$contains: ''` matches every string.
 */
export type FieldCondition =
  | string | number | boolean | null
  | { $eq?: unknown; $ne?: unknown; $lt?: unknown; $lte?: unknown; $gt?: unknown; $gte?: unknown; $in?: unknown[]; $contains?: string };

/**
 * Conjunction of conditions on top-level fields. Two reserved keys combine filters: `$or` (at least one of
 * the filters holds) and `$and` (all hold; lets several `$or` sit side by side, e.g. a text search and a
 * pagination cursor).
 */
export type Filter = { [field: string]: FieldCondition | Filter[] | undefined; $or?: Filter[]; $and?: Filter[] };

export interface FindOptions {
  sort?: Array<[field: string, direction: 1 | -1]>;
  limit?: number;
  /**
   * Only these top-level fields, in this order (a projection, as MongoDB's): each result has exactly these
   * keys, null where the document lacks the field. With a compound index that carries them all
   * (`ensureCompoundIndex`), the store may answer from the index without reading the documents.
   */
  fields?: readonly string[];
}

/**
 * A compound index: `fields` in order (what filters and sorts use), also carrying `include` (what a
 * `find` with `fields` returns), so that such a query can be answered from the index alone where the store
 * supports it (SQLite: covering expression index). Stores without covering indexes index `fields` only.
 */
export interface CompoundIndex {
  fields: readonly string[];
  include?: readonly string[];
}

export interface CollectionChanges {
  collection: string;
  upserts: Array<{ key: string; doc: Doc }>;
  deletes: string[];
}

export interface Checkpoint {
  projection: string;
  /** Global position of the last event applied, -1 before any. */
  position: number;
  updatedAt: string;
}

export interface ReadStore {
  get(collection: string, key: string): Promise<Doc | null>;
  getMany(collection: string, keys: readonly string[]): Promise<Map<string, Doc>>;
  find(collection: string, filter: Filter, options?: FindOptions): Promise<Doc[]>;
  count(collection: string, filter: Filter): Promise<number>;
  /** Pages through every document with its key, in ascending key order, after `afterKey` (null: from the start). */
  scan(collection: string, afterKey: string | null, limit: number): Promise<Array<{ key: string; doc: Doc }>>;
  /** Declares top-level fields queried by `find`; idempotent. */
  ensureIndexes(collection: string, fields: readonly string[]): Promise<void>;
  /** Declares a compound (covering where supported) index; idempotent, maintained on every later write. */
  ensureCompoundIndex(collection: string, index: CompoundIndex): Promise<void>;
  /**
   * Writes every change and the projection's checkpoint atomically: after a crash either all of the
   * batch and its checkpoint are visible, or (SQLite) none is, or (MongoDB) the batch is re-applied
   * idempotently from the old checkpoint.
   */
  commitBatch(projection: string, changes: readonly CollectionChanges[], checkpoint: number, at: string): Promise<void>;
  getCheckpoint(projection: string): Promise<Checkpoint | null>;
  listCheckpoints(): Promise<Checkpoint[]>;
  /** Drops a collection and, if given, a checkpoint (used by rebuilds and scratch copies). */
  dropCollection(collection: string): Promise<void>;
  deleteCheckpoint(projection: string): Promise<void>;
  /** Key/value for runtime metadata (e.g. which version of a projection is live). */
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
  /**
   * Readiness (ADR 0065): resolves when the store would accept a write now, rejects with the store's error
   * otherwise, without waiting for a lock. Optional: without it readiness lists the checkpoints.
   */
  probe?(): Promise<void>;
  close(): Promise<void>;
}
