/**
 * A/B of two builds of the API on the same machine in the same minutes (issue 14): both APIs run at once, each in
 * its own child process with the bench probe, and short loads alternate between them, round after round, so that
 * the other work of a shared machine falls on both alike. Per route and build: the server's CPU per request of
 * every round, its median and its minimum (the least disturbed round), and the load generator's CPU per request
 * (`clientCpu`: what parsing each build's answers costs the client).
 *
 *   node dist/test/bench/http-ab.js OTHER_BUILD/dist/apps/api/src/main.js [ROUNDS=6] [SECONDS=2]
 *
 * "this" is this build's API. The probe counts CPU for both, commits for this build only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type autocannon from 'autocannon';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { call, cost, invoiceBody, KEY, run, startApiProcess, summarise, type Api } from './http';
import { log, round } from './harness';

interface Route { name: string; method: 'GET' | 'POST'; path: (c: string) => string; body?: (c: string) => string; auth: boolean }

const ROUTES: Route[] = [
  { name: 'GET /health/live', method: 'GET', path: () => '/health/live', auth: false },
  { name: 'GET /customers/:id/balance', method: 'GET', path: (c) => `/customers/${c}/balance`, auth: true },
  { name: 'POST /invoices', method: 'POST', path: () => '/invoices', body: invoiceBody, auth: true },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function seed(api: Api, ids: string[]): Promise<void> {
  for (const id of ids) {
    const r = await call(api.url, 'POST', '/customers', { id, name: `Customer ${id}`, currency: 'EUR', creditLimit: '999999999.00', country: 'FR' });
    if (r.status !== 201) throw new Error(`seeding ${id}: ${r.status}`);
    const i = await call(api.url, 'POST', '/invoices', JSON.parse(invoiceBody(id)));
    if (i.status !== 201) throw new Error(`invoice for ${id}: ${i.status}`);
  }
}

async function main(): Promise<void> {
  const [other, roundsArg, secondsArg] = process.argv.slice(2);
  if (!other) throw new Error('usage: http-ab OTHER_MAIN.js [ROUNDS] [SECONDS]');
  const rounds = Number(roundsArg ?? 6);
  const duration = Number(secondsArg ?? 2);
  const dirs = [mkdtempSync(join(tmpdir(), 'ar-ab-this-')), mkdtempSync(join(tmpdir(), 'ar-ab-other-'))];
  const builds: Array<[string, Api]> = [
    ['this', await startApiProcess(dirs[0])],
    ['other', await startApiProcess(dirs[1], [resolve(other)])],
  ];
  const ids = Array.from({ length: 64 }, (_, i) => `ab-c${i}`);
  const cpu: Record<string, Record<string, number[]>> = {};
  const clientCpu: Record<string, Record<string, number[]>> = {};
  try {
    for (const [, api] of builds) await seed(api, ids);
    let n = 0;
    const headers = (auth: boolean): Record<string, string> => (auth ? { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } : {});
    for (let r = 0; r < rounds; r++) {
      for (const route of ROUTES) {
        // Alternate which build goes first, so neither always follows the other.
        const order = r % 2 === 0 ? builds : [...builds].reverse();
        for (const [name, api] of order) {
          const request: autocannon.Request = {
            method: route.method,
            setupRequest: (req: autocannon.Request) => {
              const c = ids[n++ % ids.length];
              return { ...req, path: route.path(c), ...(route.body ? { body: route.body(c) } : {}) };
            },
          };
          if (r === 0) await run({ url: api.url, connections: 32, duration: 1, headers: headers(route.auth), requests: [request] });
          const before = await api.snapshot();
          const res = await run({ url: api.url, connections: 32, duration, headers: headers(route.auth), requests: [request] });
          const load = summarise(res, 32);
          if (load.non2xx > 0 || load.errors > 0) throw new Error(`${name} ${route.name}: ${load.non2xx} non-2xx, ${load.errors} errors`);
          const c = cost(before, await api.snapshot(), res.requests.total).cpuMsPerRequest;
          ((cpu[route.name] ??= {})[name] ??= []).push(c);
          ((clientCpu[route.name] ??= {})[name] ??= []).push(load.clientCpuMsPerRequest);
          log(`round ${r + 1} ${route.name} ${name}: ${load.perSec} req/s, ${c} ms server CPU + ${load.clientCpuMsPerRequest} ms client CPU each`);
        }
      }
    }
  } finally {
    for (const [, api] of builds) await api.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  const summarised = (table: Record<string, Record<string, number[]>>) => Object.fromEntries(Object.entries(table).map(([route, byBuild]) => [route, Object.fromEntries(Object.entries(byBuild).map(([b, xs]) => [b, {
    cpuMsPerRequestMedian: round(median(xs)), cpuMsPerRequestMin: round(Math.min(...xs)), rounds: xs,
  }]))]));
  process.stdout.write(JSON.stringify({ other, rounds, seconds: duration, serverCpu: summarised(cpu), clientCpu: summarised(clientCpu) }, null, 2) + '\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
