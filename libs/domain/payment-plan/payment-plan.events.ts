import { DomainEvent } from '../shared/decider';
import { CalendarDate } from '../shared/dates';

/**
 * Interest during the plan (ADR 0051): `accrue` = late-payment interest keeps running on the original due dates
 * and is assessed once the plan ends; `waive` = none for the days the plan was in force, if it is kept.
 */
export type PlanInterest = 'accrue' | 'waive';
export const PLAN_INTEREST_RULES: readonly PlanInterest[] = ['accrue', 'waive'];

/** Échéancier: what the chosen invoices owe, split into dated instalments summing to it. */
export type PaymentPlanAgreed = DomainEvent<'PaymentPlanAgreed', {
  planId: string;
  customerId: string;
  currency: string;
  invoices: Array<{ invoiceId: string; outstanding: number }>;
  instalments: Array<{ dueDate: CalendarDate; amount: number }>;
  total: number;
  /** An instalment still unpaid this many days after its date breaks the plan. */
  graceDays: number;
  agreedOn: CalendarDate;
  /** v2: the interest rule agreed. Absent on v1 events: read them through `upcastPaymentPlanAgreed` (→ `accrue`). */
  interest: PlanInterest;
}>;

/** v1 events were agreed under the rule of ADR 0018: interest keeps running on the original due dates. Pure; idempotent on v2. */
export function upcastPaymentPlanAgreed(data: Omit<PaymentPlanAgreed['data'], 'interest'> & { interest?: PlanInterest }): PaymentPlanAgreed['data'] {
  return data.interest === undefined ? { ...data, interest: 'accrue' } : (data as PaymentPlanAgreed['data']);
}

/** An instalment was not paid in time: the plan ends and dunning resumes on its invoices. */
export type PaymentPlanBroken = DomainEvent<'PaymentPlanBroken', {
  planId: string;
  customerId: string;
  instalment: number;
  dueDate: CalendarDate;
  /** Paid towards the plan (payments go to instalments in order) and what was due by that instalment. */
  covered: number;
  dueByThen: number;
  brokenOn: CalendarDate;
}>;

/** Everything the plan covered is paid. */
export type PaymentPlanCompleted = DomainEvent<'PaymentPlanCompleted', {
  planId: string;
  customerId: string;
  completedOn: CalendarDate;
}>;

export type PaymentPlanEvent = PaymentPlanAgreed | PaymentPlanBroken | PaymentPlanCompleted;
export const PAYMENT_PLAN_EVENT_TYPES = ['PaymentPlanAgreed', 'PaymentPlanBroken', 'PaymentPlanCompleted'] as const;
