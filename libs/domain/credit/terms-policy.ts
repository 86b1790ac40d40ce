import { DomainError, invalid } from '../shared/errors';
import { parseScaled } from '../shared/money';
import { describeTerms, FULL_BP, Instalment, PaymentTerms, percentOfBp } from '../shared/payment-terms';
import { isCountry, isEuCountry } from './countries';

/**
 * Payment terms policy: validation of terms, parsing of the HTTP form (named templates such as "2/10 net 30",
 * percent decimal strings → basis points) and the statutory caps on agreed terms per country.
 */

export const MAX_TERM_DAYS = 365;
export const MAX_INSTALMENTS = 24;

/** A statutory cap on agreed payment terms (B2B), with its source. */
export interface LegalCap {
  country: string;
  /** Most calendar days from the invoice date to the (last) due date. */
  maxDays: number;
  /** "45 jours fin de mois": the largest end-of-month offset allowed, when the law names one. */
  maxEndOfMonthDays: number | null;
  source: string;
}

/** What the cap check found; recorded in the events that set terms. */
export interface CapCheck {
  legalCap: LegalCap | null;
  /** Longest possible time from invoice date to final due date under these terms (end of month: issued on the 1st of a 31-day month). */
  worstCaseDays: number;
  beyondLegalCap: boolean;
}

/** France: Code de commerce L441-10 (60 days from invoice, or 45 days end of month); other EU: 2011/7/EU art. 3(5). */
export function legalCapFor(country: string): LegalCap | null {
  if (country === 'FR') return { country, maxDays: 60, maxEndOfMonthDays: 45, source: 'Code de commerce L441-10 I' };
  if (isEuCountry(country)) return { country, maxDays: 60, maxEndOfMonthDays: null, source: 'Directive 2011/7/EU art. 3(5)' };
  return null;
}

export function worstCaseDays(terms: PaymentTerms): number {
  switch (terms.type) {
    case 'net':
      return terms.days;
    case 'end_of_month':
      return 30 + terms.days;
    case 'early_discount':
      return terms.netDays;
    case 'instalments':
      return terms.schedule[terms.schedule.length - 1].days;
  }
}

export function checkLegalCap(terms: PaymentTerms, country: string): CapCheck {
  const legalCap = legalCapFor(country);
  const worst = worstCaseDays(terms);
  if (legalCap === null) return { legalCap, worstCaseDays: worst, beyondLegalCap: false };
  const beyond = terms.type === 'end_of_month' && legalCap.maxEndOfMonthDays !== null
    ? terms.days > legalCap.maxEndOfMonthDays && worst > legalCap.maxDays
    : worst > legalCap.maxDays;
  return { legalCap, worstCaseDays: worst, beyondLegalCap: beyond };
}

/** Refuses terms beyond the cap unless the parties expressly agreed them (the flag is recorded by the caller). */
export function enforceLegalCap(terms: PaymentTerms, country: string, agreedBeyondCap: boolean, field: string): CapCheck {
  const check = checkLegalCap(terms, country);
  if (check.beyondLegalCap && !agreedBeyondCap) {
    const cap = check.legalCap!;
    throw new DomainError(
      'PAYMENT_TERMS_BEYOND_LEGAL_CAP',
      `Terms "${describeTerms(terms)}" exceed the legal cap for ${country} (${cap.source}: ${cap.maxDays} days`
        + `${cap.maxEndOfMonthDays !== null ? ` or ${cap.maxEndOfMonthDays} days end of month` : ''}); set agreedBeyondCap if expressly agreed`,
      { field, country, terms: describeTerms(terms), worstCaseDays: check.worstCaseDays, maxDays: cap.maxDays, maxEndOfMonthDays: cap.maxEndOfMonthDays, source: cap.source },
    );
  }
  return check;
}

function days(value: unknown, field: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > MAX_TERM_DAYS) {
    throw invalid('PAYMENT_TERMS_INVALID', `${field} must be an integer between ${min} and ${MAX_TERM_DAYS}`, field);
  }
  return value;
}

function bp(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw invalid('PAYMENT_TERMS_INVALID', `${field} must be between 0.01 % and ${max / 100} %`, field);
  }
  return value;
}

/** Re-checks terms built anywhere (decide never trusts its input); returns a clean copy. */
export function validateTerms(terms: unknown, field = 'terms'): PaymentTerms {
  if (terms === null || typeof terms !== 'object') throw invalid('PAYMENT_TERMS_UNKNOWN', `${field} must be payment terms`, field);
  const t = terms as Record<string, unknown>;
  switch (t.type) {
    case 'net':
      return { type: 'net', days: days(t.days, `${field}.days`) };
    case 'end_of_month':
      return { type: 'end_of_month', days: days(t.days, `${field}.days`) };
    case 'early_discount': {
      const discountBp = bp(t.discountBp, `${field}.discountPercent`, 5_000);
      const discountDays = days(t.discountDays, `${field}.discountDays`, 1);
      const netDays = days(t.netDays, `${field}.netDays`, 1);
      if (discountDays >= netDays) throw invalid('PAYMENT_TERMS_INVALID', `${field}: the discount window must end before the net due date`, `${field}.discountDays`);
      return { type: 'early_discount', discountBp, discountDays, netDays };
    }
    case 'instalments': {
      const schedule = t.schedule;
      if (!Array.isArray(schedule) || schedule.length < 2 || schedule.length > MAX_INSTALMENTS) {
        throw invalid('PAYMENT_TERMS_INVALID', `${field}.schedule must list 2 to ${MAX_INSTALMENTS} instalments`, `${field}.schedule`);
      }
      const parts: Instalment[] = schedule.map((p: { percentBp?: unknown; days?: unknown } | null, i) => ({
        percentBp: bp(p?.percentBp, `${field}.schedule[${i}].percent`, FULL_BP),
        days: days(p?.days, `${field}.schedule[${i}].days`),
      }));
      parts.forEach((p, i) => {
        if (i > 0 && p.days <= parts[i - 1].days) throw invalid('PAYMENT_TERMS_INVALID', 'instalment days must strictly increase', `${field}.schedule[${i}].days`);
      });
      const total = parts.reduce((s, p) => s + p.percentBp, 0);
      if (total !== FULL_BP) {
        throw invalid('INSTALMENTS_NOT_100_PERCENT', `instalments sum to ${total / 100} %, not 100 %`, `${field}.schedule`, { totalPercent: `${total / 100}` });
      }
      return { type: 'instalments', schedule: parts };
    }
    default:
      throw invalid('PAYMENT_TERMS_UNKNOWN', `${field}.type must be one of net, end_of_month, early_discount, instalments, or a template such as "net 30", "end of month + 45", "2/10 net 30"`, field);
  }
}

/** "2" or "2.5" (percent, ≤ 2 decimals) → basis points. */
function percentToBp(text: unknown, field: string): number {
  try {
    return Number(parseScaled(text, 2, field));
  } catch {
    throw invalid('PAYMENT_TERMS_INVALID', `${field} must be a percent decimal string such as "2" or "2.5"`, field);
  }
}

const TEMPLATES: Array<[RegExp, (m: RegExpExecArray, field: string) => unknown]> = [
  [/^net\s+(\d{1,3})$/, (m) => ({ type: 'net', days: Number(m[1]) })],
  [/^(?:end of month|eom)\s*\+\s*(\d{1,3})$/, (m) => ({ type: 'end_of_month', days: Number(m[1]) })],
  [/^(\d{1,3}) days end of month$/, (m) => ({ type: 'end_of_month', days: Number(m[1]) })],
  [/^(\d{1,2}(?:\.\d{1,2})?)\/(\d{1,3})\s+net\s+(\d{1,3})$/, (m, f) => ({
    type: 'early_discount', discountBp: percentToBp(m[1], `${f}.discountPercent`), discountDays: Number(m[2]), netDays: Number(m[3]),
  })],
];

/**
 * The HTTP form of terms: a named template ("net 30", "end of month + 45", "45 days end of month", "2/10 net 30")
 * or an object with percent decimal strings: {type:"early_discount", discountPercent:"2", discountDays:10, netDays:30},
 * {type:"instalments", schedule:[{percent:"50", days:30}, {percent:"50", days:60}]}.
 */
export function parseTermsForm(form: unknown, field = 'terms'): PaymentTerms {
  if (typeof form === 'string') {
    const text = form.trim().toLowerCase().replace(/\s+/g, ' ');
    for (const [re, build] of TEMPLATES) {
      const m = re.exec(text);
      if (m) return validateTerms(build(m, field), field);
    }
    throw invalid('PAYMENT_TERMS_UNKNOWN', `Unknown payment terms "${form}"; use "net 30", "end of month + 45", "2/10 net 30" or an object`, field);
  }
  if (form === null || typeof form !== 'object' || Array.isArray(form)) {
    throw invalid('PAYMENT_TERMS_UNKNOWN', `${field} must be a template string or an object`, field);
  }
  const f = form as Record<string, unknown>;
  switch (f.type) {
    case 'early_discount':
      return validateTerms({ type: 'early_discount', discountBp: percentToBp(f.discountPercent, `${field}.discountPercent`), discountDays: f.discountDays, netDays: f.netDays }, field);
    case 'instalments':
      if (!Array.isArray(f.schedule)) throw invalid('PAYMENT_TERMS_INVALID', `${field}.schedule must be an array`, `${field}.schedule`);
      return validateTerms({
        type: 'instalments',
        schedule: f.schedule.map((p: { percent?: unknown; days?: unknown } | null, i: number) => ({
          percentBp: percentToBp(p?.percent, `${field}.schedule[${i}].percent`), days: p?.days,
        })),
      }, field);
    default:
      return validateTerms({ type: f.type, days: f.days }, field);
  }
}

/** The HTTP form back out: percent strings instead of basis points, plus a label. */
export function termsView(terms: PaymentTerms): Record<string, unknown> {
  const pct = (v: number) => percentOfBp(v, true);
  switch (terms.type) {
    case 'early_discount':
      return { type: terms.type, discountPercent: pct(terms.discountBp), discountDays: terms.discountDays, netDays: terms.netDays, description: describeTerms(terms) };
    case 'instalments':
      return { type: terms.type, schedule: terms.schedule.map((p) => ({ percent: pct(p.percentBp), days: p.days })), description: describeTerms(terms) };
    default:
      return { type: terms.type, days: terms.days, description: describeTerms(terms) };
  }
}

/** ISO 3166-1 alpha-2, upper case. */
export function requireCountry(value: unknown, field = 'country'): string {
  if (typeof value !== 'string' || !isCountry(value)) {
    throw invalid('COUNTRY_UNKNOWN', `${field} must be an ISO 3166-1 alpha-2 code such as FR`, field, { country: value });
  }
  return value;
}
