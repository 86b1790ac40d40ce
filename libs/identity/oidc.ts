import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type createLocalJWKSet, type JWTPayload } from 'jose';
import type { OidcConfig } from '../application/config';
import { isRole, permissionsOf, type Role } from './permissions';
import type { Principal } from './principal';

/** Why a token was not accepted (the 401's details.reason). */
export class TokenRejected extends Error {
  constructor(readonly reason: 'expired' | 'invalid') {
    super(reason);
  }
}

/** Asymmetric algorithms only: a token signed with a shared secret (HS256) or `none` is refused. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * Verifies OIDC / JWT bearer tokens with jose: signature (the issuer's JWKS, or a static public key),
 * `iss`, `aud`, `exp`/`nbf` (30 s clock tolerance); roles from the configured claim (unknown names ignored).
 * Only asymmetric algorithms.
 * The principal is the token's subject: `actor` = sub, `actorId` = `oidc:<sub>`.
 */
export class OidcVerifier {
  private readonly key: KeyObject | null;
  private readonly jwks: ReturnType<typeof createLocalJWKSet> | null;

  constructor(private readonly config: OidcConfig, jwks?: ReturnType<typeof createLocalJWKSet>) {
    this.jwks = jwks ?? (config.jwksUrl ? createRemoteJWKSet(new URL(config.jwksUrl)) : null);
    this.key = !this.jwks && config.publicKeyPem ? createPublicKey(config.publicKeyPem) : null;
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      const options = { issuer: this.config.issuer, audience: this.config.audience, algorithms: ALGORITHMS, clockTolerance: 30, requiredClaims: ['sub', 'exp'] };
      payload = this.jwks ? (await jwtVerify(token, this.jwks, options)).payload : (await jwtVerify(token, this.key!, options)).payload;
    } catch (err) {
      throw new TokenRejected((err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid');
    }
    const claim = claimAt(payload, this.config.rolesClaim);
    const names = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/[\s,]+/) : [];
    // A token with no known role is authenticated, and then forbidden everything (403, not 401).
    const roles = [...new Set(names.filter(isRole))] as Role[];
    const sub = String(payload.sub);
    return { id: `oidc:${sub}`, name: sub, kind: 'oidc', roles, permissions: permissionsOf(roles) };
  }
}

/** The claim by its name, else by a dotted path (Keycloak's `realm_access.roles`). */
function claimAt(payload: JWTPayload, name: string): unknown {
  if (name in payload) return payload[name];
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
