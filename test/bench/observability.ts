/**
 * Issue 15: the cost of the observability middleware on the request path (ADR 0065, 0066), as ratios measured in
 * the same run. One Node HTTP server, the same trivial handler, with and without the access logger (level info, lines to a
 * discarding stream, so the serialisation is paid and no disk is) + the HTTP histogram;
 * a keep-alive client sends sequential requests; alternating rounds, best of each. Client and server share the
 * cores: the ratio is the figure, not the absolute rate. Also the middleware alone per request, on fake objects.
 */
import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { createHttpLogger, httpMetrics } from '../../apps/api/src/http/observability';
import { AppMetrics } from '../../libs/application/metrics';
import { atLeast, atMost, now, scaled, type Result } from './harness';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function observabilityBenchmark(): Promise<{ results: Record<string, unknown>; checks: Array<[string, Result]> }> {
  const sink = new Writable({ write(_c, _e, done) { done(); } });
  const logger = createHttpLogger({ logLevel: 'info' }, sink);
  const metrics = httpMetrics(new AppMetrics());
  const reply: Handler = (_req, res) => { res.setHeader('Content-Type', 'application/json'); res.end('{"ok":true}'); };
  const observed: Handler = (req, res) => {
    logger(req, res, () => metrics(req as never, res as never, () => reply(req, res)));
  };
  const serve = async (handler: Handler, n: number): Promise<number> => {
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const one = () => new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/customers/c-1/balance', agent, headers: { 'X-Request-Id': 'bench-1', Authorization: 'Bearer ark_x' } }, (res) => { res.resume(); res.on('end', () => resolve()); });
      req.on('error', reject);
      req.end();
    });
    for (let i = 0; i < 200; i++) await one();
    const t = now();
    for (let i = 0; i < n; i++) await one();
    const perSec = n / ((now() - t) / 1000);
    agent.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    return perSec;
  };
  const n = scaled(4000, 300);
  let plain = 0;
  let withObs = 0;
  for (let round = 0; round < 3; round++) {
    plain = Math.max(plain, await serve(reply, n));
    withObs = Math.max(withObs, await serve(observed, n));
  }
  // The middleware alone: fake request/response, `finish` emitted by hand.
  const calls = scaled(20_000, 1000);
  const t = now();
  for (let i = 0; i < calls; i++) {
    const res = Object.assign(new EventEmitter(), { statusCode: 200, setHeader() {}, getHeader() {}, locals: {} }) as unknown as ServerResponse;
    const req = Object.assign(new EventEmitter(), { method: 'GET', url: '/x', headers: { 'x-request-id': 'bench-1' }, socket: {}, route: { path: '/x' } }) as unknown as IncomingMessage;
    observed(req, Object.assign(res, { end() { (res as unknown as EventEmitter).emit('finish'); } }) as ServerResponse);
  }
  const perCallUs = ((now() - t) * 1000) / calls;
  const ratio = withObs / plain;
  const results = {
    requestRatio: atLeast(ratio, 'ratio', null),
    middlewareUsPerRequest: atMost(perCallUs, 'µs', null),
    details: { plainPerSec: Math.round(plain), observedPerSec: Math.round(withObs), requestsPerRound: n, note: 'sequential keep-alive GETs, trivial handler, access logger at info into a discarding stream + histogram; best of 3 alternating rounds' },
  };
  return { results, checks: [] };
}

if (require.main === module) {
  observabilityBenchmark().then((r) => process.stdout.write(JSON.stringify(r.results, null, 2) + '\n'));
}
