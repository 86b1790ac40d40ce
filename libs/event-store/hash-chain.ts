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

/** What is wrong with `e` as the link after (`revision`, `prevHash`) of its stream, or null. */
function checkLink(e: StoredEvent, revision: number, prevHash: string): ChainBreak['reason'] | null {
  if (e.revision !== revision) return 'revision_gap';
  if (e.metadata.prevHash !== prevHash) return 'prev_hash_mismatch';
  if (eventHash(e.streamId, e.revision, e) !== e.metadata.hash) return 'hash_mismatch';
  return null;
}

/** Verifies one stream's events (in revision order, starting at revision 0). */
export function verifyChain(events: readonly StoredEvent[]): ChainBreak | null {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const reason = checkLink(e, i, prevHash);
    if (reason !== null) return { streamId: e.streamId, revision: e.revision, reason };
    prevHash = e.metadata.hash;
  }
  return null;
}

/**
 * Verifies the chains of several streams in one pass over their events in global order (as `readStreams`
 * gives them; a store's positions grow with revisions, so each stream's events come in revision order). Per
 * stream, the checks of `verifyChain`. The break returned is the first met, i.e. the broken link earliest in
 * the log; the events after it are not hashed.
 */
export function verifyChainsInLogOrder(events: readonly StoredEvent[]): (ChainBreak & { position: number }) | null {
  const last = new Map<string, { revision: number; hash: string }>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const previous = last.get(e.streamId);
    const reason = previous === undefined ? checkLink(e, 0, GENESIS_HASH) : checkLink(e, previous.revision + 1, previous.hash);
    if (reason !== null) return { streamId: e.streamId, revision: e.revision, reason, position: e.position };
    if (previous === undefined) last.set(e.streamId, { revision: e.revision, hash: e.metadata.hash });
    else {
      previous.revision = e.revision;
      previous.hash = e.metadata.hash;
    }
  }
  return null;
}
