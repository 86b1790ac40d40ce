import type { CalendarDate } from '../../libs/domain/shared/dates';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';
import { upcastPaymentPlanAgreed } from '../../libs/domain/payment-plan/payment-plan.events';
import { PAYMENT_PLAN_LIST, sortIndexes } from '../lists/list-spec';

export type PaymentPlanStatus = 'active' | 'broken' | 'completed';

/** One payment plan (échéancier) as listed (amounts in integer minor units of `currency`). */
export type PaymentPlanView = {
  planId: string;
  customerId: string;
  currency: string;
  total: number;
  invoiceIds: string[];
  instalments: Array<{ dueDate: CalendarDate; amount: number }>;
  /** Due date of the last instalment. */
  endsOn: CalendarDate;
  graceDays: number;
  interest: string;
  agreedOn: CalendarDate;
  status: PaymentPlanStatus;
  brokenOn: CalendarDate | null;
  completedOn: CalendarDate | null;
  lastPosition: number;
};

function next(doc: PaymentPlanView | null, event: ProjectedEvent): PaymentPlanView | null {
  switch (event.type) {
    case 'PaymentPlanAgreed': {
      if (doc !== null) return doc;
      const d = upcastPaymentPlanAgreed(event.data);
      return {
        planId: d.planId, customerId: d.customerId, currency: d.currency, total: d.total, invoiceIds: d.invoices.map((i) => i.invoiceId),
        instalments: d.instalments.map((i) => ({ dueDate: i.dueDate, amount: i.amount })), endsOn: d.instalments[d.instalments.length - 1]?.dueDate ?? d.agreedOn,
        graceDays: d.graceDays, interest: d.interest, agreedOn: d.agreedOn, status: 'active', brokenOn: null, completedOn: null, lastPosition: event.position,
      };
    }
    case 'PaymentPlanBroken':
      return doc === null ? null : { ...doc, status: 'broken', brokenOn: event.data.brokenOn, lastPosition: event.position };
    case 'PaymentPlanCompleted':
      return doc === null ? null : { ...doc, status: 'completed', completedOn: event.data.completedOn, lastPosition: event.position };
    default:
      return doc;
  }
}

const TYPES: ReadonlySet<string> = new Set(['PaymentPlanAgreed', 'PaymentPlanBroken', 'PaymentPlanCompleted']);

/** Payment plans, one document each, for the back-office list. */
export const paymentPlansProjection: Projection<PaymentPlanView> = {
  name: 'payment-plans',
  version: 1,
  indexes: ['customerId', 'status', 'currency', 'agreedOn'],
  compoundIndexes: sortIndexes(PAYMENT_PLAN_LIST),
  eventTypes: TYPES,
  keysOf(event) {
    return TYPES.has(event.type) ? [(event.data as { planId: string }).planId] : [];
  },
  evolve(doc, event) {
    if (doc !== null && event.position <= doc.lastPosition) return doc;
    return next(doc, event);
  },
};
