import type { StoredEvent, EventStore } from '../event-store/event-store.port';
import type { Doc, ReadStore } from '../read-store/read-store.port';
import type { ProjectedEvent, Projection } from './projection';

/** One projection writing into one physical collection, and the position it has reached there. */
export interface Target {
  projection: Projection;
  collection: string;
  checkpoint: number;
  /**
   * Set only while building a collection that started empty in this process (rebuild, verify): every key
   * upserted into it so far. Keys outside it are known absent, so they are not read back. Dropped (reads
   * everything again) past MAX_TRACKED_KEYS.
   */
  written?: Set<string>;
}

const MAX_TRACKED_KEYS = 2_000_000;

/** Thrown when a projection's own code (keysOf / evolve) fails; nothing of the batch is written. */
export class ProjectionError extends Error {
  constructor(readonly projection: string, readonly position: number, readonly eventType: string, override readonly cause: unknown) {
    super(`Projection ${projection} failed on ${eventType} at position ${position}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ProjectionError';
  }
}

/**
 * Applies the events past the target's checkpoint: one `getMany` for every key the batch touches, the
 * documents cached (and evolved in memory) for the whole batch, then one `commitBatch` with the checkpoint.
 * Events the projection ignores (no keys) only advance the checkpoint. Returns the new checkpoint.
 */
export async function applyBatch(readStore: ReadStore, target: Target, events: readonly StoredEvent[], at: string): Promise<number> {
  const { projection: p, collection } = target;
  let start = 0;
  while (start < events.length && events[start].position <= target.checkpoint) start++;
  if (start === events.length) return target.checkpoint;
  const projected = events as unknown as readonly ProjectedEvent[];
  const keysPerEvent: Array<readonly string[]> = new Array(events.length);
  const touched = new Set<string>();
  for (let i = start; i < events.length; i++) {
    const keys = guard(p, projected[i], () => p.keysOf(projected[i]));
    keysPerEvent[i] = keys;
    for (let k = 0; k < keys.length; k++) touched.add(keys[k]);
  }
  const last = events[events.length - 1].position;
  if (touched.size === 0) {
    await readStore.commitBatch(collection, [], last, at);
    return last;
  }
  const written = target.written;
  let toLoad: string[];
  if (written === undefined) toLoad = [...touched];
  else {
    toLoad = [];
    for (const key of touched) if (written.has(key)) toLoad.push(key);
  }
  const loaded = toLoad.length === 0 ? new Map<string, Doc>() : await readStore.getMany(collection, toLoad);
  const current = new Map<string, Doc | null>();
  for (let i = start; i < events.length; i++) {
    const keys = keysPerEvent[i];
    if (keys.length === 0) continue;
    const event = projected[i];
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      const doc = current.has(key) ? (current.get(key) as Doc | null) : (loaded.get(key) ?? null);
      current.set(key, guard(p, event, () => p.evolve(doc, event)));
    }
  }
  const upserts: Array<{ key: string; doc: Doc }> = [];
  const deletes: string[] = [];
  for (const [key, doc] of current) {
    if (doc !== null) upserts.push({ key, doc });
    else if (loaded.has(key)) deletes.push(key);
  }
  await readStore.commitBatch(collection, [{ collection, upserts, deletes }], last, at);
  if (written !== undefined) {
    for (const key of deletes) written.delete(key);
    for (const { key } of upserts) written.add(key);
    if (written.size > MAX_TRACKED_KEYS) target.written = undefined;
  }
  return last;
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
  onBatch?: (targets: readonly Target[], events: number) => void;
}

/** Drives targets forward together: one `readAll` per batch, shared by every target. */
export async function catchUp(eventStore: EventStore, readStore: ReadStore, targets: readonly Target[], options: CatchUpOptions): Promise<void> {
  if (targets.length === 0) return;
  const upTo = options.upTo ?? Number.POSITIVE_INFINITY;
  for (;;) {
    const from = Math.min(...targets.map((t) => t.checkpoint));
    if (from >= upTo) return;
    let events = await eventStore.readAll(from, options.batchSize);
    if (events.length > 0 && events[events.length - 1].position > upTo) events = events.filter((e) => e.position <= upTo);
    if (events.length === 0) return;
    const at = new Date().toISOString();
    for (const target of targets) target.checkpoint = await applyBatch(readStore, target, events, at);
    options.onBatch?.(targets, events.length);
    // Stores over synchronous drivers resolve at once: let timers and I/O (HTTP, appends) run between batches.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
