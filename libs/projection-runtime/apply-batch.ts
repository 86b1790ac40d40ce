import type { StoredEvent, EventStore } from '../event-store/event-store.port';
import type { CollectionChanges, Doc, ReadStore } from '../read-store/read-store.port';
import type { KeyFilter } from './key-filter';
import { foldedTypes, type ProjectedEvent, type Projection } from './projection';

/** One projection writing into one physical collection, and the position it has reached there. */
export interface Target {
  projection: Projection;
  collection: string;
  /** Position applied so far. For a buffered target it may be ahead of the store's checkpoint (`buffer.flushed`). */
  checkpoint: number;
  /**
   * Set only while building a collection that started empty in this process (rebuild, verify): a filter of every
   * key upserted into it so far, in fixed memory (ADR 0096). Keys it does not hold are known absent, so they are
   * not read back.
   */
  written?: KeyFilter;
  /**
   * Set only on collections nobody reads while they are built (a rebuild's new generation, verify's scratch
   * copy): evolved documents stay here across log batches and are written once per flush (`flushTargets`),
   * with the checkpoint in the same commit. Live collections have none: each batch is committed.
   */
  buffer?: WriteBuffer;
  /**
   * Set only on live slots (the projector is the one writer of its live collection): the documents of the last
   * committed batches, as written, so the next batch does not read back and parse what it has just written. Only
   * committed state enters it (`batchCommitted`); it belongs to one collection and is dropped on any failure.
   */
  cache?: LiveDocCache;
}

/** The documents a live slot last committed (null: deleted), most recent last, at most `max`. */
export interface LiveDocCache {
  collection: string;
  docs: Map<string, Doc | null>;
  max: number;
}

/** Documents a live slot keeps between batches: a customer's or an invoice's next event usually follows soon. */
export const LIVE_DOC_CACHE_SIZE = 1_024;

export function liveDocCache(collection: string, max = LIVE_DOC_CACHE_SIZE): LiveDocCache {
  return { collection, docs: new Map(), max };
}

export interface WriteBuffer {
  /** Documents evolved since the last flush; null: deleted. */
  docs: Map<string, Doc | null>;
  /** Checkpoint of the last flush, i.e. what the store holds (-1: nothing yet). */
  flushed: number;
}

/** When a catch-up writes its buffered targets: whichever budget is reached first, and always at its end. */
export interface FlushPolicy {
  /** Memory budget: documents held in memory, summed over the buffered targets. */
  maxDocuments: number;
  /** Time budget since the last flush: bounds the work a hard kill loses. */
  maxMs: number;
}

export const DEFAULT_FLUSH_POLICY: FlushPolicy = { maxDocuments: 200_000, maxMs: 5_000 };

/** Thrown when a projection's own code (keysOf / evolve) fails; nothing of the batch is written. */
export class ProjectionError extends Error {
  constructor(readonly projection: string, readonly position: number, readonly eventType: string, override readonly cause: unknown) {
    super(`Projection ${projection} failed on ${eventType} at position ${position}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ProjectionError';
  }
}

/** A live target's batch evolved in memory, not yet written: its changes and the checkpoint they take it to. */
export interface PreparedBatch {
  checkpoint: number;
  changes: CollectionChanges[];
}

/**
 * Applies the events past the target's checkpoint: one `getMany` for every key the batch touches that is
 * neither buffered nor known absent, the documents evolved in memory for the whole batch, then either one
 * `commitBatch` with the checkpoint (live target) or a merge into the target's buffer (buffered target:
 * written by the next flush). A projection that throws leaves the target as it was. Returns the new checkpoint.
 */
export async function applyBatch(readStore: ReadStore, target: Target, events: readonly StoredEvent[], at: string): Promise<number> {
  if (target.buffer !== undefined) {
    let start = 0;
    while (start < events.length && events[start].position <= target.checkpoint) start++;
    return start === events.length ? target.checkpoint : applyBuffered(readStore, target, target.buffer, events, start);
  }
  const batch = await prepareBatch(readStore, target, events);
  if (batch === null) return target.checkpoint;
  await readStore.commitBatch(target.collection, batch.changes, batch.checkpoint, at);
  batchCommitted(target, batch);
  return batch.checkpoint;
}

/**
 * A live target's batch, read and evolved but not written (the caller commits it, e.g. with the other projections'
 * in one transaction, then calls `batchCommitted`); null when no event is past its checkpoint. A projection that
 * throws (`ProjectionError`) leaves the target as it was. A batch none of whose events the projection handles has no
 * changes (no read, nothing but the checkpoint to write).
 */
export async function prepareBatch(readStore: ReadStore, target: Target, events: readonly StoredEvent[]): Promise<PreparedBatch | null> {
  const { projection: p, collection } = target;
  let start = 0;
  while (start < events.length && events[start].position <= target.checkpoint) start++;
  if (start === events.length) return null;
  const projected = events as unknown as readonly ProjectedEvent[];
  if (p.keyPerEvent === true) {
    const upserts = newDocuments(p, projected, start);
    return { checkpoint: events[events.length - 1].position, changes: upserts.length === 0 ? [] : [{ collection, upserts, deletes: [] }] };
  }
  const keysPerEvent: Array<readonly string[]> = new Array(events.length);
  const touched = new Set<string>();
  for (let i = start; i < events.length; i++) {
    const keys = guard(p, projected[i], () => p.keysOf(projected[i]));
    keysPerEvent[i] = keys;
    for (let k = 0; k < keys.length; k++) touched.add(keys[k]);
  }
  const last = events[events.length - 1].position;
  if (touched.size === 0) return { checkpoint: last, changes: [] };
  const written = target.written;
  if (target.cache !== undefined && target.cache.collection !== collection) forgetCached(target); // swapped by another process
  const cached = target.cache?.docs;
  const toLoad: string[] = [];
  for (const key of touched) {
    if (cached?.has(key)) continue;
    if (written === undefined || written.mightHold(key)) toLoad.push(key);
  }
  const loaded = toLoad.length === 0 ? new Map<string, Doc>() : await readStore.getMany(collection, toLoad);
  /** What the store holds for the key before this batch: read back, or as this slot last committed it. */
  const stored = (key: string): Doc | null => (cached?.has(key) ? (cached.get(key) as Doc | null) : (loaded.get(key) ?? null));
  const current = new Map<string, Doc | null>();
  for (let i = start; i < events.length; i++) {
    const keys = keysPerEvent[i];
    if (keys.length === 0) continue;
    const event = projected[i];
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      const doc = current.has(key) ? (current.get(key) as Doc | null) : stored(key);
      current.set(key, guard(p, event, () => p.evolve(doc, event)));
    }
  }
  const upserts: Array<{ key: string; doc: Doc }> = [];
  const deletes: string[] = [];
  for (const [key, doc] of current) {
    if (doc !== null) upserts.push({ key, doc });
    else if (stored(key) !== null) deletes.push(key);
  }
  return { checkpoint: last, changes: [{ collection, upserts, deletes }] };
}

/**
 * A `keyPerEvent` projection's documents for the events from `start` on: each built from its one event, nothing read
 * back (ADR 0123). keysOf and evolve run back to back for each event, so a rule both need is computed once
 * (`journalEntryOf`'s memo). An evolve that gives null writes nothing: no event wrote that key before.
 */
function newDocuments(p: Projection, events: readonly ProjectedEvent[], start: number): Array<{ key: string; doc: Doc }> {
  const upserts: Array<{ key: string; doc: Doc }> = [];
  let i = start;
  try {
    for (; i < events.length; i++) {
      const event = events[i];
      const keys = p.keysOf(event);
      for (let k = 0; k < keys.length; k++) {
        const doc = p.evolve(null, event);
        if (doc !== null) upserts.push({ key: keys[k], doc });
      }
    }
  } catch (error) {
    throw new ProjectionError(p.name, events[i].position, events[i].type, error);
  }
  return upserts;
}

/** After a prepared batch is written: the target's filter of written keys learns its upserts. */
export function batchCommitted(target: Target, batch: PreparedBatch): void {
  // Never read back: neither the filter of written keys nor the live cache would serve a read (ADR 0123).
  if (target.projection.keyPerEvent === true) return;
  for (const change of batch.changes) {
    remember(target, change.upserts);
    const cache = target.cache;
    if (cache === undefined || cache.collection !== change.collection) continue;
    const docs = cache.docs;
    const keep = (key: string, doc: Doc | null) => {
      docs.delete(key); // re-inserted last: the most recent stay
      docs.set(key, doc);
    };
    for (const { key, doc } of change.upserts) keep(key, doc);
    for (const key of change.deletes) keep(key, null);
    for (const key of docs.keys()) {
      if (docs.size <= cache.max) break;
      docs.delete(key);
    }
  }
}

/** Forgets what a live slot had cached: after a failed batch, a swap, or anything the slot did not commit itself. */
export function forgetCached(target: Target): void {
  if (target.cache !== undefined) target.cache = liveDocCache(target.collection, target.cache.max);
}

/**
 * A buffered target's batch, evolved straight into its buffer. No copy of the batch is kept to undo a
 * projection that throws: such a target is never flushed again (`catchUp` leaves it out), so its buffer
 * is dropped with it.
 */
async function applyBuffered(readStore: ReadStore, target: Target, buffer: WriteBuffer, events: readonly StoredEvent[], start: number): Promise<number> {
  const p = target.projection;
  const docs = buffer.docs;
  const written = target.written;
  const projected = events as unknown as readonly ProjectedEvent[];
  if (p.keyPerEvent === true) {
    for (const { key, doc } of newDocuments(p, projected, start)) docs.set(key, doc);
    return events[events.length - 1].position;
  }
  const keysPerEvent: Array<readonly string[]> = new Array(events.length);
  let toLoad: Set<string> | null = null;
  let i = start;
  try {
    for (; i < events.length; i++) {
      const keys = p.keysOf(projected[i]);
      keysPerEvent[i] = keys;
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k];
        if (docs.has(key) || (written !== undefined && !written.mightHold(key))) continue;
        (toLoad ??= new Set()).add(key);
      }
    }
  } catch (error) {
    throw new ProjectionError(p.name, projected[i].position, projected[i].type, error);
  }
  if (toLoad !== null) {
    const loaded = await readStore.getMany(target.collection, [...toLoad]);
    for (const key of toLoad) docs.set(key, loaded.get(key) ?? null);
  }
  try {
    for (i = start; i < events.length; i++) {
      const keys = keysPerEvent[i];
      const event = projected[i];
      for (let k = 0; k < keys.length; k++) docs.set(keys[k], p.evolve(docs.get(keys[k]) ?? null, event));
    }
  } catch (error) {
    throw new ProjectionError(p.name, projected[i].position, projected[i].type, error);
  }
  return events[events.length - 1].position;
}

/** Writes a buffered target's documents and its checkpoint in one commit, then empties the buffer. */
export async function flushTarget(readStore: ReadStore, target: Target, at: string): Promise<void> {
  const buffer = target.buffer;
  if (buffer === undefined || (buffer.docs.size === 0 && buffer.flushed === target.checkpoint)) return;
  const written = target.written;
  const upserts: Array<{ key: string; doc: Doc }> = [];
  const deletes: string[] = [];
  for (const [key, doc] of buffer.docs) {
    if (doc !== null) upserts.push({ key, doc });
    else if (written === undefined || written.mightHold(key)) deletes.push(key);
  }
  await readStore.commitBatch(target.collection, upserts.length + deletes.length === 0 ? [] : [{ collection: target.collection, upserts, deletes }], target.checkpoint, at);
  buffer.docs = new Map();
  buffer.flushed = target.checkpoint;
  if (target.projection.keyPerEvent !== true) remember(target, upserts);
}

/** Deleted keys are not taken out of the filter (a Bloom filter cannot): they cost one read that finds nothing. */
function remember(target: Target, upserts: ReadonlyArray<{ key: string }>): void {
  const written = target.written;
  if (written === undefined) return;
  for (const { key } of upserts) written.add(key);
}

function guard<T>(p: Projection, event: ProjectedEvent, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new ProjectionError(p.name, event.position, event.type, error);
  }
}

export interface CatchUpOptions {
  batchSize: number;
  /** Stop after this position (inclusive); default: until the log has nothing more. */
  upTo?: number;
  /** Budgets of buffered targets (default DEFAULT_FLUSH_POLICY). */
  flush?: FlushPolicy;
  onBatch?: (targets: readonly Target[], events: number) => void;
}

/**
 * Drives targets forward together: one `readAll` per batch, shared by every target, of the event types they fold
 * when every one declares them (`foldedTypes`), else of the whole log. Buffered targets are
 * flushed when a budget is reached, at the end, and on the way out of an error (each with the last batch it
 * applied whole; a target whose projection threw keeps its previous flush).
 */
export async function catchUp(eventStore: EventStore, readStore: ReadStore, targets: readonly Target[], options: CatchUpOptions): Promise<void> {
  if (targets.length === 0) return;
  const upTo = options.upTo ?? Number.POSITIVE_INFINITY;
  const policy = options.flush ?? DEFAULT_FLUSH_POLICY;
  const buffered = targets.filter((t) => t.buffer !== undefined);
  const failed = new Set<Target>();
  let flushedAt = Date.now();
  const flushAll = async () => {
    const at = new Date().toISOString();
    for (const target of buffered) if (!failed.has(target)) await flushTarget(readStore, target, at);
    flushedAt = Date.now();
  };
  // Only the event types the targets fold, when each declares them (ADR 0108).
  const types = foldedTypes(targets.map((t) => t.projection));
  const readOptions = types === undefined ? undefined : { types };
  try {
    for (;;) {
      const from = Math.min(...targets.map((t) => t.checkpoint));
      if (from >= upTo) break;
      // A filtered read says nothing of the events it skipped: the head read before it is where a short read has
      // seen everything, so the checkpoints reach the head even when the log ends with events nobody here folds.
      const head = types === undefined ? null : await eventStore.headPosition();
      let events = await eventStore.readAll(from, options.batchSize, readOptions);
      const seen = head !== null && events.length < options.batchSize ? Math.min(head, upTo) : Number.NEGATIVE_INFINITY;
      if (events.length > 0 && events[events.length - 1].position > upTo) events = events.filter((e) => e.position <= upTo);
      if (events.length === 0 && seen <= from) break;
      const at = new Date().toISOString();
      for (const target of targets) {
        try {
          if (events.length > 0) target.checkpoint = await applyBatch(readStore, target, events, at);
          if (seen > target.checkpoint) target.checkpoint = seen;
        } catch (error) {
          failed.add(target);
          throw error;
        }
      }
      if (buffered.length > 0) {
        let held = 0;
        for (const t of buffered) held += (t.buffer as WriteBuffer).docs.size;
        if (held >= policy.maxDocuments || Date.now() - flushedAt >= policy.maxMs) await flushAll();
      }
      options.onBatch?.(targets, events.length);
      // Stores over synchronous drivers resolve at once: let timers and I/O (HTTP, appends) run between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    // Keep what was applied whole; if the store itself is failing, the original error is the one to report.
    await flushAll().catch(() => undefined);
    throw error;
  }
  await flushAll();
}
