import { randomUUID } from 'node:crypto';
import { EventStore, NewEvent, StoredEvent } from '../../libs/event-store/event-store.port';
import { chainEvents, UnhashedEvent } from '../../libs/event-store/hash-chain';

/** Unique per test run: suites may share one server. */
export function streamName(label: string): string {
  return `contract_${label}-${randomUUID().replace(/-/g, '')}`;
}

export function unhashed(type: string, data: Record<string, unknown>): UnhashedEvent {
  const commandId = randomUUID();
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      actor: 'contract-suite',
      recordedAt: '2024-03-01T09:30:00.000Z',
      commandId,
      correlationId: commandId,
      causationId: commandId,
      schemaVersion: 1,
    },
  };
}

/** `count` hash-chained events following `previous` (the stream's last stored event, or null). */
export function nextEvents(streamId: string, previous: StoredEvent | null, count = 1, type = 'ContractTested'): NewEvent[] {
  const prev = previous ? { revision: previous.revision, hash: previous.metadata.hash } : null;
  const start = previous ? previous.revision + 1 : 0;
  return chainEvents(
    streamId,
    prev,
    Array.from({ length: count }, (_, i) => unhashed(type, { n: start + i, note: `event ${start + i}` })),
  );
}

/** Appends `count` chained events after the stream's current end and returns what was stored. */
export async function appendChained(store: EventStore, streamId: string, count: number): Promise<StoredEvent[]> {
  const [last] = await store.readStream(streamId, { direction: 'backward', maxCount: 1 });
  const events = nextEvents(streamId, last ?? null, count);
  await store.append(streamId, last ? last.revision : 'no_stream', events);
  return store.readStream(streamId, { fromRevision: last ? last.revision + 1 : 0 });
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function ids(events: readonly { id: string }[]): string[] {
  return events.map((e) => e.id);
}

/** Reads the global log after `afterPosition` in batches of `batchSize`, keeping events of `streams` only. */
export async function readAllOf(
  store: EventStore,
  afterPosition: number,
  streams: ReadonlySet<string>,
  batchSize = 1000,
): Promise<{ events: StoredEvent[]; batches: number[] }> {
  const events: StoredEvent[] = [];
  const batches: number[] = [];
  let after = afterPosition;
  for (;;) {
    const batch = await store.readAll(after, batchSize);
    if (batch.length === 0) return { events, batches };
    batches.push(batch.length);
    events.push(...batch.filter((e) => streams.has(e.streamId)));
    after = batch[batch.length - 1].position;
  }
}
