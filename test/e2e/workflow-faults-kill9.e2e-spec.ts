import { ChildProcess, execSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../apps/cli/src/main';
import type { Io } from '../../apps/cli/src/io';
import { EventSourcedRepository } from '../../libs/application/event-sourced-repository';
import { findOrphans } from '../../libs/application/reporting/workflow-orphans';
import type { PaymentAllocated, PaymentReceived } from '../../libs/domain/payment/payment.events';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { holdExclusiveLock } from '../support/faults';

/**
 * The same faults as workflow-faults.e2e-spec.ts on the real server process, killed with SIGKILL while each one
 * is in force: an exclusive lock on the event log, one on the read-model database, a parked step. After the
 * restart (and the client's retries with the same ids): no 500, 0 orphans, a gap-free series, every invoice's
 * outstanding = total − applied. The server is a child process, so these requests go to its port directly
 * (the pattern of kill9-api.e2e-spec.ts).
 * SQLite only: its faults are locks on the SQLite files. The crash scenarios that do not depend on SQLite (kill -9
 * during appends, a rebuild, a saga) run on every adapter combination, the servers' included, in
 * test/reliability/kill9.spec.ts (ADR 0093).
 */
const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const FAST = {
  AR_SQLITE_BUSY_TIMEOUT_MS: '150', AR_STEP_RETRY_BASE_MS: '20', AR_STEP_RETRY_MAX_DELAY_MS: '200', AR_STEP_MAX_ATTEMPTS: '3', AR_READ_WAIT_MS: '4000',
  AR_CREDIT_HOLD_SCHEDULE: 'off', AR_DUNNING_SCHEDULE: 'off',
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

class Server {
  child: ChildProcess | null = null;
  readonly statuses: number[] = [];
  constructor(readonly dataDir: string, readonly port: number) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, [MAIN], { env: { ...process.env, ...FAST, AR_DATA_DIR: this.dataDir, PORT: String(this.port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('API did not start in 20 s')), 20_000);
      child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('listening')) { clearTimeout(timer); resolve(); } });
      child.on('exit', (code) => reject(new Error(`API exited with ${code}`)));
    });
  }

  async kill9(): Promise<void> {
    const child = this.child!;
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
    this.child = null;
  }

  /** The admin key the first start of the empty data directory generated (ADR 0040), read from its 0600 file. */
  private key(): string {
    return readFileSync(join(this.dataDir, 'admin-api-key'), 'utf8').trim();
  }

  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any; retryAfter: string | null }> {
    const res = await fetch(`http://127.0.0.1:${this.port}${path}`, {
      method,
      // A careful client: every write carries an Idempotency-Key (its entity id), so a re-send after a cut connection is recognised.
      headers: {
        'content-type': 'application/json', authorization: `Bearer ${this.key()}`,
        ...(method === 'POST' ? { 'idempotency-key': `k-${String((body as { id?: string }).id)}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    this.statuses.push(res.status);
    return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') };
  }

  /** A client's write: 503 retried (same ids) after a pause; a cut connection (the kill) gives up, to be re-sent after the restart. */
  async write(path: string, body: unknown): Promise<number | null> {
    for (let attempt = 0; attempt < 60; attempt++) {
      let r;
      try {
        r = await this.request('POST', path, body);
      } catch {
        return null;
      }
      if (r.status !== 503) return r.status;
      expect(r.retryAfter).toMatch(/^\d+$/);
      await sleep(100);
    }
    return 503;
  }

  async caughtUp(timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const s = (await this.request('GET', '/projections')).body;
      if (s.processManager.lag === 0 && s.processManager.state === 'live' && s.projections.every((p: { state: string; lag: number }) => p.state === 'live' && p.lag === 0)) return;
      if (Date.now() > until) throw new Error(`not caught up: ${JSON.stringify(s)}`);
      await sleep(100);
    }
  }
}

async function cli(dataDir: string, ...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const errStream = new PassThrough() as unknown as NodeJS.WriteStream;
  const io: Io = { out: (t) => { out += t; }, err: () => undefined, isTTY: false, errStream };
  return { code: await runCli(argv, io, { ...FAST, AR_DATA_DIR: dataDir }), out };
}

describe('workflows under store faults, server killed with SIGKILL during each', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ar-faults-k9-'));
  let server: Server;
  const sent: Array<{ path: string; body: unknown }> = [];

  beforeAll(async () => {
    if (!existsSync(MAIN)) execSync('npx tsc -p tsconfig.build.json', { cwd: ROOT, stdio: 'inherit' });
    server = new Server(dataDir, await freePort());
    await server.start();
    for (const c of ['ka', 'kb']) expect((await server.request('POST', '/customers', { id: c, name: c, currency: 'EUR', creditLimit: '1000000.00' })).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    if (server.child) await server.kill9();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Invoices and payments for both customers while `fault` runs; the server is killed `killAfterMs` into it. */
  async function roundUnderFault(tag: string, fault: () => Promise<void>, killAfterMs: number): Promise<void> {
    const requests = [0, 1, 2, 3].flatMap((i) => {
      const c = i % 2 === 0 ? 'ka' : 'kb';
      return [
        { path: '/invoices', body: { id: `${tag}-${i}`, customerId: c, issueDate: '2026-04-01', lines: [{ description: 'x', quantity: '1', unitPrice: '100.00', taxRate: '0.20' }] } },
        { path: '/payments', body: { id: `${tag}-p${i}`, customerId: c, amount: '30.00', receivedOn: '2026-04-02', method: 'sepa', allocations: [{ invoiceId: `${tag}-${i}`, amount: '30.00' }] } },
      ];
    });
    sent.push(...requests);
    const faulting = fault();
    const load = (async () => {
      for (const r of requests) if ((await server.write(r.path, r.body)) === null) return;
    })();
    await sleep(killAfterMs);
    await server.kill9();
    await Promise.all([faulting, load]);
    await server.start();
    // The client re-sends everything it sent (same ids): what was recorded answers as recorded, the rest is written once.
    for (const r of requests) {
      const status = await server.write(r.path, r.body);
      expect({ path: r.path, id: (r.body as { id: string }).id, status: [200, 201, 202].includes(status ?? 0) }).toMatchObject({ status: true });
    }
    await server.caughtUp();
  }

  async function assertInvariants(): Promise<void> {
    const store = SqliteEventStore.openReadOnly(join(dataDir, 'events.sqlite'));
    try {
      const pm = (await server.request('GET', '/projections')).body.processManager;
      expect(pm.parked).toEqual([]);
      expect((await findOrphans(store, pm.checkpoint)).orphans).toEqual([]);
    } finally {
      await store.close();
    }
    const numbers: number[] = [];
    for (const c of ['ka', 'kb']) {
      const history = (await server.request('GET', `/customers/${c}/history`)).body as { events: Array<{ type: string; data: Record<string, unknown> }> };
      const applied = new Map<string, number>();
      for (const e of history.events) {
        if (e.type === 'InvoiceIssued') numbers.push(Number(String(e.data.number).slice(4)));
        if (e.type === 'PaymentApplied') applied.set(String(e.data.invoiceId), (applied.get(String(e.data.invoiceId)) ?? 0) + Number(e.data.amount));
      }
      for (const e of history.events.filter((x) => x.type === 'InvoiceIssued')) {
        const id = String(e.data.invoiceId);
        const view = (await server.request('GET', `/invoices/${id}`)).body as { outstanding: string };
        // outstanding = total − applied (minor units): 120.00 − 30.00 = 90.00 for each invoice of a round.
        expect({ id, outstanding: Math.round(Number(view.outstanding) * 100) }).toEqual({ id, outstanding: Number(e.data.total) - (applied.get(id) ?? 0) });
      }
    }
    numbers.sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect(server.statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
  }

  it('kill -9 while the event log is locked by another connection', async () => {
    const before = server.statuses.length;
    await roundUnderFault('le', () => holdExclusiveLock(join(dataDir, 'events.sqlite'), 1500), 700);
    expect(server.statuses.slice(before)).toContain(503); // the lock was felt, and answered as busy
    await assertInvariants();
  }, 90_000);

  it('kill -9 while the read-model database is locked by another connection', async () => {
    await roundUnderFault('lr', () => holdExclusiveLock(join(dataDir, 'read-models.sqlite'), 1500), 700);
    await assertInvariants();
  }, 90_000);

  it('kill -9 with a parked step: it is still parked after the restart, and ar process retry completes it once the cause is fixed', async () => {
    // A payment allocated to an invoice that does not exist yet (written behind the engine, as a bad import would):
    // its application keeps failing with INVOICE_NOT_FOUND, so it is parked.
    const store = new SqliteEventStore({ path: join(dataDir, 'events.sqlite') });
    const repo = new EventSourcedRepository(store);
    const ctx = { actor: 'import', recordedAt: '2026-04-03T10:00:00.000Z', commandId: 'import-ghost', correlationId: 'import-ghost', causationId: 'import-ghost' };
    const received: PaymentReceived = { type: 'PaymentReceived', data: { paymentId: 'ghost-p', customerId: 'ka', amount: 2000, currency: 'EUR', receivedOn: '2026-04-03', method: 'sepa', reference: null } };
    const allocated: PaymentAllocated = { type: 'PaymentAllocated', data: { paymentId: 'ghost-p', customerId: 'ka', invoiceId: 'ghost', amount: 2000, receivedOn: '2026-04-03', rule: 'explicit', unapplied: 0 } };
    await repo.append({ streamId: 'payment-ghost-p', last: null }, [received, allocated], ctx);
    await store.close();
    let parked: Array<{ streamId: string; error: string }> = [];
    for (let i = 0; i < 100 && parked.length === 0; i++) {
      await sleep(100);
      parked = (await server.request('GET', '/projections')).body.processManager.parked;
    }
    expect(parked).toMatchObject([{ streamId: 'payment-ghost-p', error: expect.stringMatching(/ghost does not exist/) }]);
    await server.kill9();
    await server.start();
    expect((await server.request('GET', '/projections')).body.processManager.parked).toMatchObject([{ streamId: 'payment-ghost-p' }]);
    expect((await cli(dataDir, 'verify')).code).toBe(3);
    // The cause is fixed: the invoice is issued; the operator retries the parked step.
    expect((await server.write('/invoices', { id: 'ghost', customerId: 'ka', issueDate: '2026-04-03', lines: [{ description: 'x', quantity: '1', unitPrice: '50.00', taxRate: '0' }] }))).toBe(201);
    const retried = await cli(dataDir, 'process', 'retry', '--json');
    // The ghost payment's step first, then the customer's later steps that were parked behind it (the new invoice's
    // reservation, already completed by its own request: re-running it appends nothing).
    const runs = JSON.parse(retried.out).runs as Array<{ streamId: string; outcome: string }>;
    expect(runs[0]).toMatchObject({ streamId: 'payment-ghost-p', outcome: 'completed' });
    expect(runs.map((r) => r.outcome)).toEqual(runs.map(() => 'completed'));
    expect(retried.code).toBe(0);
    await server.caughtUp();
    // 50.00 − 20.00 = 30.00.
    expect((await server.request('GET', '/invoices/ghost')).body).toMatchObject({ paid: '20.00', outstanding: '30.00' });
    expect((await cli(dataDir, 'verify')).code).toBe(0);
    await assertInvariants();
  }, 90_000);
});
