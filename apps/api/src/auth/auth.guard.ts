import { CanActivate, ExecutionContext, ForbiddenException, HttpException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ApiKeys, hashApiKey } from '../../../../libs/identity/api-keys';
import { FailureLimiter } from '../../../../libs/identity/failure-limiter';
import { OIDC_VERIFIER } from '../../../../libs/identity/identity.module';
import { OidcVerifier, TokenRejected } from '../../../../libs/identity/oidc';
import type { Permission } from '../../../../libs/identity/permissions';
import type { Principal } from '../../../../libs/identity/principal';
import { PERMISSION_METADATA, PUBLIC } from './requires.decorator';

export type AuthenticatedRequest = Request & { principal?: Principal };

/** `/health/*` answers probes without credentials, whoever declares those routes. */
const PUBLIC_PATH = /^\/health(\/|$)/;
const BEARER = /^Bearer ([\x21-\x7e]{1,4096})$/i;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const unauthenticated = (reason: string) =>
  new UnauthorizedException({ code: 'UNAUTHENTICATED', message: `Authentication required: ${reason.replace(/_/g, ' ')} credentials`, details: { field: 'Authorization', reason } });

/**
 * The one authentication and authorisation gate (APP_GUARD): a bearer API key (`ark_…`) or OIDC token, then
 * the permission the route declares with @Requires (a route that declares none is admin-only: closed by
 * default). 401 UNAUTHENTICATED, 403 FORBIDDEN, 429 TOO_MANY_FAILED_ATTEMPTS in the usual error JSON.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeys,
    private readonly limiter: FailureLimiter,
    @Inject(OIDC_VERIFIER) private readonly oidc: OidcVerifier | null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const required = this.reflector.getAllAndOverride<Permission | typeof PUBLIC | undefined>(PERMISSION_METADATA, [context.getHandler(), context.getClass()]);
    if (required === PUBLIC || PUBLIC_PATH.test(req.path)) return true;
    const principal = await this.authenticate(req, res);
    req.principal = principal;
    const allowed = required === undefined ? principal.roles.includes('admin') : principal.permissions.has(required);
    if (!allowed) {
      throw new ForbiddenException({
        code: 'FORBIDDEN', message: `${principal.name} (${principal.roles.join(', ') || 'no role'}) may not ${required ?? 'call an undeclared route (admin only)'}`,
        details: { permission: required ?? 'admin', roles: principal.roles },
      });
    }
    return true;
  }

  private async authenticate(req: Request, res: Response): Promise<Principal> {
    const now = Date.now();
    const address = `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
    this.throttle(res, address, now);
    const header = req.headers.authorization;
    if (header === undefined) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw unauthenticated('missing');
    }
    const match = BEARER.exec(header);
    // One SHA-256 per request: the throttling subject and, for an API key, its stored form.
    const digest = hashApiKey(match ? match[1] : header);
    const credential = `cred:${digest.slice(0, 32)}`;
    this.throttle(res, credential, now);
    const fail = (reason: string): never => {
      this.limiter.record(address, now);
      this.limiter.record(credential, now);
      res.setHeader('WWW-Authenticate', `Bearer error="invalid_token"`);
      throw unauthenticated(reason);
    };
    if (!match) return fail('malformed');
    const token = match[1];
    if (token.startsWith('ark_')) {
      const checked = await this.keys.check(token, now, digest);
      return checked.ok ? checked.principal : fail(checked.reason);
    }
    if (this.oidc && JWT.test(token)) {
      try {
        return await this.oidc.verify(token);
      } catch (err) {
        if (err instanceof TokenRejected) return fail(err.reason);
        throw err;
      }
    }
    return fail('unknown');
  }

  private throttle(res: Response, subject: string, now: number): void {
    const wait = this.limiter.retryAfterMs(subject, now);
    if (wait <= 0) return;
    const seconds = Math.ceil(wait / 1000);
    res.setHeader('Retry-After', String(seconds));
    throw new HttpException({
      code: 'TOO_MANY_FAILED_ATTEMPTS', message: `Too many failed authentications from this ${subject.startsWith('ip:') ? 'address' : 'credential'}; retry in ${seconds} s`,
      details: { field: 'Authorization', retryAfterSeconds: seconds },
    }, 429);
  }
}
