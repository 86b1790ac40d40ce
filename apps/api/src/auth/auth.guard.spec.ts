import { HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ExecutionContext } from '@nestjs/common';
import type { ApiKeys, KeyCheck } from '../../../../libs/identity/api-keys';
import { keyPrincipal } from '../../../../libs/identity/api-keys';
import { FailureLimiter } from '../../../../libs/identity/failure-limiter';
import type { Role } from '../../../../libs/identity/permissions';
import { AuthGuard, type AuthenticatedRequest } from './auth.guard';
import { Public, Requires } from './requires.decorator';

class Routes {
  @Requires('invoices:approve') approve() {}
  @Requires('ledger:read') read() {}
  @Public() health() {}
  undeclared() {}
}

const KEYS: Record<string, Role> = { ark_clerk: 'clerk', ark_cm: 'credit_manager', ark_admin: 'admin' };
const fakeKeys = {
  async check(key: string): Promise<KeyCheck> {
    if (key === 'ark_revoked') return { ok: false, reason: 'revoked' };
    const role = KEYS[key];
    if (!role) return { ok: false, reason: 'unknown' };
    const record = { id: key, name: key, role, actOnBehalf: false, createdAt: '', createdBy: '', lastUsedAt: null, revokedAt: null };
    return { ok: true, record, principal: keyPrincipal(record) };
  },
} as unknown as ApiKeys;

function context(handler: keyof Routes, authorization?: string, path = '/x') {
  const req = { headers: authorization ? { authorization } : {}, path, ip: '10.0.0.1', socket: {} } as unknown as AuthenticatedRequest;
  const headers: Record<string, string> = {};
  const res = { setHeader: (k: string, v: string) => { headers[k] = v; } };
  const ctx = {
    getType: () => 'http', getHandler: () => Routes.prototype[handler], getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
  return { ctx, req, headers };
}

async function outcome(guard: AuthGuard, handler: keyof Routes, authorization?: string, path?: string): Promise<number | string> {
  try {
    const { ctx, req } = context(handler, authorization, path);
    await guard.canActivate(ctx);
    return req.principal?.name ?? 'allowed';
  } catch (err) {
    return (err as HttpException).getStatus();
  }
}

describe('AuthGuard (one guard, route metadata)', () => {
  const guard = () => new AuthGuard(new Reflector(), fakeKeys, new FailureLimiter(3, 60_000), null);

  it('given a route requiring invoices:approve, lets a credit manager in and forbids a clerk', async () => {
    const g = guard();
    expect(await outcome(g, 'approve', 'Bearer ark_cm')).toBe('ark_cm');
    expect(await outcome(g, 'approve', 'Bearer ark_clerk')).toBe(403);
    expect(await outcome(g, 'read', 'Bearer ark_clerk')).toBe('ark_clerk');
  });

  it('answers 401 to missing, malformed, unknown and revoked credentials, and sets the principal only on success', async () => {
    const g = guard();
    expect(await outcome(g, 'read')).toBe(401);
    expect(await outcome(g, 'read', 'Token ark_cm')).toBe(401);
    expect(await outcome(g, 'read', 'Bearer ark_nope')).toBe(401);
    expect(await outcome(g, 'read', 'Bearer ark_revoked')).toBe(401);
  });

  it('closes undeclared routes to all but admin, and opens @Public routes and /health/* without credentials', async () => {
    const g = guard();
    expect(await outcome(g, 'undeclared', 'Bearer ark_cm')).toBe(403);
    expect(await outcome(g, 'undeclared', 'Bearer ark_admin')).toBe('ark_admin');
    expect(await outcome(g, 'health')).toBe('allowed');
    expect(await outcome(g, 'undeclared', undefined, '/health/ready')).toBe('allowed');
  });

  it('after 3 failures from an address, answers 429 with Retry-After to that address, whatever it sends', async () => {
    const g = guard();
    for (const k of ['a', 'b', 'c']) expect(await outcome(g, 'read', `Bearer ark_${k}`)).toBe(401);
    const { ctx, headers } = context('read', 'Bearer ark_cm');
    await expect(g.canActivate(ctx)).rejects.toMatchObject({ status: 429 });
    expect(Number(headers['Retry-After'])).toBe(60);
  });
});
