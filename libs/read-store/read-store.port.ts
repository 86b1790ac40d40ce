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

/** One projection's batch: its changes and the checkpoint they take it to. */
export interface ProjectionBatch {
  projection: string;
  changes: readonly CollectionChanges[];
  checkpoint: number;
}

/** What became of one batch of a `commitBatches`: null, committed; otherwise the error it was rolled back with. */
export type BatchOutcome = null | { error: unknown };

export interface Checkpoint {
  projection: string;
  /**
   * Global position of the last event applied, -1 before any. Stored as decimal text and read back exactly (ADR 0092);
   * a value the port's number cannot hold exactly (beyond 2^53 − 1) is refused, never rounded.
   */
  position: number;
  updatedAt: string;
}

/**
 * A lease on the background work (ADR 0063): one holder at a time until `expiresAt`; `token` (the fencing token)
 * grows by one at every change of holder and never on a renewal, so a write carrying an older token is refused.
 */
export interface Lease {
  name: string;
  holder: string;
  token: number;
  /** Milliseconds since the epoch (the holder's clock when it took or renewed the lease). */
  expiresAt: number;
}

/** What a fenced write carries: it is applied only while the lease `name` still has this `token`. */
export interface Fence {
  lease: string;
  token: number;
}

/** A fenced write refused: another instance took the lease over since this one's token was issued. Nothing was written. */
export class LeaseLostError extends Error {
  /** The worker retries (it never parks on it) until its lease keeper notices the takeover and stops it. */
  readonly transient = true;
  constructor(readonly lease: string, readonly token: number, readonly current: number | null) {
    super(`Lease ${lease} lost: this instance holds token ${token}, the store has ${current ?? 'none'}; nothing written`);
    this.name = 'LeaseLostError';
  }
}

/** `get` of a few top-level fields: the document reduced to exactly these, null where it lacks one (as `find`'s `fields`). */
export interface GetOptions {
  fields?: readonly string[];
}

export interface ReadStore {
  /**
   * One document by key; with `fields`, only those (ADR 0118: a customer's credit figures without parsing the map of
   * its every open invoice).
   */
  get(collection: string, key: string, options?: GetOptions): Promise<Doc | null>;
  getMany(collection: string, keys: readonly string[]): Promise<Map<string, Doc>>;
  find(collection: string, filter: Filter, options?: FindOptions): Promise<Doc[]>;
  /**
   * What `find` would return, handed to `visit` one document at a time instead of as one array, so that a report
   * folding every match into a few figures (the aging over all open items) holds the figures, not the documents.
   * Resolves to the number visited. `visit` is synchronous and must not call the store (SQLite runs the whole
   * statement at once, as `find` does; a throw from `visit` stops it and rejects).
   */
  forEach(collection: string, filter: Filter, options: FindOptions, visit: (doc: Doc) => void): Promise<number>;
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
   * idempotently from the old checkpoint. With a `fence`, nothing is written unless the lease still has its token
   * (`LeaseLostError`), checked in the same transaction as the writes.
   */
  commitBatch(projection: string, changes: readonly CollectionChanges[], checkpoint: number, at: string, fence?: Fence): Promise<void>;
  /**
   * Several projections' batches in one transaction (the live projector: one commit per log batch for every
   * projection, not one each, ADR 0102). Each batch is all-or-nothing with its checkpoint, as in `commitBatch`; one
   * that cannot be written is rolled back alone and answered with its error in its place, the others commit. A
   * failure of the transaction itself (busy, locked, unreachable, a lost fence) rejects, and nothing is written.
   * Optional: where a store has none, the runtime calls `commitBatch` for each.
   */
  commitBatches?(batches: readonly ProjectionBatch[], at: string, fence?: Fence): Promise<BatchOutcome[]>;
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
  /** With a `fence`: written only while the lease still has its token (`LeaseLostError` otherwise). */
  setMeta(key: string, value: string, fence?: Fence): Promise<void>;
  /**
   * Takes the lease `name` for `holder` until `nowMs + ttlMs` if it is free, lapsed (`expiresAt <= nowMs`) or already
   * held by `holder` (a renewal: same token); a takeover increments the token. Atomic across instances. Answers the
   * lease as stored afterwards: `holder` is whoever holds it now (another instance's, when refused).
   */
  acquireLease(name: string, holder: string, nowMs: number, ttlMs: number): Promise<Lease>;
  /** Gives the lease up at once (expiresAt = 0) if `holder` still holds it with `token`; otherwise does nothing. */
  releaseLease(name: string, holder: string, token: number): Promise<void>;
  getLease(name: string): Promise<Lease | null>;
  close(): Promise<void>;
}
