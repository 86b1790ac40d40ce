import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startApi, type Harness } from '../support/api-harness';
import EXAMPLES from '../../apps/api/src/http/openapi-examples.json';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ROOT = resolve(__dirname, '../..');
const WRITES = new Set(['post', 'put', 'patch', 'delete']);
const CONTRACT_HEADERS: Record<string, string> = { 'x-log-position': 'X-Log-Position', 'x-read-model-consistency': 'X-Read-Model-Consistency', 'idempotent-replayed': 'Idempotent-Replayed' };

/**
 * The OpenAPI contract is complete (ADR 0070): every operation of /docs-json declares its response schema,
 * its error responses with their codes, the headers it reads and writes, its security and examples. Generic:
 * it walks every operation, whoever added it.
 */
describe('OpenAPI contract', () => {
  let h: Harness;
  let doc: Json;
  const operations: Array<{ key: string; method: string; path: string; op: Json }> = [];
  beforeAll(async () => {
    h = await startApi();
    doc = (await h.anonymous().get('/docs-json').expect(200)).body;
    for (const [path, ops] of Object.entries(doc.paths as Json)) {
      for (const [method, op] of Object.entries(ops as Json)) operations.push({ key: `${method.toUpperCase()} ${path}`, method, path, op: op as Json });
    }
  });
  afterAll(async () => { await h.close(); });

  const problemsOf = (o: { key: string; method: string; op: Json }): string[] => {
    const problems: string[] = [];
    const { op, method } = o;
    const responses = (op.responses ?? {}) as Json;
    const success = Object.entries(responses).filter(([s]) => /^2\d\d$/.test(s));
    if (success.length === 0) problems.push('no success response');
    for (const [status, r] of success) {
      const content = (r.content ?? {}) as Json;
      const media = Object.values(content) as Json[];
      if (media.length === 0 || !media.every((m) => m.schema)) problems.push(`${status}: no response schema`);
    }
    if (!success.some(([, r]) => Object.values((r.content ?? {}) as Json).some((m: Json) => m.example !== undefined))) problems.push('no example');
    const permission = op['x-permission'];
    if (permission === undefined) problems.push('no x-permission');
    if (permission !== 'public') {
      const schemes = Object.keys(doc.components?.securitySchemes ?? {});
      const declared = (op.security ?? doc.security ?? []) as Json[];
      if (declared.length === 0 || !declared.every((s) => Object.keys(s).every((name) => schemes.includes(name)))) problems.push('no security scheme');
      for (const s of ['401', '403']) if (!responses[s]) problems.push(`no ${s} response`);
    }
    const errors = Object.entries(responses).filter(([s]) => Number(s) >= 400);
    if (!errors.some(([s]) => s.startsWith('4'))) problems.push('no client error response');
    if (!responses['503']) problems.push('no 503 response');
    for (const [status, r] of errors) {
      const json = r.content?.['application/json'];
      if (json?.schema?.$ref !== '#/components/schemas/Error') problems.push(`${status}: not the Error schema`);
      if (!Array.isArray(r['x-error-codes']) || r['x-error-codes'].length === 0) problems.push(`${status}: no error codes`);
      else if (Object.keys(json?.examples ?? {}).join() !== r['x-error-codes'].join()) problems.push(`${status}: no example per code`);
    }
    const headerParams = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'header').map((p) => p.name);
    const written = new Set(success.flatMap(([, r]) => Object.keys(r.headers ?? {})));
    if (WRITES.has(method)) {
      if (!headerParams.includes('Idempotency-Key')) problems.push('write without the Idempotency-Key header');
      if (!written.has('Idempotent-Replayed')) problems.push('write without the Idempotent-Replayed response header');
      if (op.requestBody && !Object.values((op.requestBody.content ?? {}) as Json).some((m: Json) => m.example !== undefined)) problems.push('request body without an example');
    }
    // What the operation was seen writing in the captured run must be declared, and what it declares must have been seen.
    const seen = ((EXAMPLES as Json)[o.key]?.headers ?? []) as string[];
    for (const hname of seen) if (!written.has(CONTRACT_HEADERS[hname])) problems.push(`writes ${CONTRACT_HEADERS[hname]} undeclared`);
    if ((EXAMPLES as Json)[o.key]) {
      for (const hname of ['X-Log-Position', 'X-Read-Model-Consistency']) if (written.has(hname) && !seen.includes(hname.toLowerCase())) problems.push(`declares ${hname}, not written`);
    }
    for (const p of (op.parameters ?? []) as Json[]) if (!p.schema) problems.push(`parameter ${p.name} without a schema`);
    return problems;
  };

  it('every operation declares response schemas, errors with codes, headers, security and examples', () => {
    expect(operations.length).toBeGreaterThan(60);
    const incomplete = Object.fromEntries(operations.map((o) => [o.key, problemsOf(o)]).filter(([, p]) => p.length > 0));
    expect(incomplete).toEqual({});
  });

  it('the check itself fails on an incomplete operation', () => {
    // A bare operation (what a route without @ApiCommand/@ApiRead gets) is reported on every count.
    const bare = { key: 'POST /nowhere', method: 'post', path: '/nowhere', op: { responses: { 401: {}, 403: {} }, requestBody: { content: { 'application/json': {} } } } };
    expect(problemsOf(bare)).toEqual(expect.arrayContaining(['no success response', 'no x-permission', 'no security scheme', 'no 503 response', '401: not the Error schema', 'write without the Idempotency-Key header', 'request body without an example']));
  });

  it('the examples answer real operations only (none left over from a removed route)', () => {
    const keys = new Set(operations.map((o) => o.key));
    expect(Object.keys(EXAMPLES).filter((k) => !keys.has(k))).toEqual([]);
  });

  it('declares the bearer scheme of docs/security.md and the Error schema', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.Error).toMatchObject({ required: ['code', 'message', 'details'] });
  });

  it('generates a typed client with openapi-typescript that compiles, and whose types follow the answers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ar-openapi-client-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
      const gen = spawnSync(process.execPath, [join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), join(dir, 'openapi.json'), '-o', join(dir, 'api.d.ts')], { encoding: 'utf8' });
      expect(gen.stderr + gen.stdout).not.toMatch(/error/i);
      expect(gen.status).toBe(0);
      expect(readFileSync(join(dir, 'api.d.ts'), 'utf8')).toContain('"/invoices/{id}"');
      // A client using the generated types: a typo or a wrong type must not compile (checked below).
      writeFileSync(join(dir, 'use.ts'), `import type { paths, components } from './api';
type Json<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R } ? R : never;
type InvoicePage = Json<'/invoices', 'get'> extends { 200: { content: { 'application/json': infer B } } } ? B : never;
const page: InvoicePage = { items: [], next: null, total: 0 };
const total: string | undefined = page.items[0]?.total;
type Invoice = Json<'/invoices/{id}', 'get'> extends { 200: { content: { 'application/json': infer B } } } ? B : never;
const outstanding: (i: Invoice) => string = (i) => i.outstanding;
const error: components['schemas']['Error'] = { code: 'INVOICE_NOT_FOUND', message: 'x', details: {} };
export { page, total, outstanding, error };
`);
      writeFileSync(join(dir, 'wrong.ts'), `import type { paths } from './api';
type Invoice = paths['/invoices/{id}']['get']['responses'][200]['content']['application/json'];
export const n: (i: Invoice) => number = (i) => i.outstanding;
`);
      const tsc = (file: string) => spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--moduleResolution', 'node', join(dir, file)], { encoding: 'utf8' });
      const ok = tsc('use.ts');
      expect(ok.stdout + ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      const wrong = tsc('wrong.ts');
      expect(wrong.stdout).toMatch(/Type 'string' is not assignable to type 'number'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('docs/api.md lists exactly the operations of the OpenAPI document', () => {
    const md = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
    const table = md.slice(md.indexOf('## Endpoints'), md.indexOf('\n### ', md.indexOf('## Endpoints')));
    const documented = new Set([...table.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) ([^`]+)` \|/gm)].map((m) => `${m[1]} ${m[2].replace(/:(\w+)/g, '{$1}')}`));
    const served = new Set(operations.map((o) => o.key));
    expect({ undocumented: [...served].filter((k) => !documented.has(k)).sort(), notServed: [...documented].filter((k) => !served.has(k)).sort() })
      .toEqual({ undocumented: [], notServed: [] });
  });
});
