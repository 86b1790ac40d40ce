import { DomainEvent } from '../shared/decider';
import { CalendarDate } from '../shared/dates';

/**
 * Part of an allocation taken back from an invoice (re-allocation, reversal): the invoice owes it again
 * and, for a re-allocation, it returns to the payment's unapplied cash first.
 */
export type PaymentDeallocated = DomainEvent<'PaymentDeallocated', {
  paymentId: string;
  customerId: string;
  invoiceId: string;
  amount: number;
  on: CalendarDate;
  reason: 'reallocation' | 'reversal';
  /** The payment's unapplied cash after this event. */
  unapplied: number;
}>;

/** The payment bounced or was charged back: every allocation was taken back before it; its cash is gone. */
export type PaymentReversed = DomainEvent<'PaymentReversed', {
  paymentId: string;
  customerId: string;
  amount: number;
  reason: string;
  reversedOn: CalendarDate;
  /** Customer credit that disappeared with the payment (its unapplied cash at reversal). */
  creditRemoved: number;
}>;

/** Unapplied cash paid back to the customer (remboursement d'avoir / de trop-perçu). */
export type PaymentRefunded = DomainEvent<'PaymentRefunded', {
  paymentId: string;
  customerId: string;
  refundId: string;
  amount: number;
  refundedOn: CalendarDate;
  method: string;
  unapplied: number;
}>;

/**
 * The payment's `reference` names no open invoice of this customer (another customer's invoice number, a
 * paid one, a typo): nothing was allocated automatically; its cash waits as customer credit for a person
 * to apply it (ADR 0032). Written right after PaymentReceived.
 */
export type PaymentHeldForReview = DomainEvent<'PaymentHeldForReview', {
  paymentId: string;
  customerId: string;
  reference: string;
  reason: 'reference_not_open';
  /** The cash held unapplied. */
  amount: number;
  receivedOn: CalendarDate;
}>;

export type PaymentCollectionEvent = PaymentDeallocated | PaymentReversed | PaymentRefunded | PaymentHeldForReview;
export const PAYMENT_COLLECTION_EVENT_TYPES = ['PaymentDeallocated', 'PaymentReversed', 'PaymentRefunded', 'PaymentHeldForReview'] as const;
