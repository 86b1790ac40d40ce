import type { EventStore } from '../event-store/event-store.port';

const PAGE = 1000;

/**
 * How many events of the log follow `after` (a checkpoint), counted by reading them, up to `cap`: positions are
 * the store's to interpret (EventStoreDB's are byte offsets), so a lag is never `head − checkpoint` (ADR 0065).
 * At most ⌈cap / 1000⌉ reads; a lag at the cap means "at least cap".
 */
export async function eventsAfter(store: Pick<EventStore, 'readAll'>, after: number, cap: number): Promise<number> {
  let total = 0;
  let position = after;
  while (total < cap) {
    const page = await store.readAll(position, Math.min(PAGE, cap - total));
    if (page.length === 0) break;
    total += page.length;
    position = page[page.length - 1].position;
  }
  return total;
}

/** When the first event after `after` was recorded (ISO-8601), or null when there is none: the age of a lag. */
export async function oldestUnapplied(store: Pick<EventStore, 'readAll'>, after: number): Promise<string | null> {
  const [first] = await store.readAll(after, 1);
  return first ? first.metadata.recordedAt : null;
}
