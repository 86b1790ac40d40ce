import { addDays, type CalendarDate } from '../shared/dates';
import type { PaymentPlanState } from './payment-plan.decider';
import type { PlanInterest } from './payment-plan.events';

/** What an assessment of late charges needs to know of a plan its invoice joined (ADR 0051), read by the application layer. */
export interface PlanInterestTerms {
  planId: string;
  interest: PlanInterest;
  agreedOn: CalendarDate;
  status: 'active' | 'broken' | 'completed';
  /** The day it was broken or completed; null while in force. */
  endedOn: CalendarDate | null;
}

export function interestTermsOf(state: PaymentPlanState): PlanInterestTerms | null {
  if (state.status === 'none') return null;
  return { planId: state.planId, interest: state.interest, agreedOn: state.agreedOn, status: state.status, endedOn: state.endedOn };
}

/**
 * Days that bear no interest: those a kept (completed) `waive` plan was in force, agreement day … completion day.
 * A broken plan loses its waiver: every day is charged from the original due date (ADR 0051).
 */
export function waivedDays(plans: readonly PlanInterestTerms[]): Array<{ planId: string; from: CalendarDate; to: CalendarDate }> {
  return plans
    .filter((p) => p.interest === 'waive' && p.status === 'completed' && p.endedOn !== null && p.endedOn >= p.agreedOn)
    .map((p) => ({ planId: p.planId, from: p.agreedOn, to: p.endedOn as CalendarDate }));
}

/** While a plan is in force, its days are deferred to its end: an assessment charges at most the day before the agreement. */
export function lastChargeableDay(asOf: CalendarDate, inForce: PlanInterestTerms | null): CalendarDate {
  if (inForce === null) return asOf;
  const before = addDays(inForce.agreedOn, -1);
  return before < asOf ? before : asOf;
}
