import { convert, parseFxRates, rateOn } from './fx-rates';

// Rates stated by the test, not real ones: units of currency per 1 EUR (ECB convention).
const table = parseFxRates(['date,currency,rate', '2026-03-02,USD,1.2500', '2026-03-05,USD,1.6', '2026-03-02,JPY,160', '2026-03-02,GBP,0.8'].join('\n'), 'test');

describe('exchange rates (units per 1 EUR)', () => {
  it('takes the rate of the date or the latest before it, and refuses a date before the first one with FX_RATE_UNKNOWN', () => {
    expect(rateOn(table, 'USD', '2026-03-02').text).toBe('1.2500');
    expect(rateOn(table, 'USD', '2026-03-04').text).toBe('1.2500'); // no rate on 03-03 and 03-04: the 03-02 one
    expect(rateOn(table, 'USD', '2026-03-05').text).toBe('1.6');
    expect(rateOn(table, 'USD', '2027-01-01').text).toBe('1.6');
    expect(() => rateOn(table, 'USD', '2026-03-01')).toThrow(expect.objectContaining({ code: 'FX_RATE_UNKNOWN', details: { currency: 'USD', date: '2026-03-01' } }));
    expect(() => rateOn(table, 'CHF', '2026-03-02')).toThrow(expect.objectContaining({ code: 'FX_RATE_UNKNOWN', kind: 'rule' }));
  });

  it('converts exactly and rounds half-up once to the minor unit', () => {
    // 1000.00 USD / 1.25 = 800.00 EUR
    expect(convert(table, 100_000, 'USD', 'EUR', '2026-03-02')).toBe(80_000);
    // 0.01 USD / 1.6 = 0.00625 EUR → 0.01 (half-up on 0.625 cent); 0.02 / 1.6 = 0.0125 → 0.01
    expect(convert(table, 1, 'USD', 'EUR', '2026-03-05')).toBe(1);
    expect(convert(table, 2, 'USD', 'EUR', '2026-03-05')).toBe(1);
    // 100.05 USD / 1.6 = 62.53125 → 62.53; −100.05 USD → −62.53 (halves away from zero, magnitudes half-up)
    expect(convert(table, 10_005, 'USD', 'EUR', '2026-03-05')).toBe(6253);
    expect(convert(table, -10_005, 'USD', 'EUR', '2026-03-05')).toBe(-6253);
    // 1000 JPY (no decimals) / 160 = 6.25 EUR; EUR 10.00 × 160 = 1600 JPY
    expect(convert(table, 1000, 'JPY', 'EUR', '2026-03-02')).toBe(625);
    expect(convert(table, 1000, 'EUR', 'JPY', '2026-03-02')).toBe(1600);
    // cross rate through EUR: 100.00 USD × 0.8 / 1.25 = 64.00 GBP
    expect(convert(table, 10_000, 'USD', 'GBP', '2026-03-02')).toBe(6400);
    expect(convert(table, 12_345, 'EUR', 'EUR', '1999-01-01')).toBe(12_345);
  });

  it('stays exact where a float would not: a 10-decimal rate on an amount near 2^53 minor units', () => {
    const t = parseFxRates('date,currency,rate\n2026-01-01,USD,1.0000000003\n');
    // 9,007,199,254,740.99 USD / 1.0000000003 = 9,007,199,252,038.83 EUR (exact BigInt arithmetic)
    expect(convert(t, 900_719_925_474_099, 'USD', 'EUR', '2026-01-01')).toBe(Number((900_719_925_474_099n * 10n ** 10n * 2n + 10_000_000_003n) / (2n * 10_000_000_003n)));
  });

  it('refuses a malformed file with its line', () => {
    expect(() => parseFxRates('day,ccy,rate\n')).toThrow(/header date,currency,rate/);
    expect(() => parseFxRates('date,currency,rate\n2026-02-30,USD,1.1')).toThrow(/line 2: date/);
    expect(() => parseFxRates('date,currency,rate\n2026-02-03,XYZ,1.1')).toThrow(/unknown currency/);
    expect(() => parseFxRates('date,currency,rate\n2026-02-03,USD,1e3')).toThrow(/decimal string/);
    expect(() => parseFxRates('date,currency,rate\n2026-02-03,USD,0')).toThrow(/positive/);
    expect(() => parseFxRates('date,currency,rate\n2026-02-03,EUR,1')).toThrow(/EUR is the base/);
    expect(() => parseFxRates('date,currency,rate\n2026-02-03,USD,1.1\n2026-02-03,USD,1.2')).toThrow(/line 3: a second USD rate/);
  });
});
