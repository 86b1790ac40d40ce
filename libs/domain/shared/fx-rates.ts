import { isCalendarDate, type CalendarDate } from './dates';
import { DomainError } from './errors';
import { divideHalfUp, exponentOf, isCurrency } from './money';

/** Decimals a rate may have: the ECB publishes at most 4 (JPY 161.87, HUF 404.05), some sources 6. */
export const RATE_DECIMALS = 10;

/** One dated rate: units of `currency` per 1 EUR (the ECB reference convention), scaled by 10^RATE_DECIMALS. */
export interface FxRate {
  date: CalendarDate;
  scaled: bigint;
  text: string;
}

/** Rates per currency, sorted by date. EUR is implicit (1) and never listed. */
export type FxRateTable = ReadonlyMap<string, readonly FxRate[]>;

export const EMPTY_FX_RATES: FxRateTable = new Map();

const RATE = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses a rates file: CSV `date,currency,rate` with that header, one rate a line (`2026-03-02,USD,1.0825`).
 * Rates are decimal strings read exactly (no float), positive, at most RATE_DECIMALS decimals. A duplicate
 * (date, currency) or an EUR line is refused: the table must say one thing per day. Throws with the line number.
 */
export function parseFxRates(text: string, source = 'rates'): FxRateTable {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').replace(/^\uFEFF/, '').trim().toLowerCase();
  if (header !== 'date,currency,rate') throw new Error(`${source}: the first line must be the header date,currency,rate, got "${lines[0] ?? ''}"`);
  const byCurrency = new Map<string, FxRate[]>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const where = `${source} line ${i + 1}`;
    const cols = line.split(',').map((c) => c.trim());
    if (cols.length !== 3) throw new Error(`${where}: expected date,currency,rate, got "${line}"`);
    const [date, currency, rate] = cols;
    if (!isCalendarDate(date)) throw new Error(`${where}: date must be YYYY-MM-DD, got "${date}"`);
    if (!isCurrency(currency)) throw new Error(`${where}: unknown currency "${currency}"`);
    if (currency === 'EUR') throw new Error(`${where}: EUR is the base of the rates (1 EUR = rate units) and is not listed`);
    const m = RATE.exec(rate);
    if (!m || (m[2] ?? '').length > RATE_DECIMALS) throw new Error(`${where}: rate must be a decimal string with at most ${RATE_DECIMALS} decimals, got "${rate}"`);
    const scaled = BigInt(m[1] + (m[2] ?? '').padEnd(RATE_DECIMALS, '0'));
    if (scaled === 0n) throw new Error(`${where}: rate must be positive`);
    const list = byCurrency.get(currency) ?? [];
    if (list.some((r) => r.date === date)) throw new Error(`${where}: a second ${currency} rate for ${date}`);
    list.push({ date, scaled, text: rate });
    byCurrency.set(currency, list);
  }
  for (const list of byCurrency.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return byCurrency;
}

const ONE_EUR: FxRate = { date: '0001-01-01', scaled: 10n ** BigInt(RATE_DECIMALS), text: '1' };

/** The rate of `date`, or the latest before it (week-ends and holidays have none); 422 FX_RATE_UNKNOWN when none. */
export function rateOn(table: FxRateTable, currency: string, date: CalendarDate): FxRate {
  if (currency === 'EUR') return ONE_EUR;
  const list = table.get(currency) ?? [];
  let lo = 0;
  let hi = list.length; // first index whose date is after `date`
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].date <= date) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) {
    throw new DomainError('FX_RATE_UNKNOWN', `No ${currency} exchange rate is known on or before ${date} (AR_FX_RATES)`, { currency, date });
  }
  return list[lo - 1];
}

/**
 * `minor` units of `from` in units of `to`, at the rates of `date` (cross rate through EUR when neither is EUR):
 * minor × 10^exp(to) × rate(to) / (10^exp(from) × rate(from)), in BigInt, rounded half-up once to the minor unit.
 */
export function convert(table: FxRateTable, minor: number, from: string, to: string, date: CalendarDate): number {
  if (from === to) return minor;
  const rf = rateOn(table, from, date).scaled;
  const rt = rateOn(table, to, date).scaled;
  const num = BigInt(minor) * 10n ** BigInt(exponentOf(to)) * rt;
  const den = 10n ** BigInt(exponentOf(from)) * rf;
  const out = divideHalfUp(num, den);
  if (out > BigInt(Number.MAX_SAFE_INTEGER) || out < -BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${minor} ${from} in ${to} exceeds a safe integer`);
  return Number(out);
}
