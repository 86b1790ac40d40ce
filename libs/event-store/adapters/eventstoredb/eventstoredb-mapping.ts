import { createHash } from 'node:crypto';
import {
  ANY,
  AppendExpectedRevision,
  EventData,
  jsonEvent,
  NO_STREAM,
  Position,
  ReadPosition,
  RecordedEvent,
  START,
} from '@eventstore/db-client';
import { EventMetadata, ExpectedRevision, NewEvent, StoredEvent } from '../../event-store.port';

/** Metadata key keeping our event id when it is not a lowercase UUID (EventStoreDB ids must be UUIDs). */
const ORIGINAL_ID = 'arEventId';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A deterministic UUID (version 8 layout) for a non-UUID id, so a retried append carries the same ids. */
export function toEsdbId(id: string): string {
  if (UUID.test(id)) return id;
  const hex = createHash('sha256').update(id).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function toEventData(event: NewEvent): EventData {
  const esdbId = toEsdbId(event.id);
  const metadata = esdbId === event.id ? { ...event.metadata } : { ...event.metadata, [ORIGINAL_ID]: event.id };
  return jsonEvent({ id: esdbId, type: event.type, data: event.data, metadata });
}

export function toExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  return BigInt(expected);
}

/** Our positions are the commit positions of $all: one per event for gRPC appends, increasing with the log. */
export function toReadPosition(afterPosition: number): ReadPosition {
  if (afterPosition < 0) return START;
  const at = BigInt(afterPosition);
  return { commit: at, prepare: at };
}

/**
 * The adapter's own stream of multi-stream append plans (ADR 0030): infrastructure, not a fact of the ledger,
 * so it is kept out of readAll, subscriptions and the head like the server's system streams.
 */
export const APPEND_PLANS_STREAM = 'ar_append_plans';

/** System streams and events ($-prefixed: $stats, $settings, projections, …) are not ours; nor are the append plans. */
export function isSystemEvent(event: { streamId: string; type: string }): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$') || event.streamId === APPEND_PLANS_STREAM;
}

/**
 * The categories of this engine's streams (libs/domain/shared/ids.ts `streams`, the books stream, API keys):
 * subscriptions to $all are filtered on the server to these prefixes, so other applications sharing the
 * server, `$` system streams and the append plans never reach a projection. A test checks that every stream
 * the engine writes starts with one of them.
 */
export const ENGINE_STREAM_PREFIXES: readonly string[] = [
  'invoice-', 'invoicenumbers-', 'payment-', 'credit-', 'creditnote-', 'creditnotenumbers-', 'paymentplan-', 'books-', 'apikey-',
];

/** One of this engine's events: in one of its streams (by prefix), not a system event. */
export function isEngineEvent(event: { streamId: string; type: string }, prefixes: readonly string[] = ENGINE_STREAM_PREFIXES): boolean {
  return !isSystemEvent(event) && prefixes.some((prefix) => event.streamId.startsWith(prefix));
}

/**
 * EventStoreDB is now KurrentDB: `kurrentdb://` and `kurrentdb+discover://` (the KurrentDB clients' schemes) are
 * accepted and handed to the 6.x client, which parses only `esdb://` and `esdb+discover://`, under those names.
 * The rest of the string (hosts, credentials, `?tls=false`, …) is passed unchanged.
 */
export function toEsdbConnectionString(connectionString: string): string {
  const trimmed = connectionString.trim();
  const match = /^(kurrentdb|esdb)(\+discover)?:\/\//i.exec(trimmed);
  if (!match) throw new Error(`EventStoreDB connection string must start with esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover:// (got ${JSON.stringify(trimmed.split('://')[0] + '://')})`);
  return `esdb${match[2] ? '+discover' : ''}://${trimmed.slice(match[0].length)}`;
}

/** A commit position the port's `number` cannot hold exactly (above 2^53 − 1 bytes of log, ADR 0061 addendum). */
export class PositionBeyondNumberError extends Error {
  constructor(readonly commit: bigint) {
    super(`EventStoreDB commit position ${commit} is beyond ${Number.MAX_SAFE_INTEGER} (2^53 − 1), the largest log position this engine holds exactly; `
      + 'refusing to round it (see ADR 0061, addendum: the port\'s position must become a bigint or a string first)');
    this.name = 'PositionBeyondNumberError';
  }
}

/** The server's commit position (a bigint byte offset) as the port's number, exactly, or PositionBeyondNumberError. */
export function toPortPosition(commit: bigint): number {
  if (commit > BigInt(Number.MAX_SAFE_INTEGER)) throw new PositionBeyondNumberError(commit);
  return Number(commit);
}

/** Null for a non-JSON event (never written by this adapter). `commitPosition` is the resolved event's, if any. */
export function toStoredEvent(event: RecordedEvent, commitPosition?: bigint): StoredEvent | null {
  if (!event.isJson || typeof event.data !== 'object' || Array.isArray(event.data)) return null;
  const raw = (event.metadata ?? {}) as Record<string, unknown>;
  const { [ORIGINAL_ID]: originalId, ...metadata } = raw;
  const position: Position | undefined = event.position;
  const known = (p: bigint | undefined) => (p !== undefined && p >= 0n && p < 2n ** 63n ? p : undefined);
  const commit = known(position?.commit) ?? known(commitPosition);
  return {
    id: typeof originalId === 'string' ? originalId : event.id,
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: metadata as unknown as EventMetadata,
    streamId: event.streamId,
    revision: Number(event.revision),
    // Stream reads on servers before 22.6 carry no (or a max-int) position: -1 marks it unknown.
    position: commit === undefined ? -1 : toPortPosition(commit),
  };
}
