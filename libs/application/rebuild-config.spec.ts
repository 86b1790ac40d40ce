import { ConfigError, loadConfig } from './config';

describe('rebuild flush configuration (ADR 0026)', () => {
  it('defaults to 200000 documents held and a flush every 5 s; reads both variables', () => {
    expect(loadConfig({})).toMatchObject({ rebuildFlushDocuments: 200_000, rebuildFlushMs: 5_000 });
    expect(loadConfig({ AR_REBUILD_FLUSH_DOCUMENTS: '5000', AR_REBUILD_FLUSH_MS: '0' })).toMatchObject({ rebuildFlushDocuments: 5_000, rebuildFlushMs: 0 });
  });

  it('refuses a budget that is not a whole number in range', () => {
    expect(() => loadConfig({ AR_REBUILD_FLUSH_DOCUMENTS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ AR_REBUILD_FLUSH_MS: 'soon' })).toThrow(/AR_REBUILD_FLUSH_MS/);
  });
});
