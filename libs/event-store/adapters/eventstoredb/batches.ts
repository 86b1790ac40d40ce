/** Marks "nothing more arrived before the next turn of the event loop". */
const IDLE = Symbol('idle');

type Settled<T> = { ok: true; result: IteratorResult<T> } | { ok: false; error: unknown };

/**
 * Groups an async iterable's items into batches: every item already available (buffered by the source) up to
 * `max`, handed over as soon as the source has nothing more ready (checked after a `setImmediate`, so a burst of
 * buffered gRPC messages is one batch, and a lone live event is delivered at once). An error of the source is
 * thrown after the items received before it have been yielded.
 */
export async function* batches<T>(source: AsyncIterable<T>, max: number): AsyncGenerator<T[]> {
  if (!Number.isInteger(max) || max < 1) throw new RangeError('batch size must be a positive integer');
  const iterator = source[Symbol.asyncIterator]();
  const pull = (): Promise<Settled<T>> => iterator.next().then((result) => ({ ok: true as const, result }), (error: unknown) => ({ ok: false as const, error }));
  let pending = pull();
  let buffer: T[] = [];
  for (;;) {
    const next = buffer.length === 0 ? await pending : await Promise.race([pending, new Promise<typeof IDLE>((resolve) => setImmediate(() => resolve(IDLE)))]);
    if (next === IDLE) {
      yield buffer;
      buffer = [];
      continue;
    }
    if (!next.ok || next.result.done) {
      if (buffer.length > 0) yield buffer;
      if (!next.ok) throw next.error;
      return;
    }
    buffer.push(next.result.value);
    pending = pull();
    if (buffer.length >= max) {
      yield buffer;
      buffer = [];
    }
  }
}
