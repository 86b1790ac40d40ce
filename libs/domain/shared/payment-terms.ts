import { addDays, CalendarDate, daysBetween, daysInMonth } from './dates';

/**
 * Payment terms (*conditions de paiement*): how the due date, and any early-payment discount, follow from the
 * invoice date. Shared by the Credit aggregate (the customer's terms) and the Invoice aggregate (the terms an
 * invoice was issued under, recorded in `InvoiceIssued`). Rates are integer basis points (1 % = 100 bp).
 *
 * - `net`: due `days` after the issue date ("net 30").
 * - `end_of_month`: due `days` after the last day of the issue date's month ("45 days end of month" is
 *   read here as end of month + 45 days).
 * - `early_discount`: due `netDays` after issue; paid in full within `discountDays` of issue, `discountBp`
 *   of the gross is waived ("2/10 net 30" = 200 bp, 10, 30).
 * - `instalments`: the gross falls due in parts, each `percentBp` of it, `days` after issue; parts sum to
 *   10 000 bp and their days strictly increase; the invoice's due date is that of the last part.
 */
export type PaymentTerms =
  | { type: 'net'; days: number }
  | { type: 'end_of_month'; days: number }
  | { type: 'early_discount'; discountBp: number; discountDays: number; netDays: number }
  | { type: 'instalments'; schedule: Instalment[] };

export interface Instalment {
  percentBp: number;
  days: number;
}

export type PaymentTermsType = PaymentTerms['type'];
export const PAYMENT_TERMS_TYPES: readonly PaymentTermsType[] = ['net', 'end_of_month', 'early_discount', 'instalments'];

export const FULL_BP = 10_000;

/** Terms of events written before terms were named: `paymentTermsDays` net. */
export function netTerms(days: number): PaymentTerms {
  return { type: 'net', days };
}

export function lastDayOfMonth(date: CalendarDate): CalendarDate {
  const [y, m] = date.split('-').map(Number);
  return `${date.slice(0, 8)}${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

/** The date the (last part of the) invoice falls due. */
export function dueDateFor(terms: PaymentTerms, issueDate: CalendarDate): CalendarDate {
  switch (terms.type) {
    case 'net':
      return addDays(issueDate, terms.days);
    case 'end_of_month':
      return addDays(lastDayOfMonth(issueDate), terms.days);
    case 'early_discount':
      return addDays(issueDate, terms.netDays);
    case 'instalments':
      return addDays(issueDate, terms.schedule[terms.schedule.length - 1].days);
  }
}

/** The early-payment discount window: paid in full on or before `until` → `discountBp` of the gross waived. */
export function discountWindow(terms: PaymentTerms, issueDate: CalendarDate): { until: CalendarDate; discountBp: number } | null {
  return terms.type === 'early_discount' ? { until: addDays(issueDate, terms.discountDays), discountBp: terms.discountBp } : null;
}

/** Calendar days from the issue date to the final due date: what the legal caps are checked against. */
export function termDays(terms: PaymentTerms, issueDate: CalendarDate): number {
  return daysBetween(issueDate, dueDateFor(terms, issueDate));
}

/**
 * Basis points as a percent string, in integers only: 200 → "2", 250 → "2.5" (`fixed`: "2.50"), 1 → "0.01".
 */
export function percentOfBp(bp: number, fixed = false): string {
  const whole = Math.trunc(bp / 100);
  const cents = String(Math.abs(bp % 100)).padStart(2, '0');
  if (cents === '00') return String(whole);
  return `${bp < 0 && whole === 0 ? '-' : ''}${whole}.${fixed ? cents : cents.replace(/0$/, '')}`;
}

/** A human label: "net 30", "end of month + 45", "2/10 net 30", "instalments 50%@30, 50%@60". */
export function describeTerms(terms: PaymentTerms): string {
  const pct = (bp: number) => percentOfBp(bp);
  switch (terms.type) {
    case 'net':
      return `net ${terms.days}`;
    case 'end_of_month':
      return `end of month + ${terms.days}`;
    case 'early_discount':
      return `${pct(terms.discountBp)}/${terms.discountDays} net ${terms.netDays}`;
    case 'instalments':
      return `instalments ${terms.schedule.map((i) => `${pct(i.percentBp)}%@${i.days}`).join(', ')}`;
  }
}
