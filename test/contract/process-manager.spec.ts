import { Logger } from '@nestjs/common';
import { loadProcessManagerCheckpoint, PROCESS_MANAGER_CHECKPOINT_KEY } from '../../libs/application/parked-steps';
import type { ProcessManager } from '../../libs/application/process-manager';
import type { EventStore } from '../../libs/event-store/event-store.port';
import { FencedReadStore } from '../../libs/projection-runtime/fenced-read-store';
import { LeaseKeeper } from '../../libs/projection-runtime/lease-keeper';
import { LeaseLostError, type ReadStore } from '../../libs/read-store/read-store.port';
import { assertEveryStepOnce, faulty, processManager, reserve, sleep, transientErrorOf, until } from './process-manager.fixtures';
import { describeEachCombination, openWorld, type World } from './projector.fixtures';

/**
 * The process manager's contract (ADR 0045, 0063), one suite run on every adapter combination (SQLite/SQLite and the
 * EventStoreDB server model here; EventStoreDB/MongoDB, EventStoreDB/SQLite, SQLite/MongoDB with the servers). Its
 * steps here are the log-driven ones that need no other service: an `InvoiceNumberReserved` whose `InvoiceIssued` is
 * missing is completed by appending it, through the real repository, to the real event store; the checkpoint, the
 * parked steps and the lease are in the real read store. Nothing of the stores is mocked; faults are injected by
 * wrapping one method of the real store to fail, with the error its driver throws, then recover.
 */
describeEachCombination('ProcessManager contract', (combination) => {
  let world: World;
  beforeAll(() => Logger.overrideLogger(false)); // the retries' warnings are expected here
  const running: Array<{ stop(): Promise<void> }> = [];
  beforeEach(async () => (world = await openWorld(combination)));
  afterEach(async () => {
    for (const r of running.splice(0).reverse()) await r.stop();
    await world.dispose();
  });
  const start = async (pm: ProcessManager) => {
    running.push(pm);
    await pm.start();
    return pm;
  };
  const caughtUp = (pm: ProcessManager) => until('caught up', () => pm.status(), (s) => s.lag === 0 && s.state === 'live' && s.retrying === null);

  it('completes every step once, in the backlog at start and live after it; none skipped, the checkpoint at the head', async () => {
    const backlog = await reserve(world, 0, 5);
    const pm = await start(processManager(world.eventStore, world.readStore));
    await caughtUp(pm);
    const live = await reserve(world, 5, 4);
    await until('live steps done', async () => (await Promise.all(live.map((id) => world.eventStore.readStream(`invoice-${id}`)))).every((s) => s.length === 1), (v) => v);
    await caughtUp(pm);
    await assertEveryStepOnce(world, [...backlog, ...live]);
    // A restart replays nothing twice: the steps are idempotent and the checkpoint is where it was.
    await pm.stop();
    const again = await start(processManager(world.eventStore, world.readStore));
    await caughtUp(again);
    await assertEveryStepOnce(world, [...backlog, ...live]);
    expect((await again.status()).parked).toEqual([]);
  }, 60_000);

  it('heals after transient errors of the event store (appends) and of the read store (saving its checkpoint), without a restart', async () => {
    let appendFailures = 4;
    let saveFailures = 3;
    const events = faulty(world.eventStore, 'append', () => appendFailures-- > 0, transientErrorOf(combination, 'events'));
    const reads = faulty(world.readStore, 'setMeta', (args) => args[0] === PROCESS_MANAGER_CHECKPOINT_KEY && saveFailures-- > 0, transientErrorOf(combination, 'reads'));
    const ids = await reserve(world, 0, 6);
    const pm = await start(processManager(events, reads));
    await caughtUp(pm);
    expect(appendFailures).toBeLessThan(0);
    expect(saveFailures).toBeLessThan(0);
    expect(pm.lastError).toMatch(/UNAVAILABLE|locked|connection reset/);
    const status = await pm.status();
    expect(status.parked).toEqual([]);
    await assertEveryStepOnce(world, ids);
  }, 60_000);

  it('never moves its checkpoint past a step that has not completed', async () => {
    const ids = await reserve(world, 0, 3);
    const positions = await world.positions();
    const blocked = `invoice-${ids[1]}`;
    let blocking = true;
    let attempts = 0;
    const events = faulty(world.eventStore, 'append', (args) => blocking && args[0] === blocked && ++attempts > 0, transientErrorOf(combination, 'events'));
    const pm = await start(processManager(events, world.readStore));
    // The step of the 2nd reservation fails transiently, again and again: retried, never passed over.
    await until('retrying the blocked step', () => pm.status(), (s) => s.state === 'retrying' && s.retrying?.position === positions[1] && attempts >= 3);
    const saved = await loadProcessManagerCheckpoint(world.readStore);
    expect(saved).toBeLessThan(positions[1]);
    expect(await world.eventStore.readStream(blocked)).toEqual([]);
    // The 3rd reservation's step is not run out of order either (same batch, after the blocked one).
    expect(await world.eventStore.readStream(`invoice-${ids[2]}`)).toEqual([]);
    blocking = false;
    await caughtUp(pm);
    await assertEveryStepOnce(world, ids);
  }, 60_000);

  it('with a lease: only the holder acts; a standby takes over once the term lapses, and the old holder\'s writes are refused', async () => {
    let now = 1_000_000; // the keepers' clock, moved by the test (the store compares the instants it is given)
    const ttlMs = 10_000;
    const second = world.attach();
    let partitioned = false;
    const worker = (name: string, events: EventStore, store: ReadStore) => {
      const fenced = new FencedReadStore(store);
      const pm = processManager(events, fenced);
      let acquired = 0;
      // A: its lease renewals fail while `partitioned` (a holder cut off from the store, or frozen), its data path not.
      const leaseStore = name === 'A' ? faulty(store, 'acquireLease', () => partitioned, transientErrorOf(combination, 'reads')) : store;
      const keeper = new LeaseKeeper({
        store: leaseStore, name: 'background-workers', holder: `pm-${name}`, ttlMs, renewEveryMs: 30, clock: () => now, isDead: () => false,
        onAcquired: async (token) => { acquired++; fenced.fence = { lease: 'background-workers', token }; await pm.start(); },
        onLost: async () => { await pm.stop(); },
      });
      return { pm, fenced, keeper, acquired: () => acquired };
    };
    const a = worker('A', world.eventStore, world.readStore);
    const b = worker('B', second.eventStore, second.readStore);
    running.push(a.keeper, b.keeper);
    await a.keeper.start();
    await b.keeper.start();
    expect([a.keeper.state().role, b.keeper.state().role]).toEqual(['active', 'standby']);

    const first = await reserve(world, 0, 4);
    await caughtUp(a.pm);
    await assertEveryStepOnce(world, first);
    expect((await b.pm.status()).state).toBe('stopped');
    expect(b.acquired()).toBe(0);

    // A stops renewing. Before its term ends B stays standby, however often it asks.
    partitioned = true;
    now += ttlMs - 1;
    await sleep(200);
    expect(b.keeper.state().role).toBe('standby');
    expect(b.acquired()).toBe(0);
    // The term lapses: B takes over with the next token; A, unable to renew before its end, stops.
    now += 2;
    await until('B active', async () => b.keeper.state().role, (r) => r === 'active');
    await until('A stopped', async () => [a.keeper.state().role, (await a.pm.status()).state], ([role, state]) => role === 'standby' && state === 'stopped');
    expect((await world.readStore.getLease('background-workers'))).toMatchObject({ holder: 'pm-B', token: 2 });
    // A write A still had in flight carries token 1: refused, nothing written.
    const before = await world.readStore.getMeta(PROCESS_MANAGER_CHECKPOINT_KEY);
    await expect(a.fenced.setMeta(PROCESS_MANAGER_CHECKPOINT_KEY, '-1')).rejects.toBeInstanceOf(LeaseLostError);
    expect(await world.readStore.getMeta(PROCESS_MANAGER_CHECKPOINT_KEY)).toBe(before);

    const later = await reserve(world, 4, 3);
    await caughtUp(b.pm);
    await assertEveryStepOnce(world, [...first, ...later]);
    expect(b.acquired()).toBe(1);
  }, 60_000);
});
