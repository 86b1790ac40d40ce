import Database from 'better-sqlite3';
import { join } from 'node:path';
import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Two API instances on the same data directory, both configured to project (ADR 0063): one holds the lease and
 * projects, the other serves reads from the shared read models and takes over when the holder stops; a holder
 * whose lease was taken over has its writes refused and stands by. TTL 600 ms, renewed every 200 ms.
 */
describe('one active projector, the other standby (two instances, one data dir)', () => {
  jest.setTimeout(30_000);
  // Reads wait at most 1 s for the projections: a read nobody can make fresh answers stale quickly.
  const env = { AR_LEASE_TTL_MS: '600', AR_READ_WAIT_MS: '1000' };
  let a: Harness;
  let b: Harness;
  const role = async (h: Harness) => (await h.http().get('/projections').expect(200)).body.lease as { role: string; lease: { holder: string; token: number } | null };
  const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const balance = (h: Harness, customer: string) => h.http().get(`/customers/${customer}/balance`);

  beforeAll(async () => {
    a = await startApi(undefined, env);
    b = await startApi(a.dataDir, env);
  });
  afterAll(async () => {
    await b.app.close().catch(() => undefined);
    await a.close();
  });

  it('exactly one instance is active; the standby serves fresh reads of what it writes, projected by the other', async () => {
    const [ra, rb] = [await role(a), await role(b)];
    expect([ra.role, rb.role].sort()).toEqual(['active', 'standby']);
    // Usually the first started; on a loaded machine its term can lapse while the second starts, and the second
    // takes it over: either way one holds the lease, and both see the same holder and token.
    const [holder, standby] = ra.role === 'active' ? [ra, rb] : [rb, ra];
    const s = ra.role === 'active' ? b : a;
    expect(standby.lease).toEqual(holder.lease && { ...standby.lease, holder: holder.lease.holder, token: holder.lease.token });
    const projections = (await s.http().get('/projections').expect(200)).body;
    expect(projections.subscriptions).toEqual({ projector: null, processManager: null });

    await s.http().post('/customers').send({ id: 'lease-1', name: 'Lease', currency: 'EUR', creditLimit: '1000.00' }).expect(201);
    await s.http().post('/invoices').send({ customerId: 'lease-1', issueDate: '2026-05-01', lines: [line('100.00', '1', '0')] }).expect(201);
    const read = await balance(s, 'lease-1').expect(200);
    expect(read.headers['x-read-model-consistency']).toBe('fresh');
    expect(read.body).toMatchObject({ customerId: 'lease-1' });
  });

  it('a holder whose lease was taken over has its writes refused and stands by; the lease back, it catches up', async () => {
    // Another instance takes the lease over (what a standby does when the holder's term lapses): token + 1.
    // Whichever instance holds the lease now (on a loaded machine it can be either, see the first test).
    const holder = (await role(a)).role === 'active' ? a : b;
    const other = holder === a ? b : a;
    const raw = new Database(join(a.dataDir, 'read-models.sqlite'));
    const before = raw.prepare("SELECT token FROM _lease WHERE name = 'background-workers'").pluck().get() as number;
    raw.prepare("UPDATE _lease SET holder = 'intruder:1:x', token = token + 1, expires_at = ? WHERE name = 'background-workers'").run(Date.now() + 60_000);
    // The holder's projector still runs until its keeper's next renewal: its batch for this customer carries the old token.
    await holder.http().post('/customers').send({ id: 'lease-2', name: 'Lease two', currency: 'EUR', creditLimit: '500.00' }).expect(201);
    await until('the holder standing by', async () => (await role(holder)).role === 'standby');
    expect((await role(other)).role).toBe('standby');
    // The customer is in the log, but no refused write reached the read models: nobody may project now.
    const status = (await other.http().get('/projections').expect(200)).body as { projections: Array<{ name: string; lag: number }> };
    expect(status.projections.filter((p) => p.lag > 0).length).toBeGreaterThan(0);
    const docs = raw.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'c_%'").pluck().get() as number;
    const found = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'c_%'").pluck().all() as string[])
      .filter((t) => (raw.prepare(`SELECT count(*) FROM ${t} WHERE json(doc) LIKE '%lease-2%' OR key LIKE '%lease-2%'`).pluck().get() as number) > 0);
    expect(docs).toBeGreaterThan(0);
    expect(found).toEqual([]);

    // The intruder goes away (its term ends): one of a and b takes over with a new token and catches up.
    raw.prepare("UPDATE _lease SET expires_at = 0 WHERE name = 'background-workers'").run();
    await until('someone active again', async () => [(await role(a)).role, (await role(b)).role].includes('active'));
    const after = raw.prepare("SELECT token FROM _lease WHERE name = 'background-workers'").pluck().get() as number;
    raw.close();
    expect(after).toBe(before + 2);
    const fresh = await balance(other, 'lease-2').expect(200);
    expect(fresh.headers['x-read-model-consistency']).toBe('fresh');
    expect(fresh.body).toMatchObject({ customerId: 'lease-2' });
  });

  it('the holder stops: the standby takes over within the term plus one renewal and projects', async () => {
    const active = (await role(a)).role === 'active' ? a : b;
    const standby = active === a ? b : a;
    const stoppedAt = Date.now();
    await active.app.close(); // releases the lease
    await until('the standby active', async () => (await role(standby)).role === 'active', 5000);
    // Released on stop: taken at the standby's next attempt, well within TTL + renewal (600 + 200 ms) plus the HTTP polling.
    expect(Date.now() - stoppedAt).toBeLessThan(3000);
    await standby.http().post('/invoices').send({ customerId: 'lease-1', issueDate: '2026-05-03', lines: [line('25.00', '1', '0')] }).expect(201);
    const read = await balance(standby, 'lease-1').expect(200);
    expect(read.headers['x-read-model-consistency']).toBe('fresh');
    if (active === a) a = { ...a, close: async () => undefined } as Harness;
  });
});
