import type { ReadStreamsPagedOptions, StoredEvent } from './event-store.port';

/** Where a stream's next event is: enough to order the streams without holding the event. */
export interface StreamHead {
  revision: number;
  position: number;
}

/** What a store gives the merge: reads of one stream, forward. */
export interface StreamReads {
  /** Up to `maxCount` events of the stream from `fromRevision` on, in revision order. */
  chunk(streamId: string, fromRevision: number, maxCount: number): Promise<StoredEvent[]>;
  /** The stream's first event at or after `fromRevision` (its revision and position), or null. */
  head(streamId: string, fromRevision: number): Promise<StreamHead | null>;
}

export interface MergeOptions extends ReadStreamsPagedOptions {
  /** Most events read from one stream at once (default 64). */
  chunkSize?: number;
  /** Events read ahead of the page, all streams together (default `pageSize`): with the page, what memory holds. */
  lookahead?: number;
  /** First events looked up at once when the merge starts (default 1). */
  concurrency?: number;
}

interface Cursor extends StreamHead {
  streamId: string;
  /** Events read ahead, from `at` on (the first of them is the stream's head). */
  buffer: StoredEvent[];
  at: number;
  /** The last chunk came back short: the stream had nothing more when it was read. */
  ended: boolean;
}

/** A binary min-heap of cursors by head position (positions compared, never subtracted: ADR 0061). */
class CursorHeap {
  private readonly items: Cursor[] = [];

  get size(): number {
    return this.items.length;
  }

  push(c: Cursor): void {
    const a = this.items;
    a.push(c);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!(a[i].position < a[parent].position)) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }

  pop(): Cursor | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].position < a[m].position) m = l;
        if (r < a.length && a[r].position < a[m].position) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * The events of several streams in global order, as pages, merged from each stream's own reads: a min-heap holds
 * one cursor per stream (its next event's revision and position), and at most `lookahead` events are read ahead
 * of the page across all streams. Memory: the page, the lookahead and a few numbers per stream, however many
 * events the streams hold (ADR 0109). Each stream is read in revision order, which is its position order.
 */
export async function* mergeStreamsPaged(streamIds: readonly string[], reads: StreamReads, options: MergeOptions): AsyncGenerator<StoredEvent[]> {
  const { pageSize } = options;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be an integer ≥ 1, got ${pageSize}`);
  const upTo = options.upToPosition ?? Number.POSITIVE_INFINITY;
  const chunkSize = Math.max(1, options.chunkSize ?? 64);
  const lookahead = Math.max(0, options.lookahead ?? pageSize);
  const heap = new CursorHeap();
  const unique = [...new Set(streamIds)];
  let next = 0;
  const firstHeads = async (): Promise<void> => {
    while (next < unique.length) {
      const streamId = unique[next++];
      const h = await reads.head(streamId, 0);
      if (h !== null && !(h.position > upTo)) heap.push({ streamId, revision: h.revision, position: h.position, buffer: [], at: 0, ended: false });
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, options.concurrency ?? 1), unique.length) }, firstHeads));

  let held = 0;
  let page: StoredEvent[] = [];
  for (let c = heap.pop(); c !== undefined; c = heap.pop()) {
    let event: StoredEvent;
    if (c.at < c.buffer.length) {
      event = c.buffer[c.at++];
      held -= 1;
    } else {
      // The head itself, and as much of what follows as the lookahead leaves room for.
      const want = Math.max(1, Math.min(chunkSize, lookahead - held + 1));
      const chunk = await reads.chunk(c.streamId, c.revision, want);
      if (chunk.length === 0 || chunk[0].position !== c.position) {
        throw new Error(`Stream ${c.streamId} changed while it was read: expected its event at position ${c.position}, revision ${c.revision}`);
      }
      event = chunk[0];
      c.buffer = chunk;
      c.at = 1;
      c.ended = chunk.length < want;
      held += chunk.length - 1;
    }
    page.push(event);
    if (c.at < c.buffer.length) {
      const following = c.buffer[c.at];
      if (following.position > upTo) held -= c.buffer.length - c.at;
      else {
        c.revision = following.revision;
        c.position = following.position;
        heap.push(c);
      }
    } else {
      c.buffer = [];
      c.at = 0;
      if (!c.ended) {
        const h = await reads.head(c.streamId, event.revision + 1);
        if (h !== null && !(h.position > upTo)) {
          c.revision = h.revision;
          c.position = h.position;
          heap.push(c);
        }
      }
    }
    if (page.length >= pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}
