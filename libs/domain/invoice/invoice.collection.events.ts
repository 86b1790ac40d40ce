import { DomainEvent } from '../shared/decider';
import { CalendarDate } from '../shared/dates';

/**
 * Part of a payment taken back from the invoice (re-allocation or reversal of the payment): the invoice
 * owes it again. `recoveryReversed` is the part that had been a bad-debt recovery (it does not raise the
 * outstanding: the amount is written off again); `outstanding` is what is owed after; `reopened` says the
 * invoice was closed (outstanding 0) before.
 */
export type PaymentUnapplied = DomainEvent<'PaymentUnapplied', {
  invoiceId: string;
  customerId: string;
  paymentId: string;
  amount: number;
  on: CalendarDate;
  reason: 'reallocation' | 'reversal';
  recoveryReversed: number;
  outstanding: number;
  reopened: boolean;
}>;

/** Passage en perte: part or all of the outstanding given up, with a reason and who approved it. */
export type InvoiceWrittenOff = DomainEvent<'InvoiceWrittenOff', {
  invoiceId: string;
  customerId: string;
  amount: number;
  reason: string;
  approvedBy: string;
  writtenOffOn: CalendarDate;
  /** What is still owed after the write-off (0 = fully written off, the item is closed). */
  outstanding: number;
}>;

/**
 * Money received on an invoice after (part of) it was written off, beyond what is still owed: a recovery
 * of bad debt, not an over-payment. `recoverable` is what of the write-off may still be recovered after.
 */
export type BadDebtRecovered = DomainEvent<'BadDebtRecovered', {
  invoiceId: string;
  customerId: string;
  paymentId: string;
  amount: number;
  receivedOn: CalendarDate;
  recoverable: number;
}>;

export type InvoiceCollectionEvent = PaymentUnapplied | InvoiceWrittenOff | BadDebtRecovered;
export const INVOICE_COLLECTION_EVENT_TYPES = ['PaymentUnapplied', 'InvoiceWrittenOff', 'BadDebtRecovered'] as const;
