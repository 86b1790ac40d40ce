import fc from 'fast-check';
import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Fuzz of the HTTP edge (issue 11, ADR 0043): ≥ 10,000 generated bad requests over every write route of the
 * OpenAPI document (a new route is covered without touching this file) → no 5xx, every answer the error JSON
 * `{code, message, details}`, and the log exactly where it was. Reproduce a run with FC_SEED=<seed>;
 * FUZZ_RUNS / FUZZ_READ_RUNS change the counts; FUZZ_DEBUG=<kind or code> prints those answers.
 *
 * Every request is bad by construction, in one of two ways, so that none may write:
 * - the body is wrong for its DTO (an unknown field, a required field missing or of another JSON type), or
 *   the transport is (malformed or deep JSON, a body over the limit, another media type, charset or coding,
 *   bytes that are not UTF-8, a top-level scalar);
 * - or the body is plausible (examples from the document mixed with extreme values) but names an entity that
 *   does not exist (path id or `customerId`), so the request reaches the handlers and the domain.
 * The app runs with AR_MAX_BODY_BYTES=65536 so that the bodies over the limit stay cheap to send; the 1 MB
 * default is covered by http-edge.e2e-spec.ts.
 */
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const READ_RUNS = Number(process.env.FUZZ_READ_RUNS ?? 2_000);
const LIMIT = 65_536;
console.log(`http fuzz seed: FC_SEED=${seed} (${RUNS} requests)`);

interface Schema { type?: string; $ref?: string; items?: Schema; properties?: Record<string, Schema>; required?: string[]; example?: unknown; enum?: unknown[] }
interface Route { method: 'post' | 'put' | 'patch' | 'delete'; path: string; params: string[]; body: Schema | null }
interface Generated {
  route: Route;
  pathValues: string[];
  headers: Record<string, string>;
  payload: string | Buffer | null;
  kind: string;
}

// Entities seeded before the run, used when a request may name an existing entity.
const EXISTING = ['fz-c', 'fz-inv', 'fz-pay', 'fz-plan', 'd-1'];

const nastyStrings = [
  '', ' ', 'a', '0', '-1', '-0', '1e309', '1E+400', '0x10', '99999999999999999999999999.99', '999999999999999.9999', '0.00001', '12,50',
  'NaN', 'Infinity', '-Infinity', 'null', 'true', '2026-02-30', '2026-13-01', '0000-00-00', '9999-12-31', '2026-1-1', '20260101', '2026-02-29',
  '1900-02-29', '2026-01-01T00:00:00Z', '💶💶', 'é', 'Ω≈ç√∫', '\u0000', '\uFFFF', '\uD800', '\u202Eevil', 'a\u0301', '\t\n\r', '<script>alert(1)</script>',
  "'; DROP TABLE events; --", '../../etc/passwd', '%00', '__proto__', 'constructor', 'x'.repeat(1001), 'y'.repeat(20_000), 'EUR', 'eur', 'XXX', 'JPY',
  'sepa', 'card', 'accepted', 'rejected', 'reject', 'hold_for_approval', 'end of month + 45', '30', 'net 30',
];
const nastyNumbers = ['0', '-0', '1', '-1', '1.5', '1e308', '-1e308', '1e400', '-1e400', '5e-324', '1e-400', '9007199254740993', '123456789012345678901234567890', '0.1e1'];

const jsonString = fc.oneof(fc.constantFrom(...nastyStrings), fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 10 }))
  .map((s) => JSON.stringify(s));
const scalarText: fc.Arbitrary<string> = fc.oneof(jsonString, fc.constantFrom(...nastyNumbers), fc.constantFrom('true', 'false', 'null'));
const valueText: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: scalarText },
    { weight: 1, arbitrary: fc.array(tie('v'), { maxLength: 4 }).map((xs) => `[${xs.join(',')}]`) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom('a', 'amount', 'days', 'type', '__proto__', 'constructor'), tie('v')), { maxLength: 3 }).map((es) => `{${es.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`) }),
})).v;
const notAString = fc.oneof(fc.constantFrom(...nastyNumbers), fc.constantFrom('true', 'false', 'null', '[]', '{}', '["a"]', '{"a":"b"}'));

function resolve(doc: { components?: { schemas?: Record<string, Schema> } }, s: Schema | undefined): Schema | null {
  if (!s) return null;
  if (s.$ref) return resolve(doc, doc.components?.schemas?.[s.$ref.split('/').pop()!]);
  return s;
}

function writeRoutes(doc: { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: { content?: Record<string, { schema?: Schema }> } }>> } & Parameters<typeof resolve>[0]): Route[] {
  const routes: Route[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      routes.push({ method: method as Route['method'], path, params, body: resolve(doc, op.requestBody?.content?.['application/json']?.schema) });
    }
  }
  return routes;
}

/** A plausible value for a property: its example (nested DTOs resolved), else something extreme. */
function plausible(doc: Parameters<typeof resolve>[0], s: Schema | null, depth = 0): fc.Arbitrary<string> {
  if (!s || depth > 3) return valueText;
  if (s.type === 'array') {
    const item = resolve(doc, s.items);
    return fc.array(plausible(doc, item, depth + 1), { minLength: 0, maxLength: 3 }).map((xs) => `[${xs.join(',')}]`);
  }
  if (s.properties) return objectText(doc, s, depth + 1, false);
  // Mostly the example, so that whole bodies often pass validation and reach the handlers.
  const known = [
    ...(s.example !== undefined ? [fc.constant(JSON.stringify(s.example))] : []),
    ...(s.enum ? [fc.constantFrom(...s.enum.map((e) => JSON.stringify(e)))] : []),
  ];
  return known.length > 0 ? fc.oneof({ weight: 5, arbitrary: fc.oneof(...known) }, { weight: 1, arbitrary: scalarText }) : scalarText;
}

function objectText(doc: Parameters<typeof resolve>[0], s: Schema, depth: number, forceBad: boolean, overrides: Record<string, fc.Arbitrary<string>> = {}): fc.Arbitrary<string> {
  const props = Object.entries(s.properties ?? {});
  const required = new Set(s.required ?? []);
  const stringRequired = props.filter(([k, p]) => required.has(k) && resolve(doc, p)?.type === 'string').map(([k]) => k);
  const entries = fc.tuple(...props.map(([k, p]) => fc.tuple(fc.constant(k), fc.boolean(), overrides[k] ?? plausible(doc, resolve(doc, p), depth))));
  const mutation = forceBad
    ? fc.oneof(
      fc.record({ kind: fc.constant('unknown field'), name: fc.constantFrom('unknownField', '__proto__', 'constructor', 'ÿ', '', 'id ') }),
      ...(required.size > 0 ? [fc.record({ kind: fc.constant('required missing'), name: fc.constantFrom(...required) })] : []),
      ...(stringRequired.length > 0 ? [fc.record({ kind: fc.constant('wrong type'), name: fc.constantFrom(...stringRequired) })] : []),
    )
    : fc.constant(null);
  return fc.tuple(entries, mutation, notAString, valueText).map(([es, m, wrong, extra]) => {
    const parts: string[] = [];
    for (const [k, present, v] of es) {
      if (m?.name === k && m.kind === 'required missing') continue;
      if (m?.name === k && m.kind === 'wrong type') { parts.push(`${JSON.stringify(k)}:${wrong}`); continue; }
      if (present || required.has(k) || overrides[k]) parts.push(`${JSON.stringify(k)}:${v}`);
    }
    if (m?.kind === 'unknown field') parts.push(`${JSON.stringify(m.name)}:${extra}`);
    return `{${parts.join(',')}}`;
  });
}

const pathSegment = fc.oneof(
  fc.constantFrom(...EXISTING),
  fc.constantFrom('nx-1', 'x'.repeat(300), '%2F', '%00', '..', '%E0%A4%A', '%', '%ZZ', '💶', ' ', '%20', 'a%2Fb', '-', '.', '_'),
  fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent),
);
const missingId = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 6, maxLength: 12 }).map((s) => `nx-${s}`);
const headerNoise = fc.record({
  'Idempotency-Key': fc.constantFrom('k-1', 'k-2', 'fz key', 'é', 'x'.repeat(201)),
  'X-Actor': fc.constantFrom('clerk.anna', 'bad actor', 'ü', ''),
  'X-Correlation-Id': fc.constantFrom('c-1', '\t'),
}, { requiredKeys: [] });

/** A lone surrogate has no UTF-8 form: send the bytes a careless client would (an invalid sequence). */
const encodeQuery = (v: string) => { try { return encodeURIComponent(v); } catch { return '%ED%A0%80'; } };

const validHeaders = fc.record({
  'Idempotency-Key': fc.nat(1_000_000).map((n) => `fz-${n}`),
  'X-Actor': fc.constantFrom('clerk.anna', 'credit.manager'),
}, { requiredKeys: [] });

function generator(doc: Parameters<typeof resolve>[0], routes: Route[]): fc.Arbitrary<Generated> {
  return fc.constantFrom(...routes).chain((route) => {
    const body = route.body ?? { properties: {} };
    const badBody = objectText(doc, body, 0, true);
    const anyPath = fc.tuple(...route.params.map(() => pathSegment));
    const json = { 'Content-Type': 'application/json' };
    const variants: Array<fc.Arbitrary<Omit<Generated, 'route'>>> = [
      // Wrong for the DTO.
      fc.record({ pathValues: anyPath, headers: fc.constant(json), payload: badBody, kind: fc.constant('dto') }),
      fc.record({ pathValues: anyPath, headers: fc.constant(json), payload: badBody, kind: fc.constant('dto') }),
      // Plausible body, missing entity: reaches the handlers.
      ...(route.params.length > 0 || body.properties?.customerId
        ? [fc.record({
          pathValues: fc.tuple(...route.params.map(() => missingId)),
          headers: fc.constant(json),
          payload: objectText(doc, body, 0, false, route.params.length > 0 ? {} : { customerId: missingId.map((id) => JSON.stringify(id)) }),
          kind: fc.constant('missing entity'),
        })]
        : []),
      // Broken JSON.
      fc.record({ pathValues: anyPath, headers: fc.constant(json), payload: fc.tuple(badBody, fc.nat()).map(([t, n]) => t.slice(0, Math.max(1, n % t.length))).map((t) => (t.endsWith('}') ? `${t},` : t)), kind: fc.constant('malformed json') }),
      fc.record({ pathValues: anyPath, headers: fc.constant(json), payload: fc.constantFrom(' ', 'undefined', "{'a':1}", '{"a":1}}', '{"a":}', '{,}', '[1,]', 'NaN', '{"a":1e}', '\u00ef\u00bb\u00bf{}'), kind: fc.constant('malformed json') }),
      fc.record({ pathValues: anyPath, headers: fc.constant(json), payload: scalarText, kind: fc.constant('top-level scalar') }),
      fc.record({ pathValues: anyPath, headers: fc.constant(json), payload: fc.array(valueText, { maxLength: 3 }).map((xs) => `[${xs.join(',')}]`), kind: fc.constant('top-level array') }),
      // Deep nesting, inside a field or at the top.
      fc.record({
        pathValues: anyPath, headers: fc.constant(json),
        payload: fc.tuple(fc.integer({ min: 21, max: 5000 }), fc.constantFrom('[', '{"a":'), fc.constantFrom('reason', 'lines', 'terms', 'amount')).map(([n, open, field]) =>
          `{${JSON.stringify(field)}:${open.repeat(n)}1${(open === '[' ? ']' : '}').repeat(n)}}`),
        kind: fc.constant('deep'),
      }),
      // Too many elements in one array or keys in one object.
      fc.record({
        pathValues: anyPath, headers: fc.constant(json),
        payload: fc.tuple(fc.integer({ min: 1001, max: 8000 }), fc.constantFrom('{}', '1', '"x"', '{"description":"x","quantity":"1","unitPrice":"1","taxRate":"0"}'), fc.constantFrom('lines', 'invoiceIds', 'instalments', 'allocations', 'reason'))
          .map(([n, item, field]) => `{${JSON.stringify(field)}:[${Array(n).fill(item).join(',')}]}`),
        kind: fc.constant('many items'),
      }),
      // No body and no Content-Type, where the DTO requires fields.
      ...((body.required ?? []).length > 0 ? [fc.record({ pathValues: anyPath, headers: fc.constant({}), payload: fc.constant(null), kind: fc.constant('no body') })] : []),
      // Over the body limit: declared, or in a long string.
      fc.record({ pathValues: anyPath, headers: fc.constant(json), payload: fc.integer({ min: LIMIT + 1, max: 3 * LIMIT }).map((n) => `{"reason":"${'r'.repeat(n)}"}`), kind: fc.constant('too large') }),
      // Another media type, charset or coding.
      fc.record({
        pathValues: anyPath,
        headers: fc.constantFrom('application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=zz', 'application/xml', 'application/json-patch+json', 'application/vnd.api+json', 'application/*', 'json', ';', 'application/json, text/plain')
          .map((t) => ({ 'Content-Type': t })),
        payload: badBody, kind: fc.constant('media type'),
      }),
      fc.record({
        pathValues: anyPath,
        headers: fc.constantFrom('iso-8859-1', 'utf-16', 'utf-16le', 'utf-32', 'ascii', 'utf8x', '"utf-7"', '').map((c) => ({ 'Content-Type': `application/json; charset=${c}` })),
        payload: badBody, kind: fc.constant('charset'),
      }),
      fc.record({
        pathValues: anyPath,
        headers: fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'x-unknown', 'gzip, identity', 'identity, gzip').map((e) => ({ 'Content-Type': 'application/json', 'Content-Encoding': e })),
        payload: badBody, kind: fc.constant('content encoding'),
      }),
      // Bytes that are not UTF-8, NUL bytes, a UTF-16 body.
      fc.record({
        pathValues: anyPath, headers: fc.constant(json),
        payload: fc.tuple(badBody, fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.constantFrom('raw', 'utf16', 'prefix')).map(([t, bytes, how]) =>
          how === 'utf16' ? Buffer.from(t, 'utf16le') : how === 'prefix' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)]) : Buffer.concat([Buffer.from(t.slice(0, -1)), Buffer.from(bytes), Buffer.from('}')])),
        kind: fc.constant('bytes'),
      }),
    ];
    // Requests meant to reach the handlers carry well-formed headers; the others any.
    const headers = fc.oneof({ weight: 4, arbitrary: validHeaders }, { weight: 1, arbitrary: headerNoise });
    return fc.tuple(fc.oneof(...variants), headers, validHeaders).map(([v, any, valid]) => ({ route, ...v, headers: { ...(v.kind === 'missing entity' ? valid : any), ...v.headers } }));
  });
}

describe('HTTP fuzz: bad requests over every write route', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi(undefined, { AR_MAX_BODY_BYTES: String(LIMIT) });
    await h.app.listen(0, '127.0.0.1'); // one server for every request (supertest reuses a listening server)
    await h.http().post('/customers').send({ id: 'fz-c', name: 'Fuzz', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'fz-inv', customerId: 'fz-c', issueDate: '2026-01-01', lines: [line('100.00')] }).expect(201);
    await h.http().post('/payments').send({ id: 'fz-pay', customerId: 'fz-c', amount: '20.00', receivedOn: '2026-01-05', method: 'sepa' }).expect(201);
    await h.http().post('/invoices/fz-inv/disputes').send({ id: 'd-1', amount: '10.00', reason: 'Quantity' }).expect(201);
  }, 30_000);
  afterAll(async () => { await h.close(); });

  it(`answers ${RUNS} generated bad requests with 4xx error JSON, never a 5xx, writing nothing`, async () => {
    const doc = (await h.http().get('/docs-json').expect(200)).body;
    const routes = writeRoutes(doc);
    expect(routes.length).toBeGreaterThanOrEqual(24);
    // Every write route Express actually serves is in the document, so none escapes the fuzz.
    const express = h.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
    const served = express.router.stack.flatMap((l) => (l.route ? Object.keys(l.route.methods).filter((m) => ['post', 'put', 'patch', 'delete'].includes(m)).map((m) => `${m} ${l.route!.path.replace(/:(\w+)/g, '{$1}')}`) : []));
    expect(served.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    const head = await h.head();
    const byStatus = new Map<number, number>();
    const byKind = new Map<string, number>();
    const byRoute = new Map<string, number>();
    const byCode = new Map<string, number>();
    const started = Date.now();
    await fc.assert(fc.asyncProperty(generator(doc, routes), async (g) => {
      let path = g.route.path;
      g.route.params.forEach((p, i) => { path = path.replace(`{${p}}`, g.pathValues[i]); });
      let req = h.http()[g.route.method](path);
      for (const [k, v] of Object.entries(g.headers)) req = req.set(k, v);
      const res = g.payload === null ? await req : await req.send(g.payload);
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      byKind.set(g.kind, (byKind.get(g.kind) ?? 0) + 1);
      const route = `${g.route.method.toUpperCase()} ${g.route.path}`;
      byRoute.set(route, (byRoute.get(route) ?? 0) + 1);
      const body = res.body as Record<string, unknown>;
      byCode.set(String(body?.code), (byCode.get(String(body?.code)) ?? 0) + 1);
      if (process.env.FUZZ_DEBUG === g.kind || process.env.FUZZ_DEBUG === body?.code) console.log(res.status, res.text.slice(0, 200), path, String(g.payload).slice(0, 200));
      const ok = res.status >= 400 && res.status < 500 && /^application\/json/.test(String(res.headers['content-type']))
        && typeof body?.code === 'string' && typeof body.message === 'string' && typeof body.details === 'object' && body.details !== null
        && Object.keys(body).length === 3
        // A malformed request names what is wrong: the field, header or part of the request.
        && (![400, 413, 415].includes(res.status) || typeof (body.details as { field?: unknown }).field === 'string');
      if (!ok) throw new Error(`${route} → ${res.status} ${res.text.slice(0, 300)} (${g.kind}, path ${path}, headers ${JSON.stringify(g.headers)}, body ${String(g.payload).slice(0, 300)})`);
    }), { numRuns: RUNS, seed, endOnFailure: true });
    const seconds = (Date.now() - started) / 1000;
    const counts = (m: Map<string | number, number>) => [...m.entries()].sort((a, b) => String(a[0]).localeCompare(String(b[0]))).map(([k, n]) => `${k}: ${n}`).join(', ');
    console.log(`http fuzz (FC_SEED=${seed}): ${RUNS} requests over ${routes.length} write routes in ${seconds.toFixed(1)} s\n`
      + `  by status: ${counts(byStatus)}\n  by code: ${counts(byCode)}\n  by kind: ${counts(byKind)}\n  by route: ${counts(byRoute)}`);
    expect([...byStatus.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    expect(byRoute.size).toBe(routes.length);
    expect(await h.head()).toBe(head);
  }, 170_000);

  it(`answers ${READ_RUNS} generated odd reads (bad, repeated and unknown query parameters, odd paths) without a 5xx`, async () => {
    const doc = (await h.http().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>> };
    const reads = Object.entries(doc.paths).flatMap(([path, ops]) => (ops.get ? [{ path, params: (ops.get.parameters ?? []) }] : []));
    expect(reads.length).toBeGreaterThanOrEqual(15);
    const head = await h.head();
    const queryValue = fc.oneof(fc.constantFrom(...nastyStrings.filter((v) => v.length < 100), 'true', 'false', 'csv', 'fec', 'json', '2026-06-30', '100', '-5', '1e400'), fc.string({ maxLength: 12 }));
    const arb = fc.constantFrom(...reads).chain((r) => fc.record({
      read: fc.constant(r),
      pathValues: fc.tuple(...r.params.filter((p) => p.in === 'path').map(() => pathSegment)),
      query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...r.params.filter((p) => p.in === 'query').map((p) => p.name), 'unknown', 'asOf[]', 'asOf[x]'), fc.constantFrom('asOf')), queryValue), { maxLength: 4 }),
    }));
    const byStatus = new Map<number, number>();
    await fc.assert(fc.asyncProperty(arb, async ({ read, pathValues, query }) => {
      let path = read.path;
      read.params.filter((p) => p.in === 'path').forEach((p, i) => { path = path.replace(`{${p.name}}`, pathValues[i]); });
      const qs = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeQuery(v)}`).join('&');
      const res = await h.http().get(qs ? `${path}?${qs}` : path);
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      const body = res.body as Record<string, unknown>;
      const ok = res.status < 500 && (res.status < 400 || (typeof body?.code === 'string' && typeof body.message === 'string' && typeof body.details === 'object'));
      if (!ok) throw new Error(`GET ${path}?${qs} → ${res.status} ${res.text.slice(0, 300)}`);
    }), { numRuns: READ_RUNS, seed, endOnFailure: true });
    console.log(`http read fuzz (FC_SEED=${seed}): ${READ_RUNS} reads over ${reads.length} routes, by status: ${[...byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([k, n]) => `${k}: ${n}`).join(', ')}`);
    expect(await h.head()).toBe(head);
  }, 120_000);
});
