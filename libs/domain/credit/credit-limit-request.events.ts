import { DomainEvent } from '../shared/decider';
import type { CalendarDate } from '../shared/dates';

/** The assessment a limit change relies on (as in CreditLimitChanged). */
export type LimitAssessment = { assessmentId: string; assessedOn: CalendarDate; rating: string; recommendedLimit: number | null };

/**
 * Four eyes on large credit-limit increases (ADR 0042): an increase larger than the configured amount is a
 * request; a second principal approves it (then CreditLimitChanged follows, unchanged in shape) or rejects it.
 */
export type CreditLimitIncreaseRequested = DomainEvent<'CreditLimitIncreaseRequested', {
  customerId: string;
  requestId: string;
  /** The customer's currency (of the limits and `approvalAbove`). */
  currency: string;
  previousLimit: number;
  newLimit: number;
  reason: string;
  assessment?: LimitAssessment;
  requestedBy: string;
  /** The threshold the increase (newLimit − previousLimit) exceeded, minor units. */
  approvalAbove: number;
}>;

export type CreditLimitIncreaseApproved = DomainEvent<'CreditLimitIncreaseApproved', {
  customerId: string;
  requestId: string;
  requestedBy: string;
  approvedBy: string;
}>;

export type CreditLimitIncreaseRejected = DomainEvent<'CreditLimitIncreaseRejected', {
  customerId: string;
  requestId: string;
  requestedBy: string;
  rejectedBy: string;
  reason: string;
}>;

export type CreditLimitRequestEvent = CreditLimitIncreaseRequested | CreditLimitIncreaseApproved | CreditLimitIncreaseRejected;
export const CREDIT_LIMIT_REQUEST_EVENT_TYPES = ['CreditLimitIncreaseRequested', 'CreditLimitIncreaseApproved', 'CreditLimitIncreaseRejected'] as const;

export interface PendingLimitIncrease {
  requestId: string;
  newLimit: number;
  reason: string;
  assessment?: LimitAssessment;
  requestedBy: string;
}
