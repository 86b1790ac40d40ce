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
    reporter.onProgress({ projection: 'open-items', position: 9_999, durable: -1, head: 39_999, events: 10_000, total: 40_000 });
    t = 700;
    reporter.onProgress({ projection: 'open-items', position: 19_999, durable: -1, head: 39_999, events: 20_000, total: 40_000 });
    t = 800;
    reporter.onProgress({ projection: 'open-items', position: 29_999, durable: 29_999, head: 39_999, events: 30_000, total: 40_000 });
    t = 900;
    reporter.onProgress({ projection: 'open-items', position: 34_999, durable: 29_999, head: 39_999, events: 35_000, total: 40_000 });
    t = 2000;
    reporter.onProgress({ projection: 'open-items', position: 39_999, durable: 39_999, head: 39_999, events: 40_000, total: 40_000 });
    reporter.done();
    expect(lines).toEqual([
      'rebuild open-items: position 9999/39999 (25%), durable none yet, 10000 events, 20000 ev/s\n',
      'rebuild open-items: position 29999/39999 (75%), durable 29999, 30000 events, 37500 ev/s\n',
      'rebuild open-items: position 39999/39999 (100%), durable 39999, 40000 events, 20000 ev/s\n',
      'rebuild open-items: done at position 39999, 40000 events, 20000 ev/s\n',
    ]);
  });

  it('takes its percentage from events read over events to read, never from positions (opaque on EventStoreDB)', () => {
    const { lines, stream } = fakeStream(false);
    const reporter = rebuildProgress({ stream, intervalMs: 0, now: () => 1000 });
    // Byte-offset positions (1 234 567 of 9 876 543) say nothing of progress; 300 of 1 200 events read is 25 %.
    reporter.onProgress({ projection: 'journal', position: 1_234_567, durable: -1, head: 9_876_543, events: 300, total: 1_200 });
    reporter.onProgress({ projection: 'journal', position: 1_300_000, durable: -1, head: 9_876_543, events: 400, total: null });
    expect(lines[0]).toContain('(25%)');
    expect(lines[1]).toContain('(?%)');
  });

  it('draws bars on a terminal and still ends with a summary line', () => {
    const { lines, stream } = fakeStream(true);
    const reporter = rebuildProgress({ stream });
    reporter.onProgress({ projection: 'aging', position: 4, durable: 4, head: 9, events: 5, total: null });
    reporter.done();
    expect(lines.at(-1)).toMatch(/^rebuild aging: done at position 4, 5 events/);
  });
});
