/** Port: the append-only log of every fact. Bound by the EVENT_STORE token in the composition root. */
export const EVENT_STORE = Symbol('EVENT_STORE');

export interface EventMetadata {
  /** The authenticated principal's name (API key name, token subject, local operator): never a header. */
  actor: string;
  /** The principal's stable id (`key:<id>`, `oidc:<sub>`, `local:<user>@<host>`); absent on events before ADR 0041. */
  actorId?: string;
  /** The user a service account (permission act_on_behalf) acted for, from its X-Actor header. */
  onBehalfOf?: string;
  /** ISO-8601 UTC instant at which the command was handled. */
  recordedAt: string;
  commandId: string;
  correlationId: string;
  causationId: string;
  schemaVersion: number;
  /** sha-256 (hex) of the previous event of the same stream; 64 zeros for the first. */
  prevHash: string;
  /** sha-256 (hex) over prevHash, stream, revision, id, type, data and the rest of the metadata. */
  hash: string;
}

/** An event to append: hashes are computed by the store's caller helper `chainEvents`. */
export interface NewEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface StoredEvent extends NewEvent {
  streamId: string;
  /** 0-based position within the stream. */
  revision: number;
  /** Position in the global log: strictly increasing with append order, comparable across streams. */
  position: number;
}

/** `no_stream`: the stream must not exist; a number: the revision of the stream's last event. */
export type ExpectedRevision = 'no_stream' | 'any' | number;

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  nextRevision: number;
  /** Global position of the last event written (or already present, for an idempotent retry). */
  position: number;
  /**
   * The exact global position of each event of the append, in order (the last one is `position`). Positions are
   * opaque (ADR 0061): on EventStoreDB they are byte offsets in the log, so an earlier event's position is never
   * derived from the last one's by subtraction.
   */
  positions: number[];
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  streamId: string;
  expected: ExpectedRevision;
  events: NewEvent[];
}

/** Refuses a malformed multi-stream append (programming error, not a conflict): no part, an empty part, a stream twice. */
export function assertAppendPlan(parts: readonly StreamAppend[]): void {
  if (parts.length === 0) throw new RangeError('appendMany without parts');
  const seen = new Set<string>();
  for (const part of parts) {
    if (part.events.length === 0) throw new RangeError(`Append to ${part.streamId} without events`);
    if (seen.has(part.streamId)) throw new RangeError(`appendMany names stream ${part.streamId} twice`);
    seen.add(part.streamId);
  }
}

export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${expected}, actual ${actual}`);
    this.name = 'ConcurrencyError';
  }
}

export interface ReadStreamOptions {
  fromRevision?: number;
  direction?: 'forward' | 'backward';
  maxCount?: number;
}

/** Options of a read of the global log (`readAll`, `countAfter`). */
export interface ReadAllOptions {
  /**
   * Only events of these types (exact type strings); absent: every event. The other events are skipped by the store
   * (SQLite: in SQL, never parsed) and not counted against `maxCount`. An empty list matches nothing. A filtered read
   * returns no position for what it skipped: a caller that must reach the head reads `headPosition()` first (ADR 0108).
   */
  types?: readonly string[];
}

export interface ReadStreamsPagedOptions {
  /** Most events in one page (an integer ≥ 1). */
  pageSize: number;
  /** Only events whose position is at most this one (e.g. the last one an earlier pass saw). */
  upToPosition?: number;
}

export interface Subscription {
  close(): Promise<void>;
}

/** Optional signals of a catch-up subscription besides its events and its drop (ADR 0061). */
export interface SubscriptionHooks {
  /** The subscription has delivered everything in the log up to now and is following new appends. */
  onCaughtUp?: () => void;
}

/**
 * A stream that was deleted (EventStoreDB tombstone, `StreamDeletedError`): no event may be appended to it and
 * reading it fails. The engine never deletes a stream; meeting one is an operator's matter, never a client's.
 */
export class StreamDeletedError extends Error {
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} is deleted in the event store`);
    this.name = 'StreamDeletedError';
  }
}

export interface EventStore {
  /**
   * True when appends are applied in the order of the calls, each checked against the ones called before it (SQLite:
   * one queue, one group commit): a caller may then queue an append chained on one still in flight (ADR 0057).
   * Absent or false (EventStoreDB): such an append could arrive first and be refused, so callers wait instead.
   */
  readonly appendsInCallOrder?: boolean;
  /**
   * True when `appendMany` is one transaction (SQLite: one savepoint of the group commit): every part or none is
   * written, and no plan is left for `completeInterruptedAppends`. A command may then write what would otherwise take
   * two durable appends in sequence, with a step to complete between them, as one (ADR 0115).
   */
  readonly appendManyInOneTransaction?: boolean;
  /**
   * Appends atomically, with the exact expected revision. If every event id is already in the stream
   * at the same place (a retried append), nothing is written and the original result is returned.
   * Resolves only once the events are durable.
   */
  append(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult>;
  /**
   * One command's appends to several streams, all or nothing (ADR 0030): each part at its exact expected
   * revision; if any part is refused (concurrency, duplicate id) nothing of any part is written. A retry whose
   * every event id is already in place writes nothing and returns the original results. Results are in the
   * order of `parts`. A stream may appear at most once; every part has at least one event.
   * SQLite: one transaction (inside the group commit). EventStoreDB (no multi-stream transactions): the whole
   * plan is recorded first on one stream, then each part is appended with deterministic ids; a plan a crash
   * interrupted is finished by `completeInterruptedAppends` (the process manager calls it at start).
   */
  appendMany(parts: readonly StreamAppend[]): Promise<AppendResult[]>;
  /**
   * Finishes the multi-stream appends whose plan was recorded but whose parts a crash interrupted, and
   * returns how many it finished. Idempotent. Stores whose appendMany is one transaction return 0.
   */
  completeInterruptedAppends(): Promise<number>;
  /** Events of one stream, forward from `fromRevision` (default 0), or backward from the end. Empty if absent. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /**
   * Every event of the given streams, in global-position order, in one call however many streams there are
   * (the auditor's replay reads thousands). Within a stream that is revision order. A stream id that does not
   * exist contributes nothing; one given twice is read once; an empty list gives an empty result.
   */
  readStreams(streamIds: readonly string[]): Promise<StoredEvent[]>;
  /**
   * The events `readStreams` gives, as pages of at most `pageSize` events (none empty), read as they are consumed:
   * the auditor's replay of a customer with millions of events holds one page, not the history (ADR 0109). With
   * `upToPosition`, only events at or before it (a compared position, never computed). A consumer may stop early.
   */
  readStreamsPaged(streamIds: readonly string[], options: ReadStreamsPagedOptions): AsyncIterable<StoredEvent[]>;
  /** Events of the global log with position > `afterPosition` (use -1 to start at the beginning), at most `maxCount`. */
  readAll(afterPosition: number, maxCount: number, options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** Position of the last event in the log, or -1 when empty. */
  headPosition(): Promise<number>;
  /**
   * How many events of the log come after `afterPosition`, counting at most `max` (the answer is then `max`):
   * lag in events, since positions are opaque and `head − checkpoint` means bytes on EventStoreDB (ADR 0061).
   */
  countAfter(afterPosition: number, max: number, options?: ReadAllOptions): Promise<number>;
  /**
   * Catch-up subscription: delivers every event after `afterPosition` in order, then new ones as they
   * are appended. `onEvents` is awaited before the next delivery. If reading fails or `onEvents` throws,
   * the subscription ends and `onDropped` gets the error (not called after `close()`): the caller
   * resubscribes from its checkpoint (libs/projection-runtime/resilient-subscription.ts). Events come in batches
   * (every event already received, up to the store's batch size), never one call per event while behind.
   */
  subscribeToAll(afterPosition: number, onEvents: (events: StoredEvent[]) => Promise<void>, onDropped?: (error: unknown) => void): Subscription;
  /**
   * Readiness (ADR 0065): resolves when the store would accept an append now, rejects with the store's error
   * otherwise, without waiting for a lock. Optional: without it readiness reads the head.
   */
  probe?(): Promise<void>;
  subscribeToAll(
    afterPosition: number,
    onEvents: (events: StoredEvent[]) => Promise<void>,
    onDropped?: (error: unknown) => void,
    hooks?: SubscriptionHooks,
  ): Subscription;
  close(): Promise<void>;
}

/** An event id already stored somewhere other than the place this append would give it. */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly streamId: string,
    readonly eventId: string,
    readonly existing: { streamId: string; revision: number } | null,
  ) {
    super(
      existing
        ? `Event ${eventId} appended to ${streamId} already exists in ${existing.streamId} at revision ${existing.revision}`
        : `Append to ${streamId} repeats only part of an earlier append (event ${eventId} is new)`,
    );
    this.name = 'DuplicateEventIdError';
  }
}
