import { addDays, CalendarDate, daysBetween, isCalendarDate } from '../shared/dates';
import { DomainError, invalid } from '../shared/errors';
import { convert, EMPTY_FX_RATES, rateOn as fxRateOn, type FxRateTable } from '../shared/fx-rates';
import { divideHalfUp } from '../shared/money';
import shipped from './ecb-main-refinancing-rate.json';

/**
 * Late-payment charges between businesses (EU 2011/7/EU art. 2–6; France L441-10, D441-5):
 * simple interest from the day after the due date at the reference rate + 8 points (France + 10), the
 * reference rate being the ECB main refinancing rate in force on 1 January (January–June) or 1 July
 * (July–December); plus a fixed EUR 40 compensation once per late invoice, in any currency (converted at the due
 * date's exchange rate, ADR 0053). Pure: the rate tables and the dates come in.
 */

/** One dated rate: in force from `from` (inclusive) until the next entry. */
export interface RateEntry {
  from: CalendarDate;
  rateBp: number;
}

export interface RateTable {
  source: string;
  rates: readonly RateEntry[];
}

/** The table shipped with the engine (`ecb-main-refinancing-rate.json`, with its source). */
export const SHIPPED_ECB_RATES: RateTable = { source: shipped.source, rates: shipped.rates };

/** The shipped table with later (or corrected) entries from configuration; same date → the configured one wins. */
export function extendRates(table: RateTable, extra: readonly RateEntry[]): RateTable {
  const byDate = new Map(table.rates.map((r) => [r.from, r.rateBp]));
  for (const r of extra) byDate.set(r.from, r.rateBp);
  const rates = [...byDate.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([from, rateBp]) => ({ from, rateBp }));
  return { source: extra.length > 0 ? `${table.source} + configuration (AR_ECB_RATES)` : table.source, rates };
}

/** Parses `2026-01-01:2.15,2026-07-01:2.00` (percent, at most 2 decimals). */
export function parseRateList(text: string): RateEntry[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const m = /^(\d{4}-\d{2}-\d{2}):(\d{1,2})(?:\.(\d{1,2}))?$/.exec(part.trim());
    if (!m || !isCalendarDate(m[1])) throw new Error(`rate "${part}" must be YYYY-MM-DD:percent, e.g. 2026-01-01:2.15`);
    return { from: m[1], rateBp: Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0')) };
  });
}

export function rateOn(table: RateTable, date: CalendarDate): number {
  let found: number | null = null;
  for (const r of table.rates) if (r.from <= date) found = r.rateBp;
  if (found === null) {
    throw new DomainError('REFERENCE_RATE_UNKNOWN', `No reference rate is known for ${date}`, { date, firstKnown: table.rates[0]?.from ?? null });
  }
  return found;
}

/** First day of the half-year containing `date` (1 January or 1 July). */
export function halfYearStart(date: CalendarDate): CalendarDate {
  return `${date.slice(0, 4)}-${Number(date.slice(5, 7)) <= 6 ? '01' : '07'}-01`;
}

function nextHalfYearStart(date: CalendarDate): CalendarDate {
  const y = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) <= 6 ? `${y}-07-01` : `${y + 1}-01-01`;
}

/** Margin over the reference rate: France + 10 points by default (L441-10), elsewhere + 8 (2011/7/EU). */
export function marginBpFor(country: string): number {
  return country === 'FR' ? 1000 : 800;
}

/** The fixed recovery compensation of Code de commerce D441-5: EUR 40.00 once per late invoice, in euro cents. */
export const RECOVERY_COMPENSATION_EUR = 4000;

/** The EUR 40 in the invoice's currency and how it was converted (ADR 0053). */
export interface CompensationBasis {
  /** What is charged, in minor units of the invoice currency. */
  amount: number;
  /** The legal amount, euro cents (4000). */
  eur: number;
  /** Units of the invoice currency per 1 EUR ("1" for EUR) and the date of that rate (the due date's, or the latest before it). */
  rate: string;
  rateDate: CalendarDate;
}

/**
 * EUR 40 (D441-5) in any currency, at the rate of the due date or the latest before it (the day the indemnity
 * became due, the day after the due date, takes the due date's published rate); 422 FX_RATE_UNKNOWN when none.
 */
export function compensationFor(currency: string, dueDate: CalendarDate, fx: FxRateTable = EMPTY_FX_RATES): CompensationBasis {
  if (currency === 'EUR') return { amount: RECOVERY_COMPENSATION_EUR, eur: RECOVERY_COMPENSATION_EUR, rate: '1', rateDate: dueDate };
  const rate = fxRateOn(fx, currency, dueDate);
  return { amount: convert(fx, RECOVERY_COMPENSATION_EUR, 'EUR', currency, dueDate), eur: RECOVERY_COMPENSATION_EUR, rate: rate.text, rateDate: rate.date };
}

export interface LateChargeInput {
  dueDate: CalendarDate;
  total: number;
  /** Every dated change of what is owed on the invoice other than charges (+ lowers, − raises). */
  changes: ReadonlyArray<{ on: CalendarDate; amount: number }>;
  /** Interest runs from this day (the day after the due date, or the day after the last assessed period). */
  from: CalendarDate;
  /** Last day of interest (inclusive). */
  through: CalendarDate;
  country: string;
  currency: string;
  compensationDue: boolean;
  rates: RateTable;
  /** Exchange rates (AR_FX_RATES) converting the EUR 40 into a non-EUR invoice currency; unused for EUR. */
  fx?: FxRateTable;
  /** The compensation as already assessed (a correction recomputes with it, never with today's rates); absent = from `fx`. */
  compensationBasis?: CompensationBasis;
  /** Days per year (actual/365 by default). */
  dayBasis: number;
  /** The margin over the reference rate; absent = by `country` (a correction reuses the assessed margin). */
  marginBp?: number;
  /** Days (inclusive ranges) that bear no interest: a kept plan's waiver (ADR 0051). They still make the invoice late for the compensation. */
  exempt?: ReadonlyArray<{ from: CalendarDate; to: CalendarDate }>;
}

/** One line: a run of days with the same principal and the same half-year rate. */
export interface LateChargeLine {
  from: CalendarDate;
  to: CalendarDate;
  days: number;
  principal: number;
  referenceRateBp: number;
  marginBp: number;
  annualRateBp: number;
  /** principal × rate × days / (10 000 × basis), exact, as numerator over `denominator`. */
  numerator: bigint;
  /** Rounded half-up to the minor unit, for reading; the total is rounded once from the exact sum. */
  interest: number;
}

export interface LateChargeComputation {
  from: CalendarDate;
  through: CalendarDate;
  dayBasis: number;
  lines: LateChargeLine[];
  interest: number;
  compensation: number;
  /** How the compensation was converted; null when none is charged. */
  compensationBasis: CompensationBasis | null;
  total: number;
  rateSource: string;
}

/**
 * Principal owed on each day = total − changes received strictly before that day (a payment lowers it from
 * the day after it is received). Interest per run of days with the same principal and half-year, summed
 * exactly, rounded once, half-up.
 */
export function computeLateCharges(input: LateChargeInput): LateChargeComputation {
  const { from, through, dayBasis } = input;
  if (!Number.isSafeInteger(dayBasis) || dayBasis <= 0) throw invalid('DAY_BASIS_INVALID', 'day basis must be a positive number of days', 'dayBasis');
  const margin = input.marginBp ?? marginBpFor(input.country);
  const denominator = 10_000n * BigInt(dayBasis);
  // Days on which the principal changes: the day after each change.
  const exempt = input.exempt ?? [];
  const breaks = [...new Set([...input.changes.map((c) => addDays(c.on, 1)), ...exempt.flatMap((x) => [x.from, addDays(x.to, 1)])])].filter((d) => d > from && d <= through).sort();
  const lines: LateChargeLine[] = [];
  let late = false;
  let start = from;
  while (start <= through) {
    const halfEnd = addDays(nextHalfYearStart(start), -1);
    const nextBreak = breaks.find((b) => b > start);
    let end = halfEnd < through ? halfEnd : through;
    if (nextBreak !== undefined && addDays(nextBreak, -1) < end) end = addDays(nextBreak, -1);
    const owed = Math.max(0, input.total - input.changes.filter((c) => c.on < start).reduce((s, c) => s + c.amount, 0));
    late ||= owed > 0;
    const principal = exempt.some((x) => x.from <= start && start <= x.to) ? 0 : owed;
    // The rate is looked up only for days that bear interest (a correction knows the rates of assessed days only).
    const reference = principal > 0 ? rateOn(input.rates, halfYearStart(start)) : 0;
    const days = daysBetween(start, end) + 1;
    const annual = reference + margin;
    const numerator = BigInt(principal) * BigInt(annual) * BigInt(days);
    if (principal > 0) {
      lines.push({ from: start, to: end, days, principal, referenceRateBp: reference, marginBp: margin, annualRateBp: annual, numerator, interest: Number(divideHalfUp(numerator, denominator)) });
    }
    start = addDays(end, 1);
  }
  const exact = lines.reduce((s, l) => s + l.numerator, 0n);
  const interest = Number(divideHalfUp(exact, denominator));
  // Converted only when charged: an invoice paid on time needs no rate.
  const basis = input.compensationDue && late ? input.compensationBasis ?? compensationFor(input.currency, input.dueDate, input.fx) : null;
  const compensation = basis?.amount ?? 0;
  return { from, through, dayBasis, lines, interest, compensation, compensationBasis: basis, total: interest + compensation, rateSource: input.rates.source };
}
