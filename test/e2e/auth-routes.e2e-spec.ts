import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Role } from '../../libs/identity/permissions';
import { startApi, type Harness } from '../support/api-harness';

interface Operation { method: string; path: string; permission: unknown }

/**
 * Every route declares a permission, and the one guard enforces it: walked from the OpenAPI document (checked
 * against the router, so no route hides from the document), anonymous → 401, each role → 403 exactly when the
 * roles table (docs/security.md) does not grant the route's permission.
 */
describe('every route has a permission, enforced by the guard', () => {
  let h: Harness;
  let operations: Operation[];
  const keys = new Map<Role, string>();
  beforeAll(async () => {
    h = await startApi(undefined, { AR_AUTH_MAX_FAILURES: '100000' });
    const doc = (await h.anonymous().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, { 'x-permission'?: unknown }>> };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method, path: path.replace(/\{[^}]+\}/g, 'walk'), permission: op['x-permission'] })));
    for (const role of ROLES) keys.set(role, (await h.createKey(role, `walker-${role}`)).key);
  });
  afterAll(async () => { await h.close(); });

  it('declares one known permission on every operation of the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(40);
    const undeclared = operations.filter((o) => !(PERMISSIONS as readonly unknown[]).includes(o.permission) && o.permission !== 'public');
    expect(undeclared).toEqual([]);
  });

  it('documents every route the router serves (nothing escapes the walk)', () => {
    const router = (h.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods?: Record<string, boolean> } }> } }).router;
    const served = router.stack.filter((l) => l.route && !l.route.path.startsWith('/docs'))
      .flatMap((l) => Object.keys(l.route!.methods ?? {}).map((m) => `${m} ${l.route!.path.replace(/:[A-Za-z]+/g, 'walk')}`));
    const documented = new Set(operations.map((o) => `${o.method} ${o.path}`));
    expect(served.length).toBe(operations.length);
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('answers 401 to anonymous calls and 403 exactly to the roles without the permission', async () => {
    const wrong: string[] = [];
    for (const o of operations) {
      if (o.permission === 'public') continue;
      const call = (agent: ReturnType<Harness['http']>) => (agent as unknown as Record<string, (p: string) => { send(b: object): PromiseLike<{ status: number }> }>)[o.method](o.path).send({});
      const anonymous = await call(h.anonymous());
      if (anonymous.status !== 401) wrong.push(`${o.method} ${o.path} anonymous → ${anonymous.status}`);
      for (const role of ROLES) {
        const granted = ROLE_PERMISSIONS[role].includes(o.permission as never);
        const { status } = await call(h.as(keys.get(role)!));
        if (granted ? status === 401 || status === 403 || status >= 500 : status !== 403) wrong.push(`${o.method} ${o.path} ${role} → ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);
});
