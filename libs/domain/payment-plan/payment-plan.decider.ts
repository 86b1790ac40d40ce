import { addDays, CalendarDate, parseDate } from '../shared/dates';
import { assertNever, Decider } from '../shared/decider';
import { DomainError, invalid } from '../shared/errors';
import { formatAmount } from '../shared/money';
import { requireId, requireInteger } from '../shared/validation';
import { PLAN_INTEREST_RULES, upcastPaymentPlanAgreed, type PaymentPlanAgreed, type PaymentPlanBroken, type PaymentPlanCompleted, type PaymentPlanEvent, type PlanInterest } from './payment-plan.events';

/** An invoice proposed for the plan, as the application layer read it. */
export interface PlannedInvoice {
  invoiceId: string;
  customerId: string;
  currency: string;
  outstanding: number;
  disputed: boolean;
  planId: string | null;
}

export interface AgreePaymentPlan {
  type: 'AgreePaymentPlan';
  planId: string;
  customerId: string;
  invoices: Array<PlannedInvoice | null>;
  requestedInvoiceIds: string[];
  instalments: Array<{ dueDate: CalendarDate; amount: number }>;
  graceDays: number;
  agreedOn: CalendarDate;
  /** Interest during the plan (ADR 0051); the API defaults it to `accrue`. */
  interest: PlanInterest;
}

/** Checks the plan as of a date: `covered` = what its invoices no longer owe since it was agreed (payments, credit notes…). */
export interface CheckPaymentPlan {
  type: 'CheckPaymentPlan';
  planId: string;
  asOf: CalendarDate;
  covered: number;
}

export type PaymentPlanCommand = AgreePaymentPlan | CheckPaymentPlan;

export type PaymentPlanState =
  | { status: 'none' }
  | {
    status: 'active' | 'broken' | 'completed'; planId: string; customerId: string; currency: string; total: number; instalments: Array<{ dueDate: CalendarDate; amount: number }>;
    graceDays: number; invoiceIds: string[]; interest: PlanInterest; agreedOn: CalendarDate;
    /** The day it was broken or completed; null while in force. */
    endedOn: CalendarDate | null;
  };

export const MAX_GRACE_DAYS = 365;

function agree(c: AgreePaymentPlan, state: PaymentPlanState): PaymentPlanAgreed[] {
  const planId = requireId(c.planId, 'planId');
  const customerId = requireId(c.customerId, 'customerId');
  const agreedOn = parseDate(c.agreedOn, 'agreedOn');
  const graceDays = requireInteger(c.graceDays, 'graceDays', 'GRACE_DAYS_INVALID', 0, MAX_GRACE_DAYS);
  if (!PLAN_INTEREST_RULES.includes(c.interest)) throw invalid('PLAN_INTEREST_INVALID', `interest must be one of ${PLAN_INTEREST_RULES.join(', ')}`, 'interest');
  if (state.status !== 'none') throw new DomainError('PAYMENT_PLAN_ALREADY_EXISTS', `Payment plan ${planId} already exists`, { planId }, 'conflict');
  if (!Array.isArray(c.requestedInvoiceIds) || c.requestedInvoiceIds.length === 0) throw invalid('INVOICES_REQUIRED', 'a plan covers at least one invoice', 'invoiceIds');
  if (new Set(c.requestedInvoiceIds).size !== c.requestedInvoiceIds.length) throw invalid('INVOICE_DUPLICATE', 'an invoice is named twice', 'invoiceIds');
  const invoices = c.invoices.map((inv, i) => {
    const invoiceId = c.requestedInvoiceIds[i];
    if (inv === null) throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${invoiceId} does not exist`, { field: `invoiceIds[${i}]`, invoiceId }, 'not_found');
    if (inv.customerId !== customerId) throw new DomainError('INVOICE_OF_ANOTHER_CUSTOMER', `Invoice ${invoiceId} belongs to customer ${inv.customerId}`, { field: `invoiceIds[${i}]`, invoiceId });
    if (inv.outstanding === 0) throw new DomainError('INVOICE_NOT_OPEN', `Invoice ${invoiceId} owes nothing`, { field: `invoiceIds[${i}]`, invoiceId });
    if (inv.planId !== null) throw new DomainError('INVOICE_IN_PAYMENT_PLAN', `Invoice ${invoiceId} is already in payment plan ${inv.planId}`, { field: `invoiceIds[${i}]`, invoiceId, planId: inv.planId }, 'conflict');
    if (inv.disputed) throw new DomainError('INVOICE_DISPUTED', `Invoice ${invoiceId} is disputed: resolve the dispute first`, { field: `invoiceIds[${i}]`, invoiceId });
    return inv;
  });
  const currency = invoices[0].currency;
  if (!Array.isArray(c.instalments) || c.instalments.length === 0) throw invalid('INSTALMENTS_REQUIRED', 'a plan has at least one instalment', 'instalments');
  const instalments = c.instalments.map((x, i) => ({
    dueDate: parseDate(x?.dueDate, `instalments[${i}].dueDate`),
    amount: requireInteger(x?.amount, `instalments[${i}].amount`, 'AMOUNT_NOT_POSITIVE', 1),
  }));
  instalments.forEach((x, i) => {
    if (x.dueDate < agreedOn || (i > 0 && x.dueDate <= instalments[i - 1].dueDate)) {
      throw invalid('INSTALMENT_DATES_INVALID', 'instalment dates must be on or after the agreement and strictly increasing', `instalments[${i}].dueDate`);
    }
  });
  const total = invoices.reduce((s, x) => s + x.outstanding, 0);
  const scheduled = instalments.reduce((s, x) => s + x.amount, 0);
  if (scheduled !== total) {
    const show = (m: number) => formatAmount(m, currency);
    throw new DomainError('PLAN_TOTAL_MISMATCH', `Instalments sum to ${show(scheduled)} ${currency}; the invoices owe ${show(total)} ${currency}`, {
      field: 'instalments', currency, instalments: show(scheduled), outstanding: show(total), difference: show(scheduled - total),
    });
  }
  return [{
    type: 'PaymentPlanAgreed',
    data: { planId, customerId, currency, invoices: invoices.map((x) => ({ invoiceId: x.invoiceId, outstanding: x.outstanding })), instalments, total, graceDays, agreedOn, interest: c.interest },
  }];
}

/** Payments go to instalments in order: instalment k is paid once `covered` reaches the sum of the first k. */
function check(c: CheckPaymentPlan, state: PaymentPlanState): Array<PaymentPlanBroken | PaymentPlanCompleted> {
  const planId = requireId(c.planId, 'planId');
  const asOf = parseDate(c.asOf, 'asOf');
  const covered = requireInteger(c.covered, 'covered', 'COVERED_INVALID', Number.MIN_SAFE_INTEGER);
  if (state.status === 'none') throw new DomainError('PAYMENT_PLAN_NOT_FOUND', `Payment plan ${planId} does not exist`, { planId }, 'not_found');
  if (state.status !== 'active') return [];
  if (covered >= state.total) return [{ type: 'PaymentPlanCompleted', data: { planId, customerId: state.customerId, completedOn: asOf } }];
  let dueByThen = 0;
  for (let i = 0; i < state.instalments.length; i++) {
    const x = state.instalments[i];
    dueByThen += x.amount;
    if (covered < dueByThen && addDays(x.dueDate, state.graceDays) < asOf) {
      return [{ type: 'PaymentPlanBroken', data: { planId, customerId: state.customerId, instalment: i + 1, dueDate: x.dueDate, covered, dueByThen, brokenOn: asOf } }];
    }
  }
  return [];
}

function decide(command: PaymentPlanCommand, state: PaymentPlanState): PaymentPlanEvent[] {
  switch (command.type) {
    case 'AgreePaymentPlan':
      return agree(command, state);
    case 'CheckPaymentPlan':
      return check(command, state);
    default:
      return assertNever(command);
  }
}

function evolve(state: PaymentPlanState, event: PaymentPlanEvent): PaymentPlanState {
  switch (event.type) {
    case 'PaymentPlanAgreed': {
      const d = upcastPaymentPlanAgreed(event.data);
      return {
        status: 'active', planId: d.planId, customerId: d.customerId, currency: d.currency, total: d.total, instalments: d.instalments, graceDays: d.graceDays,
        invoiceIds: d.invoices.map((x) => x.invoiceId), interest: d.interest, agreedOn: d.agreedOn, endedOn: null,
      };
    }
    case 'PaymentPlanBroken':
      return state.status === 'none' ? state : { ...state, status: 'broken', endedOn: event.data.brokenOn };
    case 'PaymentPlanCompleted':
      return state.status === 'none' ? state : { ...state, status: 'completed', endedOn: event.data.completedOn };
    default:
      return assertNever(event);
  }
}

export const paymentPlanDecider: Decider<PaymentPlanCommand, PaymentPlanEvent, PaymentPlanState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide,
};
