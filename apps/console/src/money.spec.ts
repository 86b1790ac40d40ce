import { addDays, isDate, monthEndBefore } from './dates';
import { fromMinor, money, percent, sum, toMinor } from './money';

/** The console's figures: decimal strings from the API, compared and summed as BigInt cents, never floats. */
describe('console money', () => {
  it('reads decimal strings as cents and writes them back', () => {
    expect(toMinor('1234.56')).toBe(123456n);
    expect(toMinor('-20.00')).toBe(-2000n);
    expect(toMinor('7.5')).toBe(750n);
    expect(fromMinor(-5n)).toBe('-0.05');
    // Beyond 2^53 cents a float would lose the last cent: 90 071 992 547 409.93 + 0.01 = 90 071 992 547 409.94.
    expect(sum(['90071992547409.93', '0.01'])).toBe('90071992547409.94');
  });

  it('sums the overdue buckets of the demo aging to the cent', () => {
    // Aging as of 2026-07-01 on the demo data: 1-30 + 31-60 + 61-90 + 90+ = 32 484.04 + 10 884.95 + 838.23 + 6 460.65 = 50 667.87.
    // 0.1 + 0.2 in floats is 0.30000000000000004; in cents it is 30.
    expect(sum(['32484.04', '10884.95', '838.23', '6460.65'])).toBe('50667.87');
    expect(sum(['0.10', '0.20'])).toBe('0.30');
  });

  it('groups thousands with narrow no-break spaces and shows a minus sign', () => {
    expect(money('1234567.80', 'EUR')).toBe('1\u202f234\u202f567.80 EUR');
    expect(money('-20.00')).toBe('−20.00');
  });

  it('rounds a share half-up to one decimal, in integers', () => {
    // 50 667.87 / 93 996.75 = 0.539038… → 53.9 %; 1 / 8 = 12.5 % exactly; 1 / 16 = 6.25 % → half-up 6.3 %.
    expect(percent('50667.87', '93996.75')).toBe('53.9 %');
    expect(percent('1.00', '8.00')).toBe('12.5 %');
    expect(percent('1.00', '16.00')).toBe('6.3 %');
    expect(percent('1.00', '0.00')).toBe('—');
  });
});

describe('console dates', () => {
  it('finds month ends without time zones', () => {
    expect(monthEndBefore('2026-07-01', 0)).toBe('2026-07-31');
    expect(monthEndBefore('2026-07-01', 1)).toBe('2026-06-30');
    expect(monthEndBefore('2026-07-01', 5)).toBe('2026-02-28');
    expect(monthEndBefore('2024-03-15', 1)).toBe('2024-02-29');
    expect(monthEndBefore('2026-01-10', 1)).toBe('2025-12-31');
    // The DSO window: 91 days up to 2026-06-30 starts on 2026-04-01 (30 + 31 + 30 = 91 days, inclusive).
    expect(addDays('2026-06-30', -90)).toBe('2026-04-01');
    expect(isDate('2026-02-29')).toBe(false);
    expect(isDate('2024-02-29')).toBe(true);
  });
});
