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

export interface Subscription {
  close(): Promise<void>;
}

export interface EventStore {
  /**
   * Appends atomically, with the exact expected revision. If every event id is already in the stream
   * at the same place (a retried append), nothing is written and the original result is returned.
   * Resolves only once the events are durable.
   */
  append(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult>;
  /** Events of one stream, forward from `fromRevision` (default 0), or backward from the end. Empty if absent. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /**
   * Every event of the given streams, in global-position order, in one call however many streams there are
   * (the auditor's replay reads thousands). Within a stream that is revision order. A stream id that does not
   * exist contributes nothing; one given twice is read once; an empty list gives an empty result.
   */
  readStreams(streamIds: readonly string[]): Promise<StoredEvent[]>;
  /** Events of the global log with position > `afterPosition` (use -1 to start at the beginning). */
  readAll(afterPosition: number, maxCount: number): Promise<StoredEvent[]>;
  /** Position of the last event in the log, or -1 when empty. */
  headPosition(): Promise<number>;
  /**
   * Catch-up subscription: delivers every event after `afterPosition` in order, then new ones as they
   * are appended. `onEvents` is awaited before the next delivery.
   */
  subscribeToAll(afterPosition: number, onEvents: (events: StoredEvent[]) => Promise<void>): Subscription;
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
