import type { StoredEvent } from './event-store.port';
import { mergeStreamsPaged, type StreamReads } from './stream-merge';

/** A log of `n` events over `streams` streams, interleaved by a seeded generator (printed on failure). */
function log(seed: number, n: number, streams: number): StoredEvent[] {
  let x = seed;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const revisions = new Map<string, number>();
  return Array.from({ length: n }, (_, i) => {
    // Skewed: stream 0 (a customer's credit stream) gets a third of the events.
    const s = rand() < 0.33 ? 's0' : `s${1 + Math.floor(rand() * (streams - 1))}`;
    const revision = revisions.get(s) ?? 0;
    revisions.set(s, revision + 1);
    return { id: `e${i}`, type: 'T', data: {}, metadata: {} as StoredEvent['metadata'], streamId: s, revision, position: 10 * i + 3 };
  });
}

/** Reads over `events`, counting what they hand out. */
function reads(events: readonly StoredEvent[]) {
  const counts = { read: 0, chunks: 0, heads: 0 };
  const of = (s: string) => events.filter((e) => e.streamId === s);
  const r: StreamReads = {
    chunk: async (s, from, max) => {
      counts.chunks += 1;
      const out = of(s).filter((e) => e.revision >= from).slice(0, max);
      counts.read += out.length;
      return out;
    },
    head: async (s, from) => {
      counts.heads += 1;
      const e = of(s).find((x) => x.revision >= from);
      return e ? { revision: e.revision, position: e.position } : null;
    },
  };
  return { r, counts };
}

describe('mergeStreamsPaged', () => {
  it.each([[1, 1], [7, 3], [42, 10], [99, 50]])('merges in position order with at most the lookahead read ahead (seed %i, page %i)', async (seed, pageSize) => {
    const events = log(seed, 600, 40);
    const { r, counts } = reads(events);
    const streams = [...new Set(events.map((e) => e.streamId))].reverse();
    const out: StoredEvent[] = [];
    for await (const page of mergeStreamsPaged([...streams, 'absent'], r, { pageSize, lookahead: pageSize, chunkSize: 8 })) {
      expect(page.length).toBeLessThanOrEqual(pageSize);
      out.push(...page);
      // Read but not yet handed over: never more than the lookahead, whatever the streams hold.
      expect(counts.read - out.length).toBeLessThanOrEqual(pageSize);
    }
    expect(out.map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('reads a short stream whole in one chunk when the lookahead allows it', async () => {
    const events = log(5, 200, 60);
    const { r, counts } = reads(events);
    let n = 0;
    for await (const page of mergeStreamsPaged([...new Set(events.map((e) => e.streamId))], r, { pageSize: 100, lookahead: 1000, chunkSize: 64 })) n += page.length;
    expect(n).toBe(200);
    expect(counts.read).toBe(200);
  });

  it('stops at upToPosition and says so when a stream changes under it', async () => {
    const events = log(3, 50, 5);
    const { r } = reads(events);
    const ids: string[] = [];
    for await (const page of mergeStreamsPaged(['s0', 's1', 's2', 's3', 's4'], r, { pageSize: 4, upToPosition: events[19].position })) ids.push(...page.map((e) => e.id));
    expect(ids).toEqual(events.slice(0, 20).map((e) => e.id));
    const moved: StreamReads = { ...r, chunk: async (s, from, max) => (await r.chunk(s, from, max)).map((e) => ({ ...e, position: e.position + 1 })) };
    const run = async () => { for await (const _ of mergeStreamsPaged(['s0'], moved, { pageSize: 4 })) void _; };
    await expect(run()).rejects.toThrow(/changed while it was read/);
  });
});
