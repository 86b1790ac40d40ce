import { EventStore, StoredEvent } from '../../libs/event-store/event-store.port';
import { verifyChain } from '../../libs/event-store/hash-chain';
import { appendChained, ids, nextEvents, readAllOf, streamName, waitFor } from './event-store.fixtures';

/** Global log, subscriptions and hash chain: part of describeEventStoreContract. */
export function describeGlobalLogContract(getStore: () => EventStore, isolated: boolean): void {
  describe('global log', () => {
    it('orders events of all streams by append, strictly increasing, after the given position', async () => {
      const store = getStore();
      const [a, b] = [streamName('a'), streamName('b')];
      const start = await store.headPosition();
      const written = [
        ...(await appendChained(store, a, 2)),
        ...(await appendChained(store, b, 1)),
        ...(await appendChained(store, a, 1)),
        ...(await appendChained(store, b, 2)),
      ];
      const { events } = await readAllOf(store, start, new Set([a, b]));
      expect(ids(events)).toEqual(ids(written));
      expect(events.map((e) => e.position)).toEqual(written.map((e) => e.position));
      for (let i = 1; i < events.length; i++) expect(events[i].position).toBeGreaterThan(events[i - 1].position);
      // afterPosition is exclusive.
      const after = await readAllOf(store, written[2].position, new Set([a, b]));
      expect(ids(after.events)).toEqual(ids(written.slice(3)));
    });

    it('reads the log in batches of at most maxCount without skipping or repeating', async () => {
      const store = getStore();
      const streams = [streamName('x'), streamName('y'), streamName('z')];
      const start = await store.headPosition();
      const written: StoredEvent[] = [];
      for (let round = 0; round < 3; round++) for (const s of streams) written.push(...(await appendChained(store, s, 1 + round)));
      const { events, batches } = await readAllOf(store, start, new Set(streams), 4);
      expect(ids(events)).toEqual(ids(written));
      expect(Math.max(...batches)).toBeLessThanOrEqual(4);
      if (isolated) expect(batches).toEqual([4, 4, 4, 4, 2]);
      expect(await store.readAll(start, 0)).toEqual([]);
    });

    it('reads only the given event types when asked, maxCount counting the events returned (ADR 0108)', async () => {
      const store = getStore();
      // Type names unique to this run: a shared server's other events never match them.
      const tag = streamName('t').slice(-8);
      const [kept, also, skipped] = [`Kept${tag}`, `AlsoKept${tag}`, `Skipped${tag}`];
      const [a, b] = [streamName('ta'), streamName('tb')];
      const start = await store.headPosition();
      const types = [skipped, kept, skipped, also, kept, skipped, skipped, kept, also, skipped];
      const written: StoredEvent[] = [];
      for (let i = 0; i < types.length; i++) {
        const stream = i % 3 === 0 ? a : b;
        const [last] = await store.readStream(stream, { direction: 'backward', maxCount: 1 });
        const [event] = nextEvents(stream, last ?? null, 1, types[i]);
        const result = await store.append(stream, last ? last.revision : 'no_stream', [event]);
        written.push({ ...event, streamId: stream, revision: last ? last.revision + 1 : 0, position: result.position });
      }
      const wanted = written.filter((e) => e.type === kept || e.type === also);
      const read: StoredEvent[] = [];
      const batches: number[] = [];
      for (let after = start; ;) {
        const batch = await store.readAll(after, 2, { types: [kept, also] });
        if (batch.length === 0) break;
        batches.push(batch.length);
        read.push(...batch);
        after = batch[batch.length - 1].position;
      }
      expect(ids(read)).toEqual(ids(wanted));
      expect(read.map((e) => [e.type, e.streamId, e.revision, e.position])).toEqual(wanted.map((e) => [e.type, e.streamId, e.revision, e.position]));
      expect(read.map((e) => e.data)).toEqual(wanted.map((e) => e.data));
      expect(batches).toEqual([2, 2, 1]);
      // afterPosition stays exclusive; one type; a type nothing has; none at all.
      expect(ids(await store.readAll(wanted[1].position, 10, { types: [kept] }))).toEqual(ids(wanted.slice(2).filter((e) => e.type === kept)));
      expect(await store.readAll(start, 10, { types: [`Never${tag}`] })).toEqual([]);
      expect(await store.readAll(start, 10, { types: [] })).toEqual([]);
      expect(await store.countAfter(start, 100, { types: [kept, also] })).toBe(wanted.length);
      expect(await store.countAfter(start, 3, { types: [kept, also] })).toBe(3);
      expect(await store.countAfter(start, 100, { types: [] })).toBe(0);
    });

    it('reports the head position of the log', async () => {
      const store = getStore();
      if (isolated) {
        expect(await store.headPosition()).toBe(-1);
        expect(await store.readAll(-1, 10)).toEqual([]);
      }
      const s = streamName('head');
      const result = await store.append(s, 'no_stream', nextEvents(s, null, 3));
      const head = await store.headPosition();
      if (isolated) expect(head).toBe(result.position);
      else expect(head).toBeGreaterThanOrEqual(result.position);
      expect((await store.readAll(head, 10)).filter((e) => e.streamId === s)).toEqual([]);
    });
  });

  describe('subscribeToAll', () => {
    it('catches up with existing events, then delivers new ones in order without duplicates', async () => {
      const store = getStore();
      const [a, b] = [streamName('sub_a'), streamName('sub_b')];
      const start = await store.headPosition();
      const before = [...(await appendChained(store, a, 3)), ...(await appendChained(store, b, 2))];
      const received: StoredEvent[] = [];
      const subscription = store.subscribeToAll(start, async (events) => {
        received.push(...events.filter((e) => e.streamId === a || e.streamId === b));
      });
      try {
        await waitFor(() => received.length >= before.length, 5000, 'catch-up');
        const live = [...(await appendChained(store, b, 1)), ...(await appendChained(store, a, 2))];
        const concurrent = await Promise.all([appendChained(store, streamName('other'), 1), appendChained(store, b, 1)]);
        const expected = [...before, ...live, ...concurrent[1]];
        await waitFor(() => received.length >= expected.length, 5000, 'live events');
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(ids(received)).toEqual(ids(expected));
        expect(new Set(ids(received)).size).toBe(received.length);
      } finally {
        await subscription.close();
      }
    });

    it('starts after the given position and awaits onEvents before the next delivery', async () => {
      const store = getStore();
      const s = streamName('slow');
      const written = await appendChained(store, s, 6);
      let inFlight = 0;
      let maxInFlight = 0;
      const received: StoredEvent[] = [];
      const subscription = store.subscribeToAll(written[1].position, async (events) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        received.push(...events.filter((e) => e.streamId === s));
        inFlight -= 1;
      });
      try {
        await appendChained(store, s, 2);
        await waitFor(() => received.length >= 6, 5000, 'deliveries');
        expect(received.map((e) => e.revision)).toEqual([2, 3, 4, 5, 6, 7]);
        expect(maxInFlight).toBe(1);
      } finally {
        await subscription.close();
      }
    });

    it('delivers nothing after close', async () => {
      const store = getStore();
      const s = streamName('closed');
      const start = await store.headPosition();
      const received: StoredEvent[] = [];
      const subscription = store.subscribeToAll(start, async (events) => {
        received.push(...events.filter((e) => e.streamId === s));
      });
      await appendChained(store, s, 1);
      await waitFor(() => received.length === 1, 5000, 'first delivery');
      await subscription.close();
      await appendChained(store, s, 2);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(received).toHaveLength(1);
    });
  });

  describe('hash chain', () => {
    it('keeps a verifiable chain across appends, and detects a tampered read', async () => {
      const store = getStore();
      const s = streamName('chain');
      await appendChained(store, s, 3);
      await appendChained(store, s, 1);
      await appendChained(store, s, 2);
      const stored = await store.readStream(s);
      expect(stored).toHaveLength(6);
      expect(verifyChain(stored)).toBeNull();
      const tampered = stored.map((e) => (e.revision === 4 ? { ...e, data: { ...e.data, n: 999 } } : e));
      expect(verifyChain(tampered)).toEqual({ streamId: s, revision: 4, reason: 'hash_mismatch' });
    });
  });
}
