import { describeTerms, percentOfBp } from './payment-terms';

describe('percentOfBp — basis points as a percent string, without floats', () => {
  it('gives whole percents without decimals, trims a trailing zero, or keeps two decimals when fixed', () => {
    expect(percentOfBp(200)).toBe('2');
    expect(percentOfBp(250)).toBe('2.5');
    expect(percentOfBp(250, true)).toBe('2.50');
    expect(percentOfBp(1)).toBe('0.01');
    expect(percentOfBp(3333, true)).toBe('33.33');
    expect(percentOfBp(10_000)).toBe('100');
  });

  it('labels terms with it', () => {
    expect(describeTerms({ type: 'early_discount', discountBp: 250, discountDays: 10, netDays: 30 })).toBe('2.5/10 net 30');
    expect(describeTerms({ type: 'instalments', schedule: [{ percentBp: 3333, days: 30 }, { percentBp: 6667, days: 60 }] })).toBe('instalments 33.33%@30, 66.67%@60');
  });
});
