import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port';
import { ADMIN_KEY, line, startApi, type Harness, type TestKey } from '../support/api-harness';

/** Issue 11 (part A): authentication, roles, the principal as actor, four eyes by identity, keys as security facts. */
describe('identity and access over HTTP', () => {
  let h: Harness;
  let clerk: TestKey;
  let auditor: TestKey;
  beforeAll(async () => {
    h = await startApi();
    clerk = await h.createKey('clerk', 'clerk.anna');
    auditor = await h.createKey('auditor', 'auditor.max');
    await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '1000.00', creditPolicy: 'hold_for_approval' }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  /** The refusal's status and code, and nothing appended. */
  const refused = async (send: () => PromiseLike<{ status: number; body: { code: string; details: Record<string, unknown> } }>, status: number, code: string) => {
    const head = await h.head();
    const res = await send();
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(await h.head()).toBe(head);
    return res as unknown as { status: number; headers: Record<string, string>; body: { code: string; message: string; details: Record<string, unknown> } };
  };
  const customer = (id: string) => ({ id, name: `Customer ${id}`, currency: 'EUR', creditLimit: '100.00' });
  const history = async (customerId: string) => (await h.http().get(`/customers/${customerId}/history`).expect(200)).body.events as Array<{ type: string; metadata: Record<string, unknown>; data: Record<string, unknown> }>;

  it('refuses anonymous, malformed and unknown credentials with 401 UNAUTHENTICATED, writing nothing', async () => {
    const anon = await refused(() => h.anonymous().post('/customers').send(customer('anon')), 401, 'UNAUTHENTICATED');
    expect(anon.body.details).toEqual({ field: 'Authorization', reason: 'missing' });
    expect(anon.headers['www-authenticate']).toBe('Bearer');
    await refused(() => h.anonymous().get('/customers/acme/balance'), 401, 'UNAUTHENTICATED');
    const basic = await refused(() => h.anonymous().get('/customers/acme/balance').set('Authorization', 'Basic YWRtaW46YWRtaW4='), 401, 'UNAUTHENTICATED');
    expect(basic.body.details.reason).toBe('malformed');
    const unknown = await refused(() => h.as(`ark_${'x'.repeat(43)}`).post('/customers').send(customer('u')), 401, 'UNAUTHENTICATED');
    expect(unknown.body.details.reason).toBe('unknown');
    // Without OIDC configured, a JWT is just an unknown credential.
    expect((await h.as('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln').get('/customers/acme/balance').expect(401)).body.details.reason).toBe('unknown');
    // A test's own Authorization replaces the harness's default admin key.
    expect((await h.http().get('/customers/acme/balance').set('Authorization', `Bearer ark_${'y'.repeat(43)}`).expect(401)).body.details.reason).toBe('unknown');
    // Health and the OpenAPI document stay open.
    await h.anonymous().get('/docs-json').expect(200);
  });

  it('refuses a role without the route permission with 403 FORBIDDEN, writing nothing', async () => {
    const r = await refused(() => h.as(auditor.key).post('/customers').send(customer('by-auditor')), 403, 'FORBIDDEN');
    expect(r.body.details).toEqual({ permission: 'customers:write', roles: ['auditor'] });
    // A clerk issues invoices but reads no full history and manages no keys.
    await refused(() => h.as(clerk.key).get('/customers/acme/history'), 403, 'FORBIDDEN');
    await refused(() => h.as(clerk.key).post('/admin/api-keys').send({ name: 'mine', role: 'admin' }), 403, 'FORBIDDEN');
    await refused(() => h.as(clerk.key).put('/customers/acme/credit-limit').send({ amount: '9999.00', reason: 'x' }), 403, 'FORBIDDEN');
    // The auditor reads every history and the journal; the clerk writes.
    await h.as(auditor.key).get('/customers/acme/history?verify=true').expect(200);
    await h.as(auditor.key).get('/exports/journal?format=csv').expect(200);
    await h.as(clerk.key).post('/customers').send(customer('by-clerk')).expect(201);
  });

  it('creates keys shown once and stored as a hash, lists them without the key, revokes them at once', async () => {
    const created = await h.http().post('/admin/api-keys').send({ name: 'billing-app', role: 'clerk' }).expect(201);
    expect(created.body).toMatchObject({ id: expect.any(String), name: 'billing-app', role: 'clerk', key: expect.stringMatching(/^ark_[A-Za-z0-9_-]{43}$/) });
    const key: string = created.body.key;
    await h.as(key).post('/customers').send(customer('via-billing')).expect(201);

    const list = await h.http().get('/admin/api-keys').expect(200);
    const listed = list.body.keys.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toMatchObject({ name: 'billing-app', role: 'clerk', createdBy: 'bootstrap-admin', revokedAt: null, lastUsedAt: expect.any(String) });
    const hash = createHash('sha256').update(key).digest('hex');
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(JSON.stringify(list.body)).not.toContain(hash);
    // The key file holds the hash, never the key.
    const db = new Database(join(h.dataDir, 'api-keys.sqlite'), { readonly: true });
    expect(db.prepare('SELECT hash FROM api_keys WHERE id = ?').get(created.body.id)).toEqual({ hash });
    db.close();
    expect(readFileSync(join(h.dataDir, 'api-keys.sqlite')).includes(key)).toBe(false);

    // A duplicate active name and an unknown role are refused.
    await refused(() => h.http().post('/admin/api-keys').send({ name: 'billing-app', role: 'clerk' }), 409, 'KEY_NAME_TAKEN');
    expect((await refused(() => h.http().post('/admin/api-keys').send({ name: 'x', role: 'boss' }), 400, 'VALIDATION_FAILED')).body.details.field).toBe('role');
    // "anonymous" is not an actor anyone may become (it used to be the default actor).
    await refused(() => h.http().post('/admin/api-keys').send({ name: 'anonymous', role: 'credit_manager' }), 400, 'KEY_NAME_RESERVED');

    await h.http().delete(`/admin/api-keys/${created.body.id}`).expect(200).expect((r) => expect(r.body.revokedAt).toEqual(expect.any(String)));
    const revoked = await refused(() => h.as(key).post('/customers').send(customer('after-revoke')), 401, 'UNAUTHENTICATED');
    expect(revoked.body.details.reason).toBe('revoked');
    // Revoking again records nothing; an unknown id is 404.
    const head = await h.head();
    await h.http().delete(`/admin/api-keys/${created.body.id}`).expect(200);
    expect(await h.head()).toBe(head);
    await refused(() => h.http().delete('/admin/api-keys/nope'), 404, 'API_KEY_NOT_FOUND');

    // The security facts are in the log (stream apikey-<id>), readable by an auditor, without the key or its hash.
    const events = await h.app.get<EventStore>(EVENT_STORE).readStream(`apikey-${created.body.id}`);
    expect(events.map((e) => [e.type, e.metadata.actor, e.data])).toEqual([
      ['ApiKeyCreated', 'bootstrap-admin', { keyId: created.body.id, name: 'billing-app', role: 'clerk', actOnBehalf: false, via: 'http' }],
      ['ApiKeyRevoked', 'bootstrap-admin', { keyId: created.body.id, name: 'billing-app', via: 'http' }],
    ]);
    expect(JSON.stringify(events)).not.toContain(key);
    expect(JSON.stringify(events)).not.toContain(hash);
    // An auditor reads them over HTTP; a clerk may not.
    const audit = await h.as(auditor.key).get('/security/events').expect(200);
    expect(audit.body.events.filter((e: { data: { keyId: string } }) => e.data.keyId === created.body.id).map((e: { type: string }) => e.type)).toEqual(['ApiKeyCreated', 'ApiKeyRevoked']);
    expect(audit.body.events[0]).toMatchObject({ type: 'ApiKeyCreated', data: { name: 'bootstrap-admin', role: 'admin', via: 'bootstrap' }, metadata: { actor: 'system:api' } });
    expect(JSON.stringify(audit.body)).not.toContain(hash);
    await refused(() => h.as(clerk.key).get('/security/events'), 403, 'FORBIDDEN');
  });

  it('records the principal as actor and ignores a spoofed X-Actor', async () => {
    await h.as(clerk.key).post('/customers').set('X-Actor', 'cfo').send(customer('spoof')).expect(201);
    const [registered] = await history('spoof');
    expect(registered.metadata).toMatchObject({ actor: 'clerk.anna', actorId: `key:${clerk.id}` });
    expect(registered.metadata).not.toHaveProperty('onBehalfOf');
    expect(JSON.stringify(registered)).not.toContain('cfo');
  });

  it('honours X-Actor for a key with act_on_behalf, recording both the service and the user', async () => {
    const portal = await h.createKey('clerk', 'customer-portal', { actOnBehalf: true });
    await h.as(portal.key).post('/customers').set('X-Actor', 'jane.doe').send(customer('portal')).expect(201);
    await h.as(portal.key).post('/customers').send(customer('portal-self')).expect(201);
    expect((await history('portal'))[0].metadata).toMatchObject({ actor: 'customer-portal', actorId: `key:${portal.id}`, onBehalfOf: 'jane.doe' });
    expect((await history('portal-self'))[0].metadata).not.toHaveProperty('onBehalfOf');
    // act_on_behalf is a grant on the key, never a role's: the admin key's X-Actor is ignored too.
    await h.http().post('/customers').set('X-Actor', 'jane.doe').send(customer('admin-spoof')).expect(201);
    expect((await history('admin-spoof'))[0].metadata).toMatchObject({ actor: 'bootstrap-admin' });
    expect((await history('admin-spoof'))[0].metadata).not.toHaveProperty('onBehalfOf');
  });

  it('four eyes by identity: whoever submitted a held invoice cannot approve it, whatever their role', async () => {
    const second = await h.createKey('admin', 'admin.two');
    // Limit 1000.00; 1200.00 is over it: held for approval (policy hold_for_approval), submitted by the bootstrap admin.
    await h.http().post('/invoices').send({ id: 'held-1', customerId: 'acme', issueDate: '2026-03-01', lines: [line('1000.00')] }).expect(201)
      .expect((r) => expect(r.body.status).toBe('pending_approval'));
    const self = await refused(() => h.http().post('/invoices/held-1/approve').send({ reason: 'mine' }), 422, 'APPROVER_IS_SUBMITTER');
    expect(self.body.details).toMatchObject({ submittedBy: 'bootstrap-admin' });
    // X-Actor cannot launder it: the admin key has no act_on_behalf.
    await refused(() => h.http().post('/invoices/held-1/approve').set('X-Actor', 'someone.else').send({ reason: 'mine' }), 422, 'APPROVER_IS_SUBMITTER');
    const approved = await h.as(second.key).post('/invoices/held-1/approve').send({ reason: 'Checked' }).expect(200);
    expect(approved.body.creditDecision.review).toMatchObject({ submittedBy: 'bootstrap-admin', approvedBy: 'admin.two' });

    // A service submitting for jane.doe: jane's own credit-manager key cannot approve, another person's can.
    const portal = await h.createKey('clerk', 'portal-2', { actOnBehalf: true });
    const jane = await h.createKey('credit_manager', 'jane.doe');
    const bob = await h.createKey('credit_manager', 'bob.roe');
    await h.as(portal.key).post('/invoices').set('X-Actor', 'jane.doe').send({ id: 'held-2', customerId: 'acme', issueDate: '2026-03-02', lines: [line('900.00')] }).expect(201)
      .expect((r) => expect(r.body.status).toBe('pending_approval'));
    await refused(() => h.as(jane.key).post('/invoices/held-2/approve').send({ reason: 'ok' }), 422, 'APPROVER_IS_SUBMITTER');
    await h.as(bob.key).post('/invoices/held-2/approve').send({ reason: 'ok' }).expect(200);
  });

  it('scopes Idempotency-Key to the principal: the same key from two principals is two commands', async () => {
    const other = await h.createKey('clerk', 'clerk.other');
    const send = (key: string) => h.as(key).post('/customers').set('Idempotency-Key', 'same-key').send({ name: 'Keyed', currency: 'EUR', creditLimit: '1.00' });
    const a1 = await send(clerk.key).expect(201);
    const a2 = await send(clerk.key).expect(201);
    expect(a2.headers['idempotent-replayed']).toBe('true');
    expect(a2.body.id).toBe(a1.body.id);
    const b = await send(other.key).expect(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.body.id).not.toBe(a1.body.id);
  });
});

describe('failed authentications are rate-limited per address and per credential', () => {
  let h: Harness;
  beforeAll(async () => { h = await startApi(undefined, { AR_AUTH_MAX_FAILURES: '3', AR_AUTH_FAILURE_WINDOW_SECONDS: '60' }); });
  afterAll(async () => { await h.close(); });

  it('answers 429 with Retry-After after 3 failures, even to a valid key from that address', async () => {
    for (let i = 0; i < 3; i++) await h.as(`ark_${String(i).repeat(43)}`).get('/projections').expect(401);
    const limited = await h.as(`ark_${'9'.repeat(43)}`).get('/projections').expect(429);
    expect(limited.body).toMatchObject({ code: 'TOO_MANY_FAILED_ATTEMPTS', details: { field: 'Authorization' } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    await h.http().get('/projections').expect(429);
  });
});

describe('bootstrap of the first admin key', () => {
  it('generates one admin key on an empty data directory, writes it 0600, and keeps it across restarts', async () => {
    // No AR_BOOTSTRAP_API_KEY: the first start generates the admin key.
    const h = await startApi(undefined, { AR_BOOTSTRAP_API_KEY: '' });
    try {
      const file = join(h.dataDir, 'admin-api-key');
      const key = readFileSync(file, 'utf8').trim();
      expect(key).toMatch(/^ark_[A-Za-z0-9_-]{43}$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      await h.as(key).get('/admin/api-keys').expect(200).expect((r) => expect(r.body.keys.map((k: { name: string; role: string }) => [k.name, k.role])).toEqual([['admin', 'admin']]));
      await h.http().get('/admin/api-keys').expect(401); // the harness's usual key was never configured
      await h.restart();
      await h.as(key).get('/admin/api-keys').expect(200).expect((r) => expect(r.body.keys).toHaveLength(1));
    } finally {
      await h.close();
    }
  });

  it('takes AR_BOOTSTRAP_API_KEY as the admin key only while no admin key is active, stored hashed', async () => {
    const h = await startApi();
    try {
      expect(existsSync(join(h.dataDir, 'admin-api-key'))).toBe(false);
      const listed = (await h.http().get('/admin/api-keys').expect(200)).body.keys;
      expect(listed.map((k: { name: string; role: string }) => [k.name, k.role])).toEqual([['bootstrap-admin', 'admin']]);
      expect(readFileSync(join(h.dataDir, 'api-keys.sqlite')).includes(ADMIN_KEY)).toBe(false);
      // Revoked, it is not restored by the next start (another admin exists), nor while it stays revoked.
      const other = await h.createKey('admin', 'admin.real');
      await h.http().delete(`/admin/api-keys/${listed[0].id}`).expect(200);
      await h.restart();
      await h.http().get('/admin/api-keys').expect(401);
      await h.as(other.key).get('/admin/api-keys').expect(200).expect((r) => expect(r.body.keys).toHaveLength(2));
    } finally {
      await h.close();
    }
  });
});
