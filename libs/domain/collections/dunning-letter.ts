import { addDays, daysBetween, type CalendarDate } from '../shared/dates';
import { effectiveBy, type RecordedFact } from '../reporting/effective-date';

/**
 * The figures a dunning letter states for one invoice, as of the run's date (ADR 0039): folded from the
 * invoice's own facts that took effect by then, so a run dated in the past states that date's figures and
 * every figure is one the engine recorded. Pure.
 */
export interface LetterFigures {
  number: string;
  currency: string;
  dueDate: CalendarDate;
  asOf: CalendarDate;
  daysLate: number;
  /** Principal still owed: the total less payments, credit notes, discounts and write-offs (payments lower the principal first, ADR 0016). */
  principal: number;
  /** Late-payment interest assessed and still owed (L441-10), and the annual rates it was assessed at (basis points). */
  interest: number;
  annualRatesBp: number[];
  /** The EUR 40 recovery compensation (D441-5), only when it was charged; 0 otherwise. */
  compensation: number;
  /** On a non-EUR invoice: how the EUR 40 was converted (ADR 0053), so the letter can say it; null otherwise. */
  compensationBasis: { eur: number; rate: string; rateDate: CalendarDate } | null;
  /** principal + interest + compensation = what the invoice owes as of `asOf`. */
  total: number;
  /** Pay by this day (Code civil 1344: a formal notice gives a time to pay). */
  deadline: CalendarDate;
}

/** Days given to pay from the letter's date. */
export const PAYMENT_DEADLINE_DAYS = 8;

type Fact = Pick<RecordedFact, 'type' | 'data' | 'metadata'>;

export function letterFigures(facts: Iterable<Fact>, asOf: CalendarDate, deadlineDays = PAYMENT_DEADLINE_DAYS): LetterFigures | null {
  let head: { number: string; currency: string; dueDate: CalendarDate } | null = null;
  let principal = 0;
  let interest = 0;
  let compensation = 0;
  let basis: LetterFigures['compensationBasis'] = null;
  const rates = new Set<number>();
  for (const f of facts) {
    if (!effectiveBy(f, asOf)) continue;
    const d = f.data as Record<string, any>;
    switch (f.type) {
      case 'InvoiceIssued': head = { number: d.number, currency: d.currency, dueDate: d.dueDate }; principal = d.total; break;
      case 'PaymentApplied': case 'CreditNoteApplied': case 'DiscountApplied': case 'InvoiceWrittenOff': case 'BankFeesWrittenOff': principal -= d.amount; break;
      case 'PaymentUnapplied': principal += d.amount - (d.recoveryReversed ?? 0); break;
      case 'DiscountReversed': case 'BankFeesReversed': principal += d.amount; break;
      case 'LateChargesAssessed':
        interest += d.interest; compensation += d.compensation;
        for (const l of d.lines ?? []) rates.add(l.annualRateBp);
        basis ??= d.compensationBasis ?? null;
        break;
      case 'LateChargesDeferred': basis ??= d.compensationBasis ?? null; break;
      case 'LateChargesReinstated': interest += d.interest; compensation += d.compensation; break;
      case 'LateChargesCorrected': interest -= d.interest; compensation -= d.compensation; break;
      default: break;
    }
  }
  if (head === null) return null;
  // Money beyond the principal paid the charges: interest first, then the compensation.
  if (principal < 0) { const take = Math.min(interest, -principal); interest -= take; principal += take; }
  if (principal < 0) { const take = Math.min(compensation, -principal); compensation -= take; principal += take; }
  return {
    ...head, asOf, daysLate: Math.max(0, daysBetween(head.dueDate, asOf)), principal, interest, annualRatesBp: [...rates].sort((a, b) => a - b),
    compensation, compensationBasis: compensation > 0 ? basis : null, total: principal + interest + compensation, deadline: addDays(asOf, deadlineDays),
  };
}
