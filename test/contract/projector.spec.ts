import { Projector } from '../../libs/projection-runtime/projector';
import type { Projection } from '../../libs/projection-runtime/projection';
import { countingProjection, describeEachCombination, expectedCounts, fragileProjection, openWorld, type World } from './projector.fixtures';

const total = (i: number) => 100 + (i % 13);

describeEachCombination('Projector (live)', (combination) => {
  let world: World;
  const running: Projector[] = [];
  const projector = (projections: Projection[], batchSize = 2000) => {
    const p = new Projector({ eventStore: world.eventStore, readStore: world.readStore, projections, batchSize });
    running.push(p);
    return p;
  };
  beforeEach(async () => (world = await openWorld(combination)));
  afterEach(async () => {
    for (const p of running.splice(0)) await p.stop();
    await world.dispose();
  });

  async function counts(p: Projector, name = 'customer-counts') {
    const collection = await p.liveCollection(name);
    const docs = await world.readStore.find(collection ?? '', {}, { sort: [['customerId', 1]] });
    return new Map(docs.map((d) => [d.customerId as string, { events: d.events, invoiced: d.invoiced }]));
  }

  it('projects the log into the live collection and records it in meta', async () => {
    const head = await world.issue(50);
    const p = projector([countingProjection()], 16);
    await p.start();
    expect(await p.waitForPosition(head, 5000)).toBe(true);
    expect(await p.liveCollection('customer-counts')).toBe('customer_counts_v1_g1');
    expect(await world.readStore.getMeta('live:customer-counts')).toBe('customer_counts_v1_g1');
    expect(await counts(p)).toEqual(expectedCounts(50, 7, total));
    const [status] = await p.status();
    expect(status).toMatchObject({ name: 'customer-counts', version: 1, collection: 'customer_counts_v1_g1', checkpoint: head, head, lag: 0, lastError: null });
  });

  it('resumes from its checkpoint after a restart without counting twice', async () => {
    await world.issue(30);
    const first = projector([countingProjection()], 8);
    await first.start();
    expect(await first.waitForPosition(await world.eventStore.headPosition(), 5000)).toBe(true);
    await first.stop();
    await world.reopen();
    const head = await world.issue(25);
    const second = projector([countingProjection()], 8);
    await second.start();
    expect(await second.waitForPosition(head, 5000)).toBe(true);
    expect(await counts(second)).toEqual(expectedCounts(55, 7, total));
  });

  it('follows new appends and waitForPosition resolves on the event, not at the timeout', async () => {
    const p = projector([countingProjection()]);
    await p.start();
    expect(await p.waitForPosition(1, 50)).toBe(false);
    const started = Date.now();
    const head = await world.issue(3);
    const positions = await world.positions();
    expect(positions).toHaveLength(3);
    expect(head).toBe(positions[2]);
    expect(await p.waitForPosition(head, 5000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await p.waitForPosition(head, 0)).toBe(true);
    expect((await counts(p)).size).toBe(3);
  });

  it('writes a batch and its checkpoint together: a failing document leaves neither', async () => {
    await world.issue(10, 7);
    const at = await world.positions();
    const base = countingProjection('bigint-trap');
    // The 8th event makes a document that cannot be serialized: the whole batch (events 5..8) is refused.
    const trap: Projection = { ...base, evolve: (doc, e) => ({ ...base.evolve(doc as never, e), ...(e.position === at[7] ? { big: BigInt(1) } : {}) }) };
    const p = projector([trap], 4);
    await p.start();
    expect(await p.waitForPosition(at[3], 5000)).toBe(true);
    expect(await p.waitForPosition(at[9], 300)).toBe(false);
    const [status] = await p.status();
    expect(status.checkpoint).toBe(at[3]);
    expect(status.lastError).toMatch(/BigInt/i);
    const docs = await world.readStore.find('bigint_trap_v1_g1', {});
    expect(docs.reduce((n, d) => n + (d.events as number), 0)).toBe(4);
    expect(await world.readStore.getCheckpoint('bigint_trap_v1_g1')).toMatchObject({ position: at[3] });
  });

  it('a projection that throws stops alone, shows lastError, and the others keep going', async () => {
    const p = projector([fragileProjection(100 + 5), countingProjection()], 3);
    await p.start();
    const head = await world.issue(20, 7, total);
    expect(await p.waitForPosition(head, 5000, ['customer-counts'])).toBe(true);
    expect(await p.waitForPosition(head, 200)).toBe(false);
    const status = Object.fromEntries((await p.status()).map((s) => [s.name, s]));
    expect(status['customer-counts']).toMatchObject({ checkpoint: head, lastError: null, lag: 0 });
    expect(status.fragile.lastError).toMatch(/poisoned invoice \w+-inv-5/);
    const at = await world.positions();
    expect(status.fragile.checkpoint).toBeLessThan(at[5]);
    // Lag in events, not in position units (bytes on EventStoreDB): the events after its checkpoint, counted.
    expect(status.fragile.lag).toBe(at.filter((position) => position > status.fragile.checkpoint).length);
    expect(status.fragile.lag).toBeGreaterThan(0);
    expect(await counts(p)).toEqual(expectedCounts(20, 7, total));
  });

  it('answers waitForPosition from the read store when another process projects', async () => {
    const worker = projector([countingProjection()]);
    await worker.start();
    const head = await world.issue(5);
    const reader = projector([countingProjection()]); // not started: reads checkpoints from the store
    expect(await reader.waitForPosition(head, 5000)).toBe(true);
    expect(await reader.liveCollection('customer-counts')).toBe('customer_counts_v1_g1');
  });
});
