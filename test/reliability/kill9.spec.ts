import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { verifyChain } from '../../libs/event-store/hash-chain';
import { Projector } from '../../libs/projection-runtime/projector';
import { buildingKey } from '../../libs/projection-runtime/generations';
import { nextEvents } from '../contract/event-store.fixtures';
import { assertEveryStepOnce, processManager, reserve, until } from '../contract/process-manager.fixtures';
import {
  countingProjection, describeEachCombination, dump, expectedCounts, openWorld, type AdapterCombination, type World,
} from '../contract/projector.fixtures';

/**
 * The crash suite (issue 15, ADR 0093): a child process works on the stores of one adapter combination and is killed
 * with SIGKILL mid-way — during appends, during a rebuild, during a saga (the process manager's steps); the test then
 * reopens the same stores and checks that nothing acknowledged was lost, no step was lost or done twice, and the
 * resumed projection is identical to a rebuild. SQLite/SQLite runs everywhere; EventStoreDB/MongoDB, EventStoreDB/SQLite
 * and SQLite/MongoDB run with the servers (`npm run test:integration`, the CI workflow), skipped with the variable
 * they need otherwise. The in-memory EventStoreDB model is not in this suite: it does not outlive a process.
 */
type Line = string[];

/** Spawns crash-child.js in `mode` on the world; SIGKILLs it when `killWhen` says so; returns the lines it printed. */
function runUntilKilled(mode: 'append' | 'rebuild' | 'saga', combination: AdapterCombination, world: World, killWhen: (lines: readonly Line[]) => boolean): Promise<Line[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'crash-child.js'), mode, JSON.stringify(combination), JSON.stringify({ dir: world.dir, run: world.run })], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Line[] = [];
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (text) => {
      lines.push(text.split(' '));
      if (!killed && killWhen(lines)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(lines);
      else reject(new Error(`crash-child ${mode} exited with ${code} before it was killed (${lines.length} lines): ${stderr}`));
    });
  });
}

describeEachCombination('kill -9', (combination) => {
  let world: World;
  const running: Array<{ stop(): Promise<void> }> = [];
  beforeEach(async () => (world = await openWorld(combination)));
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop();
    await world.dispose();
  });
  /** The stores as a process started after the crash opens them. */
  const restart = () => world.reopen();

  it.each([1, 2, 3])('during appends: every acknowledged event is there, chains intact, the log writable again (run %i)', async (run) => {
    const wanted = 300 + run * 157;
    const lines = await runUntilKilled('append', combination, world, (l) => l.filter((x) => x[0] === 'ack').length >= wanted);
    const acked = lines.filter((l) => l[0] === 'ack').map(([, streamId, revision, position, eventId]) => ({ streamId, revision: Number(revision), position: Number(position), eventId }));
    expect(acked.length).toBeGreaterThanOrEqual(wanted);
    await restart();
    const streams = [...new Set(acked.map((a) => a.streamId))];
    expect(streams).toHaveLength(3);
    for (const streamId of streams) {
      const stored = await world.eventStore.readStream(streamId);
      expect(verifyChain(stored)).toBeNull();
      for (const ack of acked.filter((a) => a.streamId === streamId)) {
        expect(stored[ack.revision]).toMatchObject({ id: ack.eventId, position: ack.position });
      }
    }
    const head = await world.eventStore.headPosition();
    expect(head).toBeGreaterThanOrEqual(Math.max(...acked.map((a) => a.position)));
    const log = await world.positions();
    // In log order, each once; every acknowledged position in it.
    expect(log).toEqual([...log].sort((a, b) => a - b));
    expect(new Set(log).size).toBe(log.length);
    const inLog = new Set(log);
    expect(acked.filter((a) => !inLog.has(a.position))).toEqual([]);
    if (combination.eventStore === 'sqlite') expect(log).toEqual(Array.from({ length: log.length }, (_, i) => i + 1)); // SQLite: rowids, no gap
    // Writable again after recovery.
    const [last] = await world.eventStore.readStream(streams[0], { direction: 'backward', maxCount: 1 });
    const next = await world.eventStore.append(streams[0], last.revision, nextEvents(streams[0], last, 1));
    expect(next.nextRevision).toBe(last.revision + 1);
    expect(next.position).toBeGreaterThan(head);
  }, 120_000);

  it('during a rebuild: the next run resumes the generation it left, and its documents are those of a rebuild from zero', async () => {
    const total = (i: number) => 100 + (i % 13);
    const count = 1_200;
    await world.issue(count, 11, total);
    // Killed once some batches are durable, well before the end (25 events a batch, 1 200 events).
    const lines = await runUntilKilled('rebuild', combination, world, (l) => l.some((x) => x[0] === 'progress' && Number(x[1]) >= 200 && Number(x[2]) >= 0));
    expect(lines.some((l) => l[0] === 'done')).toBe(false);
    await restart();
    const left = await world.readStore.getMeta(buildingKey('customer-counts'));
    expect(left).toMatch(/^customer_counts_v1_g\d+$/);
    const durable = (await world.readStore.getCheckpoint(left!))?.position ?? -1;
    const positions = await world.positions();
    expect(durable).toBeGreaterThanOrEqual(positions[0]);
    expect(durable).toBeLessThan(positions[count - 1]);

    const p = new Projector({ eventStore: world.eventStore, readStore: world.readStore, projections: [countingProjection()], rebuildBatchSize: 100 });
    running.push(p);
    await p.rebuild(['customer-counts']);
    // Resumed into the generation the killed run left (not restarted in a new one).
    expect(await p.liveCollection('customer-counts')).toBe(left);
    const resumed = await dump(world.readStore, left!);
    const want = expectedCounts(count, 11, total);
    expect(resumed.size).toBe(want.size);
    for (const [key, figures] of want) expect(JSON.parse(resumed.get(key)!)).toMatchObject(figures);
    // …identical, byte for byte, to a rebuild from zero.
    await p.rebuild(['customer-counts']);
    const fresh = await p.liveCollection('customer-counts');
    expect(fresh).not.toBe(left);
    expect(await dump(world.readStore, fresh!)).toEqual(resumed);
  }, 180_000);

  it('during a saga: after the restart every step is completed exactly once, none lost, the checkpoint at the head', async () => {
    const ids = await reserve(world, 0, 40);
    const lines = await runUntilKilled('saga', combination, world, (l) => l.filter((x) => x[0] === 'ack').length >= 10);
    const done = lines.filter((l) => l[0] === 'ack').length;
    expect(done).toBeGreaterThanOrEqual(10);
    expect(done).toBeLessThan(40);
    await restart();
    const pm = processManager(world.eventStore, world.readStore);
    running.push(pm);
    await pm.start();
    await until('caught up', () => pm.status(), (s) => s.lag === 0 && s.state === 'live' && s.retrying === null, 60_000);
    await assertEveryStepOnce(world, ids);
    expect((await pm.status()).parked).toEqual([]);
  }, 120_000);
}, { durable: true });
