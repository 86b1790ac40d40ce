import { Projector } from '../../libs/projection-runtime/projector';
import type { RebuildProgress } from '../../libs/projection-runtime/rebuilder';
import type { Projection } from '../../libs/projection-runtime/projection';
import type { ReadStore } from '../../libs/read-store/read-store.port';
import { countingProjection, describeEachCombination, dump, expectedCounts, openWorld, type World } from './projector.fixtures';

const total = (i: number) => 100 + (i % 13);
const NAME = 'customer-counts';

describeEachCombination('Projector (rebuild, verify, versions)', (combination) => {
  let world: World;
  const running: Projector[] = [];
  const projector = (projections: Projection[], options: { batchSize?: number; rebuildBatchSize?: number } = {}) => {
    const p = new Projector({ eventStore: world.eventStore, readStore: world.readStore, projections, ...options });
    running.push(p);
    return p;
  };
  beforeEach(async () => (world = await openWorld(combination)));
  afterEach(async () => {
    for (const p of running.splice(0)) await p.stop();
    await world.dispose();
  });

  /** Live-built in several rounds of small batches, so batch boundaries differ from a rebuild's. */
  async function liveBuilt(rounds = 4, perRound = 60): Promise<Projector> {
    const p = projector([countingProjection(), countingProjection('per-customer-copy')], { batchSize: 7, rebuildBatchSize: 50 });
    await p.start();
    for (let r = 0; r < rounds; r++) expect(await p.waitForPosition(await world.issue(perRound, 11, total), 5000)).toBe(true);
    return p;
  }

  it('rebuilding from zero gives byte-identical documents, and verify agrees', async () => {
    const p = await liveBuilt();
    const before = await dump(world.readStore, 'customer_counts_v1_g1');
    expect(before.size).toBe(11);
    expect(await p.verify(NAME)).toEqual({ identical: true, compared: 11, differenceCount: 0, differences: [] });
    await p.rebuild([NAME]);
    expect(await p.liveCollection(NAME)).toBe('customer_counts_v1_g2');
    expect(await dump(world.readStore, 'customer_counts_v1_g2')).toEqual(before);
    expect(await world.readStore.count('customer_counts_v1_g1', {})).toBe(0);
    expect(await world.readStore.getCheckpoint('customer_counts_v1_g1')).toBeNull();
    expect(await world.readStore.count('customer_counts_v1_verify', {})).toBe(0);
  });

  it('counts the log once for the progress of projections rebuilt from the same checkpoint, each told that total', async () => {
    await liveBuilt(1, 60);
    const p = projector([countingProjection(), countingProjection('per-customer-copy')]);
    let counts = 0;
    const store = world.eventStore;
    const countAfter = store.countAfter.bind(store);
    store.countAfter = async (...args) => {
      counts++;
      return countAfter(...args);
    };
    const progress: RebuildProgress[] = [];
    try {
      await p.rebuild(undefined, (event) => progress.push(event));
    } finally {
      store.countAfter = countAfter;
    }
    // Both rebuilt fresh from the log's start: one count of its 60 events, given to both.
    expect(counts).toBe(1);
    expect(new Map(progress.map((e) => [e.projection, e.total]))).toEqual(new Map([[NAME, 60], ['per-customer-copy', 60]]));
  });

  it('verify reports documents that differ from a fresh fold', async () => {
    const p = await liveBuilt(1, 30);
    await world.readStore.commitBatch('tamper', [{ collection: 'customer_counts_v1_g1', upserts: [{ key: 'cust-3', doc: { customerId: 'cust-3', events: 999 } }, { key: 'ghost', doc: {} }], deletes: [] }], 0, 'now');
    const result = await p.verify(NAME);
    expect(result.identical).toBe(false);
    expect(result.differenceCount).toBe(2);
    expect(result.differences.map((d) => d.key).sort()).toEqual(['cust-3', 'ghost']);
    expect(result.differences.find((d) => d.key === 'ghost')).toEqual({ key: 'ghost', live: '{}', rebuilt: null });
  });

  it('keeps serving the live collection during a rebuild, follows appends, then swaps', async () => {
    const p = await liveBuilt(2, 100);
    const seen: Array<{ live: string | null; readable: number }> = [];
    let appended: Promise<number> | null = null;
    const progress: RebuildProgress[] = [];
    await p.rebuild([NAME], (event) => progress.push(event));
    // A second rebuild, with appends landing while it runs.
    await p.rebuild([NAME], (event) => {
      progress.push(event);
      appended ??= world.issue(40, 11, total);
      void Promise.all([p.liveCollection(NAME), world.readStore.count('customer_counts_v1_g2', {})]).then(([live, readable]) => seen.push({ live, readable }));
    });
    await appended;
    expect(seen.some((s) => s.live === 'customer_counts_v1_g2' && s.readable === 11)).toBe(true);
    expect(await p.liveCollection(NAME)).toBe('customer_counts_v1_g3');
    const head = await world.eventStore.headPosition();
    // Positions are opaque (ADR 0061): the 240th event's, whatever the store numbers it.
    const at = await world.positions();
    expect(at).toHaveLength(240);
    expect(head).toBe(at[239]);
    expect(await p.waitForPosition(head, 5000)).toBe(true);
    const docs = await world.readStore.find('customer_counts_v1_g3', {});
    expect(docs.reduce((n, d) => n + (d.events as number), 0)).toBe(240);
    expect(progress.at(-1)).toMatchObject({ projection: NAME, head: expect.any(Number) });
    expect((await p.verify(NAME)).identical).toBe(true);
  });

  it('a live projector follows a swap made by another process, without losing or doubling events', async () => {
    const p = await liveBuilt(1, 50);
    const other = world.attach();
    const cli = new Projector({ ...other, projections: [countingProjection()], rebuildBatchSize: 20 });
    await cli.rebuild([NAME]);
    expect(await other.readStore.getMeta('live:customer-counts')).toBe('customer_counts_v1_g2');
    await world.issue(30, 11, total); // may land in the retired collection before the swap is noticed
    await new Promise((resolve) => setTimeout(resolve, 600));
    const head = await world.issue(20, 11, total);
    expect(await p.waitForPosition(head, 5000)).toBe(true);
    expect(await p.liveCollection(NAME)).toBe('customer_counts_v1_g2');
    const docs = await world.readStore.find('customer_counts_v1_g2', {});
    expect(docs.reduce((n, d) => n + (d.events as number), 0)).toBe(100);
    expect(await world.readStore.count('customer_counts_v1_g1', {})).toBe(0);
    expect((await p.verify(NAME)).identical).toBe(true);
  });

  it('resumes an interrupted rebuild from its recorded generation and checkpoint', async () => {
    const head = await world.issue(300, 11, total);
    const at = await world.positions();
    const first = projector([countingProjection()], { rebuildBatchSize: 50 });
    await expect(first.rebuild([NAME], (e) => {
      if (e.position >= at[149]) throw new Error('killed');
    })).rejects.toThrow('killed');
    expect(await world.readStore.getMeta('building:customer-counts')).toBe('customer_counts_v1_g1');
    expect(await world.readStore.getCheckpoint('customer_counts_v1_g1')).toMatchObject({ position: at[149] });
    expect(await world.readStore.getMeta('live:customer-counts')).toBeNull();

    const second = projector([countingProjection()], { rebuildBatchSize: 50 });
    const positions: number[] = [];
    let events = 0;
    await second.rebuild(undefined, (e) => {
      positions.push(e.position);
      events = e.events;
    });
    expect(positions[0]).toBe(at[199]);
    expect(events).toBe(150);
    expect(await second.liveCollection(NAME)).toBe('customer_counts_v1_g1');
    expect(await world.readStore.getMeta('building:customer-counts')).toBe('');
    await second.start();
    expect(await second.waitForPosition(head, 1000)).toBe(true);
    const docs = await world.readStore.find('customer_counts_v1_g1', {});
    expect(new Map(docs.map((d) => [d.customerId, { events: d.events, invoiced: d.invoiced }]))).toEqual(expectedCounts(300, 11, total));
  });

  /** The same store, with every commitBatch recorded; past `dieAfter` commits it fails as a dead process would. */
  function recorded(store: ReadStore, commits: Array<{ checkpoint: number; documents: number }>, dieAfter = Infinity): ReadStore {
    return new Proxy(store, {
      get(target, key) {
        if (key === 'commitBatch') {
          return async (...args: Parameters<ReadStore['commitBatch']>) => {
            if (commits.length >= dieAfter) throw new Error('process gone');
            commits.push({ checkpoint: args[2], documents: args[1].reduce((n, c) => n + c.upserts.length + c.deletes.length, 0) });
            return target.commitBatch(...args);
          };
        }
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  it('coalesces a rebuild in memory: each document written once, with the checkpoint, in one commit', async () => {
    await world.issue(300, 11, total);
    const at = await world.positions();
    const commits: Array<{ checkpoint: number; documents: number }> = [];
    const p = new Projector({ eventStore: world.eventStore, readStore: recorded(world.readStore, commits), projections: [countingProjection()], rebuildBatchSize: 50 });
    running.push(p);
    const durable: number[] = [];
    await p.rebuild([NAME], (e) => durable.push(e.durable));
    expect(commits).toEqual([{ checkpoint: at[299], documents: 11 }]);
    expect(durable).toEqual([-1, -1, -1, -1, -1, -1]);
    const docs = await world.readStore.find('customer_counts_v1_g1', {});
    expect(new Map(docs.map((d) => [d.customerId, { events: d.events, invoiced: d.invoiced }]))).toEqual(expectedCounts(300, 11, total));
  });

  it('flushes on the memory budget, and a rebuild that dies between flushes resumes from the last one', async () => {
    const head = await world.issue(300, 11, total);
    const at = await world.positions();
    const commits: Array<{ checkpoint: number; documents: number }> = [];
    // The buffer holds the 11 customers' documents from the first batch on: a budget of 11 flushes every batch.
    const dying = new Projector({ eventStore: world.eventStore, readStore: recorded(world.readStore, commits, 2), projections: [countingProjection()], rebuildBatchSize: 50, rebuildFlush: { maxDocuments: 11, maxMs: 60_000 } });
    running.push(dying);
    await expect(dying.rebuild([NAME])).rejects.toThrow('process gone');
    expect(commits.map((c) => c.checkpoint)).toEqual([at[49], at[99]]);
    expect(await world.readStore.getCheckpoint('customer_counts_v1_g1')).toMatchObject({ position: at[99] });

    const second = projector([countingProjection()], { rebuildBatchSize: 50 });
    let events = 0;
    await second.rebuild(undefined, (e) => (events = e.events));
    expect(events).toBe(200);
    await second.start();
    expect(await second.waitForPosition(head, 1000)).toBe(true);
    const docs = await world.readStore.find('customer_counts_v1_g1', {});
    expect(new Map(docs.map((d) => [d.customerId, { events: d.events, invoiced: d.invoiced }]))).toEqual(expectedCounts(300, 11, total));
    expect((await second.verify(NAME)).identical).toBe(true);
  });

  it('flushes on the time budget', async () => {
    await world.issue(200, 11, total);
    const at = await world.positions();
    const commits: Array<{ checkpoint: number; documents: number }> = [];
    const p = new Projector({ eventStore: world.eventStore, readStore: recorded(world.readStore, commits), projections: [countingProjection()], rebuildBatchSize: 50, rebuildFlush: { maxDocuments: 1_000_000, maxMs: 0 } });
    running.push(p);
    await p.rebuild([NAME]);
    expect(commits.map((c) => c.checkpoint)).toEqual([at[49], at[99], at[149], at[199]]);
  });

  it('a version bump builds the new version beside the live one and swaps at start', async () => {
    const v1 = projector([countingProjection(NAME, 1, 1)]);
    await v1.start();
    expect(await v1.waitForPosition(await world.issue(40, 5, total), 5000)).toBe(true);
    await v1.stop();

    const v2 = projector([countingProjection(NAME, 2, 10)]);
    await v2.start();
    expect(await v2.liveCollection(NAME)).toBe('customer_counts_v2_g2');
    expect(await world.readStore.count('customer_counts_v1_g1', {})).toBe(0);
    const head = await world.issue(10, 5, total);
    expect(await v2.waitForPosition(head, 5000)).toBe(true);
    const docs = await world.readStore.find('customer_counts_v2_g2', {});
    const expected = expectedCounts(50, 5, total, 10);
    expect(new Map(docs.map((d) => [d.customerId, { events: d.events, invoiced: d.invoiced }]))).toEqual(expected);
    expect((await v2.status())[0]).toMatchObject({ version: 2, collection: 'customer_counts_v2_g2', checkpoint: head, building: null });
  });
});
