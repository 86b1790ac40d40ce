import { DomainEvent } from '../shared/decider';
import { CalendarDate } from '../shared/dates';
import { PAYMENT_COLLECTION_EVENT_TYPES, PaymentCollectionEvent } from './payment.collection.events';

export type PaymentReceived = DomainEvent<'PaymentReceived', {
  paymentId: string;
  customerId: string;
  amount: number;
  currency: string;
  receivedOn: CalendarDate;
  method: string;
  reference: string | null;
  /** v2: the bank statement line this receipt was applied from (cash application, ADR 0087); absent otherwise. */
  bankEntryId?: string;
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
  rule: 'explicit' | 'reference' | 'oldest_due' | 'credit' | 'reallocation';
  unapplied: number;
  /**
   * Key the invoice deduplicates on; absent on allocations made when the payment was recorded (= paymentId).
   * Later allocations (customer credit applied, re-allocation) are `<paymentId>/<n>`.
   */
  allocationId?: string;
  /**
   * Date the allocation takes effect on the invoice; absent = `receivedOn` (allocated when recorded). Also set
   * when the payment is recorded if the invoice was issued after `receivedOn`: the issue date (ADR 0032).
   */
  appliedOn?: CalendarDate;
}>;

export type PaymentEvent = PaymentReceived | PaymentAllocated | PaymentCollectionEvent;
export const PAYMENT_EVENT_TYPES = ['PaymentReceived', 'PaymentAllocated', ...PAYMENT_COLLECTION_EVENT_TYPES] as const;
