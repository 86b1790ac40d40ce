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

export type PaymentCollectionEvent = PaymentDeallocated | PaymentReversed | PaymentRefunded;
export const PAYMENT_COLLECTION_EVENT_TYPES = ['PaymentDeallocated', 'PaymentReversed', 'PaymentRefunded'] as const;
