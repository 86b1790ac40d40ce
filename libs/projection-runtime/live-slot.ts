import { catchUp, type Target } from './apply-batch';
import { generationCollection, liveKey, parseGeneration } from './generations';
import { ensureProjectionIndexes, type Projection } from './projection';
import { rebuildProjections, type RebuildHost } from './rebuilder';

/** A projection as the live loop runs it: its live collection, checkpoint, and whether it has stopped. */
export interface Slot extends Target {
  lastError: string | null;
  /** Parked: its own code threw; it stays stopped at its checkpoint. */
  failed: boolean;
  /** Consecutive store errors while writing its batches (0: healthy); it is retried from its checkpoint. */
  failures: number;
  /** When `live:<name>` was last compared with `collection` (another process may swap it). */
  checkedAt: number;
}

export interface SlotLogger {
  log(message: string): void;
  error(message: string): void;
}

/** How long a cached `live:<name>` is trusted before meta is read again. */
export const LIVE_TTL_MS = 500;

/**
 * Opens the live collection of a projection: creates generation 1 on first start; if the live one is of
 * another version, builds this version beside it (blue/green) and swaps before going live.
 */
export async function openSlot(host: RebuildHost, p: Projection, logger: SlotLogger): Promise<Slot> {
  const rs = host.readStore;
  let live = await rs.getMeta(liveKey(p.name));
  let lastError: string | null = null;
  if (live && parseGeneration(live)?.version !== p.version) {
    logger.log(`Projection ${p.name}: live is ${live}, building version ${p.version} beside it`);
    try {
      await rebuildProjections(host, [p]);
      live = await rs.getMeta(liveKey(p.name));
    } catch (error) {
      lastError = describeError(error);
      logger.error(`Projection ${p.name}: building version ${p.version} failed, it stays stopped: ${lastError}`);
    }
  }
  if (!live) {
    live = generationCollection(p, 1);
    await rs.setMeta(liveKey(p.name), live);
  }
  await ensureProjectionIndexes(rs, live, p);
  const checkpoint = (await rs.getCheckpoint(live))?.position ?? -1;
  return { projection: p, collection: live, checkpoint, lastError, failed: lastError !== null, failures: 0, checkedAt: Date.now() };
}

/**
 * Another process (e.g. the rebuild CLI) may have swapped the live collection: move the slot to it, bring it
 * up to what this process has already consumed from the log, and drop what we may have written to the old
 * one after it was retired. Returns true if the slot moved.
 */
export async function followForeignSwap(host: RebuildHost, slot: Slot, delivered: number, logger: SlotLogger): Promise<boolean> {
  if (Date.now() - slot.checkedAt < LIVE_TTL_MS) return false;
  slot.checkedAt = Date.now();
  const rs = host.readStore;
  const live = await rs.getMeta(liveKey(slot.projection.name));
  if (!live || live === slot.collection) return false;
  logger.log(`Projection ${slot.projection.name}: live moved from ${slot.collection} to ${live}`);
  const retired = slot.collection;
  slot.collection = live;
  slot.checkpoint = (await rs.getCheckpoint(live))?.position ?? -1;
  await catchUp(host.eventStore, rs, [slot], { batchSize: host.rebuildBatchSize, upTo: delivered });
  await rs.dropCollection(retired);
  await rs.deleteCheckpoint(retired);
  return true;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
