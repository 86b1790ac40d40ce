import type { EventStore } from '../event-store/event-store.port';
import type { ReadStore } from '../read-store/read-store.port';
import { KeyFilter } from './key-filter';
import { catchUp, type FlushPolicy, type Target } from './apply-batch';
import { buildingKey, canonicalJson, generationCollection, liveKey, nextGeneration, parseGeneration, scratchCollection } from './generations';
import { collectionOf, ensureProjectionIndexes, foldedTypes, type Projection } from './projection';

export interface RebuildProgress {
  projection: string;
  /** Position the new generation has reached (in memory). */
  position: number;
  /** Position written to the store with the new generation's documents: where a killed rebuild resumes. */
  durable: number;
  head: number;
  /** Events read for this projection in this run. */
  events: number;
  /**
   * Events this run has to read for it, counted when it started (null when not counted, or more than the count's
   * cap): the percentage shown is `events / total`, never a ratio of positions, which are opaque (byte offsets on
   * EventStoreDB, ADR 0061).
   */
  total: number | null;
}

/** Counting the events to read costs a read of them on EventStoreDB: beyond this many, progress shows no percentage. */
const PROGRESS_COUNT_CAP = 1_000_000;

export interface VerifyResult {
  identical: boolean;
  /** Documents compared (keys of either side). */
  compared: number;
  differenceCount: number;
  /** The first few: canonical JSON on each side, null where the key is missing. */
  differences: Array<{ key: string; live: string | null; rebuilt: string | null }>;
}

/** What the rebuilder needs from the projector that serves the live collections. */
export interface RebuildHost {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly rebuildBatchSize: number;
  /** When a collection being built writes its buffered documents (ADR 0026). */
  readonly rebuildFlush: FlushPolicy;
  /** Runs `fn` between live batches, so a swap never interleaves with a write to the old collection. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Called inside `exclusive` once meta names the new live collection. */
  swapped(name: string, collection: string, checkpoint: number): void;
  /** Live collection and its checkpoint as the projector sees them now. */
  liveState(name: string): Promise<{ collection: string; checkpoint: number }>;
}

/** A new generation to build from the start of the log: its projection and the collection it goes to. */
export interface StagedJob {
  projection: Projection;
  collection: string;
}

/**
 * Builds fresh generations somewhere else than the rebuilding thread (other threads, each with its own read of the
 * log and its own file, ADR 0119) and puts each into the read store with its checkpoint, as a resumable generation:
 * the rebuild then only catches up from there and swaps. `onProgress(collection, events, position)` as it goes.
 */
export interface RebuildStager {
  /** Called once per rebuild, with no job when every generation is resumed (then only leftovers are cleared). */
  stage(jobs: readonly StagedJob[], onProgress: (collection: string, events: number, position: number) => void): Promise<void>;
}

/**
 * Blue/green rebuild: each projection is built into a new generation from the start of the log (or resumed
 * from a generation a killed run left in `building:<name>`) while the live one keeps serving; once caught
 * up with the head, `live:<name>` is switched and the old generation dropped.
 */
export async function rebuildProjections(host: RebuildHost, projections: readonly Projection[], onProgress?: (p: RebuildProgress) => void, stager?: RebuildStager): Promise<void> {
  const rs = host.readStore;
  const targets: Target[] = [];
  for (const p of projections) {
    const { collection, fresh } = await prepareGeneration(rs, p);
    targets.push({ projection: p, collection, checkpoint: -1, written: fresh ? new KeyFilter() : undefined });
  }
  const readCheckpoints = async (of: readonly Target[]) => {
    for (const t of of) {
      t.checkpoint = (await rs.getCheckpoint(t.collection))?.position ?? -1;
      t.buffer = { docs: new Map(), flushed: t.checkpoint };
    }
  };
  await readCheckpoints(targets);
  const counts = new Map<string, number>(targets.map((t) => [t.collection, 0]));
  const totals = new Map<string, number | null>();
  if (onProgress) {
    // The events the catch-up will read: of the folded types only, when it reads only those (ADR 0108).
    const types = foldedTypes(projections);
    const readOptions = types === undefined ? undefined : { types };
    // Counted once per checkpoint, not once per projection: a fresh rebuild of all of them counts the log once
    // (each count walks up to PROGRESS_COUNT_CAP events: 18 counts were 8–11 % of a whole rebuild's time).
    const byCheckpoint = new Map<number, number>();
    for (const t of targets) {
      let n = byCheckpoint.get(t.checkpoint);
      if (n === undefined) {
        n = await host.eventStore.countAfter(t.checkpoint, PROGRESS_COUNT_CAP, readOptions);
        byCheckpoint.set(t.checkpoint, n);
      }
      totals.set(t.collection, n >= PROGRESS_COUNT_CAP ? null : n);
    }
  }
  const staged = stager ? targets.filter((t) => t.written !== undefined) : [];
  // Called even with nothing to build fresh (every generation resumed): the stager clears what a killed run left.
  if (stager) {
    // The fresh generations are built elsewhere and land here with their checkpoints, as a killed rebuild leaves
    // them: what follows resumes them. Their keys are then not known here, so they are read back (`written` unset).
    const byCollection = new Map(staged.map((t) => [t.collection, t]));
    const stagedHead = await host.eventStore.headPosition();
    await stager.stage(staged.map((t) => ({ projection: t.projection, collection: t.collection })), (collection, events, position) => {
      const t = byCollection.get(collection);
      if (!t) return;
      counts.set(collection, events);
      // Nothing is durable here before the copy: a killed staged rebuild resumes these generations from their start.
      onProgress?.({ projection: t.projection.name, position, durable: t.checkpoint, head: Math.max(stagedHead, position), events, total: totals.get(collection) ?? null });
    });
    for (const t of staged) t.written = undefined;
    await readCheckpoints(staged);
  }
  let head = await host.eventStore.headPosition();
  const report = (batch: readonly Target[], events: number) => {
    for (const t of batch) {
      counts.set(t.collection, (counts.get(t.collection) ?? 0) + events);
      if (t.checkpoint > head) head = t.checkpoint;
      onProgress?.({ projection: t.projection.name, position: t.checkpoint, durable: t.buffer?.flushed ?? t.checkpoint, head, events: counts.get(t.collection) ?? 0, total: totals.get(t.collection) ?? null });
    }
  };
  const options = { batchSize: host.rebuildBatchSize, flush: host.rebuildFlush, onBatch: report };
  await catchUp(host.eventStore, rs, targets, options);
  // Indexes after the bulk load (sorted once) rather than maintained row by row: at a million events even invoices'
  // fourteen indexes cost less so, although they cost more so at 100k events (ADR 0096).
  for (const t of targets) await ensureProjectionIndexes(rs, t.collection, t.projection);
  const retired = await host.exclusive(async () => {
    await catchUp(host.eventStore, rs, targets, options);
    const old: string[] = [];
    for (const t of targets) {
      const previous = await rs.getMeta(liveKey(t.projection.name));
      await rs.setMeta(liveKey(t.projection.name), t.collection);
      await rs.setMeta(buildingKey(t.projection.name), '');
      host.swapped(t.projection.name, t.collection, t.checkpoint);
      if (previous && previous !== t.collection) old.push(previous);
    }
    return old;
  });
  for (const collection of retired) await dropWithCheckpoint(rs, collection);
}

/** The generation to build into: the one a previous run left for this version, else a fresh one. */
async function prepareGeneration(rs: ReadStore, p: Projection): Promise<{ collection: string; fresh: boolean }> {
  const live = await rs.getMeta(liveKey(p.name));
  const building = (await rs.getMeta(buildingKey(p.name))) || null;
  if (building && building !== live) {
    if (parseGeneration(building)?.base === collectionOf(p)) return { collection: building, fresh: false };
    await dropWithCheckpoint(rs, building);
  }
  const collection = generationCollection(p, nextGeneration(live, building));
  await rs.setMeta(buildingKey(p.name), collection);
  await dropWithCheckpoint(rs, collection);
  return { collection, fresh: true };
}

async function dropWithCheckpoint(rs: ReadStore, collection: string): Promise<void> {
  await rs.dropCollection(collection);
  await rs.deleteCheckpoint(collection);
}

/** Rebuilds into a scratch collection up to the live checkpoint and compares documents key by key. */
export async function verifyProjection(host: RebuildHost, p: Projection, maxDifferences = 10): Promise<VerifyResult> {
  const rs = host.readStore;
  const scratch = scratchCollection(p);
  await dropWithCheckpoint(rs, scratch);
  try {
    const target: Target = { projection: p, collection: scratch, checkpoint: -1, written: new KeyFilter(), buffer: { docs: new Map(), flushed: -1 } };
    const first = await host.liveState(p.name);
    await catchUp(host.eventStore, rs, [target], { batchSize: host.rebuildBatchSize, flush: host.rebuildFlush, upTo: first.checkpoint });
    return await host.exclusive(async () => {
      const live = await host.liveState(p.name);
      await catchUp(host.eventStore, rs, [target], { batchSize: host.rebuildBatchSize, flush: host.rebuildFlush, upTo: live.checkpoint });
      return compareCollections(rs, live.collection, scratch, maxDifferences);
    });
  } finally {
    await dropWithCheckpoint(rs, scratch);
  }
}

async function compareCollections(rs: ReadStore, live: string, rebuilt: string, max: number): Promise<VerifyResult> {
  const result: VerifyResult = { identical: true, compared: 0, differenceCount: 0, differences: [] };
  const record = (key: string, l: string | null, r: string | null) => {
    result.identical = false;
    result.differenceCount++;
    if (result.differences.length < max) result.differences.push({ key, live: l, rebuilt: r });
  };
  // Rebuilt side first (every key, compared), then the live side for keys the rebuild does not have.
  for (const [from, other, fromIsLive] of [[rebuilt, live, false], [live, rebuilt, true]] as const) {
    for (let after: string | null = null; ;) {
      const page = await rs.scan(from, after, 2000);
      if (page.length === 0) break;
      after = page[page.length - 1].key;
      const others = await rs.getMany(other, page.map((e) => e.key));
      for (const { key, doc } of page) {
        const otherDoc = others.get(key);
        if (fromIsLive) {
          if (!otherDoc) { result.compared++; record(key, canonicalJson(doc), null); }
          continue;
        }
        result.compared++;
        const mine = canonicalJson(doc);
        const theirs = otherDoc ? canonicalJson(otherDoc) : null;
        if (mine !== theirs) record(key, theirs, mine);
      }
    }
  }
  return result;
}
