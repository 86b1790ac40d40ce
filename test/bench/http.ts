/**
 * The command path over HTTP (issue 14): the real API (`dist/apps/api/src/main.js`, SQLite stores) in a child
 * process, loaded by autocannon (as a library) from this process. Client and server share the machine's cores, so
 * the figures are reported with the same run's store-level figures (`ratioToStoreAppends`).
 *
 * `node dist/test/bench/http.js` runs it alone. BENCH_HTTP_PROFILE=<dir> writes a V8 CPU profile of the API process
 * for each load (`invoices.cpuprofile`, `mixed.cpuprofile`: the load's window only, not start-up nor seeding);
 * `node dist/test/bench/profile-summary.js FILE` prints its top frames.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import type { ProbeSnapshot } from './http-probe';
import { fmt, log, round, SCALE, scaled, seconds } from './harness';

const KEY = 'ark_bench-admin-key-00000000000000000000000000000000000';
const ISSUE_DATE = '2026-11-30';

export interface HttpLoad {
  server?: ServerCost;
  requests: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  seconds: number;
  connections: number;
}

export interface HttpBench {
  /** `GET /customers/:id/balance` alone (authenticated, one read-model document): the cheapest authenticated request. */
  readCeiling: HttpLoad;
  invoices32: HttpLoad;
  mixed: HttpLoad & { mix: string };
  customers: number;
  /** The API process's CPU profile, when BENCH_HTTP_PROFILE was set. */
  profileDir: string | null;
}

interface Api {
  url: string;
  child: ChildProcess;
  snapshot(): Promise<ProbeSnapshot>;
  stop(): Promise<void>;
  /** Sends a control message to the probe and waits for its answer. */
  control(message: string, answer: string): Promise<void>;
}

/** What the API process spent per request during one load, from the probe's counters (robust on a shared machine). */
export interface ServerCost {
  cpuMsPerRequest: number;
  durableCommitsPerRequest: number;
  appendsPerDurableCommit: number;
  projectionCommitsPerRequest: number;
  eventLoopUtilization: number;
}

function cost(before: ProbeSnapshot, after: ProbeSnapshot, requests: number): ServerCost {
  const n = Math.max(1, requests);
  const commits = after.durableCommits - before.durableCommits;
  return {
    cpuMsPerRequest: round((after.cpuMs - before.cpuMs) / n),
    durableCommitsPerRequest: round(commits / n),
    appendsPerDurableCommit: round((after.appends - before.appends) / Math.max(1, commits)),
    projectionCommitsPerRequest: round((after.projectionCommits - before.projectionCommits) / n),
    eventLoopUtilization: round(after.eventLoopUtilization),
  };
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => ok(port));
    });
  });
}

async function startApiProcess(dataDir: string, profileDir: string | null): Promise<Api> {
  const port = await freePort();
  const main = resolve(__dirname, '../../apps/api/src/main.js');
  const probe = resolve(__dirname, 'http-probe.js');
  const args = ['-r', probe, main];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env, PORT: String(port), AR_DATA_DIR: dataDir, AR_BOOTSTRAP_API_KEY: KEY, AR_DUNNING_SCHEDULE: 'off', AR_CREDIT_HOLD_SCHEDULE: 'off',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) ok(`http://127.0.0.1:${port}`);
    });
    child.on('exit', (code) => fail(new Error(`API exited (${code}) before listening: ${stderr.slice(-2000)}`)));
  });
  return {
    url,
    child,
    snapshot: () => new Promise<ProbeSnapshot>((ok) => {
      child.once('message', (m) => ok(m as ProbeSnapshot));
      child.send('snapshot');
    }),
    control: (message, answer) => new Promise<void>((ok) => {
      const on = (m: unknown) => {
        if (m === answer) {
          child.off('message', on);
          ok();
        }
      };
      child.on('message', on);
      child.send(message);
    }),
    stop: () => new Promise<void>((ok) => {
      child.once('exit', () => ok());
      child.kill('SIGTERM');
    }),
  };
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url + path, {
    method, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const invoiceBody = (customerId: string) => JSON.stringify({
  customerId, issueDate: ISSUE_DATE, lines: [{ description: 'Service', quantity: '1', unitPrice: '120.00', taxRate: '0.20' }],
});
const paymentBody = (customerId: string) => JSON.stringify({ customerId, amount: '50.00', receivedOn: ISSUE_DATE, method: 'sepa' });

function summarise(r: autocannon.Result, connections: number): HttpLoad {
  const requests = r.requests.total;
  return {
    requests,
    perSec: round(requests / (r.duration || 1)),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    seconds: round(r.duration),
    connections,
  };
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((ok, fail) => {
    autocannon(opts, (err, result) => (err ? fail(err) : ok(result)));
  });
}

/** Seeds `customers` customers, then `POST /invoices` with 32 clients, then the mixed back-office load. */
export async function httpBenchmarks(options: { customers?: number; durationS?: number } = {}): Promise<HttpBench> {
  const customers = options.customers ?? scaled(256, 32);
  const duration = Math.max(1, Math.round(options.durationS ?? seconds(5)));
  const profileDir = process.env.BENCH_HTTP_PROFILE ? resolve(process.env.BENCH_HTTP_PROFILE) : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'ar-bench-http-'));
  const api = await startApiProcess(dataDir, profileDir);
  try {
    const ids = Array.from({ length: customers }, (_, i) => `bench-c${i}`);
    for (const id of ids) {
      const r = await call(api.url, 'POST', '/customers', { id, name: `Customer ${id}`, currency: 'EUR', creditLimit: '999999999.00', country: 'FR' });
      if (r.status !== 201) throw new Error(`seeding ${id}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
    let n = 0;
    const nextCustomer = () => ids[n++ % ids.length];
    // Warm-up: JIT, caches, every customer's first invoice (so the mixed load's reads find something).
    const warm = await run({
      url: api.url, connections: 32, amount: Math.max(customers, 200), headers,
      requests: [{ method: 'POST', path: '/invoices', setupRequest: (req) => ({ ...req, body: invoiceBody(nextCustomer()) }) }],
    });
    if (warm.non2xx > 0) log(`http warm-up: ${warm.non2xx} non-2xx answers`);

    const profile = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      if (!profileDir) return fn();
      mkdirSync(profileDir, { recursive: true });
      await api.control('profile:start', 'profile:started');
      try {
        return await fn();
      } finally {
        await api.control(`profile:stop:${join(profileDir, `${name}.cpuprofile`)}`, 'profile:stopped');
      }
    };
    let before = await api.snapshot();
    const reads = await run({
      url: api.url, connections: 32, duration: Math.max(1, Math.round(duration / 2)), headers,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/customers/${nextCustomer()}/balance` }) }],
    });
    const readCeiling = { ...summarise(reads, 32), server: cost(before, await api.snapshot(), reads.requests.total) };
    log(`http GET /customers/:id/balance alone, 32 clients: ${fmt(readCeiling.perSec)} req/s, p99 ${readCeiling.p99Ms} ms; server ${JSON.stringify(readCeiling.server)}`);
    before = await api.snapshot();
    const inv = await profile('invoices', () => run({
      url: api.url, connections: 32, duration, headers,
      requests: [{ method: 'POST', path: '/invoices', setupRequest: (req) => ({ ...req, body: invoiceBody(nextCustomer()) }) }],
    }));
    const invoices32 = { ...summarise(inv, 32), server: cost(before, await api.snapshot(), inv.requests.total) };
    log(`http POST /invoices, 32 clients: ${fmt(invoices32.perSec)} req/s, p50 ${invoices32.p50Ms} ms, p99 ${invoices32.p99Ms} ms (${invoices32.non2xx} non-2xx, ${invoices32.errors} errors); server ${JSON.stringify(invoices32.server)}`);

    if (process.env.BENCH_HTTP_ONLY === 'invoices') return { readCeiling, invoices32, mixed: { ...invoices32, requests: 0, mix: 'skipped (BENCH_HTTP_ONLY)' }, customers, profileDir };
    // Mixed back-office load: each client cycles 7 reads, 2 invoices, 1 payment (70 / 20 / 10 %).
    const read = (kind: 'balance' | 'invoices'): autocannon.Request => ({
      method: 'GET',
      setupRequest: (req) => {
        const c = nextCustomer();
        return { ...req, path: kind === 'balance' ? `/customers/${c}/balance` : `/customers/${c}/credit` };
      },
    });
    const write = (kind: 'invoice' | 'payment'): autocannon.Request => ({
      method: 'POST',
      setupRequest: (req) => {
        const c = nextCustomer();
        return { ...req, path: kind === 'invoice' ? '/invoices' : '/payments', body: kind === 'invoice' ? invoiceBody(c) : paymentBody(c) };
      },
    });
    const mixedReqs = [read('balance'), read('invoices'), write('invoice'), read('balance'), read('invoices'), write('payment'), read('balance'), write('invoice'), read('invoices'), read('balance')];
    before = await api.snapshot();
    const mix = await profile('mixed', () => run({ url: api.url, connections: 32, duration, headers, requests: mixedReqs }));
    const mixed = { ...summarise(mix, 32), server: cost(before, await api.snapshot(), mix.requests.total), mix: '70 % reads (balance, credit view), 20 % POST /invoices, 10 % POST /payments' };
    log(`http mixed load, 32 clients: ${fmt(mixed.perSec)} req/s, p50 ${mixed.p50Ms} ms, p99 ${mixed.p99Ms} ms (${mixed.non2xx} non-2xx, ${mixed.errors} errors); server ${JSON.stringify(mixed.server)}`);
    return { readCeiling, invoices32, mixed, customers, profileDir };
  } finally {
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  httpBenchmarks()
    .then((r) => process.stdout.write(JSON.stringify({ scale: SCALE, ...r }, null, 2) + '\n'))
    .catch((err) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    });
}
