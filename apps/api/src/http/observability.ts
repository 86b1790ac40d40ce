import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import { Logger as NestLogger } from '@nestjs/common';
import type { AppConfig } from '../../../../libs/application/config';
import type { AppMetrics } from '../../../../libs/application/metrics';

/**
 * Request ids, access lines and HTTP metrics (ADR 0066, 0098). What this adds to every request, on top of routing:
 * a request id (a header test, or a random UUID), one `finish`/`close` listener pair that writes one JSON access line
 * (no body, no header but the request id) and one pair that observes one histogram sample. The request's pino child
 * logger (for the lines a request writes itself, `logForRequest`) is made only if something logs. No synchronous I/O: pino writes
 * through its asynchronous destination.
 */

/** An incoming `X-Request-Id` is kept when it is 1–128 of these characters; anything else gets a fresh UUID. */
export const REQUEST_ID_FORMAT = /^[A-Za-z0-9._:-]{1,128}$/;

const PROBES = /^\/(health(\/|$)|metrics$)/;

/** The request's id: a well-formed `X-Request-Id`, else a well-formed `X-Correlation-Id`, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  for (const name of ['x-request-id', 'x-correlation-id']) {
    const v = req.headers[name];
    const s = Array.isArray(v) ? v[0] : v;
    if (s !== undefined && REQUEST_ID_FORMAT.test(s)) return s;
  }
  return randomUUID();
}

type Req = IncomingMessage & { id?: string | number; route?: { path?: string }; principal?: { id: string }; originalUrl?: string };
type Res = ServerResponse & { locals?: { errorCode?: string } };

/**
 * The route template Express matched (`/invoices/:id`), or `unmatched` (no route, or Nest's catch-all 404 route
 * `/{*path}`): metric labels never carry ids.
 */
export function routeOf(req: Req): string {
  const path = req.route?.path;
  return typeof path === 'string' && !path.includes('*') ? path : 'unmatched';
}

/** The access-line middleware, and the pino logger it writes with (Nest's own logs go through it too). */
export type AccessLogger = ((req: IncomingMessage, res: ServerResponse, next: () => void) => void) & { logger: Logger };

const ROOT_LOG = Symbol('root logger');
const REQUEST_LOG = Symbol('request logger');
type LoggedReq = Req & { [ROOT_LOG]?: Logger; [REQUEST_LOG]?: Logger };

/** The request's child logger (`requestId` bound), made on first use: most requests log nothing but their access line. */
function requestLogger(req: LoggedReq): Logger | undefined {
  const root = req[ROOT_LOG];
  if (root === undefined) return undefined;
  return (req[REQUEST_LOG] ??= root.child({ requestId: req.id }));
}

/**
 * The access logger: JSON lines at AR_LOG_LEVEL (silent in tests that pass no stream). One line per request:
 * `info` for 1xx–4xx (a client's error is not the server's: no stack, its error `code` only), `error` for 5xx
 * (with an `err` naming the status); probes (`/health/*`, `/metrics`) answered 2xx at `debug`. Request lines carry
 * `requestId`; headers, bodies, API keys and `Authorization` are never serialised. The line is the one pino-http
 * wrote (ADR 0066: `requestId`, `req` {method, url, remoteAddress}, `res` {statusCode}, `durationMs`, `route`,
 * `principal`, `code`, `msg`), built here in one object when the answer is finished (ADR 0098): pino-http made two
 * child loggers per request (one binding the serialised request) and three listeners, whether or not the line
 * was written at the configured level.
 */
export function createHttpLogger(config: Pick<AppConfig, 'logLevel'>, stream?: DestinationStream): AccessLogger {
  const logger: Logger = pino({
    level: config.logLevel,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // No `redact`: no header is ever serialised (the access line is built field by field), and redaction would cost
    // a compiled redactor per child logger.
    serializers: { err: pino.stdSerializers.err },
  }, stream ?? pino.destination({ dest: 1, sync: false }));
  const middleware = (req: LoggedReq, res: ServerResponse, next: () => void): void => {
    const id = requestIdOf(req);
    res.setHeader('X-Request-Id', id);
    req.id = id;
    req[ROOT_LOG] = logger;
    const started = Date.now();
    let done = false;
    const complete = () => {
      if (done) return;
      done = true;
      res.removeListener('finish', complete);
      res.removeListener('close', complete);
      const status = res.statusCode;
      const level: Level = status >= 500 ? 'error' : status < 300 && PROBES.test(req.originalUrl ?? req.url ?? '') ? 'debug' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const line: Record<string, unknown> = {
        requestId: id,
        req: { method: req.method, url: req.originalUrl ?? req.url, remoteAddress: req.socket?.remoteAddress },
        res: { statusCode: status },
        ...(status >= 500 ? { err: new Error(`failed with status code ${status}`) } : {}),
        durationMs: Date.now() - started,
        route: routeOf(req),
      };
      if (req.principal) line.principal = req.principal.id;
      const code = (res as Res).locals?.errorCode;
      if (code) line.code = code;
      logger[level](line, `${req.method} ${routeOf(req)} ${status}`);
    };
    res.on('finish', complete);
    res.on('close', complete);
    next();
  };
  return Object.assign(middleware as AccessLogger, { logger });
}

/** Observes `ar_http_request_duration_seconds` when the response is finished (or the client went away). */
export function httpMetrics(metrics: AppMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let done = false;
    const observe = () => {
      if (done) return;
      done = true;
      metrics.httpDuration.observe(
        { method: req.method, route: routeOf(req as unknown as Req), status: String(res.statusCode) },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    };
    res.once('finish', observe);
    res.once('close', observe);
    next();
  };
}

/**
 * A line of the request's own (the error filter's 5xx or store-unavailable line, a streamed answer cut short), with
 * its `requestId`: written through the request's pino child, in nestjs-pino's shape (`context`, `msg`). Passed the
 * request rather than found in an async context (ADR 0122): on Node 20 one AsyncLocalStorage in use puts a hook on
 * every promise of every request (8–15 % of a request's CPU, measured). Without the access logger (a bare test
 * app), Nest's logger writes it.
 */
export function logForRequest(req: IncomingMessage | undefined, level: 'warn' | 'error', context: string, message: string): void {
  const log = req === undefined ? undefined : requestLogger(req as LoggedReq);
  if (log !== undefined) log[level]({ context }, message);
  else new NestLogger(context)[level](message);
}
