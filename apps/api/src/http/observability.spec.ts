import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createHttpLogger, logForRequest } from './observability';
import { writeChunks } from './stream-response';

/** The access line's fields (ADR 0066) as the lighter access logger writes them (ADR 0098), without HTTP. */
describe('access logger', () => {
  const setup = (level = 'info') => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({ write(chunk, _e, done) { lines.push(JSON.parse(String(chunk))); done(); } });
    return { lines, log: createHttpLogger({ logLevel: level as 'info' }, sink) };
  };
  const exchange = (url: string, status: number, extra: Record<string, unknown> = {}) => {
    const headers: Record<string, string> = {};
    const res = Object.assign(new EventEmitter(), { statusCode: status, locals: {} as Record<string, unknown>, setHeader: (n: string, v: string) => { headers[n] = v; } });
    const req = Object.assign(new EventEmitter(), { method: 'POST', url, originalUrl: url, headers: { 'x-request-id': 'req-1' }, socket: { remoteAddress: '10.0.0.7' }, route: { path: url }, ...extra });
    return { req: req as unknown as IncomingMessage & { log?: Logger }, res: res as unknown as ServerResponse & { locals: Record<string, unknown> }, headers, emitter: res };
  };
  const flush = () => new Promise((r) => setImmediate(r));

  it('writes one line per request with the documented fields, and echoes the request id', async () => {
    const { lines, log } = setup();
    const x = exchange('/customers', 201, { principal: { id: 'key:9cd7' } });
    log(x.req, x.res, () => undefined);
    x.emitter.emit('finish');
    x.emitter.emit('close');
    await flush();
    expect(x.headers['X-Request-Id']).toBe('req-1');
    expect(lines).toHaveLength(1);
    const { time, pid, hostname, ...rest } = lines[0];
    expect([typeof time, typeof pid, typeof hostname]).toEqual(['string', 'number', 'string']);
    expect(rest).toEqual({
      level: 'info', requestId: 'req-1', req: { method: 'POST', url: '/customers', remoteAddress: '10.0.0.7' }, res: { statusCode: 201 },
      durationMs: expect.any(Number), route: '/customers', principal: 'key:9cd7', msg: 'POST /customers 201',
    });
  });

  it('logs a 5xx at error with its code and an err, a 4xx at info with its code, a successful probe at debug only', async () => {
    const { lines, log } = setup();
    for (const [url, status, code] of [['/customers', 500, 'INTERNAL_ERROR'], ['/customers', 400, 'VALIDATION_FAILED'], ['/health/live', 200, undefined]] as const) {
      const x = exchange(url, status);
      log(x.req, x.res, () => undefined);
      if (code) x.res.locals.errorCode = code;
      x.emitter.emit('finish');
    }
    await flush();
    expect(lines.map((l) => [l.level, l.code, (l.err as { message?: string } | undefined)?.message])).toEqual([
      ['error', 'INTERNAL_ERROR', 'failed with status code 500'],
      ['info', 'VALIDATION_FAILED', undefined],
    ]);
  });

  it('logs a streamed answer cut after its headers under the request id, and cuts the connection', async () => {
    const { lines, log } = setup();
    const x = exchange('/customers/c-1/history', 200);
    let destroyed: unknown = null;
    Object.assign(x.res, { req: x.req, destroyed: false, write: () => true, end: () => undefined, destroy: (e: unknown) => { destroyed = e; } });
    log(x.req, x.res, () => undefined);
    const pages = (async function* () { yield '[1'; throw new Error('page two failed'); })();
    await writeChunks(x.res as never, await pages.next(), pages);
    await flush();
    expect((destroyed as Error).message).toBe('page two failed');
    expect(lines).toEqual([expect.objectContaining({ level: 'error', requestId: 'req-1', context: 'StreamedResponse', msg: expect.stringContaining('page two failed') })]);
  });

  it('gives the lines a request writes itself its request id and context, through the request\'s child logger', async () => {
    const { lines, log } = setup();
    const x = exchange('/customers', 201);
    log(x.req, x.res, () => logForRequest(x.req, 'warn', 'HTTP', 'inside'));
    await flush();
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', requestId: 'req-1', context: 'HTTP', msg: 'inside' })]);
  });
});
