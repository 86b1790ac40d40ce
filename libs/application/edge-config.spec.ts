import { ConfigError, loadConfig } from './config';

describe('HTTP edge configuration', () => {
  it('defaults: loopback, 1 MB bodies, CORS closed', () => {
    expect(loadConfig({})).toMatchObject({ host: '127.0.0.1', maxBodyBytes: 1_048_576, corsOrigins: [] });
  });

  it('reads AR_HOST, AR_MAX_BODY_BYTES and AR_CORS_ORIGINS (trimmed, lower-cased)', () => {
    expect(loadConfig({ AR_HOST: '0.0.0.0', AR_MAX_BODY_BYTES: '65536', AR_CORS_ORIGINS: ' https://AR.example.com , http://localhost:5173,http://[::1]:8080' }))
      .toMatchObject({ host: '0.0.0.0', maxBodyBytes: 65_536, corsOrigins: ['https://ar.example.com', 'http://localhost:5173', 'http://[::1]:8080'] });
    expect(loadConfig({ AR_HOST: '::' }).host).toBe('::');
    expect(loadConfig({ AR_HOST: 'api.internal' }).host).toBe('api.internal');
  });

  it('refuses a wildcard or a path in AR_CORS_ORIGINS, a host with a port or path, and a body limit out of range', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ AR_CORS_ORIGINS: '*,https://ok.example,https://x.example/app', AR_HOST: 'http://0.0.0.0:80', AR_MAX_BODY_BYTES: '100' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems).toEqual([
      expect.stringContaining('AR_HOST'),
      expect.stringContaining('AR_MAX_BODY_BYTES must be an integer between 1024 and 104857600'),
      expect.stringContaining('"*"'),
      expect.stringContaining('"https://x.example/app"'),
    ]);
  });
});
