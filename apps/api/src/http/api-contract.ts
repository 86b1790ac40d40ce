import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiExtension, ApiHeader, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { IdempotencyGuard } from './idempotency';

/**
 * The OpenAPI contract of an operation in one line (ADR 0070): `@ApiCommand()` on writes, `@ApiRead()` on
 * reads, `@ApiList()` on lists. They declare the success status, the headers read and written, and the error
 * responses with their codes; `completeOpenApi` (below) then gives every response its schema and example
 * (the success ones from `openapi-examples.json`, captured from a real run by `npm run openapi:examples`) and
 * the error ones the `Error` schema. `test/e2e/openapi-contract.e2e-spec.ts` fails on any operation that
 * lacks one of these.
 */
export type ErrorCodes = Partial<Record<400 | 404 | 409 | 413 | 415 | 422 | 429, readonly string[]>>;

/** Codes any authenticated operation may answer, whatever it does (the edge, the guard, the filter). */
const COMMON: Record<number, readonly string[]> = {
  401: ['UNAUTHENTICATED'],
  403: ['FORBIDDEN', 'ORIGIN_NOT_ALLOWED'],
  429: ['TOO_MANY_FAILED_ATTEMPTS'],
  500: ['INTERNAL_ERROR'],
  503: ['STORE_UNAVAILABLE'],
};
const READ_400 = ['QUERY_MALFORMED', 'VALIDATION_FAILED'];
const WRITE_400 = ['VALIDATION_FAILED', 'MALFORMED_JSON', 'JSON_TOO_DEEP', 'JSON_TOO_MANY_ITEMS', 'QUERY_MALFORMED'];
const WRITE_COMMON: ErrorCodes = {
  400: WRITE_400, 409: ['CONCURRENCY_CONFLICT'], 413: ['PAYLOAD_TOO_LARGE'], 415: ['UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_CHARSET', 'UNSUPPORTED_CONTENT_ENCODING'],
  422: ['IDEMPOTENCY_KEY_REUSED', 'DATE_BEYOND_HORIZON'],
};

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request', 401: 'Missing, unknown, expired or revoked credentials', 403: 'The principal may not do this',
  404: 'Unknown resource', 409: 'Conflict with the current state', 413: 'Body too large', 415: 'Body is not JSON',
  422: 'Refused by a rule', 429: 'Too many failed authentications', 500: 'A bug (never a client’s mistake)', 503: 'A store is busy or unreachable (Retry-After)',
};

export const LOG_POSITION_HEADER = {
  'X-Log-Position': { description: 'Global log position the read waited for (read-your-writes)', schema: { type: 'string', example: '42' } },
  'X-Read-Model-Consistency': { description: '`fresh`: the read models had passed every acknowledged write; `stale`: the wait timed out', schema: { type: 'string', enum: ['fresh', 'stale'] } },
};
export const REPLAYED_HEADER = {
  'Idempotent-Replayed': { description: '`true` when this answer is the recorded answer of an earlier identical request (nothing was appended)', schema: { type: 'string', enum: ['true'] } },
};

function merge(...sets: ErrorCodes[]): Record<number, string[]> {
  const out: Record<number, string[]> = {};
  for (const s of [COMMON, ...sets]) {
    for (const [status, codes] of Object.entries(s)) out[Number(status)] = [...new Set([...(out[Number(status)] ?? []), ...(codes ?? [])])];
  }
  return out;
}

function errorResponses(codes: Record<number, string[]>) {
  return Object.entries(codes).map(([status, list]) => applyDecorators(
    ApiResponse({ status: Number(status), description: `${DESCRIPTIONS[Number(status)] ?? 'Error'}: ${list.join(', ')}` }),
  ));
}

/**
 * A write: reads `Idempotency-Key` (and `X-Actor` for services acting for a person), writes `Idempotent-Replayed`.
 * It also attaches the idempotency guard (Idempotency-Key reuse, ADR 0044, 0098): every write route carries this
 * decorator (the OpenAPI contract test refuses a write without the Idempotency-Key header it declares), reads don't.
 */
export function ApiCommand(options: { status?: number; also?: number[]; errors?: ErrorCodes; /** Answers with what it reads back (X-Log-Position, X-Read-Model-Consistency). */ readsBack?: boolean } = {}) {
  const status = options.status ?? 201;
  const codes = merge(WRITE_COMMON, options.errors ?? {});
  return applyDecorators(
    UseGuards(IdempotencyGuard),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same principal, key and request → the same answer, nothing appended twice; same key, another request → 422 IDEMPOTENCY_KEY_REUSED', schema: { type: 'string', example: 'pay-2026-03-14-0001' } }),
    ApiHeader({ name: 'X-Actor', required: false, description: 'The person a service account acts for (keys granted act_on_behalf only)', schema: { type: 'string' } }),
    ApiResponse({ status, description: 'Done', headers: options.readsBack ? { ...REPLAYED_HEADER, ...LOG_POSITION_HEADER } : REPLAYED_HEADER }),
    ...(options.also ?? []).map((s) => ApiResponse({ status: s, description: s === 202 ? 'Recorded; a step completes later (completion.state = pending)' : 'Done', headers: REPLAYED_HEADER })),
    ApiExtension('x-error-codes', codes),
    ...errorResponses(codes),
  );
}

/** A read of the read models: waits for acknowledged writes, writes `X-Log-Position` and `X-Read-Model-Consistency`. */
export function ApiRead(options: { errors?: ErrorCodes; freshness?: boolean; produces?: string } = {}) {
  const codes = merge({ 400: READ_400 }, options.errors ?? {});
  return applyDecorators(
    ApiResponse({ status: 200, description: 'The answer', headers: options.freshness === false ? undefined : LOG_POSITION_HEADER }),
    ApiExtension('x-error-codes', codes),
    ...(options.produces ? [ApiExtension('x-produces', options.produces)] : []),
    ...errorResponses(codes),
  );
}

/** A list (ADR 0069): `@ApiRead` plus `limit`, `cursor`, `sort` and the list's errors. */
export function ApiList(options: { sorts: readonly string[]; filters: Record<string, string>; errors?: ErrorCodes }) {
  return applyDecorators(
    ApiExtension('x-list', true),
    ApiRead({ errors: { 400: ['LIMIT_INVALID', 'SORT_INVALID', 'CURSOR_INVALID', 'QUERY_PARAMETER_UNKNOWN', 'QUERY_PARAMETER_INVALID', 'QUERY_PARAMETER_TOO_LONG', 'DATE_MALFORMED', 'DATE_RANGE_INVALID', 'CURRENCY_UNKNOWN', 'CURRENCY_REQUIRED', 'AMOUNT_MALFORMED', 'AMOUNT_TOO_MANY_DECIMALS', 'AMOUNT_RANGE_INVALID', 'AMOUNT_OUT_OF_RANGE'], ...(options.errors ?? {}) } }),
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } }),
    ApiQuery({ name: 'cursor', required: false, description: 'The `next` of the previous page (same sort and filters)', schema: { type: 'string' } }),
    ApiQuery({ name: 'sort', required: false, description: 'A sort name, `-name` for descending; ties broken by the id', schema: { type: 'string', enum: options.sorts.flatMap((s) => [s, `-${s}`]) } }),
    ...Object.entries(options.filters).map(([name, description]) => ApiQuery({ name, required: false, description, schema: { type: 'string' } })),
  );
}

// ---------------------------------------------------------------------------------------------------------
// The document's completion

type Json = Record<string, unknown>;
export interface CapturedExample {
  status: number;
  /** Response body (JSON) or text (CSV, metrics). */
  body: unknown;
  contentType: string;
  request?: unknown;
}

/** A JSON schema from an example value: what the typed client is generated from. */
export function schemaOf(value: unknown): Json {
  if (value === null) return { nullable: true };
  if (Array.isArray(value)) {
    const items = value.length > 0 ? value.map(schemaOf).reduce(unify) : {};
    return { type: 'array', items };
  }
  if (typeof value === 'object') {
    const properties: Json = {};
    for (const [k, v] of Object.entries(value as Json)) properties[k] = schemaOf(v);
    return { type: 'object', properties, required: Object.keys(properties) };
  }
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'integer' : 'number' };
  return { type: typeof value as 'string' | 'boolean' };
}

/** Two example items of one array: the union of their properties (a property absent from one is optional). */
function unify(a: Json, b: Json): Json {
  if (a.type === 'object' && b.type === 'object') {
    const pa = a.properties as Json;
    const pb = b.properties as Json;
    const properties: Json = { ...pb, ...pa };
    for (const k of Object.keys(properties)) if (k in pa && k in pb) properties[k] = unify(pa[k] as Json, pb[k] as Json);
    const required = (a.required as string[]).filter((k) => (b.required as string[]).includes(k));
    return { type: 'object', properties, required };
  }
  if (a.nullable && !a.type) return { ...b, nullable: true };
  if (b.nullable && !b.type) return { ...a, nullable: true };
  if (a.type === 'integer' && b.type === 'number') return b;
  return a;
}

export const ERROR_SCHEMA = {
  type: 'object',
  required: ['code', 'message', 'details'],
  properties: {
    code: { type: 'string', description: 'Stable code clients branch on', example: 'INVOICE_NOT_FOUND' },
    message: { type: 'string', example: 'Invoice i-404 not found' },
    details: { type: 'object', additionalProperties: true, description: 'The figures that explain it; `field` names the offending input', example: { id: 'i-404' } },
  },
};

/**
 * Completes the generated document: security scheme, the `Error` schema on every error response (with an
 * example per code), and on every success response the schema and example of its captured answer.
 */
export function completeOpenApi(document: Json, examples: Record<string, CapturedExample>): Json {
  const components = (document.components ??= {}) as Json;
  const schemas = (components.schemas ??= {}) as Json;
  schemas.Error = ERROR_SCHEMA;
  const security = (components.securitySchemes ??= {}) as Json;
  security.bearer = {
    type: 'http', scheme: 'bearer', bearerFormat: 'API key (ark_…) or OIDC access token (JWT)',
    description: '`Authorization: Bearer <API key or OIDC token>` (docs/security.md)',
  };
  for (const [path, ops] of Object.entries(document.paths as Record<string, Json>)) {
    for (const [method, raw] of Object.entries(ops)) {
      const op = raw as Json;
      const key = `${method.toUpperCase()} ${path}`;
      const responses = (op.responses ?? {}) as Record<string, Json>;
      const codes = (op['x-error-codes'] ?? {}) as Record<string, string[]>;
      for (const [status, response] of Object.entries(responses)) {
        const n = Number(status);
        if (n >= 400) {
          const list = codes[status] ?? [];
          response['x-error-codes'] = list;
          response.content = {
            'application/json': {
              schema: { $ref: '#/components/schemas/Error' },
              examples: Object.fromEntries(list.map((code) => [code, { value: { code, message: DESCRIPTIONS[n] ?? 'Error', details: {} } }])),
            },
          };
        } else if (n >= 200 && n < 300) {
          const captured = examples[key];
          if (captured && captured.status === n) {
            const schema = schemaOf(captured.body);
            if (op['x-list'] === true) {
              // A page (ADR 0069): `next` is a cursor or null whatever the captured page said.
              (schema.properties as Json).next = { type: 'string', nullable: true, description: 'Cursor of the following page; null on the last' };
              (schema.properties as Json).total = { type: 'integer', description: 'Matches of every page' };
            }
            const media = captured.contentType.split(';')[0];
            response.content = captured.contentType.startsWith('application/json')
              ? { 'application/json': { schema, example: captured.body } }
              : media === 'application/pdf'
                ? { [media]: { schema: { type: 'string', format: 'binary' }, example: String(captured.body) } }
                : { [media]: { schema: { type: 'string' }, example: String(captured.body) } };
          } else if (captured) {
            // Another success status of the same operation (202 beside 201): same body shape.
            response.content = { 'application/json': { schema: schemaOf(captured.body) } };
          }
        }
      }
      const body = op.requestBody as Json | undefined;
      const captured = examples[key];
      if (body && captured?.request !== undefined) {
        // The example goes to the media type the request was sent as (a bank statement is XML, CFONB or CSV).
        const media = (body.content ??= {}) as Record<string, Json>;
        const type = typeof captured.request === 'string' && Object.keys(media).some((m) => m !== 'application/json') ? Object.keys(media).find((m) => m !== 'application/json')! : 'application/json';
        (media[type] ??= {}).example = captured.request;
      }
    }
  }
  return document;
}
