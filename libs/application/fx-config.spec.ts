import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { rateOn } from '../domain/shared/fx-rates';

describe('accounting currency and exchange rates configuration (ADR 0052)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fx-config-'));

  it('defaults to EUR with no rates', () => {
    const c = loadConfig({});
    expect(c.accountingCurrency).toBe('EUR');
    expect(c.fxRates.size).toBe(0);
    expect(c.fxRatesFile).toBeNull();
  });

  it('reads a known currency and refuses an unknown one at start-up', () => {
    expect(loadConfig({ AR_ACCOUNTING_CURRENCY: 'CHF' }).accountingCurrency).toBe('CHF');
    expect(() => loadConfig({ AR_ACCOUNTING_CURRENCY: 'eur' })).toThrow(ConfigError);
    expect(() => loadConfig({ AR_ACCOUNTING_CURRENCY: 'XYZ' })).toThrow(/AR_ACCOUNTING_CURRENCY must be/);
  });

  it('loads the rates file named by AR_FX_RATES, and refuses a missing or malformed one', () => {
    const file = join(dir, 'rates.csv');
    writeFileSync(file, 'date,currency,rate\n2026-03-02,USD,1.25\n'); // a rate stated by the test
    expect(rateOn(loadConfig({ AR_FX_RATES: file }).fxRates, 'USD', '2026-03-03').text).toBe('1.25');
    expect(() => loadConfig({ AR_FX_RATES: join(dir, 'missing.csv') })).toThrow(/AR_FX_RATES: cannot read/);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'date,currency,rate\n2026-03-02,USD,1,25\n');
    expect(() => loadConfig({ AR_FX_RATES: bad })).toThrow(/AR_FX_RATES: .*line 2/);
  });
});
