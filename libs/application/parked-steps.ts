import type { ReadStore } from '../read-store/read-store.port';
import { positionFromStored, positionToText } from '../read-store/stored-position';

/** Where the process manager keeps its position (read store meta): every step before it is completed or parked. */
export const PROCESS_MANAGER_CHECKPOINT_KEY = 'process-manager:position';
/** The process manager's checkpoint as saved (-1 before any), read back exactly (decimal text, ADR 0092). */
export async function loadProcessManagerCheckpoint(readStore: Pick<ReadStore, 'getMeta'>): Promise<number> {
  const saved = await readStore.getMeta(PROCESS_MANAGER_CHECKPOINT_KEY);
  return saved === null ? -1 : positionFromStored(saved, PROCESS_MANAGER_CHECKPOINT_KEY);
}

/** The process manager's checkpoint as it is saved: decimal text. */
export function processManagerCheckpointText(position: number): string {
  return positionToText(position, PROCESS_MANAGER_CHECKPOINT_KEY);
}

/** Parked steps: one document per step, keyed by its zero-padded position (log order), in the read store (ADR 0045). */
export const PARKED_COLLECTION = 'process_parked';
const PARKED_WRITER = 'process-manager:parked';

/** A step that kept failing for a reason that is not transient, or that waits behind one of its customer's. */
export interface ParkedStep {
  position: number;
  eventId: string;
  type: string;
  streamId: string;
  revision: number;
  /** Steps of one lane (the customer) complete in log order: a later one waits behind a parked one. */
  lane: string;
  attempts: number;
  error: string;
  /** Position of the parked step of the same lane this one waits behind (null: parked for its own failure). */
  blockedBy: number | null;
  parkedAt: string;
}

const parkedKey = (position: number) => String(position).padStart(20, '0');

/** Every parked step, as saved (any process may have parked or unparked some). */
export async function loadParkedSteps(readStore: ReadStore): Promise<Map<number, ParkedStep>> {
  const result = new Map<number, ParkedStep>();
  for (let after: string | null = null; ;) {
    const page = await readStore.scan(PARKED_COLLECTION, after, 500);
    for (const { doc } of page) result.set((doc as unknown as ParkedStep).position, doc as unknown as ParkedStep);
    if (page.length < 500) return result;
    after = page[page.length - 1].key;
  }
}

/** Parks (upserts) and unparks (deletes by position) in one commit. */
export async function writeParkedSteps(readStore: ReadStore, upserts: ParkedStep[], deletes: number[]): Promise<void> {
  await readStore.commitBatch(PARKED_WRITER, [{
    collection: PARKED_COLLECTION,
    upserts: upserts.map((step) => ({ key: parkedKey(step.position), doc: step as unknown as Record<string, unknown> })),
    deletes: deletes.map(parkedKey),
  }], -1, new Date().toISOString());
}
