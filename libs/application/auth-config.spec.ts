import { ConfigError, loadConfig } from './config';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
};

describe('identity configuration (issue 11)', () => {
  it('takes no bootstrap key, no OIDC and no four-eyes threshold by default', () => {
    expect(loadConfig({})).toMatchObject({ bootstrapApiKey: null, oidc: null, writeOffApprovalAbove: {}, creditLimitIncreaseApprovalAbove: {}, authMaxFailures: 10, authFailureWindowMs: 300_000 });
  });

  it('refuses a bootstrap key that is not ark_ and 32 random bytes (43 base64url characters)', () => {
    expect(problems({ AR_BOOTSTRAP_API_KEY: 'secret' })).toEqual([expect.stringContaining('AR_BOOTSTRAP_API_KEY')]);
    expect(problems({ AR_BOOTSTRAP_API_KEY: `ark_${'a'.repeat(42)}` })).toHaveLength(1);
    expect(loadConfig({ AR_BOOTSTRAP_API_KEY: `ark_${'a'.repeat(43)}` }).bootstrapApiKey).toBe(`ark_${'a'.repeat(43)}`);
  });

  it('needs issuer, audience and exactly one key source for OIDC', () => {
    expect(problems({ AR_OIDC_ISSUER: 'https://id.example' })).toEqual([
      'OIDC needs both AR_OIDC_ISSUER and AR_OIDC_AUDIENCE', 'OIDC needs exactly one of AR_OIDC_JWKS_URL and AR_OIDC_PUBLIC_KEY (PEM)',
    ]);
    expect(problems({ AR_OIDC_ISSUER: 'i', AR_OIDC_AUDIENCE: 'a', AR_OIDC_JWKS_URL: 'ftp://x' })).toEqual([expect.stringContaining('http(s) URL')]);
    expect(loadConfig({ AR_OIDC_ISSUER: 'i', AR_OIDC_AUDIENCE: 'a', AR_OIDC_JWKS_URL: 'https://id.example/jwks' }).oidc).toEqual({
      issuer: 'i', audience: 'a', jwksUrl: 'https://id.example/jwks', publicKeyPem: null, rolesClaim: 'roles',
    });
  });

  it('reads four-eyes thresholds per currency in minor units (ISO 4217 exponents: EUR 2, JPY 0)', () => {
    // EUR 5000.00 = 500 000 cents; JPY 700000 = 700 000 yen (no minor unit).
    expect(loadConfig({ AR_WRITE_OFF_APPROVAL_ABOVE: 'EUR:5000.00, JPY:700000' }).writeOffApprovalAbove).toEqual({ EUR: 500_000, JPY: 700_000 });
    expect(loadConfig({ AR_CREDIT_LIMIT_INCREASE_APPROVAL_ABOVE: 'EUR:10000' }).creditLimitIncreaseApprovalAbove).toEqual({ EUR: 1_000_000 });
    // A bare amount (which currency?), an unknown currency, and more decimals than the currency has are refused.
    expect(problems({ AR_WRITE_OFF_APPROVAL_ABOVE: '5000.00' })).toEqual([expect.stringContaining('CURRENCY:amount')]);
    expect(problems({ AR_WRITE_OFF_APPROVAL_ABOVE: 'XYZ:1.00' })).toHaveLength(1);
    expect(problems({ AR_WRITE_OFF_APPROVAL_ABOVE: 'JPY:1.5' })).toEqual([expect.stringContaining('JPY')]);
  });
});
