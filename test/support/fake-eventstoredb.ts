import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type EventStoreDBClient,
} from '@eventstore/db-client';

/**
 * An in-memory stand-in for the part of `EventStoreDBClient` (@eventstore/db-client 6.x) the adapter uses, modelled
 * on the server's documented semantics, so that the adapter's logic is tested here where no server can run:
 *
 * - **Positions are byte offsets**: each event's commit (= prepare, one transaction per gRPC append) position
 *   grows by the record's size, not by one, so arithmetic on positions gives wrong answers, as on a real log.
 * - **Idempotency as the server does it** (KurrentDB `IndexWriter.CheckCommit`): with an expected revision
 *   behind the stream, the events at the following revisions are compared by id — all equal: idempotent success,
 *   only some: wrong expected version (CorruptedIdempotency); with ANY, the same check from the first id's place;
 *   with the current revision, **no check at all: the events are written again**.
 * - **$all carries other writers**: a `$`-prefixed system event (`$statsCollected` on `$$stats`) after every
 *   append when `systemNoise` is on, and whatever `appendForeign` writes (another application's streams).
 * - **Subscriptions** apply a server-side stream-prefix filter, emit `caughtUp` once the existing events are
 *   delivered, follow new appends, and can be made to fail (`dropSubscriptions`) with the client's
 *   `UnavailableError`, as when the server restarts.
 * - **Tombstones**: `tombstone(stream)` makes reads and appends fail with `StreamDeletedError`.
 */
interface Record_ {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  isJson: true;
  position: { commit: bigint; prepare: bigint };
  created: Date;
}

type Filter = { filterOn?: string; prefixes?: string[]; regex?: string };

interface FakeSubscription {
  queue: Record_[];
  after: bigint;
  filter: Filter | undefined;
  wake: (() => void) | null;
  failure: Error | null;
  ended: boolean;
}

export class FakeEventStoreDb {
  readonly log: Record_[] = [];
  readonly streams = new Map<string, Record_[]>();
  private readonly tombstones = new Set<string>();
  private readonly subscriptions = new Set<FakeSubscription>();
  private offset = 0n;
  /** Every filter a subscription was opened with. */
  readonly subscriptionFilters: Array<Filter | undefined> = [];
  /** Called before each append (throw to simulate a failure). */
  beforeAppend: (streamId: string) => void = () => undefined;
  appendCalls = 0;

  constructor(private readonly options: { systemNoise?: boolean } = {}) {}

  /** What the adapter's constructor takes as `client`. */
  asClient(): EventStoreDBClient {
    return this as unknown as EventStoreDBClient;
  }

  async appendToStream(streamId: string, events: unknown, options: { expectedRevision?: unknown } = {}) {
    this.appendCalls += 1;
    this.beforeAppend(streamId);
    if (this.tombstones.has(streamId)) throw StreamDeletedError.fromStreamName(streamId);
    const list = (Array.isArray(events) ? events : [events]) as Array<{ id: string; type: string; data: unknown; metadata: unknown }>;
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length === 0 ? -1n : BigInt(stream.length - 1);
    const expected = options.expectedRevision ?? ANY;
    const wrong = () => new WrongExpectedVersionError(undefined, {
      streamName: streamId, expected: expected as bigint, current: (current === -1n ? NO_STREAM : current) as bigint,
    });
    const idempotent = (from: bigint) => {
      // The events at revisions from, from+1, … compared with this append's ids.
      const same = list.map((e, i) => stream[Number(from) + i]?.id === e.id);
      if (same.every(Boolean)) {
        const last = stream[Number(from) + list.length - 1];
        return { success: true, nextExpectedRevision: last.revision, position: { ...last.position } };
      }
      if (same[0]) throw wrong(); // CorruptedIdempotency
      return null;
    };
    if (expected === ANY) {
      const first = stream.findIndex((e) => e.id === list[0].id);
      if (first >= 0) {
        const result = idempotent(BigInt(first));
        if (result) return result;
        throw wrong();
      }
    } else {
      const exp = expected === NO_STREAM ? -1n : (expected as bigint);
      if (exp < current) {
        const result = idempotent(exp + 1n);
        if (result) return result;
        throw wrong();
      }
      if (exp > current) throw wrong();
      // exp === current: written as is, ids unchecked.
    }
    for (const e of list) this.write(streamId, e.id, e.type, e.data, e.metadata);
    const written = this.streams.get(streamId)!;
    const last = written[written.length - 1];
    if (this.options.systemNoise) this.write('$$stats', randomId(this.log.length), '$statsCollected', {}, {});
    return { success: true, nextExpectedRevision: last.revision, position: { ...last.position } };
  }

  /** An event of another application sharing the server. */
  appendForeign(streamId: string, type = 'SomethingElse'): void {
    this.write(streamId, randomId(this.log.length), type, {}, {});
  }

  tombstone(streamId: string): void {
    this.tombstones.add(streamId);
  }

  /** Fails every open subscription (as a server restart does). */
  dropSubscriptions(error: Error = new UnavailableError()): void {
    for (const s of this.subscriptions) {
      s.failure = error;
      s.wake?.();
    }
  }

  /** The event types of a stream, in order. */
  types(streamId: string): string[] {
    return (this.streams.get(streamId) ?? []).map((e) => e.type);
  }

  get openSubscriptions(): number {
    return this.subscriptions.size;
  }

  readStream(streamId: string, options: { direction?: string; fromRevision?: unknown; maxCount?: number | bigint } = {}) {
    const stream = this.streams.get(streamId);
    let events = stream ? [...stream] : [];
    if (options.direction === BACKWARDS) {
      events.reverse();
      if (options.fromRevision !== END && options.fromRevision !== undefined) events = events.filter((e) => e.revision <= (options.fromRevision as bigint));
    } else if (typeof options.fromRevision === 'bigint') events = events.filter((e) => e.revision >= (options.fromRevision as bigint));
    if (options.maxCount !== undefined) events = events.slice(0, Number(options.maxCount));
    const deleted = this.tombstones.has(streamId);
    return streaming(events.map((event) => ({ event })), () => {
      if (deleted) return StreamDeletedError.fromStreamName(streamId);
      if (!stream) return new StreamNotFoundError(undefined, streamId);
      return null;
    });
  }

  readAll(options: { fromPosition?: unknown; direction?: string; maxCount?: number | bigint } = {}) {
    let events = [...this.log];
    const from = options.fromPosition;
    if (options.direction === BACKWARDS) {
      events.reverse();
      if (from !== END && from !== undefined) events = events.filter((e) => e.position.commit < (from as { commit: bigint }).commit);
    } else if (from !== START && from !== undefined) {
      // Reading forward from a position includes the event at it.
      events = events.filter((e) => e.position.commit >= (from as { commit: bigint }).commit);
    }
    if (options.maxCount !== undefined) events = events.slice(0, Number(options.maxCount));
    return streaming(events.map((event) => ({ event, commitPosition: event.position.commit })), () => null);
  }

  subscribeToAll(options: { fromPosition?: unknown; filter?: Filter } = {}) {
    const from = options.fromPosition;
    // Subscribing from a position starts after it (the server's subscription semantics).
    const after = from === START || from === undefined ? -1n : (from as { commit: bigint }).commit;
    this.subscriptionFilters.push(options.filter);
    const sub: FakeSubscription = { queue: this.log.filter((e) => e.position.commit > after && passes(options.filter, e)), after, filter: options.filter, wake: null, failure: null, ended: false };
    this.subscriptions.add(sub);
    const listeners = new Map<string, Array<() => void>>();
    const emit = (name: string) => { for (const l of listeners.get(name) ?? []) l(); };
    let caughtUp = false;
    const self = this;
    const handle = {
      on(name: string, listener: () => void) {
        listeners.set(name, [...(listeners.get(name) ?? []), listener]);
        return handle;
      },
      async unsubscribe() {
        sub.ended = true;
        sub.wake?.();
        self.subscriptions.delete(sub);
      },
      destroy() {
        sub.ended = true;
        sub.wake?.();
        self.subscriptions.delete(sub);
      },
      async *[Symbol.asyncIterator]() {
        for (;;) {
          if (sub.failure) {
            self.subscriptions.delete(sub);
            throw sub.failure;
          }
          if (sub.ended) return;
          const next = sub.queue.shift();
          if (next) {
            yield { event: next, commitPosition: next.position.commit };
            continue;
          }
          if (!caughtUp) {
            caughtUp = true;
            emit('caughtUp');
          }
          await new Promise<void>((resolve) => { sub.wake = () => { sub.wake = null; resolve(); }; });
        }
      },
    };
    return handle;
  }

  async dispose(): Promise<void> {
    for (const s of this.subscriptions) {
      s.ended = true;
      s.wake?.();
    }
    this.subscriptions.clear();
  }

  private write(streamId: string, id: string, type: string, data: unknown, metadata: unknown): void {
    const stream = this.streams.get(streamId) ?? [];
    // A record's size in the log: positions jump by it (byte offsets), never by one.
    this.offset += 101n + BigInt(JSON.stringify(data ?? null).length + JSON.stringify(metadata ?? null).length);
    const record: Record_ = {
      streamId, id, revision: BigInt(stream.length), type, data, metadata, isJson: true,
      position: { commit: this.offset, prepare: this.offset }, created: new Date(0),
    };
    stream.push(record);
    this.streams.set(streamId, stream);
    this.log.push(record);
    for (const s of this.subscriptions) {
      if (passes(s.filter, record)) {
        s.queue.push(record);
        s.wake?.();
      }
    }
  }
}

function passes(filter: Filter | undefined, e: Record_): boolean {
  if (!filter) return true;
  const subject = filter.filterOn === 'eventType' ? e.type : e.streamId;
  if (filter.prefixes) return filter.prefixes.some((p) => subject.startsWith(p));
  if (filter.regex) return new RegExp(filter.regex).test(subject);
  return true;
}

function streaming<T>(items: T[], failure: () => Error | null) {
  return {
    async *[Symbol.asyncIterator]() {
      const error = failure();
      if (error) throw error;
      for (const item of items) yield item;
    },
    cancel: async () => undefined,
  };
}

function randomId(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}
