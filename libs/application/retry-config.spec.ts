import { ConfigError, loadConfig } from './config';

describe('busy timeout and retry configuration (ADR 0045)', () => {
  it('defaults: 5 s busy timeout, backoff 100 ms doubling to 5 s, 5 attempts before parking, Retry-After 2 s', () => {
    expect(loadConfig({})).toMatchObject({
      sqliteBusyTimeoutMs: 5000, stepRetry: { baseDelayMs: 100, maxDelayMs: 5000, maxAttempts: 5 }, retryAfterSeconds: 2,
    });
  });

  it('reads every variable', () => {
    expect(loadConfig({
      AR_SQLITE_BUSY_TIMEOUT_MS: '150', AR_STEP_RETRY_BASE_MS: '20', AR_STEP_RETRY_MAX_DELAY_MS: '200', AR_STEP_MAX_ATTEMPTS: '3', AR_RETRY_AFTER_SECONDS: '7',
    })).toMatchObject({ sqliteBusyTimeoutMs: 150, stepRetry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 3 }, retryAfterSeconds: 7 });
  });

  it('refuses values out of range, and a cap below the base', () => {
    expect(() => loadConfig({ AR_STEP_MAX_ATTEMPTS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ AR_SQLITE_BUSY_TIMEOUT_MS: 'long' })).toThrow(/AR_SQLITE_BUSY_TIMEOUT_MS/);
    expect(() => loadConfig({ AR_STEP_RETRY_BASE_MS: '500', AR_STEP_RETRY_MAX_DELAY_MS: '100' })).toThrow(/must not be below AR_STEP_RETRY_BASE_MS/);
    expect(() => loadConfig({ AR_RETRY_AFTER_SECONDS: '0' })).toThrow(/AR_RETRY_AFTER_SECONDS/);
  });
});
