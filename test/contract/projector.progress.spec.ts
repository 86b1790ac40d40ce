import { rebuildProgress } from '../../libs/projection-runtime/rebuild-progress';

function fakeStream(isTTY: boolean) {
  const lines: string[] = [];
  const stream = { isTTY, columns: 120, write: (s: string) => (lines.push(s), true), on: () => stream, removeListener: () => stream, cursorTo: () => true, clearLine: () => true, moveCursor: () => true };
  return { lines, stream: stream as unknown as NodeJS.WriteStream };
}

describe('rebuild progress reporting', () => {
  it('prints throttled plain lines, one more whenever the durable position moves, and a summary', () => {
    const { lines, stream } = fakeStream(false);
    let t = 0;
    const reporter = rebuildProgress({ stream, intervalMs: 1000, now: () => t });
    t = 500;
    reporter.onProgress({ projection: 'open-items', position: 9_999, durable: -1, head: 39_999, events: 10_000 });
    t = 700;
    reporter.onProgress({ projection: 'open-items', position: 19_999, durable: -1, head: 39_999, events: 20_000 });
    t = 800;
    reporter.onProgress({ projection: 'open-items', position: 29_999, durable: 29_999, head: 39_999, events: 30_000 });
    t = 900;
    reporter.onProgress({ projection: 'open-items', position: 34_999, durable: 29_999, head: 39_999, events: 35_000 });
    t = 2000;
    reporter.onProgress({ projection: 'open-items', position: 39_999, durable: 39_999, head: 39_999, events: 40_000 });
    reporter.done();
    expect(lines).toEqual([
      'rebuild open-items: position 9999/39999 (25%), durable none yet, 10000 events, 20000 ev/s\n',
      'rebuild open-items: position 29999/39999 (75%), durable 29999, 30000 events, 37500 ev/s\n',
      'rebuild open-items: position 39999/39999 (100%), durable 39999, 40000 events, 20000 ev/s\n',
      'rebuild open-items: done at position 39999, 40000 events, 20000 ev/s\n',
    ]);
  });

  it('draws bars on a terminal and still ends with a summary line', () => {
    const { lines, stream } = fakeStream(true);
    const reporter = rebuildProgress({ stream });
    reporter.onProgress({ projection: 'aging', position: 4, durable: 4, head: 9, events: 5 });
    reporter.done();
    expect(lines.at(-1)).toMatch(/^rebuild aging: done at position 4, 5 events/);
  });
});
