import { HttpException, HttpStatus } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../../../../libs/application/config';
import type { ErrorBody } from './error.filter';

/**
 * The hardened HTTP edge (ADR 0043), configured on the Express instance before Nest adds its routes:
 * security headers, CORS closed unless origins are listed, writes from foreign browser origins refused, one
 * value per query parameter, writes take `application/json` (UTF-8, no content coding) or nothing, bodies up
 * to `AR_MAX_BODY_BYTES`, JSON at most MAX_JSON_DEPTH deep and MAX_JSON_ITEMS wide, no reserved keys.
 * Every refusal is `{code, message, details}` and happens before a handler runs, so it writes nothing.
 */
export const MAX_JSON_DEPTH = 20;
/** Elements of one array, or keys of one object: above every DTO's own bound (the largest is 1,000). */
export const MAX_JSON_ITEMS = 1000;

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const EXPOSED_HEADERS = ['X-Request-Id', 'X-Read-Model-Consistency', 'X-Log-Position', 'Idempotent-Replayed', 'Location'];

export function edgeError(status: number, code: string, message: string, details: Record<string, unknown> = {}): HttpException {
  const body: ErrorBody = { code, message, details };
  return new HttpException(body, status);
}

export function configureEdge(app: NestExpressApplication, config: Pick<AppConfig, 'maxBodyBytes' | 'corsOrigins'>): void {
  app.disable('x-powered-by');
  // No weak ETag hashed from every JSON body (ADR 0094): reads are answered in full with their consistency headers,
  // never 304; documents set their own strong ETag (the SHA-256 of their bytes).
  app.set('etag', false);
  app.use(securityHeaders());
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'X-Actor', 'X-Correlation-Id', 'X-Request-Id'],
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    });
  }
  // One Express layer for the checks that need no body, one for the two parsers (ADR 0098): every layer is one more
  // turn of Express's router for every request.
  app.use(inSequence(refuseForeignOrigins(config.corsOrigins), refuseRepeatedQuery, checkBodyHeaders(config.maxBodyBytes)));
  const json = express.json({ limit: config.maxBodyBytes, strict: true, inflate: false, type: 'application/json', verify: checkDepth });
  // Bank statements are files (ADR 0086): camt.053 XML, CFONB 120 text, CSV — on their one route, as raw bytes.
  const raw = express.raw({ limit: STATEMENT_MAX_BYTES, inflate: false, type: (req: { url?: string; headers: Record<string, unknown> }) => isStatementUpload(req) });
  app.use((req: Request, res: Response, next: NextFunction) => {
    // No body, by type-is's own test (body-parser's `hasBody`: no Transfer-Encoding, no numeric Content-Length):
    // neither parser would read anything.
    if (req.headers['transfer-encoding'] === undefined && isNaN(req.headers['content-length'] as unknown as number)) {
      if (!Object.hasOwn(req, 'body')) req.body = undefined;
      return next();
    }
    json(req, res, (err?: unknown) => (err === undefined ? raw(req, res, next) : next(err)));
  });
  app.use(mapParserErrors);
  app.use(refuseReservedKeys);
}

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/** Middleware run one after the other as one Express layer: the first error skips the rest, as in Express. */
export function inSequence(...steps: Middleware[]): Middleware {
  return (req, res, next) => {
    let i = 0;
    const step = (err?: unknown): void => {
      if (err !== undefined && err !== null) return next(err);
      const mw = steps[i++];
      if (mw === undefined) return next();
      mw(req, res, step as NextFunction);
    };
    step();
  };
}

/**
 * helmet's headers (ADR 0043), as configured there, computed once at start-up instead of by a dozen functions per
 * request. Two sets (ADR 0098):
 * - a **document** (a browser navigation, which accepts `text/html`, or anything under `/docs` and `/app`: the
 *   OpenAPI page and the console) gets all of them, as before;
 * - every other answer (JSON for API clients and pages' `fetch`) gets the ones that protect a response that is not
 *   a document: `nosniff`, no framing (`X-Frame-Options`, CSP `frame-ancestors 'none'`), no referrer, HSTS,
 *   `Cross-Origin-Resource-Policy` and `X-Permitted-Cross-Domain-Policies`; its CSP is `default-src 'none'`
 *   (nothing of a JSON answer is ever meant to load). The five that act on documents only are left out —
 *   `Cross-Origin-Opener-Policy` and `Origin-Agent-Cluster` (browsing contexts), `X-DNS-Prefetch-Control` (links
 *   of a page), `X-Download-Options` (IE 8 opening an HTML download), `X-XSS-Protection: 0` (turns off a filter
 *   of old browsers' HTML rendering) — saving the client a third of the headers it parses on every answer.
 */
export function securityHeaders(): (req: Request, res: Response, next: NextFunction) => void {
  const document = helmetHeaders();
  const api = document
    .filter(([name]) => !DOCUMENT_ONLY_HEADERS.has(name.toLowerCase()))
    .map(([name, value]): [string, string] => (name.toLowerCase() === 'content-security-policy' ? [name, API_CSP] : [name, value]));
  return (req, res, next) => {
    const headers = isDocumentRequest(req) ? document : api;
    for (let i = 0; i < headers.length; i++) res.setHeader(headers[i][0], headers[i][1]);
    next();
  };
}

/** The CSP of every answer that is not a document: nothing loads, nothing frames it. */
export const API_CSP = "default-src 'none';frame-ancestors 'none'";
export const DOCUMENT_ONLY_HEADERS = new Set(['cross-origin-opener-policy', 'origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-xss-protection']);
const DOCUMENT_PATH = /^\/(docs|app)([/?-]|$)/;

/** A browser navigation (top-level or a frame) accepts text/html; the OpenAPI page and the console are documents. */
export function isDocumentRequest(req: { url?: string; headers: { accept?: string } }): boolean {
  const accept = req.headers.accept;
  return (accept !== undefined && accept.includes('text/html')) || DOCUMENT_PATH.test(req.url ?? '');
}

/** The headers helmet sets, with the API's options, recorded once from a stand-in response. */
function helmetHeaders(): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  const middleware = helmet({
    // An API and its OpenAPI page: never framed, never sniffed, no referrer to other sites.
    // No upgrade-insecure-requests: the default listener is plain http on loopback, where /docs must load.
    contentSecurityPolicy: { directives: { frameAncestors: ["'none'"], upgradeInsecureRequests: null } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const res = { setHeader: (name: string, value: unknown) => { headers.push([name, String(value)]); }, removeHeader: () => undefined };
  let called = false;
  middleware({ headers: {} } as never, res as never, () => { called = true; });
  if (!called) throw new Error('helmet did not complete synchronously');
  return headers;
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `lines[0].constructor`: where a reserved key sits, written as a client would. */
function reservedKeyPath(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = reservedKeyPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const at = path ? `${path}.${key}` : key;
      if (RESERVED_KEYS.has(key)) return at;
      const found = reservedKeyPath((value as Record<string, unknown>)[key], at);
      if (found) return found;
    }
  }
  return null;
}

/**
 * `__proto__`, `constructor` and `prototype` as JSON keys are refused like any unknown field: class-transformer
 * skips them, so the DTO whitelist never sees them, and code that merges objects must never meet them.
 * Recursion is bounded by MAX_JSON_DEPTH.
 */
function refuseReservedKeys(req: Request, _res: Response, next: NextFunction): void {
  const field = req.body === undefined ? null : reservedKeyPath(req.body, '');
  if (field === null) return next();
  const problem = `property ${field.split(/[.[]/).pop()} should not exist`;
  next(edgeError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', `${field}: ${problem}`, { field, errors: [{ field, problems: [problem] }] }));
}

/**
 * A write sent by a browser page of another site (its `Origin` is neither listed nor this host) is refused
 * before it runs: CORS only hides the answer from the page, it does not stop a "simple" request.
 */
function refuseForeignOrigins(allowed: readonly string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (!WRITES.has(req.method) || origin === undefined || allowed.includes(origin.toLowerCase())) return next();
    let sameHost = false;
    try {
      sameHost = new URL(origin).host === req.headers.host;
    } catch {
      sameHost = false;
    }
    if (sameHost) return next();
    next(edgeError(HttpStatus.FORBIDDEN, 'ORIGIN_NOT_ALLOWED', `Writes from the browser origin ${JSON.stringify(origin.slice(0, 200))} are not allowed (AR_CORS_ORIGINS)`, { field: 'Origin' }));
  };
}

/**
 * Every query parameter of the API is one value: `?rates=a&rates=b` is ambiguous and is refused, rather than
 * reaching a handler as an array (the read fuzz found a 500 that way in `/reports/ecl`).
 */
function refuseRepeatedQuery(req: Request, _res: Response, next: NextFunction): void {
  // Express 5 parses the query string again at every read of `req.query`: most requests have none.
  if (!req.url.includes('?')) return next();
  const query = req.query as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) {
    if (typeof value !== 'string') {
      return next(edgeError(HttpStatus.BAD_REQUEST, 'QUERY_MALFORMED', `Query parameter ${JSON.stringify(name.slice(0, 100))} must be given once`, { field: name.slice(0, 100) }));
    }
  }
  next();
}

/** Media types of bank statement files, accepted on `POST /bank-statements` only (ADR 0086). */
export const STATEMENT_MEDIA_TYPES = ['application/xml', 'text/xml', 'text/plain', 'text/csv'] as const;
/** Largest statement file accepted (a month of a busy account in camt.053 is a few megabytes). */
export const STATEMENT_MAX_BYTES = 64 * 1024 * 1024;

function isStatementUpload(req: { url?: string; method?: string; headers: Record<string, unknown> }): boolean {
  const path = (req.url ?? '').split('?')[0];
  const media = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return path === '/bank-statements' && (STATEMENT_MEDIA_TYPES as readonly string[]).includes(media);
}

/** A write has a JSON body or none; the checks that need no body bytes run before any are read. */
function checkBodyHeaders(maxBodyBytes: number) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!WRITES.has(req.method)) return next();
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      return next(edgeError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_CONTENT_ENCODING', 'Request bodies are not compressed: send them without Content-Encoding', { field: 'Content-Encoding', contentEncoding: encoding.slice(0, 100) }));
    }
    const length = req.headers['content-length'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    const statement = isStatementUpload(req);
    const limit = statement ? STATEMENT_MAX_BYTES : maxBodyBytes;
    if (length !== undefined && /^\d+$/.test(length) && Number(length) > limit) {
      return next(tooLarge(limit));
    }
    if (statement) return next();
    const type = req.headers['content-type'];
    if (type === undefined) {
      if (!hasBody) return next();
      return next(unsupportedType('none'));
    }
    const [media, ...params] = type.split(';').map((p) => p.trim().toLowerCase());
    if (media !== 'application/json') return next(unsupportedType(type));
    for (const p of params) {
      const [name, value = ''] = p.split('=').map((s) => s.trim());
      if (name === 'charset' && value.replace(/^"|"$/g, '') !== 'utf-8') {
        return next(edgeError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_CHARSET', 'JSON bodies are UTF-8: send charset=utf-8 or no charset', { field: 'Content-Type', contentType: type.slice(0, 200) }));
      }
    }
    next();
  };
}

function unsupportedType(type: string): HttpException {
  return edgeError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_MEDIA_TYPE', 'Writes take a JSON body: Content-Type: application/json', { field: 'Content-Type', contentType: type.slice(0, 200) });
}

function tooLarge(maxBodyBytes: number): HttpException {
  return edgeError(HttpStatus.PAYLOAD_TOO_LARGE, 'PAYLOAD_TOO_LARGE', `Request body larger than ${maxBodyBytes} bytes (AR_MAX_BODY_BYTES)`, { field: 'body', limitBytes: maxBodyBytes });
}

class TooDeep extends Error {
  readonly type = 'entity.too.deep';
  readonly status = 400;
}

class TooManyItems extends Error {
  readonly type = 'entity.too.many.items';
  readonly status = 400;
}

/**
 * Scans the raw bytes, outside strings, before JSON.parse sees them: the nesting of arrays and objects
 * (a body of 500,000 `[` never reaches the parser or the validators' recursion) and the number of elements of
 * each array or keys of each object (150,000 `{}` in `lines` cost class-validator seconds before its
 * ArrayMaxSize(500) said no).
 */
export function checkDepth(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  const commas: number[] = [0];
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw new TooDeep(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
      commas[depth] = 0;
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && ++commas[depth] >= MAX_JSON_ITEMS) throw new TooManyItems(`More than ${MAX_JSON_ITEMS} items in one array or object`);
  }
}

/** body-parser's errors (http-errors with a `type`) as the API's error JSON. */
function mapParserErrors(err: unknown, _req: Request, _res: Response, next: NextFunction): void {
  if (err instanceof HttpException || typeof err !== 'object' || err === null) return next(err);
  const e = err as { type?: string; message?: string; limit?: number };
  switch (e.type) {
    case 'entity.too.large':
      return next(tooLarge(e.limit ?? 0));
    case 'entity.too.deep':
      return next(edgeError(HttpStatus.BAD_REQUEST, 'JSON_TOO_DEEP', `Request body nested deeper than ${MAX_JSON_DEPTH} levels`, { field: 'body', maxDepth: MAX_JSON_DEPTH }));
    case 'entity.too.many.items':
      return next(edgeError(HttpStatus.BAD_REQUEST, 'JSON_TOO_MANY_ITEMS', `An array or object of the request body has more than ${MAX_JSON_ITEMS} items`, { field: 'body', maxItems: MAX_JSON_ITEMS }));
    case 'entity.parse.failed':
      return next(edgeError(HttpStatus.BAD_REQUEST, 'MALFORMED_JSON', `Request body is not valid JSON: ${String(e.message).slice(0, 200)}`, { field: 'body' }));
    case 'charset.unsupported':
      return next(edgeError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_CHARSET', 'JSON bodies are UTF-8', { field: 'Content-Type' }));
    case 'encoding.unsupported':
      return next(edgeError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_CONTENT_ENCODING', 'Request bodies are not compressed', { field: 'Content-Encoding' }));
    case 'request.size.invalid':
    case 'request.aborted':
      return next(edgeError(HttpStatus.BAD_REQUEST, 'BODY_INCOMPLETE', 'Request body shorter than its Content-Length', { field: 'body' }));
    default:
      return next(err);
  }
}
