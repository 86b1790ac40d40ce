import { execSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { RequestMethod } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { IdempotencyGuard } from '../../apps/api/src/http/idempotency';
import { line, startApi, type Harness } from '../support/api-harness';

/** The hardened HTTP edge (issue 11, ADR 0043): every refusal in the error JSON, none a 500, none writing. */
const customer = (id: string) => ({ id, name: `Customer ${id}`, currency: 'EUR', creditLimit: '1000.00' });
const deep = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;

describe('hardened HTTP edge', () => {
  let h: Harness;
  beforeAll(async () => { h = await startApi(); });
  afterAll(async () => { await h.close(); });

  /** The answer is the error JSON with this status and code, and the log did not move. */
  async function refused(send: () => PromiseLike<{ status: number; body: unknown }>, status: number, code: string) {
    const head = await h.head();
    const res = await send();
    expect({ status: res.status, body: res.body }).toEqual({ status, body: { code, message: expect.any(String), details: expect.any(Object) } });
    expect(await h.head()).toBe(head);
    return res as { status: number; body: { code: string; message: string; details: Record<string, unknown> } };
  }

  describe('bodies', () => {
    it('refuses a body over 1 MB (the default AR_MAX_BODY_BYTES) with 413, by Content-Length and while streaming', async () => {
      const big = JSON.stringify({ ...customer('big'), name: 'x'.repeat(1_048_576) });
      const res = await refused(() => h.http().post('/customers').set('Content-Type', 'application/json').send(big), 413, 'PAYLOAD_TOO_LARGE');
      expect(res.body.details).toEqual({ field: 'body', limitBytes: 1_048_576 });
    });

    it('accepts a body just under the limit as far as validation (a 400 on the field, not a 413)', async () => {
      const body = JSON.stringify({ ...customer('nearly'), name: 'x'.repeat(1_000_000) });
      const res = await refused(() => h.http().post('/customers').set('Content-Type', 'application/json').send(body), 400, 'VALIDATION_FAILED');
      expect(res.body.details.field).toBe('name');
    });

    it('refuses form posts, text/plain and a body without a JSON media type with 415 (no urlencoded parser)', async () => {
      await refused(() => h.http().post('/customers').type('form').send('id=csrf&name=Evil&currency=EUR&creditLimit=1'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      await refused(() => h.http().post('/customers').set('Content-Type', 'text/plain').send(JSON.stringify(customer('plain'))), 415, 'UNSUPPORTED_MEDIA_TYPE');
      await refused(() => h.http().post('/customers').set('Content-Type', 'multipart/form-data; boundary=x').send('--x--'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      const res = await refused(() => h.http().post('/customers').set('Content-Type', 'application/xml').send('<customer/>'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(res.body.details).toEqual({ field: 'Content-Type', contentType: 'application/xml' });
    });

    it('refuses a charset other than UTF-8 and any Content-Encoding with 415', async () => {
      await refused(() => h.http().post('/customers').set('Content-Type', 'application/json; charset=iso-8859-1').send(JSON.stringify(customer('latin'))), 415, 'UNSUPPORTED_CHARSET');
      await refused(() => h.http().post('/customers').set('Content-Type', 'application/json; charset=utf-16').send(JSON.stringify(customer('u16'))), 415, 'UNSUPPORTED_CHARSET');
      const res = await refused(() => h.http().post('/customers').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send(JSON.stringify(customer('gz'))), 415, 'UNSUPPORTED_CONTENT_ENCODING');
      expect(res.body.details.field).toBe('Content-Encoding');
    });

    it('accepts application/json with charset=utf-8 (any case)', async () => {
      await h.http().post('/customers').set('Content-Type', 'Application/JSON; Charset="UTF-8"').send(JSON.stringify(customer('utf8'))).expect(201);
    });

    it('refuses JSON nested deeper than 20 levels with 400 JSON_TOO_DEEP; 20 levels reach validation', async () => {
      const res = await refused(() => h.http().post('/customers').set('Content-Type', 'application/json').send(deep(21)), 400, 'JSON_TOO_DEEP');
      expect(res.body.details).toEqual({ field: 'body', maxDepth: 20 });
      // 500,000 brackets: refused by the byte scan before JSON.parse or the validators recurse.
      await refused(() => h.http().post('/customers').set('Content-Type', 'application/json').send('['.repeat(500_000)), 400, 'JSON_TOO_DEEP');
      // Brackets inside strings (escaped quotes too) are not nesting: 60 × "[{" plus \" is a valid name.
      await h.http().post('/customers').set('Content-Type', 'application/json').send(JSON.stringify({ ...customer('brackets'), name: `\"${'[{'.repeat(60)}` })).expect(201);
      await refused(() => h.http().post('/customers').set('Content-Type', 'application/json').send(deep(20)), 400, 'VALIDATION_FAILED');
    });

    it('refuses more than 1,000 elements in one array (or keys in one object) with 400 JSON_TOO_MANY_ITEMS, before validation', async () => {
      // 150,000 empty lines (450 kB) once kept class-validator busy for seconds before ArrayMaxSize(500) refused them.
      const lines = `{"customerId":"r1","issueDate":"2026-01-01","lines":[${Array(150_000).fill('{}').join(',')}]}`;
      const started = Date.now();
      const res = await refused(() => h.http().post('/invoices').set('Content-Type', 'application/json').send(lines), 400, 'JSON_TOO_MANY_ITEMS');
      expect(Date.now() - started).toBeLessThan(2000);
      expect(res.body.details).toEqual({ field: 'body', maxItems: 1000 });
      const keys = `{${Array.from({ length: 1001 }, (_, i) => `"k${i}":1`).join(',')}}`;
      await refused(() => h.http().post('/customers').set('Content-Type', 'application/json').send(keys), 400, 'JSON_TOO_MANY_ITEMS');
    });

    it('refuses malformed JSON and a top-level scalar with 400 MALFORMED_JSON', async () => {
      await refused(() => h.http().post('/customers').set('Content-Type', 'application/json').send('{"id": "a",'), 400, 'MALFORMED_JSON');
      await refused(() => h.http().post('/customers').set('Content-Type', 'application/json').send('"just a string"'), 400, 'MALFORMED_JSON');
      await refused(() => h.http().put('/customers/acme/credit-limit').set('Content-Type', 'application/json').send('{"limit": NaN}'), 400, 'MALFORMED_JSON');
    });
  });

  describe('found by the fuzz test', () => {
    it('refuses __proto__, constructor and prototype as JSON keys like any unknown field (class-transformer skipped them)', async () => {
      const res = await refused(() => h.http().post('/credit-holds/policy-run').set('Content-Type', 'application/json').send('{"asOf":"2026-06-30","constructor":1.5}'), 400, 'VALIDATION_FAILED');
      expect(res.body.details).toEqual({ field: 'constructor', errors: [{ field: 'constructor', problems: ['property constructor should not exist'] }] });
      const nested = await refused(() => h.http().post('/invoices').set('Content-Type', 'application/json')
        .send(`{"customerId":"r1","issueDate":"2026-01-01","lines":[{"description":"x","quantity":"1","unitPrice":"1.00","taxRate":"0","__proto__":{"admin":true}}]}`), 400, 'VALIDATION_FAILED');
      expect(nested.body.details.field).toBe('lines[0].__proto__');
      await refused(() => h.http().put('/customers/r1/payment-terms').set('Content-Type', 'application/json').send('{"terms":{"prototype":{}},"reason":"x"}'), 400, 'VALIDATION_FAILED');
    });

    it('refuses a repeated query parameter with 400 QUERY_MALFORMED (it reached /reports/ecl as an array: a 500)', async () => {
      const res = await h.http().get('/reports/ecl?asOf=2026-06-30&rates=30&rates=60');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 'QUERY_MALFORMED', message: expect.stringContaining('"rates"'), details: { field: 'rates' } });
      await h.http().get('/reports/ecl?asOf=2026-06-30').expect(200);
    });

    it('answers a path segment that is not valid percent-encoding with 400 PATH_MALFORMED', async () => {
      const res = await refused(() => h.http().post('/invoices/%ZZ/approve').send({ reason: 'ok' }), 400, 'PATH_MALFORMED');
      expect(res.body.details).toEqual({ field: 'path' });
    });
  });

  describe('headers', () => {
    it('sends helmet’s security headers and no X-Powered-By, on answers and on errors', async () => {
      for (const res of [await h.http().get('/projections'), await h.http().get('/nowhere'), await h.http().get('/docs')]) {
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('sends every helmet header to a document (a navigation, /docs, /app), and to other answers those that protect a non-document (ADR 0098)', async () => {
      const documentOnly = ['cross-origin-opener-policy', 'origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-xss-protection'];
      const always = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'cross-origin-resource-policy': 'same-origin', 'x-permitted-cross-domain-policies': 'none' };
      const navigation = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
      const documents = [await h.http().get('/projections').set('Accept', navigation), await h.http().get('/docs'), await h.http().get('/docs-json'), await h.http().get('/app/'), await h.http().get('/nowhere').set('Accept', navigation)];
      for (const res of documents) {
        expect(res.headers).toMatchObject(always);
        expect(res.headers['strict-transport-security']).toContain('max-age=');
        for (const name of documentOnly) expect(res.headers[name]).toBeDefined();
        expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      }
      for (const res of [await h.http().get('/projections'), await h.http().get('/nowhere'), await h.http().post('/customers').send(customer('hdr-1')), await h.http().get('/customers/hdr-1/balance').set('Accept', 'application/json')]) {
        expect(res.headers).toMatchObject(always);
        expect(res.headers['strict-transport-security']).toContain('max-age=');
        for (const name of documentOnly) expect(res.headers[name]).toBeUndefined();
        expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      }
    });

    it('computes no ETag of JSON answers: a read is always answered in full, with its consistency header (ADR 0094)', async () => {
      const first = await h.http().get('/projections').expect(200);
      expect(first.headers.etag).toBeUndefined();
      // A client that sends a validator anyway gets the whole answer, never a 304 without the read-model headers.
      const again = await h.http().get('/projections').set('If-None-Match', 'W/"anything"').expect(200);
      expect(again.text.length).toBeGreaterThan(2);
      expect(Object.keys(again.body)).toEqual(Object.keys(first.body));
    });
  });

  describe('CORS closed by default', () => {
    it('answers a preflight without Access-Control-Allow-Origin', async () => {
      const res = await h.http().options('/customers').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.status).toBeLessThan(500);
    });

    it('refuses a write sent from another site’s page with 403 ORIGIN_NOT_ALLOWED, writing nothing', async () => {
      const res = await refused(() => h.http().post('/customers').set('Origin', 'https://evil.example').send(customer('cors1')), 403, 'ORIGIN_NOT_ALLOWED');
      expect(res.body.details.field).toBe('Origin');
      await h.http().get('/customers/cors1/balance').expect(404);
    });

    it('lets a page served by this host write (its Origin is this host), and reads are not origin-checked', async () => {
      const host = '127.0.0.1:3000';
      await h.http().post('/customers').set('Host', host).set('Origin', `http://${host}`).send(customer('same-origin')).expect(201);
      await h.http().get('/projections').set('Origin', 'https://evil.example').expect(200);
    });
  });

  describe('Idempotency-Key reused for another request', () => {
    it('is checked on every write route of every controller, by @ApiCommand, and on no read route (ADR 0094, 0098)', () => {
      const writes: string[] = [];
      const unguarded: string[] = [];
      const reads: string[] = [];
      for (const mod of h.app.get(ModulesContainer).values()) {
        for (const wrapper of mod.controllers.values()) {
          const proto = (wrapper.metatype as { prototype?: Record<string, unknown> } | null)?.prototype;
          if (!proto) continue;
          for (const name of Object.getOwnPropertyNames(proto)) {
            const handler = Object.getOwnPropertyDescriptor(proto, name)?.value as unknown;
            if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
            const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
            const guards = (Reflect.getMetadata(GUARDS_METADATA, handler) ?? []) as unknown[];
            const route = `${RequestMethod[method]} ${(wrapper.metatype as { name: string }).name}.${name}`;
            const write = [RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE].includes(method);
            if (write) writes.push(route);
            if (write && !guards.includes(IdempotencyGuard)) unguarded.push(route);
            if (!write && guards.includes(IdempotencyGuard)) reads.push(route);
          }
        }
      }
      expect(writes.length).toBeGreaterThan(30);
      expect(unguarded).toEqual([]);
      expect(reads).toEqual([]);
    });

    it('refuses another body under a used key with 422 IDEMPOTENCY_KEY_REUSED, writing nothing', async () => {
      await h.http().post('/customers').set('Idempotency-Key', 'reuse-1').send(customer('r1')).expect(201);
      const res = await refused(() => h.http().post('/customers').set('Idempotency-Key', 'reuse-1').send({ ...customer('r1'), creditLimit: '9000.00' }), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(res.body.details).toEqual({ field: 'Idempotency-Key', firstRequest: { method: 'POST', path: '/customers', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } });
      // Another entity in the body under the same key is another request too (ADR 0008 treated it as a new command).
      await refused(() => h.http().post('/customers').set('Idempotency-Key', 'reuse-1').send(customer('r1-other')), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect((await h.http().get('/customers/r1/credit').expect(200)).body.creditLimit).toBe('1000.00');
      await h.http().get('/customers/r1-other/balance').expect(404);
    });

    it('refuses the key on another path or method', async () => {
      await h.http().put('/customers/r1/credit-limit').set('Idempotency-Key', 'reuse-2').send({ amount: '1500.00', reason: 'Review' }).expect(200);
      await refused(() => h.http().put('/customers/utf8/credit-limit').set('Idempotency-Key', 'reuse-2').send({ amount: '1500.00', reason: 'Review' }), 422, 'IDEMPOTENCY_KEY_REUSED');
      await refused(() => h.http().post('/invoices').set('Idempotency-Key', 'reuse-2').send({ customerId: 'r1', issueDate: '2026-01-01', lines: [line('10.00')] }), 422, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('replays the same request, whatever the order of its keys, with Idempotent-Replayed', async () => {
      const body = { customerId: 'r1', issueDate: '2026-01-01', lines: [line('10.00')] };
      const first = await h.http().post('/invoices').set('Idempotency-Key', 'reuse-3').send(body).expect(201);
      const head = await h.head();
      const reordered = { lines: [{ taxRate: '0.20', unitPrice: '10.00', quantity: '1', description: 'Service' }], issueDate: '2026-01-01', customerId: 'r1' };
      const again = await h.http().post('/invoices').set('Idempotency-Key', 'reuse-3').send(reordered).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(first.body.id);
      expect(await h.head()).toBe(head);
    });

    it('leaves the key free when its first request was refused (nothing was written)', async () => {
      await refused(() => h.http().post('/customers').set('Idempotency-Key', 'reuse-4').send({ ...customer('r4'), creditLimit: '-1' }), 400, 'VALIDATION_FAILED');
      await refused(() => h.http().post('/customers').set('Idempotency-Key', 'reuse-4').send(customer('r1')), 409, 'CUSTOMER_ALREADY_EXISTS');
      await h.http().post('/customers').set('Idempotency-Key', 'reuse-4').send(customer('r4')).expect(201);
      await refused(() => h.http().post('/customers').set('Idempotency-Key', 'reuse-4').send(customer('r4b')), 422, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('keeps the binding across a restart', async () => {
      await h.restart();
      await refused(() => h.http().post('/customers').set('Idempotency-Key', 'reuse-1').send(customer('after-restart')), 422, 'IDEMPOTENCY_KEY_REUSED');
      const again = await h.http().post('/customers').set('Idempotency-Key', 'reuse-1').send(customer('r1')).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
    });

    it('of concurrent first uses with different bodies, exactly one is applied', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) =>
        h.http().put('/customers/r4/credit-limit').set('Idempotency-Key', 'reuse-5').send({ amount: `${2000 + i}.00`, reason: 'Review' })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status !== 200).every((r) => r.status === 422 && r.body.code === 'IDEMPOTENCY_KEY_REUSED')).toBe(true);
      const winner = results.findIndex((r) => r.status === 200);
      expect((await h.http().get('/customers/r4/credit').expect(200)).body.creditLimit).toBe(`${2000 + winner}.00`);
    });
  });
});

describe('Idempotency-Key reuse against a model (property)', () => {
  const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
  console.log(`idempotency reuse property seed: FC_SEED=${seed}`);
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    for (const id of ['m1', 'm2']) await h.http().post('/customers').send(customer(id)).expect(201);
  });
  afterAll(async () => { await h.close(); });

  it('a key is bound to the first request that succeeds with it: another request under it is 422, a refused one leaves it free', async () => {
    let run = 0;
    const request = fc.record({
      key: fc.constantFrom('a', 'b', 'c'),
      customer: fc.constantFrom('m1', 'm2'),
      amount: fc.constantFrom('100.00', '200.00', 'not-an-amount'),
    });
    await fc.assert(fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 25 }), async (requests) => {
      run++;
      const bound = new Map<string, string>(); // the model: key → the request it is bound to
      for (const r of requests) {
        const key = `prop-${run}-${r.key}`;
        const identity = `${r.customer}|${r.amount}`;
        const valid = r.amount !== 'not-an-amount';
        const expected = bound.has(key) && bound.get(key) !== identity ? 422 : valid ? 200 : 400;
        const res = await h.http().put(`/customers/${r.customer}/credit-limit`).set('Idempotency-Key', key).send({ amount: r.amount, reason: 'Review' });
        expect({ request: r, status: res.status, code: res.body.code }).toEqual({
          request: r, status: expected, code: expected === 422 ? 'IDEMPOTENCY_KEY_REUSED' : expected === 400 ? 'VALIDATION_FAILED' : undefined,
        });
        if (expected === 200 && !bound.has(key)) bound.set(key, identity);
      }
    }), { numRuns: 30, seed });
  }, 60_000);
});

describe('CORS with AR_CORS_ORIGINS', () => {
  let h: Harness;
  beforeAll(async () => { h = await startApi(undefined, { AR_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }); });
  afterAll(async () => { await h.close(); });

  it('answers a listed origin’s preflight with the headers a client needs', async () => {
    const res = await h.http().options('/invoices').set('Origin', 'https://app.example.com').set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'content-type,idempotency-key');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(res.headers['access-control-allow-headers']).toContain('Idempotency-Key');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
  });

  it('lets a listed origin write and read the consistency headers; refuses an unlisted one', async () => {
    const ok = await h.http().post('/customers').set('Origin', 'http://localhost:5173').send(customer('cors-ok')).expect(201);
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const read = await h.http().get('/customers/cors-ok/balance').set('Origin', 'http://localhost:5173').expect(200);
    expect(read.headers['access-control-expose-headers']).toContain('X-Read-Model-Consistency');
    const head = await h.head();
    const res = await h.http().post('/customers').set('Origin', 'https://evil.example').send(customer('cors-no'));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(await h.head()).toBe(head);
  });
});

describe('a smaller AR_MAX_BODY_BYTES', () => {
  it('is the limit of the 413', async () => {
    const h = await startApi(undefined, { AR_MAX_BODY_BYTES: '2048' });
    try {
      const res = await h.http().post('/customers').send({ ...customer('small'), name: 'x'.repeat(3000) });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('2048'), details: { field: 'body', limitBytes: 2048 } });
      await h.http().post('/customers').send(customer('small')).expect(201);
    } finally {
      await h.close();
    }
  });
});

describe('data directory permissions', () => {
  const modes = (dir: string): Record<string, string> => {
    const out: Record<string, string> = { '.': (statSync(dir).mode & 0o777).toString(8) };
    const walk = (d: string, prefix: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        out[`${prefix}${e.name}`] = (statSync(p).mode & 0o777).toString(8);
        if (e.isDirectory()) walk(p, `${prefix}${e.name}/`);
      }
    };
    walk(dir, '');
    return out;
  };

  it('creates the data directory 0700 and every file in it 0600 (SQLite with -wal/-shm, fingerprints, outbox)', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ar-perm-')), 'data');
    const h = await startApi(dataDir);
    try {
      await h.http().post('/customers').set('Idempotency-Key', 'perm-1').send({ ...customer('perm'), billingEmails: ['billing@perm.example'] }).expect(201);
      await h.http().post('/invoices').send({ id: 'perm-inv', customerId: 'perm', issueDate: '2026-01-01', lines: [line('100.00')] }).expect(201);
      await h.http().post('/dunning/runs').send({ asOf: '2026-06-30' }).expect(201);
      const seen = modes(dataDir);
      expect(seen['.']).toBe('700');
      expect(Object.keys(seen)).toEqual(expect.arrayContaining(['events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm', 'read-models.sqlite', 'idempotency.sqlite', 'data-keys.sqlite', 'outbox']));
      expect(Object.keys(seen).some((k) => k.startsWith('outbox/') && k.endsWith('.json'))).toBe(true);
      for (const [path, mode] of Object.entries(seen)) {
        expect({ path, mode }).toEqual({ path, mode: path === '.' || path === 'outbox' ? '700' : '600' });
      }
    } finally {
      await h.close();
    }
  });

  it('tightens a data directory left open (0755, a 0644 file) on start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ar-perm-'));
    chmodSync(dataDir, 0o755);
    mkdirSync(join(dataDir, 'outbox'), { mode: 0o755 });
    writeFileSync(join(dataDir, 'outbox', 'old.json'), '{}', { mode: 0o644 });
    chmodSync(join(dataDir, 'outbox', 'old.json'), 0o644);
    const h = await startApi(dataDir);
    try {
      expect(modes(dataDir)).toMatchObject({ '.': '700', outbox: '700', 'outbox/old.json': '600', 'events.sqlite': '600' });
    } finally {
      await h.close();
    }
  });
});

describe('listen address', () => {
  const ROOT = join(__dirname, '..', '..');
  const MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
  const freePort = () => new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

  beforeAll(() => {
    if (!existsSync(MAIN)) execSync('npx tsc -p tsconfig.build.json', { cwd: ROOT, stdio: 'inherit' });
  }, 120_000);

  it('is 127.0.0.1 unless AR_HOST says otherwise', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ar-host-'));
    const port = await freePort();
    const env = { ...process.env, AR_DATA_DIR: dataDir, PORT: String(port), AR_HOST: '' };
    const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const banner = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('API did not start in 30 s')), 30_000);
        child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('listening')) { clearTimeout(timer); resolve(d.toString()); } });
        child.on('exit', (code) => reject(new Error(`API exited with ${code}`)));
      });
      expect(banner).toContain(`listening on http://127.0.0.1:${port}`);
      expect((await fetch(`http://127.0.0.1:${port}/projections`)).status).toBeLessThan(500);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
