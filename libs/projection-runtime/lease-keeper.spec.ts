import { SqliteReadStore } from '../read-store/adapters/sqlite/sqlite-read-store';
import { LeaseLostError } from '../read-store/read-store.port';
import { FencedReadStore } from './fenced-read-store';
import { holderIsDeadProcess, LeaseKeeper } from './lease-keeper';

/** Two instances' keepers on one read store, with a clock the test moves (ADR 0063). */
describe('LeaseKeeper: one active instance, the other standby, takeover within the term', () => {
  let store: SqliteReadStore;
  let now: number;
  const events: string[] = [];
  const keeper = (holder: string, fenced?: FencedReadStore) => new LeaseKeeper({
    store, name: 'workers', holder, ttlMs: 3000, renewEveryMs: 1000, clock: () => now, isDead: () => false,
    onAcquired: async (token) => { events.push(`${holder} starts with token ${token}`); if (fenced) fenced.fence = { lease: 'workers', token }; },
    onLost: async (reason) => { events.push(`${holder} stops: ${reason}`); },
  });
  // Drives one renewal round by hand (the timers are not used: start() asks once).
  const tick = (k: LeaseKeeper) => (k as unknown as { tick(): Promise<void> }).tick();

  beforeEach(() => {
    store = new SqliteReadStore({ path: ':memory:' });
    now = 1_000_000;
    events.length = 0;
  });
  afterEach(() => store.close());

  it('the first asks and holds; the second stands by; when the first stops renewing the second takes over after the term, with a new token', async () => {
    const a = keeper('A');
    const b = keeper('B');
    await a.start();
    await b.start();
    expect(a.state()).toMatchObject({ role: 'active', lease: { holder: 'A', token: 1, expiresAt: 1_003_000 } });
    expect(b.state()).toMatchObject({ role: 'standby', lease: { holder: 'A', token: 1 } });
    // A renews at +1 s and +2 s: B, asking at the same instants, stays standby.
    for (const t of [1_001_000, 1_002_000]) {
      now = t;
      await tick(a);
      await tick(b);
    }
    expect(b.state().role).toBe('standby');
    // A freezes (no more renewals) after its renewal at 1 002 000: its term ends at 1 005 000. B asks every second:
    // at 1 004 000 refused, at 1 005 000 it takes over. Takeover bound: term (3 s) + one renewal interval (1 s) after
    // A's last renewal at most.
    now = 1_004_000;
    await tick(b);
    expect(b.state().role).toBe('standby');
    now = 1_005_000;
    await tick(b);
    expect(b.state()).toMatchObject({ role: 'active', lease: { holder: 'B', token: 2 } });
    // A wakes up: it sees B's lease and stops.
    now = 1_005_100;
    await tick(a);
    expect(a.state().role).toBe('standby');
    expect(events).toEqual(['A starts with token 1', 'B starts with token 2', 'A stops: taken over by B (token 2)']);
    await a.stop();
    await b.stop();
  });

  it('a stale holder’s fenced write is refused once the other has taken over, before it has noticed', async () => {
    const fencedA = new FencedReadStore(store);
    const a = keeper('A', fencedA);
    await a.start();
    await fencedA.commitBatch('p', [{ collection: 'docs', upserts: [{ key: 'k', doc: { by: 'A' } }], deletes: [] }], 1, 'at');
    now += 3000; // A's term has lapsed, A has not renewed
    const b = keeper('B');
    await b.start();
    expect(b.state().role).toBe('active');
    await expect(fencedA.commitBatch('p', [{ collection: 'docs', upserts: [{ key: 'k', doc: { by: 'A, stale' } }], deletes: [] }], 2, 'at')).rejects.toBeInstanceOf(LeaseLostError);
    // The live projector's one-transaction write carries the same fence.
    await expect(fencedA.commitBatches!([{ projection: 'p', changes: [{ collection: 'docs', upserts: [{ key: 'k', doc: { by: 'A, stale' } }], deletes: [] }], checkpoint: 2 }], 'at')).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.get('docs', 'k')).toEqual({ by: 'A' });
    expect((await store.getCheckpoint('p'))?.position).toBe(1);
    await a.stop();
    await b.stop();
  });

  it('stop() stops the work and releases the lease: the standby takes over at its next attempt', async () => {
    const a = keeper('A');
    const b = keeper('B');
    await a.start();
    await b.start();
    await a.stop();
    now += 10; // well inside A's term
    await tick(b);
    expect(b.state()).toMatchObject({ role: 'active', lease: { holder: 'B', token: 2 } });
    expect(events).toEqual(['A starts with token 1', 'A stops: stopping', 'B starts with token 2']);
    await b.stop();
  });

  it('keeps renewing while the work is still starting (a rebuild at start), and stops it only once started', async () => {
    let started!: () => void;
    const log: string[] = [];
    const a = new LeaseKeeper({
      store, name: 'workers', holder: 'A', ttlMs: 3000, renewEveryMs: 1000, clock: () => now, isDead: () => false,
      onAcquired: () => new Promise<void>((resolve) => { log.push('starting'); started = () => { log.push('started'); resolve(); }; }),
      onLost: async (reason) => { log.push(`stopped: ${reason}`); },
    });
    const starting = a.start();
    await new Promise((resolve) => setImmediate(resolve));
    // The start takes 5 s: renewed at +1 s … +5 s, the term never lapses (3 s), B never gets in.
    for (let i = 1; i <= 5; i++) {
      now += 1000;
      await tick(a);
      expect(await store.acquireLease('workers', 'B', now, 3000)).toMatchObject({ holder: 'A', token: 1, expiresAt: now + 3000 });
    }
    // Taken over meanwhile (the row rewritten as a takeover would): the loss waits for the start to finish.
    await store.releaseLease('workers', 'A', 1);
    await store.acquireLease('workers', 'B', now, 3000);
    const losing = tick(a);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log).toEqual(['starting']);
    started();
    await losing;
    await starting;
    expect(log).toEqual(['starting', 'started', 'stopped: taken over by B (token 2)']);
    await a.stop();
  });

  it('a holder whose process is gone is not waited for', async () => {
    await store.acquireLease('workers', 'ghost:1:x', now, 3000);
    const b = new LeaseKeeper({
      store, name: 'workers', holder: 'B', ttlMs: 3000, clock: () => now, isDead: (h) => h === 'ghost:1:x',
      onAcquired: async () => undefined, onLost: async () => undefined,
    });
    await b.start();
    expect(b.state()).toMatchObject({ role: 'active', lease: { holder: 'B', token: 2 } });
    await b.stop();
  });

  it('holderIsDeadProcess: only a pid of this host that no longer exists', () => {
    const host = require('node:os').hostname() as string;
    expect(holderIsDeadProcess(`${host}:${process.pid}:abc`)).toBe(false);
    expect(holderIsDeadProcess(`${host}:${process.ppid}:abc`)).toBe(false);
    expect(holderIsDeadProcess(`${host}:999999999:abc`)).toBe(true);
    expect(holderIsDeadProcess(`another-host:999999999:abc`)).toBe(false);
    expect(holderIsDeadProcess('not a holder')).toBe(false);
  });
});
