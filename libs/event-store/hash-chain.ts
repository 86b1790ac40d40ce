import { hash } from 'node:crypto';
import { EventMetadata, NewEvent, StoredEvent } from './event-store.port';

export const GENESIS_HASH = '0'.repeat(64);

/** Strings JSON.stringify would escape: quote, backslash, control characters, and (lone) surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON: as JSON.stringify writes it, without its call for the common string that needs no escape. */
function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

/**
 * An object shape: its keys in their own order, sorted, and written as JSON (`"key":`). Events of one type
 * share a few shapes, so sorting and quoting is done once per shape, not per object.
 */
interface Shape {
  keys: readonly string[];
  sorted: readonly string[];
  quoted: readonly string[];
}

/** Shapes by first key; bounded (past the bound, objects are sorted one by one). */
const shapesByFirstKey = new Map<string, Shape[]>();
let shapeCount = 0;
const SHAPES_MAX = 2048;

function shapeOf(keys: readonly string[]): Shape {
  const candidates = shapesByFirstKey.get(keys[0]);
  if (candidates !== undefined) {
    for (let c = 0; c < candidates.length; c++) {
      const known = candidates[c].keys;
      if (known.length !== keys.length) continue;
      let same = true;
      for (let i = 1; i < keys.length; i++) {
        if (known[i] !== keys[i]) {
          same = false;
          break;
        }
      }
      if (same) return candidates[c];
    }
  }
  const sorted = [...keys].sort();
  const shape: Shape = { keys: [...keys], sorted, quoted: sorted.map((k) => jsonString(k) + ':') };
  if (shapeCount < SHAPES_MAX) {
    shapeCount += 1;
    if (candidates === undefined) shapesByFirstKey.set(keys[0], [shape]);
    else candidates.push(shape);
  }
  return shape;
}

/** `{…}` of `obj` with keys in sorted order, undefined values left out, `skip` (if any) left out. */
function canonicalObject(obj: Record<string, unknown>, skip?: string): string {
  const keys = Object.keys(obj);
  if (keys.length === 0) return '{}';
  const { sorted, quoted } = shapeOf(keys);
  let out = '{';
  let first = true;
  for (let i = 0; i < sorted.length; i++) {
    const key = sorted[i];
    const v = obj[key];
    if (v === undefined || key === skip) continue;
    out += (first ? quoted[i] : ',' + quoted[i]) + canonicalJson(v);
    first = false;
  }
  return out + '}';
}

/**
 * Canonical JSON: object keys sorted, so the hash does not depend on key order. Built in one pass with
 * string appends (it runs for every appended and every verified event); the output is byte-for-byte the
 * earlier `map(...).join(',')` form, including its handling of undefined (dropped object keys, empty array slots).
 * Strings and numbers are written without a JSON.stringify call each (same bytes); each object shape's keys
 * are sorted and quoted once.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? '' + value : 'null';
    case 'object':
      if (value === null) return 'null';
      break;
    default:
      return JSON.stringify(value); // boolean; undefined, function, symbol: undefined; bigint: throws, as before
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item = canonicalJson(value[i]) as string | undefined;
      if (item !== undefined) out += item;
    }
    return out + ']';
  }
  return canonicalObject(value as Record<string, unknown>);
}

/**
 * The text an event's hash is taken over: canonical JSON of `{streamId, revision, id, type, data, metadata
 * without hash}`. Written directly in key order (data, id, metadata, revision, streamId, type), without
 * building that object or copying the metadata; byte-for-byte `canonicalJson` of it (property test).
 */
export function eventHashInput(
  streamId: string,
  revision: number,
  event: { id: string; type: string; data: unknown; metadata: Omit<EventMetadata, 'hash'> | EventMetadata },
): string {
  const metadata = event.metadata as unknown;
  if (
    event.data === undefined || typeof event.id !== 'string' || typeof event.type !== 'string' || typeof streamId !== 'string' ||
    typeof revision !== 'number' || typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)
  ) {
    // Not the shape events have: the general definition.
    const { hash: _ignored, ...meta } = metadata as EventMetadata;
    return canonicalJson({ streamId, revision, id: event.id, type: event.type, data: event.data, metadata: meta });
  }
  const meta = metadata as Record<string, unknown>;
  const keys = Object.keys(meta);
  const known = knownMetadataJson(meta, keys);
  return (
    '{"data":' + canonicalJson(event.data) + ',"id":' + jsonString(event.id) + ',"metadata":' + (known ?? canonicalObject(meta, 'hash')) +
    ',"revision":' + canonicalJson(revision) + ',"streamId":' + jsonString(streamId) + ',"type":' + jsonString(event.type) + '}'
  );
}

/** The metadata keys in the order `chainEvents` writes them (what the stores give back); actorId and onBehalfOf are optional. */
const METADATA_KEYS = ['actor', 'recordedAt', 'commandId', 'correlationId', 'causationId', 'schemaVersion', 'prevHash', 'hash'] as const;

/**
 * Canonical JSON of metadata without `hash`, written in sorted key order without sorting, when the metadata
 * has exactly the keys `chainEvents` writes, in its order (with or without `hash`, with or without `actorId`
 * and then `onBehalfOf` after `actor`), strings where strings are expected and a finite schemaVersion;
 * otherwise null (the general path then applies).
 */
function knownMetadataJson(meta: Record<string, unknown>, keys: readonly string[]): string | null {
  let extra = 0;
  if (keys[1] === 'actorId') extra = keys[2] === 'onBehalfOf' ? 2 : 1;
  const n = keys.length - extra;
  if (n !== 8 && n !== 7) return null;
  if (keys[0] !== METADATA_KEYS[0]) return null;
  for (let i = 1; i < n; i++) if (keys[i + extra] !== METADATA_KEYS[i]) return null;
  const { actor, actorId, onBehalfOf, recordedAt, commandId, correlationId, causationId, schemaVersion, prevHash } = meta;
  if (
    typeof actor !== 'string' || typeof recordedAt !== 'string' || typeof commandId !== 'string' || typeof correlationId !== 'string' ||
    typeof causationId !== 'string' || typeof prevHash !== 'string' || typeof schemaVersion !== 'number' || !Number.isFinite(schemaVersion) ||
    (extra >= 1 && typeof actorId !== 'string') || (extra === 2 && typeof onBehalfOf !== 'string')
  ) {
    return null;
  }
  return (
    '{"actor":' + jsonString(actor) + (extra >= 1 ? ',"actorId":' + jsonString(actorId as string) : '') +
    ',"causationId":' + jsonString(causationId) + ',"commandId":' + jsonString(commandId) +
    ',"correlationId":' + jsonString(correlationId) + (extra === 2 ? ',"onBehalfOf":' + jsonString(onBehalfOf as string) : '') +
    ',"prevHash":' + jsonString(prevHash) + ',"recordedAt":' + jsonString(recordedAt) +
    ',"schemaVersion":' + schemaVersion + '}'
  );
}

export function eventHash(
  streamId: string,
  revision: number,
  event: { id: string; type: string; data: unknown; metadata: Omit<EventMetadata, 'hash'> | EventMetadata },
): string {
  // One-shot digest (no Hash object per event); same sha-256 hex as createHash().update().digest('hex').
  return hash('sha256', eventHashInput(streamId, revision, event), 'hex');
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
  /**
   * hash_mismatch, prev_hash_mismatch, revision_gap: the chain itself is broken at `revision`.
   * stream_missing, truncated, anchor_mismatch: the chain holds, but the log disagrees with the stream's anchor
   * (what was projected when the events were appended): the stream is gone, ends before the anchored revision
   * (`revision` = the first one missing), or its anchored event has another hash (rewritten with recomputed hashes).
   */
  reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'revision_gap' | 'stream_missing' | 'truncated' | 'anchor_mismatch';
}

/** A stream's last event as recorded outside the stream (the customer-streams read model). */
export interface StreamAnchor {
  streamId: string;
  firstPosition: number;
  lastRevision: number;
  lastHash: string;
  lastPosition: number;
}

/**
 * Compares the streams' events (any order) with their anchors. Events appended after an anchor was recorded
 * are fine; fewer events, or another hash at the anchored revision, are not. Returns the disagreement
 * earliest in the log (a truncation's first missing event has no known position: it sorts after the others).
 */
export function checkAnchors(events: readonly StoredEvent[], anchors: readonly StreamAnchor[]): (ChainBreak & { position: number | null }) | null {
  const check = new AnchorCheck(anchors);
  for (const e of events) check.add(e);
  return check.firstBreak();
}

/**
 * `checkAnchors` one event at a time (the paged replay, ADR 0109): per anchored stream it keeps the last revision
 * seen and the hash and position of the anchored revision, never the events.
 */
export class AnchorCheck {
  private readonly seen = new Map<string, { last: number; anchoredHash?: string; anchoredPosition?: number }>();
  private readonly wanted: Map<string, StreamAnchor>;

  constructor(private readonly anchors: readonly StreamAnchor[]) {
    this.wanted = new Map(anchors.map((a) => [a.streamId, a]));
  }

  add(e: StoredEvent): void {
    const a = this.wanted.get(e.streamId);
    if (a === undefined) return;
    let s = this.seen.get(e.streamId);
    if (s === undefined) {
      s = { last: e.revision };
      this.seen.set(e.streamId, s);
    } else if (e.revision > s.last) s.last = e.revision;
    if (e.revision === a.lastRevision) {
      s.anchoredHash = e.metadata.hash;
      s.anchoredPosition = e.position;
    }
  }

  /** The disagreement earliest in the log among the events added so far, or null. */
  firstBreak(): (ChainBreak & { position: number | null }) | null {
    let first: (ChainBreak & { position: number | null }) | null = null;
    const keep = (b: ChainBreak & { position: number | null }) => {
      if (first === null || (b.position ?? Infinity) < (first.position ?? Infinity)) first = b;
    };
    for (const a of this.anchors) {
      const s = this.seen.get(a.streamId);
      if (s === undefined) keep({ streamId: a.streamId, revision: 0, reason: 'stream_missing', position: a.firstPosition });
      else if (s.last < a.lastRevision) keep({ streamId: a.streamId, revision: s.last + 1, reason: 'truncated', position: null });
      else if (s.anchoredPosition === undefined || s.anchoredHash !== a.lastHash) {
        keep({ streamId: a.streamId, revision: a.lastRevision, reason: 'anchor_mismatch', position: s.anchoredPosition ?? a.lastPosition });
      }
    }
    return first;
  }
}

/**
 * The break an auditor is shown: of the chains' first break and the anchors' first disagreement, the one earliest
 * in the log (a truncation, position unknown, comes after any break with a position).
 */
export function earliestBreak(
  chain: (ChainBreak & { position: number }) | null,
  anchor: (ChainBreak & { position: number | null }) | null,
): (ChainBreak & { position: number | null }) | null {
  const broken = chain === null ? anchor : anchor === null || (anchor.position ?? Infinity) >= chain.position ? chain : anchor;
  return broken && { streamId: broken.streamId, revision: broken.revision, reason: broken.reason, position: broken.position };
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
 * Checks events of many streams one at a time, in global order (as `readStreams` and `readAll` give them; a
 * store's positions grow with revisions, so each stream's events come in revision order), keeping the last
 * revision and hash of every stream seen. Per stream, the checks of `verifyChain`.
 */
export class ChainVerifier {
  private readonly last = new Map<string, { revision: number; hash: string }>();

  /** Streams seen so far. */
  get streams(): number {
    return this.last.size;
  }

  /** The break `e` makes, or null (then `e` is its stream's new last link). */
  next(e: StoredEvent): (ChainBreak & { position: number }) | null {
    const previous = this.last.get(e.streamId);
    const reason = previous === undefined ? checkLink(e, 0, GENESIS_HASH) : checkLink(e, previous.revision + 1, previous.hash);
    if (reason !== null) return { streamId: e.streamId, revision: e.revision, reason, position: e.position };
    if (previous === undefined) this.last.set(e.streamId, { revision: e.revision, hash: e.metadata.hash });
    else {
      previous.revision = e.revision;
      previous.hash = e.metadata.hash;
    }
    return null;
  }

  /** The last revision seen of a stream, or undefined. */
  lastRevision(streamId: string): number | undefined {
    return this.last.get(streamId)?.revision;
  }
}

/**
 * Verifies the chains of several streams in one pass over their events in global order. The break returned
 * is the first met, i.e. the broken link earliest in the log; the events after it are not hashed.
 */
export function verifyChainsInLogOrder(events: readonly StoredEvent[]): (ChainBreak & { position: number }) | null {
  const verifier = new ChainVerifier();
  for (let i = 0; i < events.length; i++) {
    const broken = verifier.next(events[i]);
    if (broken !== null) return broken;
  }
  return null;
}
