import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { configModule } from '../../apps/api/src/app.module';
import { ConfigError, loadConfig, type AppConfig } from './config';

describe('operations configuration (ADR 0065, 0066, 0068)', () => {
  it('defaults: info logs, ready within 1000 events, parked steps reported, 2 s per check', () => {
    expect(loadConfig({})).toMatchObject({ logLevel: 'info', readyMaxLagEvents: 1000, readyParkedSteps: 'report', healthTimeoutMs: 2000 });
  });

  it('reads AR_LOG_LEVEL, AR_READY_MAX_LAG_EVENTS, AR_READY_PARKED_STEPS and AR_HEALTH_TIMEOUT_MS', () => {
    expect(loadConfig({ AR_LOG_LEVEL: 'debug', AR_READY_MAX_LAG_EVENTS: '0', AR_READY_PARKED_STEPS: 'fail', AR_HEALTH_TIMEOUT_MS: '500' }))
      .toMatchObject({ logLevel: 'debug', readyMaxLagEvents: 0, readyParkedSteps: 'fail', healthTimeoutMs: 500 });
  });

  it('lists every bad value with its variable, as before', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ AR_LOG_LEVEL: 'verbose', AR_READY_MAX_LAG_EVENTS: '10001', AR_READY_PARKED_STEPS: 'ignore', AR_HEALTH_TIMEOUT_MS: '0' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems).toEqual([
      'AR_READY_MAX_LAG_EVENTS must be an integer between 0 and 10000, got "10001"',
      'AR_READY_PARKED_STEPS must be one of report|fail, got "ignore"',
      'AR_HEALTH_TIMEOUT_MS must be an integer between 1 and 60000, got "0"',
      'AR_LOG_LEVEL must be one of fatal|error|warn|info|debug|trace|silent, got "verbose"',
    ]);
  });

  it('is served by @nestjs/config as validated, without touching process.env', async () => {
    const config = loadConfig({ PORT: '4321', AR_READY_MAX_LAG_EVENTS: '7' });
    const before = { ...process.env };
    const moduleRef = await Test.createTestingModule({ imports: [configModule(config)] }).compile();
    const service = moduleRef.get<ConfigService<AppConfig, true>>(ConfigService);
    expect(service.get('port', { infer: true })).toBe(4321);
    expect(service.get('readyMaxLagEvents', { infer: true })).toBe(7);
    expect(service.get('stepRetry', { infer: true })).toEqual(config.stepRetry);
    expect(process.env).toEqual(before);
    await moduleRef.close();
  });
});
