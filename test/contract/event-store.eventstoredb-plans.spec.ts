import type { EventStoreDBClient } from '@eventstore/db-client';
import { AppendPlanParkedError, EventStoreDbEventStore } from '../../libs/event-store/adapters/eventstoredb/eventstoredb-event-store';
import { APPEND_PLANS_STREAM } from '../../libs/event-store/adapters/eventstoredb/eventstoredb-mapping';
import { ConcurrencyError, type StreamAppend } from '../../libs/event-store/event-store.port';
import { ids, nextEvents, streamName } from './event-store.fixtures';
import { FakeEventStoreDb as FakeClient } from '../support/fake-eventstoredb';

/**
 * The EventStoreDB adapter's recorded plan for multi-stream appends (ADR 0030), driven against the in-memory
 * server model (test/support/fake-eventstoredb.ts, one model for every EventStoreDB spec), with the client's own
 * error classes.
 * The server cannot run here, so this proves the crash path: a plan recorded, then the process dies before every
 * part is written, is finished by `completeInterruptedAppends` — and a part whose stream another writer moved is
 * parked, never written over. The real server runs the shared contract suite when EVENTSTORE_CONNECTION_STRING is set.
 */
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
