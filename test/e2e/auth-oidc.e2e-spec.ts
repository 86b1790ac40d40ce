import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { startApi, type Harness } from '../support/api-harness';

const ISSUER = 'https://id.example.test/realms/finance';
const AUDIENCE = 'ar-engine';

/** A token as the identity provider would sign it; `patch` bends one claim at a time. */
async function token(key: KeyLike, claims: Record<string, unknown>, o: { alg?: string; kid?: string; exp?: string | number; iss?: string; aud?: string } = {}): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: o.alg ?? 'RS256', ...(o.kid ? { kid: o.kid } : {}) })
    .setIssuer(o.iss ?? ISSUER).setAudience(o.aud ?? AUDIENCE).setIssuedAt();
  if (claims.sub) jwt.setSubject(String(claims.sub));
  jwt.setExpirationTime(o.exp ?? '5m');
  return jwt.sign(key);
}

/** OIDC bearer tokens verified with jose, with keys generated here (no network beyond a local JWKS server). */
describe('OIDC / JWT bearer tokens', () => {
  let signer: Awaited<ReturnType<typeof generateKeyPair>>;
  let stranger: Awaited<ReturnType<typeof generateKeyPair>>;
  beforeAll(async () => {
    signer = await generateKeyPair('RS256');
    stranger = await generateKeyPair('RS256');
  });

  describe('with a static public key', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startApi(undefined, {
        AR_OIDC_ISSUER: ISSUER, AR_OIDC_AUDIENCE: AUDIENCE, AR_OIDC_PUBLIC_KEY: await exportSPKI(signer.publicKey), AR_OIDC_ROLES_CLAIM: 'ar_roles', AR_AUTH_MAX_FAILURES: '100',
      });
    });
    afterAll(async () => { await h.close(); });

    it('accepts a valid token, takes roles from the configured claim, and records its subject as actor', async () => {
      const clerk = await token(signer.privateKey, { sub: 'anna@corp.example', ar_roles: ['clerk', 'not-a-role'] });
      await h.as(clerk).post('/customers').send({ id: 'oidc-1', name: 'Via OIDC', currency: 'EUR', creditLimit: '10.00' }).expect(201);
      const events = (await h.http().get('/customers/oidc-1/history').expect(200)).body.events;
      expect(events[0].metadata).toMatchObject({ actor: 'anna@corp.example', actorId: 'oidc:anna@corp.example' });
      // The clerk role reads no history; an auditor token (roles as a space-separated string) does.
      expect((await h.as(clerk).get('/customers/oidc-1/history').expect(403)).body.code).toBe('FORBIDDEN');
      const auditor = await token(signer.privateKey, { sub: 'max', ar_roles: 'auditor analyst' });
      await h.as(auditor).get('/customers/oidc-1/history').expect(200);
      // Authenticated but with no known role: forbidden everything (403, not 401).
      const none = await token(signer.privateKey, { sub: 'nobody', ar_roles: ['guest'] });
      expect((await h.as(none).get('/customers/oidc-1/balance').expect(403)).body.details).toMatchObject({ roles: [] });
    });

    it('refuses expired, foreign, mis-addressed, mis-issued and symmetric tokens with 401', async () => {
      const reason = async (t: string) => (await h.as(t).get('/projections').expect(401)).body.details.reason;
      // Expired 10 minutes ago: beyond the 30 s clock tolerance.
      expect(await reason(await token(signer.privateKey, { sub: 'a', ar_roles: ['analyst'] }, { exp: Math.floor(Date.now() / 1000) - 600 }))).toBe('expired');
      expect(await reason(await token(stranger.privateKey, { sub: 'a', ar_roles: ['analyst'] }))).toBe('invalid');
      expect(await reason(await token(signer.privateKey, { sub: 'a', ar_roles: ['analyst'] }, { aud: 'another-app' }))).toBe('invalid');
      expect(await reason(await token(signer.privateKey, { sub: 'a', ar_roles: ['analyst'] }, { iss: 'https://evil.example' }))).toBe('invalid');
      const hs = await new SignJWT({ sub: 'a', ar_roles: ['analyst'] }).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m')
        .sign(new TextEncoder().encode('a shared secret that anyone could know'));
      expect(await reason(hs)).toBe('invalid');
      // A valid token with a tampered payload (roles raised to admin).
      const good = await token(signer.privateKey, { sub: 'a', ar_roles: ['analyst'] });
      const [head, , sig] = good.split('.');
      const forged = Buffer.from(JSON.stringify({ sub: 'a', ar_roles: ['admin'], iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url');
      expect(await reason(`${head}.${forged}.${sig}`)).toBe('invalid');
      await h.as(good).get('/projections').expect(200);
    });
  });

  describe('with a JWKS URL', () => {
    let h: Harness;
    let server: Server;
    let served = 0;
    beforeAll(async () => {
      const jwk = { ...(await exportJWK(signer.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
      server = createServer((_req, res) => { served++; res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ keys: [jwk] })); });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
      h = await startApi(undefined, { AR_OIDC_ISSUER: ISSUER, AR_OIDC_AUDIENCE: AUDIENCE, AR_OIDC_JWKS_URL: url });
    });
    afterAll(async () => {
      await h.close();
      await new Promise((resolve) => server.close(resolve));
    });

    it('verifies against the issuer\'s published keys (fetched once, then cached)', async () => {
      const t = await token(signer.privateKey, { sub: 'eve', roles: ['analyst'] }, { kid: 'k1' });
      await h.as(t).get('/projections').expect(200);
      await h.as(t).get('/reports/aging?asOf=2026-01-01').expect(200);
      expect(served).toBe(1);
      expect((await h.as(await token(stranger.privateKey, { sub: 'eve', roles: ['analyst'] }, { kid: 'k1' })).get('/projections').expect(401)).body.code).toBe('UNAUTHENTICATED');
    });
  });
});
