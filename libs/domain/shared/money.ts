import { DomainError, invalid } from './errors';

/** Minor-unit exponent per ISO 4217 currency accepted by the engine. */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = {
  EUR: 2, USD: 2, GBP: 2, CHF: 2, CAD: 2, AUD: 2, SEK: 2, NOK: 2, DKK: 2, PLN: 2, CZK: 2,
  JPY: 0, KRW: 0, XOF: 0, XAF: 0, TND: 3, KWD: 3, BHD: 3,
};

export function isCurrency(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(CURRENCY_EXPONENTS, code);
}

export function exponentOf(currency: string): number {
  const e = CURRENCY_EXPONENTS[currency];
  if (e === undefined) throw invalid('CURRENCY_UNKNOWN', `Unknown currency ${currency}`, 'currency', { currency });
  return e;
}

/** An amount: integer minor units (cents for EUR) and its ISO 4217 currency. */
export interface Money {
  readonly minor: number;
  readonly currency: string;
}

export function money(minor: number, currency: string): Money {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Money must be a safe integer of minor units, got ${minor}`);
  exponentOf(currency);
  return { minor, currency };
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string ("4320.00", "12.5") into minor units of `currency`.
 * Refuses more decimals than the currency has, exponents, spaces and numbers (floats never carry amounts).
 */
export function parseAmount(text: unknown, currency: string, field = 'amount'): number {
  if (typeof text !== 'string') {
    throw invalid('AMOUNT_MALFORMED', `${field} must be a decimal string such as "120.50"`, field);
  }
  const m = DECIMAL.exec(text);
  if (!m) throw invalid('AMOUNT_MALFORMED', `${field} must be a decimal string such as "120.50", got "${text}"`, field);
  const exp = exponentOf(currency);
  const frac = m[3] ?? '';
  if (frac.length > exp) {
    throw invalid('AMOUNT_TOO_MANY_DECIMALS', `${field} has ${frac.length} decimals; ${currency} has ${exp}`, field, { currency });
  }
  const digits = BigInt(m[2] + frac.padEnd(exp, '0'));
  const minor = m[1] === '-' ? -digits : digits;
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw invalid('AMOUNT_OUT_OF_RANGE', `${field} is too large`, field);
  }
  return Number(minor);
}

/** Formats minor units as a decimal string with exactly the currency's decimals ("4320.00"). */
export function formatAmount(minor: number, currency: string): string {
  const exp = exponentOf(currency);
  const neg = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  const int = digits.slice(0, digits.length - exp);
  const frac = exp > 0 ? '.' + digits.slice(digits.length - exp) : '';
  return (neg ? '-' : '') + int + frac;
}

export function assertSameCurrency(a: string, b: string, context: string): void {
  if (a !== b) {
    throw new DomainError('CURRENCY_MISMATCH', `${context}: ${a} and ${b} do not add up`, { currencies: [a, b] });
  }
}

/** Rounds numerator/denominator to the nearest integer, halves away from zero (half-up on magnitudes). */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const neg = numerator < 0n;
  const n = neg ? -numerator : numerator;
  const q = (n * 2n + denominator) / (2n * denominator);
  return neg ? -q : q;
}

/**
 * A non-negative decimal string with at most `maxDecimals` decimals, as a scaled BigInt:
 * parseScaled("0.055", 4) → { value: 550n, scale: 4 }.
 */
export function parseScaled(text: unknown, maxDecimals: number, field: string): bigint {
  if (typeof text !== 'string') throw invalid('DECIMAL_MALFORMED', `${field} must be a decimal string`, field);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw invalid('DECIMAL_MALFORMED', `${field} must be a non-negative decimal string, got "${text}"`, field);
  const frac = m[2] ?? '';
  if (frac.length > maxDecimals) {
    throw invalid('DECIMAL_TOO_MANY_DECIMALS', `${field} allows at most ${maxDecimals} decimals`, field);
  }
  return BigInt(m[1] + frac.padEnd(maxDecimals, '0'));
}
