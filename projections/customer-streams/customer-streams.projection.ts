import { SCHEMA_VERSIONS } from '../../libs/domain/events';
import type { Projection } from '../../libs/projection-runtime/projection';

/**
 * Which streams hold a customer's facts: what the auditor's replay reads (then straight from the log, with
 * the hash chains). One document per stream, keyed by stream id, indexed by customerId. Every event type
 * declared in SCHEMA_VERSIONS counts, so the streams of new aggregates are listed with no change here.
 */
export type CustomerStream = {
  customerId: string;
  streamId: string;
  /** Position of the stream's first event. */
  firstPosition: number;
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

export const customerStreamsProjection: Projection<CustomerStream> = {
  name: 'customer-streams',
  version: 1,
  indexes: ['customerId'],
  keysOf(event) {
    // A stream is listed by its first event (every payload carries customerId): later events change nothing.
    if (event.revision !== 0) return [];
    const customerId = event.data.customerId;
    return Object.prototype.hasOwnProperty.call(SCHEMA_VERSIONS, event.type) && typeof customerId === 'string' && !INTERNAL_STREAM_CATEGORIES.includes(categoryOf(event.streamId)) ? [event.streamId] : [];
  },
  evolve(doc, event) {
    if (doc !== null) return doc;
    return { customerId: event.data.customerId, streamId: event.streamId, firstPosition: event.position };
  },
};
