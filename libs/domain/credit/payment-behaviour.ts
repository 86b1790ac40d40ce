import { addDays, CalendarDate, daysBetween } from '../shared/dates';
import type { PaymentBehaviour } from './assessment-model';

/** What the assessment needs of one invoice, as the invoices read model lists it. */
export interface InvoiceRecord {
  invoiceId: string;
  dueDate: CalendarDate;
  settledOn: CalendarDate | null;
  status: string;
}

export const BEHAVIOUR_SOURCE = 'invoices read model: invoices whose due date falls in (assessedOn − 365 days, assessedOn]';
export const DISPUTES_SOURCE = "invoices read model: invoices whose status is 'disputed' as of the assessment";

/**
 * The customer's own payment behaviour over the 12 months before `asOf`: an invoice is late when it was settled
 * after its due date, or is still unsettled after it; days late run to the settlement (or to `asOf`).
 */
export function paymentBehaviour(invoices: readonly InvoiceRecord[], asOf: CalendarDate): PaymentBehaviour {
  const from = addDays(asOf, -365);
  const due = invoices.filter((i) => i.dueDate > from && i.dueDate <= asOf);
  let paidLate = 0;
  let daysLate = 0;
  for (const i of due) {
    const end = i.settledOn !== null && i.settledOn <= asOf ? i.settledOn : asOf;
    const late = Math.max(0, daysBetween(i.dueDate, end));
    if (late > 0) paidLate++;
    daysLate += late;
  }
  return {
    source: BEHAVIOUR_SOURCE,
    window: { from: addDays(from, 1), to: asOf },
    invoicesDue: due.length,
    paidLate,
    averageDaysLate: due.length === 0 ? 0 : Math.round((daysLate * 100) / due.length) / 100,
    openDisputes: invoices.filter((i) => i.status === 'disputed').length,
    disputesSource: DISPUTES_SOURCE,
  };
}
