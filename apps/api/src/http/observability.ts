import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import pino, { type DestinationStream, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { storage, Store } from 'nestjs-pino/storage';
import type { AppConfig } from '../../../../libs/application/config';
import type { AppMetrics } from '../../../../libs/application/metrics';

/**
 * Request ids, access lines and HTTP metrics (ADR 0066). What this adds to every request, on top of routing:
 * a request id (a header test, or a random UUID), one pino child logger, a `finish` listener that writes one
 * JSON access line (no body, no header but the request id) and observes one histogram sample. No synchronous
 * I/O: pino writes through its asynchronous destination.
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

/**
 * The access logger: JSON lines at AR_LOG_LEVEL (silent in tests that pass no stream). One line per request:
 * `info` for 1xx–4xx (a client's error is not the server's: no stack, its error `code` only), `error` for 5xx;
 * probes (`/health/*`, `/metrics`) answered 2xx at `debug`. Request lines carry `requestId`; headers, bodies,
 * API keys and `Authorization` are never serialised.
 */
export function createHttpLogger(config: Pick<AppConfig, 'logLevel'>, stream?: DestinationStream): HttpLogger {
  const logger: Logger = pino({
    level: config.logLevel,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // No `redact`: no header is ever serialised (the serializers below), and redaction would cost a compiled
    // redactor per child logger, i.e. per request.
  }, stream ?? pino.destination({ dest: 1, sync: false }));
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdOf(req);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    // The raw objects, read field by field: pino-std-serializers' wrapping would copy every header first.
    wrapSerializers: false,
    serializers: {
      req: (r: Req) => ({ method: r.method, url: r.originalUrl ?? r.url, remoteAddress: r.socket?.remoteAddress }),
      res: (r: { statusCode?: number }) => ({ statusCode: r.statusCode }),
      err: pino.stdSerializers.err,
    },
    customLogLevel: (req, res, err) => {
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode < 300 && PROBES.test((req as Req).originalUrl ?? req.url ?? '')) return 'debug';
      return 'info';
    },
    customSuccessMessage: (req, res) => `${req.method} ${routeOf(req as Req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${routeOf(req as Req)} ${res.statusCode}`,
    customSuccessObject: (req, res, value: Record<string, unknown>) => accessFields(req as Req, res as Res, value),
    customErrorObject: (req, res, _err, value: Record<string, unknown>) => accessFields(req as Req, res as Res, value),
  });
}

function accessFields(req: Req, res: Res, value: Record<string, unknown>): Record<string, unknown> {
  return {
    ...value,
    route: routeOf(req),
    ...(req.principal ? { principal: req.principal.id } : {}),
    ...(res.locals?.errorCode ? { code: res.locals.errorCode } : {}),
  };
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
 * Nest's own logs during a request (the error filter's 5xx line) carry its `requestId`: the request's pino child
 * is bound to nestjs-pino's async context here, by `app.use`, instead of by route-bound Nest middleware (which
 * would add a catch-all route per HTTP method to the router).
 */
export function bindLogContext(req: IncomingMessage & { log?: Logger }, _res: ServerResponse, next: () => void): void {
  if (!req.log) return next();
  storage.run(new Store(req.log), next);
}
