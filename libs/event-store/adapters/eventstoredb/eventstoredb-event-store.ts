import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  StreamDeletedError as EsdbStreamDeletedError,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
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
  StreamDeletedError,
  Subscription,
  SubscriptionHooks,
} from '../../event-store.port';
import {
  APPEND_PLANS_STREAM,
  ENGINE_STREAM_PREFIXES,
  isEngineEvent,
  toEsdbConnectionString,
  toEsdbId,
  toEventData,
  toExpectedRevision,
  toReadPosition,
  toStoredEvent,
} from './eventstoredb-mapping';
import { batches } from './batches';
import { mergeStreamsPaged } from '../../stream-merge';

/** A multi-stream append as recorded before any of its parts (ADR 0030). */
interface AppendPlan {
  planId: string;
  parts: StreamAppend[];
}

/** A recorded plan one of whose parts met another writer: left for a person, never written over fresher state. */
export class AppendPlanParkedError extends Error {
  constructor(readonly planId: string, readonly conflict: ConcurrencyError) {
    super(`Append plan ${planId} is parked: ${conflict.message}`);
    this.name = 'AppendPlanParkedError';
  }
}

/** Streams read at once by readStreams: enough to overlap round trips, few enough not to flood the channel. */
const READ_STREAMS_CONCURRENCY = 16;

type Resolved = { event?: Parameters<typeof toStoredEvent>[0]; commitPosition?: bigint };
type Source = AsyncIterable<Resolved> & {
  cancel(): Promise<void>;
};

/**
 * Events read back from a stream's end before each append, to catch a retry that repeats only part of an
 * earlier append: the server checks ids only when the expected revision is behind the stream, not when it
 * equals it (ADR 0062).
 */
const RECENT_IDS_WINDOW = 64;

export interface EventStoreDbOptions {
  /** Stream-name prefixes of this engine's streams: the only ones readAll, subscriptions and the head see. */
  streamPrefixes?: readonly string[];
  /** Most events handed to one subscription delivery (default 500). */
  subscriptionBatchSize?: number;
}

/**
 * EventStoreDB adapter (production). Thin by design: the server owns ordering, durability (its ack) and the
 * expected-revision check. Idempotent retries are detected by reading the stream and comparing event ids,
 * never by the server's best-effort dedup window. Not enforced here: uniqueness of an event id across streams.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly prefixes: readonly string[];
  private readonly subscriptionBatchSize: number;
  private readonly streamLocks = new Map<string, Promise<void>>();

  constructor(options: ({ connectionString: string } | { client: EventStoreDBClient }) & EventStoreDbOptions) {
    this.client = 'client' in options ? options.client : EventStoreDBClient.connectionString(toEsdbConnectionString(options.connectionString));
    this.prefixes = options.streamPrefixes ?? ENGINE_STREAM_PREFIXES;
    this.subscriptionBatchSize = options.subscriptionBatchSize ?? 500;
  }

  async append(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError(`Append to ${streamId} without events`);
    return this.withStreams([streamId], () => this.appendUnlocked(streamId, expected, events));
  }

  /**
   * Runs `fn` once no other append or plan of this process holds any of the streams: within a process, a plan's
   * check (step 1) and its parts (step 3) see no other writer of its streams, so of two concurrent plans on a
   * shared stream the second is refused at its check and writes nothing (the contract); across processes the
   * server's expected-revision check stands, and a part that loses is parked (ADR 0030, ADR 0062).
   */
  private async withStreams<T>(streamIds: readonly string[], fn: () => Promise<T>): Promise<T> {
    const keys = [...new Set(streamIds)];
    const previous = keys.map((k) => this.streamLocks.get(k) ?? Promise.resolve());
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const mine = Promise.all(previous).then(() => held);
    for (const k of keys) this.streamLocks.set(k, mine);
    await Promise.all(previous);
    try {
      return await fn();
    } finally {
      release();
      for (const k of keys) if (this.streamLocks.get(k) === mine) this.streamLocks.delete(k);
    }
  }

  private async appendUnlocked(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    // The server tells a retry from a new append only when the expected revision is behind the stream: with ANY, or
    // with the stream's current revision (a retry repeating part of an earlier append), it would write the ids again.
    // Read the stream's recent ids first; any of ours there makes this a retry (or a refused partial one).
    if (expected !== 'no_stream' && (await this.hasRecentId(streamId, events))) {
      const retried = await this.findRetried(streamId, expected, events);
      if (retried) return retried;
    }
    try {
      const result = await this.client.appendToStream(streamId, events.map(toEventData), {
        expectedRevision: toExpectedRevision(expected),
      });
      // The append's own events, read back (revisions are counters) for their exact positions, never derived from
      // the last one's: commit positions are byte offsets in the server's log (ADR 0061).
      const lastRevision = Number(result.nextExpectedRevision);
      const written = await this.readStream(streamId, { fromRevision: lastRevision - events.length + 1, maxCount: events.length });
      if (written.length !== events.length || written.some((e, i) => e.id !== events[i].id || e.position < 0)) {
        const retried = await this.findRetried(streamId, expected, events);
        if (retried) return retried;
        throw new Error(`EventStoreDB acknowledged an append to ${streamId} at revision ${lastRevision} whose events are not in place`);
      }
      return { nextRevision: lastRevision, position: written[written.length - 1].position, positions: written.map((e) => e.position) };
    } catch (error) {
      if (error instanceof EsdbStreamDeletedError) throw new StreamDeletedError(streamId);
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const retried = await this.findRetried(streamId, expected, events);
      if (retried) return retried;
      const actual = error.actualVersion === NO_STREAM ? 'no_stream' : Number(error.actualVersion);
      throw new ConcurrencyError(streamId, expected, actual);
    }
  }

  private async hasRecentId(streamId: string, events: readonly NewEvent[]): Promise<boolean> {
    const recent = await this.readStream(streamId, { direction: 'backward', maxCount: RECENT_IDS_WINDOW + events.length });
    const ids = new Set(recent.map((e) => e.id));
    return events.some((e) => ids.has(e.id));
  }

  /**
   * No multi-stream transaction on the server: (1) every part's expected revision is checked (a conflict
   * writes nothing), (2) the whole plan is recorded as one event on APPEND_PLANS_STREAM, (3) each part is
   * appended at its exact revision with its own (deterministic) ids. A crash after (2) leaves a plan that
   * `completeInterruptedAppends` finishes; a retry of the same call finishes it too (every step is idempotent).
   */
  async appendMany(parts: readonly StreamAppend[]): Promise<AppendResult[]> {
    assertAppendPlan(parts);
    // One stream: the server's own append is atomic, no plan needed.
    if (parts.length === 1) return [await this.append(parts[0].streamId, parts[0].expected, parts[0].events)];
    return this.withStreams(parts.map((p) => p.streamId), () => this.appendPlan(parts));
  }

  private async appendPlan(parts: readonly StreamAppend[]): Promise<AppendResult[]> {
    const plan: AppendPlan = { planId: parts[0].events[0].id, parts: parts.map((p) => ({ streamId: p.streamId, expected: p.expected, events: p.events })) };
    const retried = await Promise.all(parts.map((p) => this.findRetried(p.streamId, p.expected, p.events)));
    if (retried.every((r) => r !== null)) return retried as AppendResult[];
    if (retried.every((r) => r === null)) {
      // Nothing of it is written yet: refuse a stale plan before recording it.
      for (const p of parts) {
        const [last] = await this.readStream(p.streamId, { direction: 'backward', maxCount: 1 });
        const actual = last ? last.revision : 'no_stream';
        const ok = p.expected === 'any' || p.expected === actual;
        if (!ok) throw new ConcurrencyError(p.streamId, p.expected, actual);
      }
      await this.client.appendToStream(APPEND_PLANS_STREAM, jsonEvent({
        id: toEsdbId(`plan|${plan.planId}`), type: 'AppendPlanned', data: plan as unknown as Record<string, unknown>,
      }));
    }
    return this.complete(plan);
  }

  /** Reads the plans and finishes those with a part not yet in place (a crash between steps 2 and 3). */
  async completeInterruptedAppends(): Promise<number> {
    const recorded = await this.readStream(APPEND_PLANS_STREAM);
    const done = new Set(recorded.filter((e) => e.type === 'AppendCompleted').map((e) => (e.data as { planId: string }).planId));
    let completed = 0;
    for (const e of recorded) {
      if (e.type !== 'AppendPlanned') continue;
      const plan = e.data as unknown as AppendPlan;
      if (done.has(plan.planId)) continue;
      try {
        await this.withStreams(plan.parts.map((p) => p.streamId), () => this.complete(plan));
      } catch (error) {
        // A parked plan stays visible (warning at every start) and does not stop the others.
        if (!(error instanceof AppendPlanParkedError)) throw error;
        process.emitWarning(error.message);
        continue;
      }
      done.add(plan.planId);
      completed += 1;
    }
    return completed;
  }

  private async complete(plan: AppendPlan): Promise<AppendResult[]> {
    const results: AppendResult[] = [];
    for (const p of plan.parts) {
      try {
        results.push(await this.appendUnlocked(p.streamId, p.expected, p.events));
      } catch (error) {
        // Another writer got in between the check and this part: its decision was made on older state. Parked.
        if (error instanceof ConcurrencyError) throw new AppendPlanParkedError(plan.planId, error);
        throw error;
      }
    }
    await this.client.appendToStream(APPEND_PLANS_STREAM, jsonEvent({
      id: toEsdbId(`plan-completed|${plan.planId}`), type: 'AppendCompleted', data: { planId: plan.planId },
    }));
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const backward = options.direction === 'backward';
    const read = this.client.readStream(streamId, {
      direction: backward ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backward ? END : START,
      ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
    });
    try {
      return await collect(read, () => true, Number.MAX_SAFE_INTEGER);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      if (error instanceof EsdbStreamDeletedError) throw new StreamDeletedError(streamId);
      throw error;
    }
  }

  /**
   * The server has no multi-stream read (short of a filtered scan of $all): each stream is read with `readStream`,
   * at most READ_STREAMS_CONCURRENCY at a time over the client's one gRPC channel, and the events are merged by
   * their commit position in $all (a `Position` of bigints, held as a number like every position here).
   */
  async readStreams(streamIds: readonly string[]): Promise<StoredEvent[]> {
    const unique = [...new Set(streamIds)];
    const perStream: StoredEvent[][] = new Array<StoredEvent[]>(unique.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < unique.length) {
        const i = next++;
        perStream[i] = await this.readStream(unique[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_STREAMS_CONCURRENCY, unique.length) }, worker));
    const events = perStream.flat();
    const unplaced = events.find((e) => e.position < 0);
    if (unplaced) {
      // Servers before 22.6 give stream reads no commit position: the global order cannot be had this way.
      throw new Error(`EventStoreDB returned no commit position for ${unplaced.streamId}@${unplaced.revision}: readStreams needs server 22.6 or later`);
    }
    // Positions are compared, never subtracted (ADR 0061).
    return events.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  }

  /**
   * Merged from each stream's reads (libs/event-store/stream-merge.ts), READ_STREAMS_CONCURRENCY first events at once
   * to start: a round trip per chunk of a stream, and one more for each stream's next event once its chunk is used up.
   */
  readStreamsPaged(streamIds: readonly string[], options: ReadStreamsPagedOptions): AsyncIterable<StoredEvent[]> {
    const placed = (events: StoredEvent[]): StoredEvent[] => {
      const unplaced = events.find((e) => e.position < 0);
      if (unplaced) throw new Error(`EventStoreDB returned no commit position for ${unplaced.streamId}@${unplaced.revision}: readStreamsPaged needs server 22.6 or later`);
      return events;
    };
    return mergeStreamsPaged(streamIds, {
      chunk: async (streamId, fromRevision, maxCount) => placed(await this.readStream(streamId, { fromRevision, maxCount })),
      head: async (streamId, fromRevision) => {
        const [first] = placed(await this.readStream(streamId, { fromRevision, maxCount: 1 }));
        return first === undefined ? null : { revision: first.revision, position: first.position };
      },
    }, { concurrency: READ_STREAMS_CONCURRENCY, ...options });
  }

  /**
   * The client (6.x) has no server-side filter on reads of $all: the filter (this engine's stream prefixes, no
   * `$` events, no append plans, and `options.types`) is applied here; subscriptions filter on the server.
   */
  async readAll(afterPosition: number, maxCount: number, options?: ReadAllOptions): Promise<StoredEvent[]> {
    const types = options?.types === undefined ? null : new Set(options.types);
    if (maxCount <= 0 || types?.size === 0) return [];
    // Reading from a position includes the event at that position: skip up to it.
    const read = this.client.readAll({ fromPosition: toReadPosition(afterPosition), direction: FORWARDS });
    return collect(read, (e) => isEngineEvent(e, this.prefixes) && e.position > afterPosition && (types === null || types.has(e.type)), maxCount);
  }

  async headPosition(): Promise<number> {
    const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS });
    const [last] = await collect(read, (e) => isEngineEvent(e, this.prefixes), 1);
    return last?.position ?? -1;
  }

  async countAfter(afterPosition: number, max: number, options?: ReadAllOptions): Promise<number> {
    return (await this.readAll(afterPosition, max, options)).length;
  }

  /**
   * A catch-up subscription filtered on the server to this engine's stream prefixes (which excludes `$` streams),
   * delivering in batches: every event the client has buffered, up to `subscriptionBatchSize`, in one `onEvents`.
   * A drop (an error, or the server ending the stream) goes to `onDropped`; the caller resubscribes from its
   * checkpoint. The server's caught-up signal (servers 23.10 and later) goes to `hooks.onCaughtUp`.
   */
  subscribeToAll(
    afterPosition: number,
    onEvents: (events: StoredEvent[]) => Promise<void>,
    onDropped?: (error: unknown) => void,
    hooks?: SubscriptionHooks,
  ): Subscription {
    const subscription = this.client.subscribeToAll({
      fromPosition: toReadPosition(afterPosition),
      filter: streamNameFilter({ prefixes: [...this.prefixes] }),
    });
    if (hooks?.onCaughtUp) subscription.on('caughtUp', hooks.onCaughtUp);
    let closed = false;
    let after = afterPosition;
    const done = (async () => {
      try {
        for await (const batch of batches(subscription as AsyncIterable<Resolved>, this.subscriptionBatchSize)) {
          const events: StoredEvent[] = [];
          for (const resolved of batch) {
            const event = resolved.event && toStoredEvent(resolved.event, resolved.commitPosition);
            if (!event || !isEngineEvent(event, this.prefixes) || event.position <= after) continue;
            events.push(event);
          }
          if (events.length === 0) continue;
          await onEvents(events);
          after = events[events.length - 1].position;
        }
        // The server ended the stream without an error: a drop all the same.
        if (!closed) throw Object.assign(new Error('EventStoreDB subscription ended by the server'), { transient: true });
      } catch (error) {
        if (closed) return;
        subscription.destroy();
        if (onDropped) onDropped(error);
        else process.emitWarning(`EventStoreDB subscription stopped after position ${after}: ${String(error)}`);
      }
    })();
    return {
      close: async () => {
        closed = true;
        await subscription.unsubscribe();
        subscription.destroy();
        await done;
      },
    };
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** The original result when every id is already in this stream, consecutively, where this append would have put it. */
  private async findRetried(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult | null> {
    const stored = await this.readStream(streamId);
    const byId = new Map(stored.map((e) => [e.id, e]));
    const first = byId.get(events[0].id);
    if (!first) return null;
    const start = expected === 'no_stream' ? 0 : expected === 'any' ? first.revision : expected + 1;
    const places = events.map((event, i) => {
      const place = byId.get(event.id);
      if (!place || place.revision !== start + i) {
        throw new DuplicateEventIdError(streamId, event.id, place ? { streamId, revision: place.revision } : null);
      }
      return place;
    });
    const unplaced = places.find((e) => e.position < 0);
    if (unplaced) throw new Error(`EventStoreDB returned no commit position for ${streamId}@${unplaced.revision}: the engine needs server 22.6 or later`);
    const last = places[places.length - 1];
    return { nextRevision: last.revision, position: last.position, positions: places.map((e) => e.position) };
  }
}

/** Reads until `max` events pass `keep`, then cancels the server-side read. */
async function collect(read: Source, keep: (e: StoredEvent) => boolean, max: number): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  try {
    for await (const resolved of read) {
      const event = resolved.event && toStoredEvent(resolved.event, resolved.commitPosition);
      if (event && keep(event)) out.push(event);
      if (out.length >= max) break;
    }
  } finally {
    if (out.length >= max) await read.cancel();
  }
  return out;
}
