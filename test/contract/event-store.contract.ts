import {
  ConcurrencyError,
  DuplicateEventIdError,
  EventStore,
  type StoredEvent,
} from '../../libs/event-store/event-store.port';
import { verifyChain } from '../../libs/event-store/hash-chain';
import { describeGlobalLogContract } from './event-store.contract.log';
import { appendChained, ids, nextEvents, streamName } from './event-store.fixtures';

export type EventStoreFactory = () => Promise<{ store: EventStore; cleanup(): Promise<void> }>;

export interface EventStoreContractOptions {
  /** Each store starts empty and nothing else writes to it (false for a shared server). Default true. */
  isolated?: boolean;
  /** The store refuses an event id already stored in another stream. Default true. */
  uniqueEventIdsAcrossStreams?: boolean;
  /** Per-test timeout (ms). */
  timeoutMs?: number;
}

/** One behaviour suite for every EventStore adapter: run it unchanged against each of them. */
export function describeEventStoreContract(name: string, factory: EventStoreFactory, options: EventStoreContractOptions = {}): void {
  const isolated = options.isolated ?? true;
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;
    if (options.timeoutMs) jest.setTimeout(options.timeoutMs);

    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup();
    });

    describe('append and readStream', () => {
      it('appends to a new stream and reads the events back as written', async () => {
        const s = streamName('invoice');
        const events = nextEvents(s, null, 3);
        const result = await store.append(s, 'no_stream', events);
        const stored = await store.readStream(s);
        expect(result.nextRevision).toBe(2);
        expect(stored.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))).toEqual(events);
        expect(stored.map((e) => [e.streamId, e.revision])).toEqual([[s, 0], [s, 1], [s, 2]]);
        expect(stored[1].position).toBeGreaterThan(stored[0].position);
        expect(stored[2].position).toBeGreaterThan(stored[1].position);
        expect(result.position).toBe(stored[2].position);
      });

      it('appends at the exact expected revision, and with any', async () => {
        const s = streamName('customer');
        const first = await store.append(s, 'no_stream', nextEvents(s, null, 2));
        const [last] = await store.readStream(s, { direction: 'backward', maxCount: 1 });
        const second = await store.append(s, 1, nextEvents(s, last, 1));
        const any = await store.append(s, 'any', nextEvents(s, (await store.readStream(s, { fromRevision: 2 }))[0], 1));
        const fresh = streamName('fresh');
        const anyNew = await store.append(fresh, 'any', nextEvents(fresh, null, 1));
        expect([first.nextRevision, second.nextRevision, any.nextRevision, anyNew.nextRevision]).toEqual([1, 2, 3, 0]);
        expect(second.position).toBeGreaterThan(first.position);
        expect(any.position).toBeGreaterThan(second.position);
        expect(await store.readStream(s)).toHaveLength(4);
      });

      it('returns an empty list for a stream that does not exist', async () => {
        expect(await store.readStream(streamName('absent'))).toEqual([]);
        expect(await store.readStream(streamName('absent'), { direction: 'backward' })).toEqual([]);
      });

      it('reads from a revision, backward and with maxCount', async () => {
        const s = streamName('payment');
        const all = await appendChained(store, s, 5);
        expect(ids(await store.readStream(s, { fromRevision: 2 }))).toEqual(ids(all.slice(2)));
        expect(ids(await store.readStream(s, { fromRevision: 1, maxCount: 2 }))).toEqual(ids(all.slice(1, 3)));
        expect(ids(await store.readStream(s, { direction: 'backward' }))).toEqual(ids([...all].reverse()));
        expect(ids(await store.readStream(s, { direction: 'backward', maxCount: 2 }))).toEqual(ids([all[4], all[3]]));
        expect(ids(await store.readStream(s, { direction: 'backward', fromRevision: 2, maxCount: 2 }))).toEqual(ids([all[2], all[1]]));
        expect(await store.readStream(s, { fromRevision: 5 })).toEqual([]);
      });
    });

    describe('readStreams', () => {
      it('returns every event of the given streams in global order, each stream in revision order', async () => {
        const [a, b, c] = [streamName('multi_a'), streamName('multi_b'), streamName('multi_c')];
        const written = [
          ...(await appendChained(store, a, 2)),
          ...(await appendChained(store, b, 1)),
          ...(await appendChained(store, c, 3)),
          ...(await appendChained(store, a, 1)),
          ...(await appendChained(store, b, 2)),
          ...(await appendChained(store, c, 1)),
        ];
        const read = await store.readStreams([c, a]);
        const expected = written.filter((e) => e.streamId === a || e.streamId === c);
        expect(read).toEqual(expected);
        for (let i = 1; i < read.length; i++) expect(read[i].position).toBeGreaterThan(read[i - 1].position);
        expect(read.filter((e) => e.streamId === a).map((e) => e.revision)).toEqual([0, 1, 2]);
        // The same events as stream reads give, merged by position.
        const merged = [...(await store.readStream(a)), ...(await store.readStream(c))].sort((x, y) => x.position - y.position);
        expect(read).toEqual(merged);
        for (const s of [a, c]) expect(verifyChain(read.filter((e) => e.streamId === s))).toBeNull();
        expect(ids(await store.readStreams([a, b, c]))).toEqual(ids(written));
      });

      it('ignores absent streams, reads a repeated id once, and answers an empty list with no events', async () => {
        const [a, b] = [streamName('multi_a'), streamName('multi_b')];
        const written = [...(await appendChained(store, a, 2)), ...(await appendChained(store, b, 1))];
        expect(ids(await store.readStreams([streamName('absent'), b, a, b, streamName('absent')]))).toEqual(ids(written));
        expect(await store.readStreams([streamName('absent')])).toEqual([]);
        expect(await store.readStreams([])).toEqual([]);
      });

      it('reads thousands of stream ids in one call', async () => {
        const present = Array.from({ length: 60 }, (_, i) => streamName(`many${i}`));
        await Promise.all(present.map((s) => store.append(s, 'no_stream', nextEvents(s, null, 1 + (s.length % 3)))));
        const more = await Promise.all(present.slice(0, 20).map((s) => appendChained(store, s, 1)));
        const absent = Array.from({ length: 3000 }, () => streamName('none'));
        const wanted = [...absent.slice(0, 1500), ...present, ...absent.slice(1500)];
        const read = await store.readStreams(wanted);
        const expected = (await Promise.all(present.map((s) => store.readStream(s)))).flat().sort((x, y) => x.position - y.position);
        expect(read).toEqual(expected);
        expect(read.length).toBe(present.reduce((n, s) => n + 1 + (s.length % 3), 0) + more.length);
        for (let i = 1; i < read.length; i++) expect(read[i].position).toBeGreaterThan(read[i - 1].position);
      });
    });

    describe('readStreamsPaged', () => {
      const pagesOf = async (ids: readonly string[], pageSize: number, upToPosition?: number) => {
        const pages: StoredEvent[][] = [];
        for await (const page of store.readStreamsPaged(ids, { pageSize, upToPosition })) pages.push(page);
        return pages;
      };

      it('gives the events readStreams gives, in order, as pages of at most pageSize events, none empty', async () => {
        const [a, b, c, d] = [streamName('paged_a'), streamName('paged_b'), streamName('paged_c'), streamName('paged_d')];
        for (const [s, n] of [[a, 2], [b, 1], [c, 3], [a, 1], [d, 4], [b, 2], [c, 1], [a, 3]] as const) await appendChained(store, s, n);
        const wanted = [c, streamName('absent'), a, d, a];
        const all = await store.readStreams(wanted);
        expect(all).toHaveLength(14);
        for (const pageSize of [1, 2, 3, 5, 14, 1000]) {
          const pages = await pagesOf(wanted, pageSize);
          expect(pages.flat()).toEqual(all);
          expect(pages.length).toBe(Math.ceil(all.length / pageSize));
          for (const page of pages) {
            expect(page.length).toBeGreaterThan(0);
            expect(page.length).toBeLessThanOrEqual(pageSize);
          }
        }
        expect(await pagesOf([streamName('absent')], 10)).toEqual([]);
        expect(await pagesOf([], 10)).toEqual([]);
      });

      it('merges more streams than a page holds, long and short ones interleaved', async () => {
        const long = streamName('paged_long');
        const short = Array.from({ length: 25 }, (_, i) => streamName(`paged_short${i}`));
        for (const s of short) {
          await appendChained(store, long, 1 + (s.length % 2));
          await appendChained(store, s, 1 + (short.indexOf(s) % 3));
        }
        const wanted = [...short, long];
        const all = await store.readStreams(wanted);
        const pages = await pagesOf(wanted, 4);
        expect(pages.flat()).toEqual(all);
        expect(Math.max(...pages.map((p) => p.length))).toBe(4);
      });

      it('stops at upToPosition, whatever is appended while the pages are read', async () => {
        const [a, b] = [streamName('paged_a'), streamName('paged_b')];
        for (const [s, n] of [[a, 2], [b, 2], [a, 2], [b, 1]] as const) await appendChained(store, s, n);
        const all = await store.readStreams([a, b]);
        const bound = all[3].position;
        expect(ids((await pagesOf([a, b], 2, bound)).flat())).toEqual(ids(all.slice(0, 4)));
        expect(await pagesOf([a, b], 2, all[0].position - 1)).toEqual([]);
        // Appends made after the first page (to a stream already read and to one not yet) are not in the answer.
        const head = all[all.length - 1].position;
        const seen: StoredEvent[] = [];
        let appended = false;
        for await (const page of store.readStreamsPaged([a, b], { pageSize: 1, upToPosition: head })) {
          seen.push(...page);
          if (!appended) {
            appended = true;
            await appendChained(store, a, 1);
            await appendChained(store, b, 1);
          }
        }
        expect(seen).toEqual(all);
        expect(await store.readStreams([a, b])).toHaveLength(all.length + 2);
      });

      it('lets the reader stop after a page, and refuses a page size that is not a positive integer', async () => {
        const a = streamName('paged_a');
        const written = await appendChained(store, a, 5);
        for await (const page of store.readStreamsPaged([a], { pageSize: 2 })) {
          expect(ids(page)).toEqual(ids(written.slice(0, 2)));
          break;
        }
        for (const pageSize of [0, -1, 1.5, Number.NaN]) await expect(pagesOf([a], pageSize)).rejects.toThrow(RangeError);
      });
    });

    describe('expected revision', () => {
      it('refuses no_stream on an existing stream with a ConcurrencyError carrying expected and actual', async () => {
        const s = streamName('conflict');
        await appendChained(store, s, 2);
        const error = await store.append(s, 'no_stream', nextEvents(s, null, 1)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ streamId: s, expected: 'no_stream', actual: 1 });
        expect(await store.readStream(s)).toHaveLength(2);
      });

      it('refuses a stale or future revision, and a revision on a missing stream', async () => {
        const s = streamName('conflict');
        const stored = await appendChained(store, s, 2);
        await expect(store.append(s, 0, nextEvents(s, stored[0], 1))).rejects.toMatchObject({ expected: 0, actual: 1 });
        await expect(store.append(s, 7, nextEvents(s, stored[1], 1))).rejects.toMatchObject({ expected: 7, actual: 1 });
        const missing = streamName('missing');
        const error = await store.append(missing, 0, nextEvents(missing, null, 1)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ streamId: missing, expected: 0, actual: 'no_stream' });
        expect(await store.readStream(s)).toHaveLength(2);
        expect(await store.readStream(missing)).toEqual([]);
      });

      it('lets exactly one of concurrent appends with the same expected revision win', async () => {
        const s = streamName('race');
        const [base] = await appendChained(store, s, 1);
        const attempts = Array.from({ length: 8 }, () => store.append(s, 0, nextEvents(s, base, 2)));
        const settled = await Promise.allSettled(attempts);
        const won = settled.filter((r) => r.status === 'fulfilled');
        const lost = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(7);
        for (const r of lost) expect(r.reason).toBeInstanceOf(ConcurrencyError);
        const stored = await store.readStream(s);
        expect(stored).toHaveLength(3);
        expect(verifyChain(stored)).toBeNull();
      });

      it('lets concurrent appends to different streams all succeed', async () => {
        const streams = Array.from({ length: 40 }, (_, i) => streamName(`parallel${i}`));
        const results = await Promise.all(streams.map((s) => store.append(s, 'no_stream', nextEvents(s, null, 2))));
        expect(results.every((r) => r.nextRevision === 1)).toBe(true);
        expect(new Set(results.map((r) => r.position)).size).toBe(streams.length);
        for (const s of streams) expect(verifyChain(await store.readStream(s))).toBeNull();
      });
    });

    describe('idempotent retry', () => {
      it('appends nothing and returns the original result when the same events are appended again', async () => {
        const s = streamName('retry');
        const events = nextEvents(s, null, 2);
        const original = await store.append(s, 'no_stream', events);
        const stored = await store.readStream(s);
        const later = await store.append(s, 1, nextEvents(s, stored[1], 1));
        const head = await store.headPosition();
        expect(await store.append(s, 'no_stream', events)).toEqual(original);
        expect(await store.append(s, 'any', events)).toEqual(original);
        const laterEvents = (await store.readStream(s, { fromRevision: 2 })).map(({ id, type, data, metadata }) => ({ id, type, data, metadata }));
        expect(await store.append(s, 1, laterEvents)).toEqual(later);
        expect(await store.readStream(s)).toHaveLength(3);
        if (isolated) expect(await store.headPosition()).toBe(head);
      });

      it('refuses an append that repeats only part of an earlier append', async () => {
        const s = streamName('partial');
        const events = nextEvents(s, null, 2);
        await store.append(s, 'no_stream', events);
        const stored = await store.readStream(s);
        const mixed = [events[1], ...nextEvents(s, stored[1], 1)];
        await expect(store.append(s, 1, mixed)).rejects.toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(s)).toHaveLength(2);
      });

      (options.uniqueEventIdsAcrossStreams ?? true ? it : it.skip)(
        'refuses an event id already stored in another stream',
        async () => {
          const a = streamName('owner');
          const b = streamName('thief');
          const [event] = nextEvents(a, null, 1);
          await store.append(a, 'no_stream', [event]);
          const error = await store.append(b, 'no_stream', [event]).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(DuplicateEventIdError);
          expect(error).toMatchObject({ eventId: event.id, existing: { streamId: a, revision: 0 } });
          expect(await store.readStream(b)).toEqual([]);
        },
      );
    });

    describe('appendMany (one command, several streams: all or nothing)', () => {
      it('appends to several streams, each at its exact revision, and answers in the order of the parts', async () => {
        const [a, b, c] = [streamName('many_a'), streamName('many_b'), streamName('many_c')];
        const [lastA] = await appendChained(store, a, 2);
        const before = await store.readStream(a);
        const parts = [
          { streamId: b, expected: 'no_stream' as const, events: nextEvents(b, null, 2) },
          { streamId: a, expected: 1, events: nextEvents(a, before[1], 1) },
          { streamId: c, expected: 'no_stream' as const, events: nextEvents(c, null, 1) },
        ];
        expect(lastA.revision).toBe(0);
        const results = await store.appendMany(parts);
        expect(results.map((r) => r.nextRevision)).toEqual([1, 2, 0]);
        for (const [i, part] of parts.entries()) {
          const stored = await store.readStream(part.streamId);
          expect(ids(stored.slice(-part.events.length))).toEqual(ids(part.events));
          expect(results[i].position).toBe(stored[stored.length - 1].position);
          expect(verifyChain(stored)).toBeNull();
        }
      });

      it('writes nothing in any stream when one part meets a stale revision', async () => {
        const [a, b, c] = [streamName('many_a'), streamName('many_b'), streamName('many_c')];
        const [stale] = await appendChained(store, b, 2);
        const head = await store.headPosition();
        const error = await store.appendMany([
          { streamId: a, expected: 'no_stream', events: nextEvents(a, null, 2) },
          { streamId: b, expected: 0, events: nextEvents(b, stale, 1) }, // b is at revision 1
          { streamId: c, expected: 'no_stream', events: nextEvents(c, null, 1) },
        ]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ streamId: b, expected: 0, actual: 1 });
        expect(await store.readStream(a)).toEqual([]);
        expect(await store.readStream(b)).toHaveLength(2);
        expect(await store.readStream(c)).toEqual([]);
        if (isolated) expect(await store.headPosition()).toBe(head);
      });

      (options.uniqueEventIdsAcrossStreams ?? true ? it : it.skip)('writes nothing when a later part repeats an id stored elsewhere', async () => {
        const [a, b, owner] = [streamName('many_a'), streamName('many_b'), streamName('owner')];
        const [taken] = nextEvents(owner, null, 1);
        await store.append(owner, 'no_stream', [taken]);
        const head = await store.headPosition();
        const error = await store.appendMany([
          { streamId: a, expected: 'no_stream', events: nextEvents(a, null, 3) },
          { streamId: b, expected: 'no_stream', events: [{ ...nextEvents(b, null, 1)[0], id: taken.id }] },
        ]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(a)).toEqual([]);
        expect(await store.readStream(b)).toEqual([]);
        if (isolated) expect(await store.headPosition()).toBe(head);
      });

      it('answers a retry with the original results and writes nothing; finishing interrupted appends changes nothing', async () => {
        const [a, b] = [streamName('many_a'), streamName('many_b')];
        const parts = [
          { streamId: a, expected: 'no_stream' as const, events: nextEvents(a, null, 1) },
          { streamId: b, expected: 'no_stream' as const, events: nextEvents(b, null, 2) },
        ];
        const first = await store.appendMany(parts);
        const head = await store.headPosition();
        expect(await store.appendMany(parts)).toEqual(first);
        await store.completeInterruptedAppends();
        expect(await store.readStream(a)).toHaveLength(1);
        expect(await store.readStream(b)).toHaveLength(2);
        if (isolated) expect(await store.headPosition()).toBe(head);
      });

      it('lets exactly one of two concurrent plans on a shared stream win, the loser writing nothing', async () => {
        const [shared, x, y] = [streamName('shared'), streamName('many_x'), streamName('many_y')];
        const [base] = await appendChained(store, shared, 1);
        const settled = await Promise.allSettled([
          store.appendMany([{ streamId: x, expected: 'no_stream', events: nextEvents(x, null, 1) }, { streamId: shared, expected: 0, events: nextEvents(shared, base, 1) }]),
          store.appendMany([{ streamId: y, expected: 'no_stream', events: nextEvents(y, null, 1) }, { streamId: shared, expected: 0, events: nextEvents(shared, base, 1) }]),
        ]);
        expect(settled.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const loser = settled[0].status === 'rejected' ? x : y;
        const winner = loser === x ? y : x;
        expect(await store.readStream(loser)).toEqual([]);
        expect(await store.readStream(winner)).toHaveLength(1);
        expect(await store.readStream(shared)).toHaveLength(2);
      });

      it('refuses a malformed plan: no part, an empty part, a stream named twice', async () => {
        const a = streamName('many_a');
        await expect(store.appendMany([])).rejects.toBeInstanceOf(RangeError);
        await expect(store.appendMany([{ streamId: a, expected: 'no_stream', events: [] }])).rejects.toBeInstanceOf(RangeError);
        const [e1, e2] = nextEvents(a, null, 2);
        await expect(store.appendMany([{ streamId: a, expected: 'no_stream', events: [e1] }, { streamId: a, expected: 0, events: [e2] }])).rejects.toBeInstanceOf(RangeError);
        expect(await store.readStream(a)).toEqual([]);
      });
    });

    describeGlobalLogContract(() => store, isolated);
  });
}
