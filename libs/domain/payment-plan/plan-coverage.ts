import type { CalendarDate } from '../shared/dates';
import { effectiveBy, type RecordedFact } from '../reporting/effective-date';

/**
 * What an invoice's facts recorded after it joined the plan paid towards it by `asOf`: payments, credit notes, discounts and write-offs that took effect by then, less
 * payments and discounts taken back. Late charges are not instalments: they never lower what is covered, so a
 * plan being kept is not broken by them. A check as of a past date counts only what was received by then.
 */
export function coveredByPlan(facts: Iterable<Pick<RecordedFact, 'type' | 'data' | 'metadata'>>, planId: string, asOf: CalendarDate): number {
  let attached = false;
  let covered = 0;
  for (const f of facts) {
    const d = f.data as Record<string, any>;
    if (f.type === 'PaymentPlanAttached' && d.planId === planId) { attached = true; continue; }
    if (!attached || !effectiveBy(f, asOf)) continue;
    switch (f.type) {
      case 'PaymentApplied': case 'CreditNoteApplied': case 'DiscountApplied': case 'InvoiceWrittenOff': case 'BankFeesWrittenOff': covered += d.amount; break;
      case 'PaymentUnapplied': covered -= d.amount - (d.recoveryReversed ?? 0); break;
      case 'DiscountReversed': case 'BankFeesReversed': covered -= d.amount; break;
      default: break;
    }
  }
  return covered;
}
