import { hash } from 'node:crypto';
import { EventMetadata, NewEvent, StoredEvent } from './event-store.port';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted, so the hash does not depend on key order. Built in one pass with
 * string appends (it runs for every appended and every verified event); the output is byte-for-byte the
 * earlier `map(...).join(',')` form, including its handling of undefined (dropped object keys, empty array slots).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item = canonicalJson(value[i]) as string | undefined;
      if (item !== undefined) out += item;
    }
    return out + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const v = obj[keys[i]];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(keys[i]) + ':' + canonicalJson(v);
  }
  return out + '}';
}

export function eventHash(
  streamId: string,
  revision: number,
  event: { id: string; type: string; data: unknown; metadata: Omit<EventMetadata, 'hash'> | EventMetadata },
): string {
  const { hash: _ignored, ...meta } = event.metadata as EventMetadata;
  // One-shot digest (no Hash object per event); same sha-256 hex as createHash().update().digest('hex').
  return hash('sha256', canonicalJson({ streamId, revision, id: event.id, type: event.type, data: event.data, metadata: meta }), 'hex');
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
