import Database from 'better-sqlite3';
import {
  AppendResult,
  ConcurrencyError,
  DuplicateEventIdError,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadStreamOptions,
  StoredEvent,
  Subscription,
} from '../../event-store.port';
import { CatchUpSubscription } from './catch-up-subscription';
import { openDatabase, prepareStatements, sqlLimit, Statements, toStoredEvent } from './sqlite-schema';

export interface SqliteEventStoreOptions {
  path: string;
  /** Open without write access: appends are refused, reads and subscriptions work. */
  readonly?: boolean;
  /** How often subscriptions look for appends made by other processes. */
  pollIntervalMs?: number;
  /** Events per subscription delivery while catching up. */
  subscriptionBatchSize?: number;
}

interface PendingAppend {
  streamId: string;
  expected: ExpectedRevision;
  events: NewEvent[];
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; result: AppendResult; wrote: boolean } | { ok: false; error: unknown };

/**
 * Embedded event store on one SQLite file (WAL, synchronous=FULL).
 *
 * Group commit: append() only queues; the queue is flushed on setImmediate, so every append issued while the
 * event loop handles one round of I/O shares ONE durable transaction (one fsync). Each append runs in its own
 * savepoint and is checked against the state left by the earlier appends of its group, so a refused append
 * rolls back alone.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly sql: Statements;
  private readonly readonly: boolean;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly subscriptions = new Set<CatchUpSubscription>();
  /** One durable transaction per group; each append inside it is a nested transaction, i.e. a SAVEPOINT. */
  private readonly writeGroup: Database.Transaction<(group: PendingAppend[]) => Outcome[]>;
  private readonly appendInSavepoint: Database.Transaction<(pending: PendingAppend) => { result: AppendResult; wrote: boolean }>;
  /** `flushes` counts durable transactions; `appends` counts append calls that reached one. */
  readonly stats = { appends: 0, flushes: 0, largestGroup: 0 };

  constructor(options: SqliteEventStoreOptions) {
    this.readonly = options.readonly ?? false;
    this.db = openDatabase(options.path, this.readonly);
    this.sql = prepareStatements(this.db);
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.batchSize = options.subscriptionBatchSize ?? 500;
    this.appendInSavepoint = this.db.transaction((pending: PendingAppend) => this.writeAppend(pending));
    this.writeGroup = this.db.transaction((group: PendingAppend[]) =>
      group.map((pending): Outcome => {
        // Alone in its group, an append needs no savepoint: its failure rolls back the whole (empty) transaction.
        if (group.length === 1) return { ok: true, ...this.writeAppend(pending) };
        try {
          return { ok: true, ...this.appendInSavepoint(pending) };
        } catch (error) {
          return { ok: false, error }; // the savepoint is rolled back: the rest of the group goes on
        }
      }),
    );
  }

  static openReadOnly(path: string, options: Omit<SqliteEventStoreOptions, 'path' | 'readonly'> = {}): SqliteEventStore {
    return new SqliteEventStore({ ...options, path, readonly: true });
  }

  append(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('SqliteEventStore is closed'));
    if (this.readonly) return Promise.reject(new Error('SqliteEventStore was opened read-only'));
    if (events.length === 0) return Promise.reject(new RangeError(`Append to ${streamId} without events`));
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, expected, events, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const limit = sqlLimit(options.maxCount);
    const rows =
      options.direction === 'backward'
        ? this.sql.readBackward.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
        : this.sql.readForward.all(streamId, options.fromRevision ?? 0, limit);
    return rows.map(toStoredEvent);
  }

  async readAll(afterPosition: number, maxCount: number): Promise<StoredEvent[]> {
    return this.readAllSync(afterPosition, maxCount);
  }

  async headPosition(): Promise<number> {
    return this.sql.head.get()?.head ?? -1;
  }

  subscribeToAll(afterPosition: number, onEvents: (events: StoredEvent[]) => Promise<void>): Subscription {
    if (this.closed) throw new Error('SqliteEventStore is closed');
    const subscription = new CatchUpSubscription(
      (after) => this.readAllSync(after, this.batchSize),
      afterPosition,
      onEvents,
      this.pollIntervalMs,
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.db.close();
  }

  private readAllSync(afterPosition: number, maxCount: number): StoredEvent[] {
    return this.sql.readAll.all(afterPosition, sqlLimit(maxCount)).map(toStoredEvent);
  }

  private flush(): void {
    this.flushScheduled = false;
    const group = this.queue;
    if (group.length === 0) return;
    this.queue = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.writeGroup.immediate(group);
    } catch (error) {
      // Nothing of the group is durable: a lone append was refused, or the transaction failed (I/O, lock timeout).
      for (const pending of group) pending.reject(error);
      return;
    }
    this.stats.flushes += 1;
    this.stats.appends += group.length;
    this.stats.largestGroup = Math.max(this.stats.largestGroup, group.length);
    let wrote = false;
    group.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) {
        wrote ||= outcome.wrote;
        pending.resolve(outcome.result);
      } else pending.reject(outcome.error);
    });
    if (wrote) for (const subscription of this.subscriptions) subscription.notify();
  }

  private writeAppend({ streamId, expected, events }: PendingAppend): { result: AppendResult; wrote: boolean } {
    const current = this.sql.lastRevision.get(streamId)?.last_revision ?? -1;
    const retried = this.findRetried(streamId, expected, events);
    if (retried) return { result: retried, wrote: false };
    if ((expected === 'no_stream' && current !== -1) || (typeof expected === 'number' && expected !== current)) {
      throw new ConcurrencyError(streamId, expected, current === -1 ? 'no_stream' : current);
    }
    let revision = current;
    let position = -1;
    for (const [i, event] of events.entries()) {
      revision += 1;
      const existing = i === 0 ? undefined : this.sql.placeOf.get(event.id); // findRetried looked up the first
      if (existing) {
        throw new DuplicateEventIdError(streamId, event.id, { streamId: existing.stream_id, revision: existing.revision });
      }
      const info = this.sql.insert.run(
        streamId, revision, event.id, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata),
      );
      position = Number(info.lastInsertRowid);
    }
    this.sql.setRevision.run(streamId, revision);
    return { result: { nextRevision: revision, position }, wrote: true };
  }

  /** The original result when every id is already in this stream, consecutively, where this append would have put it. */
  private findRetried(streamId: string, expected: ExpectedRevision, events: NewEvent[]): AppendResult | null {
    const first = this.sql.placeOf.get(events[0].id);
    if (!first) return null;
    const start = expected === 'no_stream' ? 0 : expected === 'any' ? first.revision : expected + 1;
    let last = first;
    events.forEach((event, i) => {
      const place = i === 0 ? first : this.sql.placeOf.get(event.id);
      if (!place || place.stream_id !== streamId || place.revision !== start + i) {
        throw new DuplicateEventIdError(streamId, event.id, place ? { streamId: place.stream_id, revision: place.revision } : null);
      }
      last = place;
    });
    return { nextRevision: last.revision, position: last.position };
  }
}
