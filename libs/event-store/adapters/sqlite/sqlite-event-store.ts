import Database from 'better-sqlite3';
import {
  AppendResult,
  assertAppendPlan,
  ConcurrencyError,
  DuplicateEventIdError,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamsPagedOptions,
  StoredEvent,
  StreamAppend,
  Subscription,
  SubscriptionHooks,
} from '../../event-store.port';
import { probeWriteLock } from '../../../sqlite/sqlite-file';
import { CatchUpSubscription } from './catch-up-subscription';
import { WalCheckpointer } from '../../../sqlite/wal-checkpointer';
import { openDatabase, prepareReadStreamsUpTo, prepareStatements, RawEventRow, rawToStoredEvent, sqlLimit, Statements, StreamEventRow, streamRowsToStoredEvents } from './sqlite-schema';

export interface SqliteEventStoreOptions {
  path: string;
  /** Open without write access: appends are refused, reads and subscriptions work. */
  readonly?: boolean;
  /** How often subscriptions look for appends made by other processes. */
  pollIntervalMs?: number;
  /** Events per subscription delivery while catching up. */
  subscriptionBatchSize?: number;
  /** How long a write waits for another connection's lock before failing with SQLITE_BUSY (default 5000). */
  busyTimeoutMs?: number;
  /**
   * WAL checkpoints on a worker thread instead of inside the commits of this connection (ADR 0116); this connection
   * then checkpoints itself only past BACKSTOP_CHECKPOINT_PAGES. Default false (one connection, no thread).
   */
  backgroundCheckpoints?: boolean;
}

/** With background checkpoints, the WAL size (pages) past which this connection checkpoints itself, if the worker fell behind. */
export const BACKSTOP_CHECKPOINT_PAGES = 20_000;

/** One append() call (one part) or one appendMany() call (its parts, all or nothing). */
interface PendingAppend {
  parts: readonly StreamAppend[];
  resolve(results: AppendResult[]): void;
  reject(error: unknown): void;
}

/** `last`: the stream's last event as written, when the append wrote; `rows`: every event it wrote, as a stream read returns them. */
type Written = { result: AppendResult; wrote: boolean; last?: RawEventRow; rows?: StreamEventRow[] };
type Outcome = { ok: true; written: Written[] } | { ok: false; error: unknown };

/**
 * A stream read back empty (e.g. the books before any closing, ADR 0101): remembered like a last event, under the same
 * `data_version` rule, and replaced by the stream's first event when this connection writes one.
 */
const EMPTY = 'empty' as const;

/** At most this many streams keep their last event in memory (oldest-written evicted first). */
const LAST_EVENT_CACHE_SIZE = 50_000;

/**
 * Whole short streams kept in memory as their raw rows (ADR 0114): a command loads its customer's credit stream and
 * its invoice's stream on every call, and the SQLite read was a twelfth of the command path. Bounded in rows, not
 * streams: at most this many rows in all, streams of at most STREAM_CACHE_MAX_EVENTS events.
 */
const STREAM_CACHE_ROWS = 16_384;
const STREAM_CACHE_MAX_EVENTS = 32;

/** Thrown out of the group transaction when an append without savepoint failed after writing: the group rolls back. */
class GroupAborted extends Error {
  constructor(readonly reason: unknown) {
    super('group transaction aborted');
  }
}

function isEventIdConflict(error: unknown): boolean {
  // Duck-typed: under test runners the SqliteError class may come from another realm than this module's Error.
  const e = error as { code?: unknown; message?: unknown } | null;
  return (
    typeof e === 'object' && e !== null && e.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    typeof e.message === 'string' && e.message.includes('events.event_id')
  );
}

function isStreamRevisionConflict(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return (
    typeof e === 'object' && e !== null && e.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    typeof e.message === 'string' && e.message.includes('events.stream_id, events.revision')
  );
}

/**
 * Embedded event store on one SQLite file (WAL, synchronous=FULL).
 *
 * Group commit: append() only queues; the queue is flushed on setImmediate, so every append issued while the
 * event loop handles one round of I/O shares ONE durable transaction (one fsync). Each append runs in its own
 * savepoint and is checked against the state left by the earlier appends of its group, so a refused append
 * rolls back alone.
 */
export class SqliteEventStore implements EventStore {
  /** One queue, flushed in order in one transaction: an append is checked against those queued before it. */
  readonly appendsInCallOrder = true;
  /** `appendMany` is one savepoint of one group commit: all its parts or none. */
  readonly appendManyInOneTransaction = true;
  private readonly db: Database.Database;
  private readonly sql: Statements;
  private readonly readonly: boolean;
  private readonly path: string;
  private readonly busyTimeoutMs: number | undefined;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly subscriptions = new Set<CatchUpSubscription>();
  /** One durable transaction per group; each append inside it is a nested transaction, i.e. a SAVEPOINT. */
  private readonly writeGroup: Database.Transaction<(group: PendingAppend[]) => { outcomes: Outcome[]; version: number }>;
  private readonly appendInSavepoint: Database.Transaction<(pending: PendingAppend) => Written[]>;
  /**
   * Last event of each stream this connection wrote or read back, as stored (raw row). Valid only while
   * `PRAGMA data_version` is `cacheVersion`, i.e. while no other connection has committed to the file:
   * a commit elsewhere empties it. Serves readStream(backward, maxCount 1); appends never trust it (their
   * expected-revision check reads the stream's last revision inside the write transaction).
   */
  private readonly lastEvents = new Map<string, RawEventRow | typeof EMPTY>();
  /**
   * Every event of short streams this connection read whole (from revision 0, to the end), as raw rows; extended by
   * this connection's own appends, valid under the same `data_version` rule as `lastEvents` (ADR 0114). Each read
   * builds its events afresh from the rows: no caller ever shares an event object with another.
   */
  private readonly streamRows = new Map<string, StreamEventRow[]>();
  private streamRowsCount = 0;
  private cacheVersion = -1;
  /** Set by writeAppend once it has written a row (then a failure must roll back more than the statement). */
  private appendWrote = false;
  /** The worker that checkpoints this file's WAL, when `backgroundCheckpoints` (ADR 0116). */
  readonly checkpointer: WalCheckpointer | null = null;
  /** `flushes` counts durable transactions; `appends` counts append calls that reached one. */
  readonly stats = { appends: 0, flushes: 0, largestGroup: 0 };

  constructor(options: SqliteEventStoreOptions) {
    this.readonly = options.readonly ?? false;
    this.path = options.path;
    this.busyTimeoutMs = options.busyTimeoutMs;
    this.db = openDatabase(options.path, this.readonly, options.busyTimeoutMs);
    if (options.backgroundCheckpoints === true && !this.readonly) {
      this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
      this.checkpointer = new WalCheckpointer({ path: options.path });
    }
    this.sql = prepareStatements(this.db);
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.batchSize = options.subscriptionBatchSize ?? 500;
    this.appendInSavepoint = this.db.transaction((pending: PendingAppend) => this.writeParts(pending));
    this.writeGroup = this.db.transaction((group: PendingAppend[]) => ({
      outcomes: group.map((pending): Outcome => {
        // Alone in its group, an append needs no savepoint: its failure rolls back the whole (empty) transaction.
        if (group.length === 1) return { ok: true, written: this.writeParts(pending) };
        // A one-event append needs none either: every refusal happens before its only write (a failed INSERT
        // writes nothing). A failure after that write aborts the whole group (GroupAborted).
        // A multi-stream append always has its savepoint: a later part's refusal undoes the earlier parts.
        if (pending.parts.length === 1 && pending.parts[0].events.length === 1) {
          try {
            return { ok: true, written: [this.writeAppend(pending.parts[0])] };
          } catch (error) {
            if (this.appendWrote || !this.db.inTransaction) throw new GroupAborted(error);
            return { ok: false, error };
          }
        }
        try {
          return { ok: true, written: this.appendInSavepoint(pending) };
        } catch (error) {
          return { ok: false, error }; // the savepoint is rolled back: the rest of the group goes on
        }
      }),
      // Read under the write lock: every other connection's commit so far, none until ours is done.
      version: this.sql.dataVersion.get() as number,
    }));
  }

  static openReadOnly(path: string, options: Omit<SqliteEventStoreOptions, 'path' | 'readonly'> = {}): SqliteEventStore {
    return new SqliteEventStore({ ...options, path, readonly: true });
  }

  append(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('SqliteEventStore is closed'));
    if (this.readonly) return Promise.reject(new Error('SqliteEventStore was opened read-only'));
    if (events.length === 0) return Promise.reject(new RangeError(`Append to ${streamId} without events`));
    return this.enqueue([{ streamId, expected, events }]).then((results) => results[0]);
  }

  /** One savepoint (or, alone in its group, the group's transaction) for every part: all or nothing, in the group commit. */
  appendMany(parts: readonly StreamAppend[]): Promise<AppendResult[]> {
    try {
      assertAppendPlan(parts);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.enqueue(parts.map((p) => ({ streamId: p.streamId, expected: p.expected, events: p.events })));
  }

  /** Nothing is ever left half-done: appendMany is one transaction. */
  async completeInterruptedAppends(): Promise<number> {
    return 0;
  }

  private enqueue(parts: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new Error('SqliteEventStore is closed'));
    if (this.readonly) return Promise.reject(new Error('SqliteEventStore was opened read-only'));
    return new Promise<AppendResult[]>((resolve, reject) => {
      this.queue.push({ parts, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const limit = sqlLimit(options.maxCount);
    if (options.direction === 'backward') {
      const from = options.fromRevision ?? Number.MAX_SAFE_INTEGER;
      if (limit === 1) {
        // The last event: from memory when this connection knows it and nobody else committed since.
        this.checkCache();
        const cached = this.lastEvents.get(streamId);
        if (cached === EMPTY) return [];
        if (cached && from >= cached[2]) return [rawToStoredEvent(cached)];
        const rows = this.sql.readBackward.all(streamId, from, 1);
        if (from === Number.MAX_SAFE_INTEGER) this.remember(streamId, rows.length === 1 ? rows[0] : EMPTY);
        return rows.map(rawToStoredEvent);
      }
      return this.sql.readBackward.all(streamId, from, limit).map(rawToStoredEvent);
    }
    const from = options.fromRevision ?? 0;
    this.checkCache();
    const cached = this.streamRows.get(streamId);
    if (cached !== undefined && Number.isInteger(from)) {
      // Revisions are 0, 1, 2… without gaps: revision r is row r.
      const start = Math.max(0, from);
      return streamRowsToStoredEvents(streamId, cached.slice(start, limit < 0 ? undefined : start + limit));
    }
    const rows = this.sql.readForward.all(streamId, from, limit);
    if (from <= 0 && (limit < 0 || rows.length < limit)) this.rememberStream(streamId, rows);
    return streamRowsToStoredEvents(streamId, rows);
  }

  async readStreams(streamIds: readonly string[]): Promise<StoredEvent[]> {
    if (streamIds.length === 0) return [];
    // Row by row: each raw row (two JSON texts) is garbage as soon as it is parsed, instead of all 10,000 rows of a
    // busy customer surviving young-generation collections together with the events built from them.
    const events: StoredEvent[] = [];
    for (const row of this.sql.readStreams.iterate(JSON.stringify(streamIds))) events.push(rawToStoredEvent(row));
    return events;
  }

  /**
   * `readStreams`' statement, stepped a page at a time on a read-only connection of its own (this one serves the
   * group commit meanwhile, and a connection with a statement open can run no other), closed when the reader is done
   * or stops. The read holds one WAL snapshot from its first page to its last: appends go on, the WAL is checkpointed
   * past it only afterwards. Per-stream reads merged in the process (libs/event-store/stream-merge.ts, what
   * EventStoreDB does) made the 50k-event replay 1.5–2 times slower here: a statement of ~35 µs per stream chunk
   * (random row reads) instead of one walk in position order (ADR 0109).
   */
  async *readStreamsPaged(streamIds: readonly string[], options: ReadStreamsPagedOptions): AsyncGenerator<StoredEvent[]> {
    const { pageSize } = options;
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be an integer ≥ 1, got ${pageSize}`);
    if (streamIds.length === 0) return;
    const db = openDatabase(this.path, true, this.busyTimeoutMs);
    try {
      const rows = prepareReadStreamsUpTo(db).iterate(JSON.stringify(streamIds), options.upToPosition ?? Number.MAX_SAFE_INTEGER);
      let page: StoredEvent[] = [];
      for (const row of rows) {
        page.push(rawToStoredEvent(row));
        if (page.length === pageSize) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    } finally {
      db.close();
    }
  }

  async readAll(afterPosition: number, maxCount: number, options?: ReadAllOptions): Promise<StoredEvent[]> {
    const types = options?.types;
    if (types === undefined) return this.readAllSync(afterPosition, maxCount);
    if (types.length === 0) return [];
    return this.sql.readAllOfTypes.all(afterPosition, JSON.stringify(types), sqlLimit(maxCount)).map(rawToStoredEvent);
  }

  async headPosition(): Promise<number> {
    return this.sql.head.get()?.head ?? -1;
  }

  async countAfter(afterPosition: number, max: number, options?: ReadAllOptions): Promise<number> {
    const types = options?.types;
    if (max <= 0 || types?.length === 0) return 0;
    if (types !== undefined) return this.sql.countAfterOfTypes.get(afterPosition, JSON.stringify(types), max)?.n ?? 0;
    return this.sql.countAfter.get(afterPosition, max)?.n ?? 0;
  }

  subscribeToAll(
    afterPosition: number,
    onEvents: (events: StoredEvent[]) => Promise<void>,
    onDropped?: (error: unknown) => void,
    hooks?: SubscriptionHooks,
  ): Subscription {
    if (this.closed) throw new Error('SqliteEventStore is closed');
    const subscription = new CatchUpSubscription(
      (after) => this.readAllSync(after, this.batchSize),
      afterPosition,
      onEvents,
      this.pollIntervalMs,
      (s) => this.subscriptions.delete(s),
      onDropped,
      hooks?.onCaughtUp,
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Takes the write lock and releases it at once, busy timeout 0 for this one statement: SQLITE_BUSY if held. */
  async probe(): Promise<void> {
    if (this.readonly && this.db.open) { this.db.prepare('SELECT 1').get(); return; }
    probeWriteLock(this.db);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    // The worker's connection first: the last one to close checkpoints the WAL and removes it.
    await this.checkpointer?.close();
    this.db.close();
  }

  private readAllSync(afterPosition: number, maxCount: number): StoredEvent[] {
    return this.sql.readAll.all(afterPosition, sqlLimit(maxCount)).map(rawToStoredEvent);
  }

  /** Empties the last-event cache if another connection committed since it was filled. */
  private checkCache(): void {
    if (this.versionChecked) return;
    const version = this.sql.dataVersion.get() as number;
    if (version !== this.cacheVersion) this.forgetCaches(version);
    // Checked once per run of the microtask queue (ADR 0114): whatever tells this process that another one committed
    // (a request, a message, a timer) reaches it in a later callback, after this queue has run and the flag is down.
    this.versionChecked = true;
    queueMicrotask(this.versionUnchecked);
  }

  private versionChecked = false;
  private readonly versionUnchecked = () => {
    this.versionChecked = false;
  };

  private forgetCaches(version: number): void {
    this.lastEvents.clear();
    this.streamRows.clear();
    this.streamRowsCount = 0;
    this.cacheVersion = version;
  }

  /** A whole stream as read or extended by this connection, if it is short enough; evicts the oldest beyond the budget. */
  private rememberStream(streamId: string, rows: StreamEventRow[]): void {
    const cache = this.streamRows;
    const had = cache.get(streamId);
    if (had !== undefined) {
      cache.delete(streamId);
      this.streamRowsCount -= had.length;
    }
    if (rows.length > STREAM_CACHE_MAX_EVENTS) return;
    cache.set(streamId, rows);
    this.streamRowsCount += rows.length;
    while (this.streamRowsCount > STREAM_CACHE_ROWS || cache.size > STREAM_CACHE_ROWS) {
      const [oldest, oldRows] = cache.entries().next().value as [string, StreamEventRow[]];
      cache.delete(oldest);
      this.streamRowsCount -= oldRows.length;
    }
  }

  private remember(streamId: string, row: RawEventRow | typeof EMPTY): void {
    const cache = this.lastEvents;
    cache.delete(streamId);
    if (cache.size >= LAST_EVENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(streamId, row);
  }

  private flush(): void {
    this.flushScheduled = false;
    const group = this.queue;
    if (group.length === 0) return;
    this.queue = [];
    let outcomes: Outcome[];
    let version: number;
    try {
      ({ outcomes, version } = this.writeGroup.immediate(group));
    } catch (caught) {
      // Nothing of the group is durable: a lone append was refused, or the transaction failed (I/O, lock timeout).
      const error = caught instanceof GroupAborted ? caught.reason : caught;
      for (const pending of group) pending.reject(error);
      return;
    }
    // Committed. If another connection committed since the cache was filled (seen by `version`, read inside the
    // transaction), the cache is emptied first; what this group wrote is then each stream's last event at `version`.
    if (version !== this.cacheVersion) this.forgetCaches(version);
    for (let i = 0; i < group.length; i++) {
      const outcome = outcomes[i];
      if (!outcome.ok) continue;
      outcome.written.forEach((w, j) => {
        const streamId = group[i].parts[j].streamId;
        if (w.last) this.remember(streamId, w.last);
        // A stream kept whole stays whole: what this group appended to it follows its last row (revisions in order).
        const kept = w.rows && this.streamRows.get(streamId);
        if (kept) this.rememberStream(streamId, kept.concat(w.rows!));
      });
    }
    this.stats.flushes += 1;
    this.stats.appends += group.length;
    this.stats.largestGroup = Math.max(this.stats.largestGroup, group.length);
    let wrote = false;
    group.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) {
        wrote ||= outcome.written.some((w) => w.wrote);
        pending.resolve(outcome.written.map((w) => w.result));
      } else pending.reject(outcome.error);
    });
    if (wrote) for (const subscription of this.subscriptions) subscription.notify();
  }

  /** Every part of one pending append; the caller's transaction or savepoint makes them one. */
  private writeParts(pending: PendingAppend): Written[] {
    return pending.parts.map((part) => this.writeAppend(part));
  }

  private writeAppend({ streamId, expected, events }: StreamAppend): Written {
    this.appendWrote = false;
    // A new stream needs no revision lookup: revisions start at 0 and have no gaps, so the stream exists iff a row
    // (stream, 0) does, and the INSERT of revision 0 is refused by the UNIQUE (stream_id, revision) index exactly then
    // (ADR 0100). One index seek less per stream created (every invoice, payment, customer).
    const current = expected === 'no_stream' ? -1 : ((this.sql.lastRevision.get(streamId) as number | undefined) ?? -1);
    if (typeof expected === 'number' && expected !== current) return this.refused(streamId, expected, current, events);
    let revision = current;
    let position = -1;
    const positions: number[] = [];
    let last: RawEventRow | undefined;
    const rows: StreamEventRow[] = [];
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      revision += 1;
      const data = JSON.stringify(event.data);
      const metadata = JSON.stringify(event.metadata);
      let info: Database.RunResult;
      try {
        info = this.sql.insert.run(streamId, revision, event.id, event.type, data, metadata);
      } catch (error) {
        if (i === 0 && expected === 'no_stream' && isStreamRevisionConflict(error)) {
          return this.refused(streamId, expected, (this.sql.lastRevision.get(streamId) as number | undefined) ?? -1, events);
        }
        // The UNIQUE constraint on event_id stands for a duplicate-id lookup per event; the failed INSERT wrote nothing.
        if (!isEventIdConflict(error)) throw error;
        if (i === 0 && expected === 'no_stream') {
          // Both constraints broken, the id named first: the stream exists, refused as by the check above.
          const existing = this.sql.lastRevision.get(streamId) as number | undefined;
          if (existing !== undefined) return this.refused(streamId, expected, existing, events);
        }
        if (i === 0) {
          const retried = this.findRetried(streamId, expected, events);
          if (retried) return { result: retried, wrote: false };
          throw error;
        }
        const existing = this.sql.placeOf.get(event.id);
        throw new DuplicateEventIdError(streamId, event.id, existing ? { streamId: existing.stream_id, revision: existing.revision } : null);
      }
      this.appendWrote = true;
      position = Number(info.lastInsertRowid);
      positions.push(position);
      last = [position, streamId, revision, event.id, event.type, data, metadata];
      rows.push([position, revision, event.id, event.type, data, metadata]);
    }
    return { result: { nextRevision: revision, position, positions }, wrote: true, last, rows };
  }

  /** The stream is not at the expected revision: a retried append (its ids already in place) succeeds whatever the stream's revision now. */
  private refused(streamId: string, expected: ExpectedRevision, current: number, events: NewEvent[]): Written {
    const retried = this.findRetried(streamId, expected, events);
    if (retried) return { result: retried, wrote: false };
    throw new ConcurrencyError(streamId, expected, current === -1 ? 'no_stream' : current);
  }

  /** The original result when every id is already in this stream, consecutively, where this append would have put it. */
  private findRetried(streamId: string, expected: ExpectedRevision, events: NewEvent[]): AppendResult | null {
    const first = this.sql.placeOf.get(events[0].id);
    if (!first) return null;
    const start = expected === 'no_stream' ? 0 : expected === 'any' ? first.revision : expected + 1;
    let last = first;
    const positions: number[] = [];
    events.forEach((event, i) => {
      const place = i === 0 ? first : this.sql.placeOf.get(event.id);
      if (!place || place.stream_id !== streamId || place.revision !== start + i) {
        throw new DuplicateEventIdError(streamId, event.id, place ? { streamId: place.stream_id, revision: place.revision } : null);
      }
      positions.push(place.position);
      last = place;
    });
    return { nextRevision: last.revision, position: last.position, positions };
  }
}
