import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { OidcVerifier, TokenRejected } from './oidc';

describe('OidcVerifier (jose, keys generated here)', () => {
  const config = { issuer: 'https://id.example.test', audience: 'ar', jwksUrl: null, publicKeyPem: null, rolesClaim: 'realm_access.roles' };

  it('reads roles at a dotted claim path, and names the principal after the subject', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg: 'ES256' }] });
    const verifier = new OidcVerifier(config, jwks);
    const token = await new SignJWT({ realm_access: { roles: ['credit_manager', 'offline_access'] } })
      .setProtectedHeader({ alg: 'ES256', kid: 'k' }).setIssuer(config.issuer).setAudience('ar').setSubject('cm.anna').setExpirationTime('1m').sign(privateKey);
    const principal = await verifier.verify(token);
    expect(principal).toMatchObject({ id: 'oidc:cm.anna', name: 'cm.anna', kind: 'oidc', roles: ['credit_manager'] });
    expect(principal.permissions.has('invoices:approve')).toBe(true);
  });

  it('refuses a token without a subject or without an expiry', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const verifier = new OidcVerifier(config, createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg: 'ES256' }] }));
    const base = () => new SignJWT({ realm_access: { roles: ['auditor'] } }).setProtectedHeader({ alg: 'ES256', kid: 'k' }).setIssuer(config.issuer).setAudience('ar');
    await expect(verifier.verify(await base().setExpirationTime('1m').sign(privateKey))).rejects.toBeInstanceOf(TokenRejected);
    await expect(verifier.verify(await base().setSubject('x').sign(privateKey))).rejects.toMatchObject({ reason: 'invalid' });
  });
});
