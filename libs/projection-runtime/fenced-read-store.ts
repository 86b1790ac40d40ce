import type { BatchOutcome, Checkpoint, CollectionChanges, CompoundIndex, Doc, Fence, Filter, FindOptions, GetOptions, Lease, ProjectionBatch, ReadStore } from '../read-store/read-store.port';

/**
 * The read store as the background workers (projector, process manager) write it: every `commitBatch` and `setMeta`
 * carries the fence of this instance's lease term (ADR 0063), so that once another instance has taken the lease over,
 * a write still in flight here is refused (`LeaseLostError`) instead of overwriting newer documents. Without a
 * fence (no lease configured, the CLI) it writes as the store does. Reads pass through.
 */
export class FencedReadStore implements ReadStore {
  fence: Fence | null = null;
  /** Present exactly when the inner store has it (the runtime falls back to `commitBatch` otherwise). */
  readonly commitBatches?: (batches: readonly ProjectionBatch[], at: string, fence?: Fence) => Promise<BatchOutcome[]>;

  constructor(readonly inner: ReadStore) {
    if (inner.commitBatches) {
      this.commitBatches = (batches, at, fence) => inner.commitBatches!(batches, at, fence ?? this.fence ?? undefined);
    }
  }

  get(collection: string, key: string, options?: GetOptions): Promise<Doc | null> { return this.inner.get(collection, key, options); }
  getMany(collection: string, keys: readonly string[]): Promise<Map<string, Doc>> { return this.inner.getMany(collection, keys); }
  find(collection: string, filter: Filter, options?: FindOptions): Promise<Doc[]> { return this.inner.find(collection, filter, options); }
  forEach(collection: string, filter: Filter, options: FindOptions, visit: (doc: Doc) => void): Promise<number> { return this.inner.forEach(collection, filter, options, visit); }
  count(collection: string, filter: Filter): Promise<number> { return this.inner.count(collection, filter); }
  scan(collection: string, afterKey: string | null, limit: number) { return this.inner.scan(collection, afterKey, limit); }
  ensureIndexes(collection: string, fields: readonly string[]): Promise<void> { return this.inner.ensureIndexes(collection, fields); }
  ensureCompoundIndex(collection: string, index: CompoundIndex): Promise<void> { return this.inner.ensureCompoundIndex(collection, index); }
  commitBatch(projection: string, changes: readonly CollectionChanges[], checkpoint: number, at: string, fence?: Fence): Promise<void> {
    return this.inner.commitBatch(projection, changes, checkpoint, at, fence ?? this.fence ?? undefined);
  }
  getCheckpoint(projection: string): Promise<Checkpoint | null> { return this.inner.getCheckpoint(projection); }
  listCheckpoints(): Promise<Checkpoint[]> { return this.inner.listCheckpoints(); }
  dropCollection(collection: string): Promise<void> { return this.inner.dropCollection(collection); }
  deleteCheckpoint(projection: string): Promise<void> { return this.inner.deleteCheckpoint(projection); }
  getMeta(key: string): Promise<string | null> { return this.inner.getMeta(key); }
  setMeta(key: string, value: string, fence?: Fence): Promise<void> { return this.inner.setMeta(key, value, fence ?? this.fence ?? undefined); }
  acquireLease(name: string, holder: string, nowMs: number, ttlMs: number): Promise<Lease> { return this.inner.acquireLease(name, holder, nowMs, ttlMs); }
  releaseLease(name: string, holder: string, token: number): Promise<void> { return this.inner.releaseLease(name, holder, token); }
  getLease(name: string): Promise<Lease | null> { return this.inner.getLease(name); }
  /** The inner store is closed by its owner (the composition root), not through this view. */
  async close(): Promise<void> {}
}
