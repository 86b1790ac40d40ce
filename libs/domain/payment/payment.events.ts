import { DomainEvent } from '../shared/decider';
import { CalendarDate } from '../shared/dates';

export type PaymentReceived = DomainEvent<'PaymentReceived', {
  paymentId: string;
  customerId: string;
  amount: number;
  currency: string;
  receivedOn: CalendarDate;
  method: string;
  reference: string | null;
}>;

/**
 * Lettrage: part of a payment matched to an invoice. `rule` says why this invoice;
 * `unapplied` is what of the payment remains unmatched after this allocation.
 */
export type PaymentAllocated = DomainEvent<'PaymentAllocated', {
  paymentId: string;
  customerId: string;
  invoiceId: string;
  amount: number;
  receivedOn: CalendarDate;
  rule: 'explicit' | 'reference' | 'oldest_due';
  unapplied: number;
}>;

export type PaymentEvent = PaymentReceived | PaymentAllocated;
export const PAYMENT_EVENT_TYPES = ['PaymentReceived', 'PaymentAllocated'] as const;
