import type { CalendarDate } from '../shared/dates';

/** What the point-in-time fold needs of a recorded event (a stored or projected event fits). */
export interface RecordedFact {
  readonly type: string;
  readonly data: Record<string, unknown> & { customerId?: string };
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly metadata: { readonly recordedAt: string };
}

/**
 * The business date on which a fact takes effect: what "as of D" filters on. An invoice counts from its
 * issue date and a payment from the day the money was received, whenever they were recorded (a back-dated
 * payment recorded in March still counts as of February). Facts without a business date take effect on the
 * UTC day they were recorded.
 *
 * Several fields: the first present wins (a later allocation takes effect on `appliedOn`, else `receivedOn`).
 * The dates are those the journal books the fact on, so the 411 balance as of D matches the statement.
 * New event types: add a line here when the payload carries its business date; otherwise the recorded day applies.
 */
export const EFFECTIVE_DATE_FIELD: Readonly<Record<string, string | readonly string[]>> = {
  InvoiceIssued: 'issueDate',
  PaymentApplied: ['appliedOn', 'receivedOn'],
  InvoiceSettled: 'settledOn',
  PaymentReceived: 'receivedOn',
  PaymentAllocated: ['appliedOn', 'receivedOn'],
  PaymentUnapplied: 'on',
  PaymentDeallocated: 'on',
  PaymentReversed: 'reversedOn',
  PaymentRefunded: 'refundedOn',
  PaymentHeldForReview: 'receivedOn',
  InvoiceWrittenOff: 'writtenOffOn',
  BadDebtRecovered: 'receivedOn',
  CreditNoteIssued: 'issueDate',
  CreditNoteApplied: 'on',
  CreditNoteAllocated: 'on',
  CreditNoteRefunded: 'refundedOn',
  DiscountApplied: 'on',
  DiscountReversed: 'on',
  BankFeesWrittenOff: 'on',
  BankFeesReversed: 'on',
  LateChargesAssessed: 'through',
  LateChargesCorrected: 'on',
  LateChargesDeferred: 'through',
  LateChargesReinstated: 'on',
  DisputeOpened: 'openedOn',
  DisputeResolved: 'resolvedOn',
  ReminderSent: 'asOf',
  HandedToCollectionAgency: 'asOf',
};

/**
 * Facts that hold from the start of the account whatever day they were recorded: the registration is the
 * precondition of every other fact (an account migrated today with invoices back to January is registered as
 * of January too).
 */
export const EFFECTIVE_FROM_THE_START: ReadonlySet<string> = new Set(['CustomerRegistered']);

/** True when the fact belongs to the account as of `asOf` (every fact when `asOf` is absent). */
export function effectiveBy(fact: Pick<RecordedFact, 'type' | 'data' | 'metadata'>, asOf: CalendarDate | undefined): boolean {
  return asOf === undefined || EFFECTIVE_FROM_THE_START.has(fact.type) || effectiveDate(fact) <= asOf;
}

export function effectiveDate(fact: Pick<RecordedFact, 'type' | 'data' | 'metadata'>): CalendarDate {
  const field = EFFECTIVE_DATE_FIELD[fact.type];
  for (const f of field === undefined ? [] : typeof field === 'string' ? [field] : field) {
    const value = fact.data[f];
    if (typeof value === 'string') return value;
  }
  return fact.metadata.recordedAt.slice(0, 10);
}
