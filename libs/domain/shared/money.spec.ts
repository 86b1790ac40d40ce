import fc from 'fast-check';
import { DomainError } from './errors';
import {
  assertSameCurrency, CURRENCY_EXPONENTS, divideHalfUp, exponentOf, formatAmount, isCurrency, money, parseAmount, parseScaled,
} from './money';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 0x7fffffff;
console.log(`money property seed: FC_SEED=${seed}`);

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
};

describe('currencies', () => {
  it('knows exponents of 0, 2 and 3 decimals', () => {
    expect([exponentOf('EUR'), exponentOf('JPY'), exponentOf('TND')]).toEqual([2, 0, 3]);
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('eur')).toBe(false);
    expect(isCurrency('toString')).toBe(false);
  });

  it('refuses an unknown currency as invalid, naming the field', () => {
    expect(refusal(() => exponentOf('XYZ'))).toMatchObject({ code: 'CURRENCY_UNKNOWN', kind: 'invalid', details: { field: 'currency' } });
  });

  it('builds Money only from safe integers of a known currency', () => {
    expect(money(123, 'EUR')).toEqual({ minor: 123, currency: 'EUR' });
    expect(() => money(1.5, 'EUR')).toThrow(RangeError);
    expect(() => money(2 ** 53, 'EUR')).toThrow(RangeError);
    expect(refusal(() => money(1, 'XYZ')).code).toBe('CURRENCY_UNKNOWN');
  });

  it('refuses to add up two currencies', () => {
    expect(() => assertSameCurrency('EUR', 'EUR', 'sum')).not.toThrow();
    expect(refusal(() => assertSameCurrency('EUR', 'USD', 'sum'))).toMatchObject({ code: 'CURRENCY_MISMATCH', kind: 'rule' });
  });
});

describe('parseAmount / formatAmount', () => {
  it.each([
    ['4320.00', 'EUR', 432_000],
    ['12.5', 'EUR', 1_250],
    ['7', 'EUR', 700],
    ['0.01', 'EUR', 1],
    ['-15.30', 'EUR', -1_530],
    ['5000', 'JPY', 5_000],
    ['1.234', 'TND', 1_234],
    ['0.5', 'KWD', 500],
    ['90071992547409.91', 'EUR', Number.MAX_SAFE_INTEGER],
  ])('parses %s %s as %i minor units', (text, currency, minor) => {
    expect(parseAmount(text, currency)).toBe(minor);
  });

  it.each([
    [432_000, 'EUR', '4320.00'],
    [1, 'EUR', '0.01'],
    [0, 'EUR', '0.00'],
    [-5, 'EUR', '-0.05'],
    [-1_530, 'EUR', '-15.30'],
    [5_000, 'JPY', '5000'],
    [1, 'TND', '0.001'],
    [Number.MAX_SAFE_INTEGER, 'EUR', '90071992547409.91'],
  ])('formats %i %s as %s', (minor, currency, text) => {
    expect(formatAmount(minor, currency)).toBe(text);
  });

  it.each([
    ['12.345', 'EUR'],
    ['1.5', 'JPY'],
    ['0.0001', 'TND'],
  ])('refuses %s %s: more decimals than the currency has', (text, currency) => {
    expect(refusal(() => parseAmount(text, currency, 'lines[0].unitPrice'))).toMatchObject({
      code: 'AMOUNT_TOO_MANY_DECIMALS', kind: 'invalid', details: { field: 'lines[0].unitPrice', currency },
    });
  });

  it.each([['1e3'], [' 12.00'], ['12,50'], ['.5'], ['5.'], ['+5'], [''], ['NaN']])('refuses the malformed %p', (text) => {
    expect(refusal(() => parseAmount(text, 'EUR')).code).toBe('AMOUNT_MALFORMED');
  });

  it('refuses numbers: floats never carry amounts', () => {
    expect(refusal(() => parseAmount(12.5, 'EUR')).code).toBe('AMOUNT_MALFORMED');
  });

  it('refuses amounts beyond 2^53 minor units', () => {
    expect(refusal(() => parseAmount('90071992547409.92', 'EUR')).code).toBe('AMOUNT_OUT_OF_RANGE');
  });

  it('property: format then parse gives back the minor units, in every currency', () => {
    const currency = fc.constantFrom(...Object.keys(CURRENCY_EXPONENTS));
    const minor = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(minor, currency, (m, c) => {
        const text = formatAmount(m, c);
        expect(parseAmount(text, c)).toBe(m);
        expect(text.split('.')[1]?.length ?? 0).toBe(exponentOf(c));
      }),
      { seed, verbose: true },
    );
  });
});

describe('divideHalfUp', () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [4n, 3n, 1n],
    [-4n, 3n, -1n],
    [5n, 3n, 2n],
    [-5n, 3n, -2n],
    [1n, 2n, 1n],
    [-1n, 2n, -1n],
    [49n, 100n, 0n],
    [-49n, 100n, 0n],
    [150n, 100n, 2n],
    [-150n, 100n, -2n],
    [0n, 7n, 0n],
    [10n, 5n, 2n],
  ])('%p / %p → %p (halves away from zero)', (n, d, q) => {
    expect(divideHalfUp(n, d)).toBe(q);
  });

  it('refuses a zero or negative denominator', () => {
    expect(() => divideHalfUp(1n, 0n)).toThrow(RangeError);
    expect(() => divideHalfUp(1n, -2n)).toThrow(RangeError);
  });
});

describe('parseScaled', () => {
  it.each([
    ['0.055', 550n],
    ['0.20', 2_000n],
    ['1', 10_000n],
    ['2.5', 25_000n],
    ['0.0001', 1n],
  ])('parses %s at 4 decimals as %p', (text, value) => {
    expect(parseScaled(text, 4, 'taxRate')).toBe(value);
  });

  it('refuses too many decimals, signs and numbers, naming the field', () => {
    expect(refusal(() => parseScaled('0.00001', 4, 'lines[1].taxRate'))).toMatchObject({
      code: 'DECIMAL_TOO_MANY_DECIMALS', details: { field: 'lines[1].taxRate' },
    });
    expect(refusal(() => parseScaled('-1', 4, 'q')).code).toBe('DECIMAL_MALFORMED');
    expect(refusal(() => parseScaled(0.5, 4, 'q')).code).toBe('DECIMAL_MALFORMED');
  });
});
