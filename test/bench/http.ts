/**
 * The command path over HTTP (issue 14): the real API (`dist/apps/api/src/main.js`, SQLite stores) in a child
 * process, loaded by autocannon (as a library) from this process. Client and server share the machine's cores, so
 * the figures are reported with the same run's store-level figures (`ratioToStoreAppends`).
 *
 * `node dist/test/bench/http.js` runs it alone. BENCH_HTTP_PROFILE=<dir> writes a V8 CPU profile of the API process
 * for each load (`liveness.cpuprofile`, `reads.cpuprofile`, `invoices.cpuprofile`, `mixed.cpuprofile`: the load's window only, not start-up nor seeding);
 * `node dist/test/bench/profile-summary.js FILE` prints its self time by module and its top frames.
 *
 * Before the API, the same run measures the ceilings (`ceilings`): a bare `node:http` server, a bare NestJS app, then
 * the API's own stack on routes that touch no store, so that each layer's cost per request is a measured difference.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { Agent, request } from 'node:http';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import type { ProbeSnapshot } from './http-probe';
import { fastifyAdapterPath } from './http-ceilings';
import { fmt, log, now, quantile, round, SCALE, scaled, seconds } from './harness';

export const KEY = 'ark_bench-admin-key-00000000000000000000000000000000000';
const ISSUE_DATE = '2026-11-30';

export interface HttpLoad {
  server?: ServerCost;
  /** CPU of the load generator (this process) per request: what the client takes of the shared cores. */
  clientCpuMsPerRequest: number;
  /**
   * This machine's ceiling for this load with any number of server event loops: all its cores' CPU time divided by
   * what one request costs server and client together (only when the server's CPU was measured).
   */
  coresCeilingPerSec?: number;
  requests: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Mean latency (autocannon's percentiles are whole milliseconds; the mean is not). */
  meanMs: number;
  errors: number;
  non2xx: number;
  seconds: number;
  connections: number;
}

/**
 * The same run's ceilings, 32 connections each, every server in its own child process (client and server share
 * the cores as in the API's loads): what each layer of the stack costs per request, from the bare socket up.
 */
export interface HttpCeilings {
  /** A bare `node:http` server answering a fixed small JSON: the machine's HTTP ceiling with the client beside it. */
  nodeHttp: HttpLoad;
  /** A bare NestJS app (Express adapter, as the API), one route, no middleware: the framework's floor. */
  bareNest: HttpLoad;
  /** The same bare app in two event loops (node:cluster): requests/s only (the probe sees the primary's CPU alone). */
  bareNestTwoLoops: HttpLoad;
  /** The same bare app on Fastify (ADR 0099), when @nestjs/platform-fastify resolves (BENCH_FASTIFY_DIR); else null. */
  bareNestFastify: HttpLoad | null;
  /** The real API's whole stack on `GET /health/live` (public: no authentication, touches no store). */
  apiLiveness: HttpLoad;
  /** The real API's stack, authenticated, on `GET /admin/api-keys` (the key store only: neither the log nor the read store). */
  apiAuthenticatedNoStore: HttpLoad;
}

export interface HttpBench {
  ceilings: HttpCeilings;
  /** `GET /customers/:id/balance` alone (authenticated, one read-model document): the cheapest authenticated request. */
  readCeiling: HttpLoad;
  invoices32: HttpLoad;
  /**
   * One client, one request at a time (an interactive user at the back office): `POST /invoices` and the balance
   * read, each answered before the next is sent. The latency a person waits, with nothing queued ahead of it.
   */
  interactive: { invoice: HttpLoad; read: HttpLoad };
  mixed: HttpLoad & { mix: string };
  customers: number;
  /** The API process's CPU profile, when BENCH_HTTP_PROFILE was set. */
  profileDir: string | null;
}

export interface Api {
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

export function cost(before: ProbeSnapshot, after: ProbeSnapshot, requests: number): ServerCost {
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

/**
 * The API's entry point: this build's, or BENCH_HTTP_API (another build's `dist/apps/api/src/main.js`, for an A/B run
 * of two versions under the same load in the same hour; the probe then counts CPU only, not that build's commits).
 */
const API_MAIN = process.env.BENCH_HTTP_API ? resolve(process.env.BENCH_HTTP_API) : resolve(__dirname, '../../apps/api/src/main.js');

export async function startApiProcess(dataDir: string, script: string[] = [API_MAIN]): Promise<Api> {
  const port = await freePort();
  const probe = resolve(__dirname, 'http-probe.js');
  const args = ['-r', probe, ...script];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env, PORT: String(port), AR_DATA_DIR: dataDir, AR_BOOTSTRAP_API_KEY: KEY, AR_DUNNING_SCHEDULE: 'off', AR_CREDIT_HOLD_SCHEDULE: 'off',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // The last 4 KB of stderr (for the error below), never the whole: the API logs every request.
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4096); });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    const started = (d: Buffer) => {
      out = (out + d.toString()).slice(-4096);
      if (!out.includes('listening on')) return;
      // Then drained and dropped: an access line per request, kept and searched whole on every chunk, had this
      // (the load generator's) process scan a string growing to tens of megabytes during the loads.
      child.stdout!.off('data', started);
      child.stdout!.resume();
      ok(`http://127.0.0.1:${port}`);
    };
    child.stdout!.on('data', started);
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

export async function call(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url + path, {
    method, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/**
 * One user: requests sent one after the other on one keep-alive connection (`node:http`), each timed from its send to
 * the end of its answer. Not autocannon: with one connection it added ~5 ms to every request here (a balance read
 * 6.35 ms mean under it, 0.84 ms p50 under this client, quiet machine, 2026-12-03 16:10–16:14 UTC).
 */
async function oneUser(url: string, seconds: number, next: () => { method: string; path: string; body?: string }): Promise<HttpLoad> {
  const { hostname, port } = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const send = (r: { method: string; path: string; body?: string }) => new Promise<number>((ok, fail) => {
    const req = request({ host: hostname, port, method: r.method, path: r.path, agent, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.once('end', () => ok(res.statusCode ?? 0));
    });
    req.once('error', fail);
    req.end(r.body);
  });
  const latencies: number[] = [];
  let non2xx = 0;
  const cpu = process.cpuUsage();
  const start = now();
  while (now() - start < seconds * 1000) {
    const t = now();
    const status = await send(next());
    latencies.push(now() - t);
    if (status < 200 || status >= 300) non2xx++;
  }
  const wall = (now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  agent.destroy();
  return {
    requests: latencies.length, perSec: round(latencies.length / wall), p50Ms: round(quantile(latencies, 0.5)), p99Ms: round(quantile(latencies, 0.99)),
    meanMs: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)), errors: 0, non2xx, seconds: round(wall), connections: 1,
    clientCpuMsPerRequest: round((used.user + used.system) / 1000 / Math.max(1, latencies.length)),
  };
}

export const invoiceBody = (customerId: string) => JSON.stringify({
  customerId, issueDate: ISSUE_DATE, lines: [{ description: 'Service', quantity: '1', unitPrice: '120.00', taxRate: '0.20' }],
});
const paymentBody = (customerId: string) => JSON.stringify({ customerId, amount: '50.00', receivedOn: ISSUE_DATE, method: 'sepa' });

export function summarise(r: autocannon.Result, connections: number): HttpLoad {
  const requests = r.requests.total;
  return {
    requests,
    perSec: round(requests / (r.duration || 1)),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    meanMs: round(r.latency.average),
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    seconds: round(r.duration),
    connections,
    clientCpuMsPerRequest: round(lastClientCpuMs / Math.max(1, requests)),
  };
}

/** The last run's client CPU (ms), read by `summarise`. */
let lastClientCpuMs = 0;

export function run(opts: autocannon.Options): Promise<autocannon.Result> {
  const cpu = process.cpuUsage();
  return new Promise((ok, fail) => {
    autocannon(opts, (err, result) => {
      const used = process.cpuUsage(cpu);
      lastClientCpuMs = (used.user + used.system) / 1000;
      if (err) fail(err);
      else ok(result);
    });
  });
}

/** Adds the two-core (all cores) ceiling: cores × 1,000 ms ÷ (server + client CPU ms per request). */
function withServer(load: HttpLoad, server: ServerCost): HttpLoad {
  const perRequest = server.cpuMsPerRequest + load.clientCpuMsPerRequest;
  return { ...load, server, coresCeilingPerSec: perRequest > 0 ? round((availableParallelism() * 1000) / perRequest) : 0 };
}

/** One ceiling: a warm-up second, then `duration` seconds at 32 connections, with the server's CPU per request. */
async function ceiling(
  api: Api, path: string, duration: number, headers: Record<string, string> = {},
  wrap: (fn: () => Promise<autocannon.Result>) => Promise<autocannon.Result> = (fn) => fn(),
): Promise<HttpLoad> {
  await run({ url: api.url + path, connections: 32, duration: 1, headers });
  const before = await api.snapshot();
  const r = await wrap(() => run({ url: api.url + path, connections: 32, duration, headers }));
  const load = withServer(summarise(r, 32), cost(before, await api.snapshot(), r.requests.total));
  if (load.non2xx > 0 || load.errors > 0) throw new Error(`ceiling ${path}: ${load.non2xx} non-2xx answers, ${load.errors} errors`);
  return load;
}

async function bareCeiling(mode: 'node' | 'nest' | 'nest2' | 'fastify', duration: number): Promise<HttpLoad> {
  const server = await startApiProcess(tmpdir(), [resolve(__dirname, 'http-ceilings.js'), mode]);
  try {
    if (mode === 'nest2') {
      await run({ url: `${server.url}/ceiling`, connections: 32, duration: 1 });
      const load = summarise(await run({ url: `${server.url}/ceiling`, connections: 32, duration }), 32);
      if (load.non2xx > 0 || load.errors > 0) throw new Error(`ceiling nest2: ${load.non2xx} non-2xx answers, ${load.errors} errors`);
      return load;
    }
    return await ceiling(server, '/ceiling', duration);
  } finally {
    await server.stop();
  }
}

const perRequest = (l: HttpLoad) => `${fmt(l.perSec)} req/s, p99 ${l.p99Ms} ms, ${l.server?.cpuMsPerRequest} ms server CPU + ${l.clientCpuMsPerRequest} ms client CPU each (cores ceiling ${fmt(l.coresCeilingPerSec ?? 0)} req/s)`;

/** Seeds `customers` customers, then `POST /invoices` with 32 clients, then the mixed back-office load. */
export async function httpBenchmarks(options: { customers?: number; durationS?: number } = {}): Promise<HttpBench> {
  const customers = options.customers ?? scaled(256, 32);
  const duration = Math.max(1, Math.round(options.durationS ?? seconds(5)));
  const profileDir = process.env.BENCH_HTTP_PROFILE ? resolve(process.env.BENCH_HTTP_PROFILE) : null;
  const half = Math.max(1, Math.round(duration / 2));
  const nodeHttp = await bareCeiling('node', half);
  log(`http ceiling, bare node:http (fixed JSON), 32 clients: ${perRequest(nodeHttp)}`);
  const bareNest = await bareCeiling('nest', half);
  log(`http ceiling, bare NestJS + Express, one route, 32 clients: ${perRequest(bareNest)}`);
  const bareNestTwoLoops = await bareCeiling('nest2', half);
  log(`http ceiling, the same bare NestJS app in two event loops (node:cluster), 32 clients: ${fmt(bareNestTwoLoops.perSec)} req/s, p99 ${bareNestTwoLoops.p99Ms} ms (${round(bareNestTwoLoops.perSec / bareNest.perSec)}× one loop)`);
  const bareNestFastify = fastifyAdapterPath() ? await bareCeiling('fastify', half) : null;
  log(bareNestFastify ? `http ceiling, the same bare NestJS app on Fastify, 32 clients: ${perRequest(bareNestFastify)}` : 'http ceiling, bare NestJS + Fastify: not measured (@nestjs/platform-fastify not installed; BENCH_FASTIFY_DIR)');
  const dataDir = mkdtempSync(join(tmpdir(), 'ar-bench-http-'));
  const api = await startApiProcess(dataDir);
  try {
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
    // Before seeding: no projector nor process manager work in the background of these two.
    const apiLiveness = await ceiling(api, '/health/live', half, {}, (fn) => profile('liveness', fn));
    log(`http ceiling, the API's stack on GET /health/live (public, no store), 32 clients: ${perRequest(apiLiveness)}`);
    const apiAuthenticatedNoStore = await ceiling(api, '/admin/api-keys', half, { authorization: `Bearer ${KEY}` });
    log(`http ceiling, the API's stack on GET /admin/api-keys (authenticated, key store only), 32 clients: ${perRequest(apiAuthenticatedNoStore)}`);
    const ceilings = { nodeHttp, bareNest, bareNestTwoLoops, bareNestFastify, apiLiveness, apiAuthenticatedNoStore };
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

    let before = await api.snapshot();
    const reads = await profile('reads', () => run({
      url: api.url, connections: 32, duration: Math.max(1, Math.round(duration / 2)), headers,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/customers/${nextCustomer()}/balance` }) }],
    }));
    const readCeiling = withServer(summarise(reads, 32), cost(before, await api.snapshot(), reads.requests.total));
    log(`http GET /customers/:id/balance alone, 32 clients: ${fmt(readCeiling.perSec)} req/s, p99 ${readCeiling.p99Ms} ms; server ${JSON.stringify(readCeiling.server)}; client ${readCeiling.clientCpuMsPerRequest} ms CPU each; cores ceiling ${fmt(readCeiling.coresCeilingPerSec ?? 0)} req/s`);
    before = await api.snapshot();
    const inv = await profile('invoices', () => run({
      url: api.url, connections: 32, duration, headers,
      requests: [{ method: 'POST', path: '/invoices', setupRequest: (req) => ({ ...req, body: invoiceBody(nextCustomer()) }) }],
    }));
    const invoices32 = withServer(summarise(inv, 32), cost(before, await api.snapshot(), inv.requests.total));
    log(`http POST /invoices, 32 clients: ${fmt(invoices32.perSec)} req/s, p50 ${invoices32.p50Ms} ms, p99 ${invoices32.p99Ms} ms (${invoices32.non2xx} non-2xx, ${invoices32.errors} errors); server ${JSON.stringify(invoices32.server)}; client ${invoices32.clientCpuMsPerRequest} ms CPU each; cores ceiling ${fmt(invoices32.coresCeilingPerSec ?? 0)} req/s`);

    // One client (an interactive user): each request answered before the next; nothing queued ahead of it.
    before = await api.snapshot();
    const one = await oneUser(api.url, half, () => ({ method: 'POST', path: '/invoices', body: invoiceBody(nextCustomer()) }));
    const invoice1 = withServer(one, cost(before, await api.snapshot(), one.requests));
    before = await api.snapshot();
    const oneRead = await oneUser(api.url, half, () => ({ method: 'GET', path: `/customers/${nextCustomer()}/balance` }));
    const read1 = withServer(oneRead, cost(before, await api.snapshot(), oneRead.requests));
    const interactive = { invoice: invoice1, read: read1 };
    log(`http one client (interactive): POST /invoices mean ${invoice1.meanMs} ms, p50 ${invoice1.p50Ms} ms, p99 ${invoice1.p99Ms} ms (${fmt(invoice1.perSec)}/s, ${invoice1.non2xx} non-2xx, ${invoice1.server?.cpuMsPerRequest} ms server CPU each); balance read mean ${read1.meanMs} ms, p50 ${read1.p50Ms} ms, p99 ${read1.p99Ms} ms (${fmt(read1.perSec)}/s, ${read1.server?.cpuMsPerRequest} ms server CPU each)`);

    if (process.env.BENCH_HTTP_ONLY === 'invoices') return { ceilings, readCeiling, invoices32, interactive, mixed: { ...invoices32, requests: 0, mix: 'skipped (BENCH_HTTP_ONLY)' }, customers, profileDir };
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
    const mixed = { ...withServer(summarise(mix, 32), cost(before, await api.snapshot(), mix.requests.total)), mix: '70 % reads (balance, credit view), 20 % POST /invoices, 10 % POST /payments' };
    log(`http mixed load, 32 clients: ${fmt(mixed.perSec)} req/s, p50 ${mixed.p50Ms} ms, p99 ${mixed.p99Ms} ms (${mixed.non2xx} non-2xx, ${mixed.errors} errors); server ${JSON.stringify(mixed.server)}; client ${mixed.clientCpuMsPerRequest} ms CPU each; cores ceiling ${fmt(mixed.coresCeilingPerSec ?? 0)} req/s`);
    return { ceilings, readCeiling, invoices32, interactive, mixed, customers, profileDir };
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
