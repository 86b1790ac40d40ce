import { ConfigError, loadConfig } from './config';
import { msUntilNext } from './credit-hold-policy';

describe('credit configuration', () => {
  it('defaults: reject over the limit, hold after 30 days past due, automatic release, daily run at 02:00 UTC', () => {
    expect(loadConfig({})).toMatchObject({ creditPolicy: 'reject', creditHoldDaysPastDue: 30, creditHoldRelease: 'automatic', creditHoldRunAt: '02:00' });
  });

  it('reads the credit variables and turns the schedule off', () => {
    expect(loadConfig({ AR_CREDIT_POLICY: 'hold_for_approval', AR_CREDIT_HOLD_DAYS_PAST_DUE: '45', AR_CREDIT_HOLD_RELEASE: 'manual', AR_CREDIT_HOLD_SCHEDULE: 'off' }))
      .toMatchObject({ creditPolicy: 'hold_for_approval', creditHoldDaysPastDue: 45, creditHoldRelease: 'manual', creditHoldRunAt: null });
    expect(loadConfig({ AR_CREDIT_HOLD_SCHEDULE: '23:59' }).creditHoldRunAt).toBe('23:59');
  });

  it('lists every bad credit variable', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ AR_CREDIT_POLICY: 'maybe', AR_CREDIT_HOLD_DAYS_PAST_DUE: '-1', AR_CREDIT_HOLD_RELEASE: 'sometimes', AR_CREDIT_HOLD_SCHEDULE: '24:00' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems).toHaveLength(4);
  });

  it('schedules the next run at the configured UTC time, tomorrow once it has passed', () => {
    expect(msUntilNext('02:00', new Date('2026-03-01T01:00:00.000Z'))).toBe(3_600_000);
    expect(msUntilNext('02:00', new Date('2026-03-01T02:00:00.000Z'))).toBe(24 * 3_600_000);
    expect(msUntilNext('00:30', new Date('2026-02-28T23:45:00.000Z'))).toBe(45 * 60_000);
  });
});
