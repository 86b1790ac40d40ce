import type { EventStore, StoredEvent } from './event-store.port';

/** The log after `afterPosition`, in global order, one `readAll` batch at a time, until its current end. */
export async function* logBatches(store: EventStore, afterPosition: number, batchSize: number): AsyncGenerator<StoredEvent[]> {
  let after = afterPosition;
  for (;;) {
    const batch = await store.readAll(after, batchSize);
    if (batch.length === 0) return;
    yield batch;
    after = batch[batch.length - 1].position;
  }
}
