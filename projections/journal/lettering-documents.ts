/**
 * Lettering (lettrage) of the customer account: which AR documents each journal entry's 411 line concerns, and
 * which documents settle which. The FEC export letters together the 411 lines of documents linked this way
 * once they balance (ADR 0050). Document keys: `invoice:<id>`, `payment:<id>`, `creditnote:<id>`.
 */
const inv = (d: Record<string, unknown>) => `invoice:${String(d.invoiceId)}`;
const pay = (d: Record<string, unknown>) => `payment:${String(d.paymentId)}`;
const note = (d: Record<string, unknown>) => `creditnote:${String(d.creditNoteId)}`;

const DOCUMENTS: Readonly<Record<string, (d: Record<string, unknown>) => string[]>> = {
  InvoiceIssued: (d) => [inv(d)],
  PaymentReceived: (d) => [pay(d)],
  CreditNoteIssued: (d) => (typeof d.invoiceId === 'string' ? [note(d), inv(d)] : [note(d)]),
  DiscountApplied: (d) => [inv(d), pay(d)],
  InvoiceWrittenOff: (d) => [inv(d)],
  BadDebtRecovered: (d) => [inv(d), pay(d)],
  PaymentUnapplied: (d) => [inv(d), pay(d)],
  LateChargesAssessed: (d) => [inv(d)],
  LateChargesReinstated: (d) => [inv(d)],
  LateChargesCorrected: (d) => [inv(d)],
  DiscountReversed: (d) => [inv(d), pay(d)],
  BankFeesWrittenOff: (d) => [inv(d), pay(d)],
  BankFeesReversed: (d) => [inv(d), pay(d)],
  PaymentReversed: (d) => [pay(d)],
  PaymentRefunded: (d) => [pay(d)],
  CreditNoteRefunded: (d) => [note(d)],
};

/** The documents the 411 line of this event's journal entry concerns (the first one is the entry's own). */
export function letteringDocuments(type: string, data: Record<string, unknown>): string[] {
  return DOCUMENTS[type]?.(data) ?? [];
}

/** Settlements that book nothing on 411 by themselves but tie two documents: a payment or credit note applied to an invoice. */
export function letteringLink(type: string, data: Record<string, unknown>): [string, string] | null {
  if (type === 'PaymentApplied') return [inv(data), pay(data)];
  if (type === 'CreditNoteApplied') return [inv(data), note(data)];
  return null;
}
