import { ANY, BACKWARDS, END, NO_STREAM, StreamNotFoundError, WrongExpectedVersionError, type EventStoreDBClient } from '@eventstore/db-client';
import { AppendPlanParkedError, EventStoreDbEventStore } from '../../libs/event-store/adapters/eventstoredb/eventstoredb-event-store';
import { APPEND_PLANS_STREAM } from '../../libs/event-store/adapters/eventstoredb/eventstoredb-mapping';
import { ConcurrencyError, type StreamAppend } from '../../libs/event-store/event-store.port';
import { ids, nextEvents, streamName } from './event-store.fixtures';

/**
 * The EventStoreDB adapter's recorded plan for multi-stream appends (ADR 0030), driven against an in-memory
 * stand-in of the two client calls it uses (`appendToStream`, `readStream`), with the client's own error classes.
 * The server cannot run here, so this proves the crash path: a plan recorded, then the process dies before every
 * part is written, is finished by `completeInterruptedAppends` — and a part whose stream another writer moved is
 * parked, never written over. The real server runs the shared contract suite when EVENTSTORE_CONNECTION_STRING is set.
 */
type Stored = { streamId: string; id: string; revision: bigint; type: string; data: unknown; metadata: unknown; isJson: true; position: { commit: bigint; prepare: bigint } };

class FakeClient {
  readonly streams = new Map<string, Stored[]>();
  private commit = 0n;
  /** Called before each append; throw to simulate a crash or let another writer in. */
  beforeAppend: (streamId: string) => void = () => undefined;

  async appendToStream(streamId: string, events: unknown, options: { expectedRevision?: unknown } = {}) {
    this.beforeAppend(streamId);
    const list = Array.isArray(events) ? events : [events];
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length === 0 ? NO_STREAM : BigInt(stream.length - 1);
    const expected = options.expectedRevision ?? ANY;
    if (expected !== ANY && expected !== current) throw new WrongExpectedVersionError(undefined, { streamName: streamId, expected: expected as bigint, current: current as bigint });
    for (const e of list as Array<{ id: string; type: string; data: unknown; metadata: unknown }>) {
      this.commit += 10n;
      stream.push({ streamId, id: e.id, revision: BigInt(stream.length), type: e.type, data: e.data, metadata: e.metadata, isJson: true, position: { commit: this.commit, prepare: this.commit } });
    }
    this.streams.set(streamId, stream);
    return { success: true, nextExpectedRevision: BigInt(stream.length - 1), position: { commit: this.commit, prepare: this.commit } };
  }

  readStream(streamId: string, options: { direction?: string; fromRevision?: unknown; maxCount?: number } = {}) {
    const stream = this.streams.get(streamId);
    let events = stream ? [...stream] : [];
    if (options.direction === BACKWARDS) {
      events.reverse();
      if (options.fromRevision !== END && options.fromRevision !== undefined) events = events.filter((e) => e.revision <= (options.fromRevision as bigint));
    } else if (typeof options.fromRevision === 'bigint') events = events.filter((e) => e.revision >= (options.fromRevision as bigint));
    if (options.maxCount !== undefined) events = events.slice(0, options.maxCount);
    return {
      async *[Symbol.asyncIterator]() {
        if (!stream) throw new StreamNotFoundError(undefined, streamId);
        for (const event of events) yield { event };
      },
      cancel: async () => undefined,
    };
  }

  types(streamId: string): string[] {
    return (this.streams.get(streamId) ?? []).map((e) => e.type);
  }
}

describe('EventStoreDB adapter: multi-stream appends through a recorded plan (in-memory client)', () => {
  let client: FakeClient;
  const store = () => new EventStoreDbEventStore({ client: client as unknown as EventStoreDBClient });
  const plan = (): StreamAppend[] => {
    const [a, b, c] = [streamName('plan_a'), streamName('plan_b'), streamName('plan_c')];
    return [
      { streamId: a, expected: 'no_stream', events: nextEvents(a, null, 2) },
      { streamId: b, expected: 'no_stream', events: nextEvents(b, null, 1) },
      { streamId: c, expected: 'no_stream', events: nextEvents(c, null, 1) },
    ];
  };
  const storedIds = async (s: EventStoreDbEventStore, streamId: string) => ids(await s.readStream(streamId));
  beforeEach(() => { client = new FakeClient(); });

  it('records the plan, writes every part, then marks the plan completed', async () => {
    const parts = plan();
    const results = await store().appendMany(parts);
    expect(results.map((r) => r.nextRevision)).toEqual([1, 0, 0]);
    for (const p of parts) expect(await storedIds(store(), p.streamId)).toEqual(ids(p.events));
    expect(client.types(APPEND_PLANS_STREAM)).toEqual(['AppendPlanned', 'AppendCompleted']);
    expect(await store().completeInterruptedAppends()).toBe(0);
  });

  it('appends a single part directly, without a plan', async () => {
    const [one] = plan();
    await store().appendMany([one]);
    expect(await storedIds(store(), one.streamId)).toEqual(ids(one.events));
    expect(client.streams.has(APPEND_PLANS_STREAM)).toBe(false);
  });

  it('refuses a stale part before recording anything', async () => {
    const parts = plan();
    await client.appendToStream(parts[1].streamId, [{ id: 'x', type: 'Other', data: {}, metadata: {} }]);
    await expect(store().appendMany(parts)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(client.streams.has(parts[0].streamId)).toBe(false);
    expect(client.streams.has(APPEND_PLANS_STREAM)).toBe(false);
  });

  it('given a crash after the plan and its first part, when the process starts again, then the plan is finished with the same events', async () => {
    const parts = plan();
    let appends = 0;
    client.beforeAppend = () => {
      appends += 1;
      if (appends === 3) throw new Error('process killed'); // 1: plan, 2: first part, 3: second part
    };
    await expect(store().appendMany(parts)).rejects.toThrow('process killed');
    expect(client.streams.has(parts[1].streamId)).toBe(false);
    client.beforeAppend = () => undefined;

    const restarted = store();
    expect(await restarted.completeInterruptedAppends()).toBe(1);
    for (const p of parts) expect(await storedIds(restarted, p.streamId)).toEqual(ids(p.events)); // the first part not written twice
    expect(client.types(APPEND_PLANS_STREAM)).toEqual(['AppendPlanned', 'AppendCompleted']);
    expect(await restarted.completeInterruptedAppends()).toBe(0);
    // The client's own retry of the same call answers from what is stored.
    expect((await restarted.appendMany(parts)).map((r) => r.nextRevision)).toEqual([1, 0, 0]);
  });

  it('parks a part whose stream another writer moved after the plan was recorded, instead of writing over it', async () => {
    const parts = plan();
    client.beforeAppend = (streamId) => {
      if (streamId === parts[1].streamId && !client.streams.has(parts[1].streamId)) {
        client.beforeAppend = () => undefined;
        void client.appendToStream(streamId, [{ id: 'intruder', type: 'Other', data: {}, metadata: {} }]);
      }
    };
    await expect(store().appendMany(parts)).rejects.toBeInstanceOf(AppendPlanParkedError);
    expect(client.types(parts[1].streamId)).toEqual(['Other']);
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(await store().completeInterruptedAppends()).toBe(0);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('is parked'));
    } finally {
      warn.mockRestore();
    }
    expect(client.types(APPEND_PLANS_STREAM)).toEqual(['AppendPlanned']); // still pending, visible
  });
});
