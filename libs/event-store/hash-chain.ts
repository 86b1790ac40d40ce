import { createHash } from 'node:crypto';
import { EventMetadata, NewEvent, StoredEvent } from './event-store.port';

export const GENESIS_HASH = '0'.repeat(64);

/** Canonical JSON: object keys sorted, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
}

export function eventHash(
  streamId: string,
  revision: number,
  event: { id: string; type: string; data: unknown; metadata: Omit<EventMetadata, 'hash'> | EventMetadata },
): string {
  const { hash: _ignored, ...meta } = event.metadata as EventMetadata;
  return createHash('sha256')
    .update(canonicalJson({ streamId, revision, id: event.id, type: event.type, data: event.data, metadata: meta }))
    .digest('hex');
}

export type UnhashedEvent = Omit<NewEvent, 'metadata'> & { metadata: Omit<EventMetadata, 'hash' | 'prevHash'> };

/** Fills prevHash/hash for events appended after `previous` (the stream's last event, or none). */
export function chainEvents(
  streamId: string,
  previous: { revision: number; hash: string } | null,
  events: UnhashedEvent[],
): NewEvent[] {
  let prevHash = previous?.hash ?? GENESIS_HASH;
  let revision = previous ? previous.revision + 1 : 0;
  return events.map((e) => {
    const metadata = { ...e.metadata, prevHash } as EventMetadata;
    const hash = eventHash(streamId, revision, { ...e, metadata });
    prevHash = hash;
    revision += 1;
    return { ...e, metadata: { ...metadata, hash } };
  });
}

export interface ChainBreak {
  streamId: string;
  revision: number;
  reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'revision_gap';
}

/** Verifies one stream's events (in revision order, starting at revision 0). */
export function verifyChain(events: readonly StoredEvent[]): ChainBreak | null {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.revision !== i) return { streamId: e.streamId, revision: e.revision, reason: 'revision_gap' };
    if (e.metadata.prevHash !== prevHash) return { streamId: e.streamId, revision: e.revision, reason: 'prev_hash_mismatch' };
    if (eventHash(e.streamId, e.revision, e) !== e.metadata.hash) {
      return { streamId: e.streamId, revision: e.revision, reason: 'hash_mismatch' };
    }
    prevHash = e.metadata.hash;
  }
  return null;
}
