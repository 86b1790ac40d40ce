import { CalendarDate } from '../shared/dates';
import { DomainEvent } from '../shared/decider';

/**
 * Four eyes on large write-offs (ADR 0042): a write-off above the configured amount is a request, and a second
 * principal with the permission approves it (then InvoiceWrittenOff follows) or rejects it. The requester
 * cannot approve. One request open per invoice.
 */
export type WriteOffRequested = DomainEvent<'WriteOffRequested', {
  invoiceId: string;
  customerId: string;
  requestId: string;
  /** The invoice's currency (of `amount` and `approvalAbove`). */
  currency: string;
  /** What would be written off (minor units), fixed at the request: the approver approves this figure. */
  amount: number;
  reason: string;
  /** The write-off's effective date once approved. */
  on: CalendarDate;
  requestedBy: string;
  /** The threshold it exceeded (minor units), as configured then. */
  approvalAbove: number;
}>;

export type WriteOffRequestApproved = DomainEvent<'WriteOffRequestApproved', {
  invoiceId: string;
  customerId: string;
  requestId: string;
  requestedBy: string;
  approvedBy: string;
}>;

export type WriteOffRequestRejected = DomainEvent<'WriteOffRequestRejected', {
  invoiceId: string;
  customerId: string;
  requestId: string;
  requestedBy: string;
  rejectedBy: string;
  reason: string;
}>;

export type WriteOffRequestEvent = WriteOffRequested | WriteOffRequestApproved | WriteOffRequestRejected;

export interface PendingWriteOff {
  requestId: string;
  amount: number;
  reason: string;
  on: CalendarDate;
  requestedBy: string;
}

export const WRITE_OFF_REQUEST_EVENT_TYPES = ['WriteOffRequested', 'WriteOffRequestApproved', 'WriteOffRequestRejected'] as const;
