import { SCHEMA_VERSIONS } from '../../libs/domain/events';
import type { Projection } from '../../libs/projection-runtime/projection';

/**
 * Which streams hold a customer's facts: what the auditor's replay reads (then straight from the log, with
 * the hash chains). One document per stream, keyed by stream id, indexed by customerId. Every event type
 * declared in SCHEMA_VERSIONS counts, so the streams of new aggregates are listed with no change here.
 * It also anchors each stream: the last revision projected and that event's hash, so a verification can
 * tell a stream cut short, deleted, or rewritten with recomputed hashes (ADR 0028).
 */
export type CustomerStream = {
  customerId: string;
  streamId: string;
  /** Position of the stream's first event. */
  firstPosition: number;
  /** The last event of the stream this projection has seen: revision, hash, position. */
  lastRevision: number;
  lastHash: string;
  lastPosition: number;
};

/**
 * Streams that are internal bookkeeping rather than facts about one customer. New internal stream
 * categories (e.g. a dunning run's own stream) are added here.
 */
export const INTERNAL_STREAM_CATEGORIES: readonly string[] = ['invoicenumbers', 'creditnotenumbers'];

function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}

/** Every type the engine writes (the schema versions' table). */
const TYPES: ReadonlySet<string> = new Set(Object.keys(SCHEMA_VERSIONS));

export const customerStreamsProjection: Projection<CustomerStream> = {
  name: 'customer-streams',
  version: 2,
  indexes: ['customerId'],
  eventTypes: TYPES,
  keysOf(event) {
    // Every payload carries customerId: the stream is listed by its first event, and each later one moves its anchor.
    const customerId = event.data.customerId;
    return TYPES.has(event.type) && typeof customerId === 'string' && !INTERNAL_STREAM_CATEGORIES.includes(categoryOf(event.streamId)) ? [event.streamId] : [];
  },
  evolve(doc, event) {
    const last = { lastRevision: event.revision, lastHash: event.metadata.hash, lastPosition: event.position };
    if (doc === null) return { customerId: event.data.customerId, streamId: event.streamId, firstPosition: event.position, ...last };
    return event.revision > doc.lastRevision ? { ...doc, ...last } : doc;
  },
};
