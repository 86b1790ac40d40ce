import { streamNameFilter } from '@eventstore/db-client';
import { EventStoreDbEventStore } from '../../libs/event-store/adapters/eventstoredb/eventstoredb-event-store';
import { ENGINE_STREAM_PREFIXES, toEsdbConnectionString } from '../../libs/event-store/adapters/eventstoredb/eventstoredb-mapping';
import { batches } from '../../libs/event-store/adapters/eventstoredb/batches';
import { DuplicateEventIdError, StreamDeletedError, type StoredEvent } from '../../libs/event-store/event-store.port';
import { ResilientFollower, type FollowHealth } from '../../libs/projection-runtime/resilient-subscription';
import { loadConfig } from '../../libs/application/config';
import { Projector } from '../../libs/projection-runtime/projector';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { streams } from '../../libs/domain/shared/ids';
import { BOOKS_STREAM } from '../../libs/domain/books/books.decider';
import { apiKeyStream } from '../../libs/identity/api-keys';
import { FakeEventStoreDb } from '../support/fake-eventstoredb';
import { nextEvents, waitFor } from './event-store.fixtures';

/**
 * The EventStoreDB adapter's own logic against the in-memory server model (test/support/fake-eventstoredb.ts),
 * which follows the server's documented semantics: positions are byte offsets, `$` events and other applications'
 * streams share $all, subscriptions filter on the server, a restart drops them with the client's UnavailableError.
 */
describe('EventStoreDB adapter (server model)', () => {
  let server: FakeEventStoreDb;
  let store: EventStoreDbEventStore;
  const inv = (n: string) => streams.invoice(`T-${n}`);

  beforeEach(() => {
    server = new FakeEventStoreDb({ systemNoise: true });
    store = new EventStoreDbEventStore({ client: server.asClient(), subscriptionBatchSize: 20 });
  });
  afterEach(() => store.close());

  describe('connection strings', () => {
    it('accepts kurrentdb:// and kurrentdb+discover:// as the esdb schemes the 6.x client parses, keeping the rest', () => {
      expect(toEsdbConnectionString('kurrentdb://admin:changeit@db1:2113?tls=false')).toBe('esdb://admin:changeit@db1:2113?tls=false');
      expect(toEsdbConnectionString('kurrentdb+discover://cluster.example:2113')).toBe('esdb+discover://cluster.example:2113');
      expect(toEsdbConnectionString(' esdb://localhost:2113?tls=false ')).toBe('esdb://localhost:2113?tls=false');
      expect(() => toEsdbConnectionString('http://localhost:2113')).toThrow(/esdb:\/\/, esdb\+discover:\/\/, kurrentdb:\/\//);
    });

    it('the configuration takes a kurrentdb:// string and still refuses another scheme with a clear message', () => {
      const base = { AR_EVENT_STORE: 'eventstoredb', AR_READ_STORE: 'sqlite' };
      expect(loadConfig({ ...base, EVENTSTORE_CONNECTION_STRING: 'kurrentdb://localhost:2113?tls=false' })).toMatchObject({});
      expect(() => loadConfig({ ...base, EVENTSTORE_CONNECTION_STRING: 'tcp://localhost:1113' })).toThrow(/must start with esdb:\/\/, esdb\+discover:\/\/, kurrentdb:\/\//);
    });
  });

  describe('only this engine’s events', () => {
    it('every stream the engine writes starts with one of the filtered prefixes', () => {
      const written = [
        ...Object.values(streams).map((make) => make('X-1')),
        BOOKS_STREAM,
        apiKeyStream('k1'),
      ];
      const outside = written.filter((s) => !ENGINE_STREAM_PREFIXES.some((p) => s.startsWith(p)));
      expect(outside).toEqual([]);
    });

    it('readAll, the head and countAfter skip $ events, the append plans and other applications’ streams', async () => {
      await store.append(inv('1'), 'no_stream', nextEvents(inv('1'), null, 2));
      server.appendForeign('orders-77');
      server.appendForeign('$et-Something', '$>');
      const [a, b] = await store.readStream(inv('1'));
      await store.appendMany([
        { streamId: inv('2'), expected: 'no_stream', events: nextEvents(inv('2'), null, 1) },
        { streamId: inv('3'), expected: 'no_stream', events: nextEvents(inv('3'), null, 1) },
      ]);
      server.appendForeign('orders-78');
      const all = await store.readAll(-1, 100);
      // Ours: 2 + 1 + 1 = 4 events; the log also holds 4 $statsCollected, 2 foreign, 1 $-stream, 2 plan events.
      expect(all.map((e) => e.streamId)).toEqual([inv('1'), inv('1'), inv('2'), inv('3')]);
      expect(server.log.length).toBeGreaterThan(all.length + 6);
      expect(await store.headPosition()).toBe(all[3].position);
      expect(await store.countAfter(-1, 100)).toBe(4);
      expect(await store.countAfter(a.position, 100)).toBe(3);
      expect(await store.countAfter(b.position, 2)).toBe(2); // capped at max
    });

    it('subscribes with a server-side stream-prefix filter of the engine’s prefixes, and delivers only ours', async () => {
      server.appendForeign('orders-1');
      await store.append(inv('1'), 'no_stream', nextEvents(inv('1'), null, 1));
      const seen: string[] = [];
      const sub = store.subscribeToAll(-1, async (events) => { seen.push(...events.map((e) => e.streamId)); });
      await waitFor(() => seen.length === 1, 2000, 'first delivery');
      server.appendForeign('orders-2');
      await store.append(inv('2'), 'no_stream', nextEvents(inv('2'), null, 1));
      await waitFor(() => seen.length === 2, 2000, 'second delivery');
      await sub.close();
      expect(seen).toEqual([inv('1'), inv('2')]);
      expect(server.subscriptionFilters).toEqual([streamNameFilter({ prefixes: [...ENGINE_STREAM_PREFIXES] })]);
    });
  });

  describe('batched delivery', () => {
    it('hands over what is buffered in batches up to the batch size while behind, then a live event at once', async () => {
      for (let i = 0; i < 50; i++) await store.append(inv(`b${i}`), 'no_stream', nextEvents(inv(`b${i}`), null, 1));
      const sizes: number[] = [];
      let caughtUp = false;
      const sub = store.subscribeToAll(-1, async (events) => { sizes.push(events.length); }, undefined, { onCaughtUp: () => { caughtUp = true; } });
      await waitFor(() => sizes.reduce((a, b) => a + b, 0) === 50, 2000, 'catch-up');
      await waitFor(() => caughtUp, 2000, 'caught up');
      await store.append(inv('live'), 'no_stream', nextEvents(inv('live'), null, 1));
      await waitFor(() => sizes.reduce((a, b) => a + b, 0) === 51, 2000, 'live event');
      await sub.close();
      // 50 buffered events at 20 per batch: 20 + 20 + 10; then the live one alone.
      expect(sizes).toEqual([20, 20, 10, 1]);
    });

    it('batches(): yields what is ready, and throws a source error only after the items received before it', async () => {
      async function* source() {
        yield 1; yield 2; yield 3;
        await new Promise((resolve) => setTimeout(resolve, 20));
        yield 4;
        throw new Error('dropped');
      }
      const out: number[][] = [];
      await expect((async () => { for await (const b of batches(source(), 2)) out.push(b); })()).rejects.toThrow('dropped');
      expect(out).toEqual([[1, 2], [3], [4]]);
    });
  });

  describe('positions are opaque', () => {
    it('answers each event’s own position as the log has it: byte offsets, not consecutive numbers', async () => {
      const events = nextEvents(inv('p'), null, 3);
      const result = await store.append(inv('p'), 'no_stream', events);
      const stored = await store.readStream(inv('p'));
      expect(result.positions).toEqual(stored.map((e) => e.position));
      expect(result.position).toBe(stored[2].position);
      // The server's positions grow by each record's size: position(last) − 2 is not the first event's position.
      expect(stored[0].position).not.toBe(result.position - 2);
      // A retry answers the same positions.
      expect(await store.append(inv('p'), 'no_stream', events)).toEqual(result);
    });
  });

  describe('idempotency as the server does it', () => {
    it('refuses a retry that repeats part of an earlier append at the current revision, which the server would write', async () => {
      const s = inv('partial');
      const events = nextEvents(s, null, 2);
      await store.append(s, 'no_stream', events);
      const stored = await store.readStream(s);
      const calls = server.appendCalls;
      // Expected revision 1 is the current one: the server compares no ids and would store events[1] a second time.
      const mixed = [events[1], ...nextEvents(s, stored[1], 1)];
      await expect(store.append(s, 1, mixed)).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(server.appendCalls).toBe(calls);
      expect(await store.readStream(s)).toHaveLength(2);
    });
  });

  describe('deleted streams', () => {
    it('maps the server’s StreamDeletedError on reads and appends to the port’s StreamDeletedError', async () => {
      const s = inv('gone');
      await store.append(s, 'no_stream', nextEvents(s, null, 1));
      server.tombstone(s);
      await expect(store.readStream(s)).rejects.toEqual(new StreamDeletedError(s));
      await expect(store.append(s, 0, nextEvents(s, null, 1))).rejects.toBeInstanceOf(StreamDeletedError);
    });
  });

  describe('a dropped subscription never dies silently', () => {
    it('reports retrying with the error, resubscribes from the checkpoint after a jittered backoff, and skips nothing', async () => {
      for (let i = 0; i < 5; i++) await store.append(inv(`r${i}`), 'no_stream', nextEvents(inv(`r${i}`), null, 1));
      const applied: StoredEvent[] = [];
      let checkpoint = -1;
      const delays: number[] = [];
      const follower = new ResilientFollower({
        store,
        policy: { baseDelayMs: 40, maxDelayMs: 1000 },
        random: () => 0.5,
        from: () => checkpoint,
        onEvents: async (events) => {
          applied.push(...events);
          checkpoint = events[events.length - 1].position;
        },
        onFailure: (_error, _failures, delayMs) => delays.push(delayMs),
      });
      await waitFor(() => applied.length === 5 && follower.health().state === 'live', 2000, 'live');
      server.dropSubscriptions();
      await waitFor(() => follower.health().state === 'retrying', 2000, 'retrying');
      const retrying: FollowHealth = follower.health();
      expect(retrying).toMatchObject({ state: 'retrying', failures: 1 });
      expect(retrying.lastError).toMatch(/unavailable|Unavailable/i);
      // Written while no subscription is open: delivered after the resubscription, from the checkpoint.
      await store.append(inv('during'), 'no_stream', nextEvents(inv('during'), null, 1));
      await waitFor(() => applied.length === 6 && follower.health().state === 'live', 3000, 'resubscribed');
      await follower.close();
      // First drop: base 40 ms · 2^0 = 40, jittered into [20, 40): 20 + 20 · 0.5 = 30.
      expect(delays).toEqual([30]);
      expect(applied.map((e) => e.streamId)).toEqual([...[0, 1, 2, 3, 4].map((i) => inv(`r${i}`)), inv('during')]);
      expect(new Set(applied.map((e) => e.id)).size).toBe(6);
      expect(follower.health().state).toBe('stopped');
    });
  });

  describe('the projector over a server that restarts', () => {
    it('shows retrying with the error in its status, then resumes from its checkpoint: every event once', async () => {
      const readStore = new SqliteReadStore({ path: ':memory:' });
      const seen: string[] = [];
      const p = new Projector({
        eventStore: store, readStore, retry: { baseDelayMs: 200, maxDelayMs: 200 }, random: () => 0,
        projections: [{ name: 'ids', version: 1, indexes: [], keysOf: (e) => [e.id], evolve: (_d, e) => { seen.push(e.id); return { stream: e.streamId }; } }],
      });
      for (let i = 0; i < 3; i++) await store.append(inv(`p${i}`), 'no_stream', nextEvents(inv(`p${i}`), null, 1));
      await p.start();
      expect(await p.waitForPosition(await store.headPosition(), 2000)).toBe(true);
      await waitFor(() => p.subscriptionHealth()?.state === 'live', 2000, 'live');
      server.dropSubscriptions();
      await waitFor(() => p.subscriptionHealth()?.state === 'retrying', 2000, 'retrying');
      const [status] = await p.status();
      // Backoff 200 ms jittered by a draw of 0: 100 ms before the next attempt.
      expect(status).toMatchObject({ state: 'retrying', lag: 0 });
      expect(status.lastError).toMatch(/unavailable/i);
      await store.append(inv('p3'), 'no_stream', nextEvents(inv('p3'), null, 1));
      expect(await p.waitForPosition(await store.headPosition(), 3000)).toBe(true);
      await waitFor(() => p.subscriptionHealth()?.state === 'live', 2000, 'live again');
      expect((await p.status())[0]).toMatchObject({ state: 'live', lag: 0, lastError: null });
      expect(seen).toHaveLength(4);
      expect(new Set(seen).size).toBe(4);
      await p.stop();
      await readStore.close();
    });
  });
});
