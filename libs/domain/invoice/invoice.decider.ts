import { addDays, CalendarDate, parseDate } from '../shared/dates';
import { assertNever, Decider } from '../shared/decider';
import { DomainError } from '../shared/errors';
import { formatAmount, isCurrency } from '../shared/money';
import { netTerms, PaymentTerms } from '../shared/payment-terms';
import { requireId, requireInteger, requireText } from '../shared/validation';
import { InvoiceEvent, InvoiceIssued, InvoiceSettled, PaymentApplied } from './invoice.events';
import { computeInvoiceTotals, InvoiceLineInput } from './invoice.totals';
import {
  applyCreditNote, assessLateCharges, sendDunning, attachToPaymentPlan, detachFromPaymentPlan, collectionDefaults, paymentWithDiscount, evolveCollection, InvoiceCollectionCommand, InvoiceCollectionState, openDispute, optional, paymentWithRecovery,
  resolveDispute, unapplyPayment, writeOffInvoice,
} from './invoice.collections';

export { computeInvoiceTotals, MAX_INVOICE_LINES } from './invoice.totals';
export type { InvoiceLineInput, InvoiceTotals } from './invoice.totals';

/** What the credit account says at issue time (read by the application layer from the credit stream). */
export interface CustomerCreditTerms {
  currency: string;
  creditLimit: number;
  paymentTermsDays: number;
}

export interface IssueInvoice {
  type: 'IssueInvoice';
  invoiceId: string;
  customerId: string;
  number: string;
  issueDate: CalendarDate;
  lines: InvoiceLineInput[];
  /** null when the customer is not registered. */
  customer: CustomerCreditTerms | null;
  /** The customer's open balance (encours) before this invoice, minor units. */
  outstanding: number;
}

export interface ApplyPayment {
  type: 'ApplyPayment';
  invoiceId: string;
  paymentId: string;
  amount: number;
  receivedOn: CalendarDate;
  /** Allocations made after the payment was recorded carry their own key and date. */
  allocationId?: string;
  appliedOn?: CalendarDate;
}

export type InvoiceCommand = IssueInvoice | ApplyPayment | InvoiceCollectionCommand;

export type InvoiceStatus = 'issued' | 'partially_paid' | 'paid' | 'written_off';

export interface OpenedInvoice extends InvoiceCollectionState {
  status: InvoiceStatus;
  invoiceId: string;
  customerId: string;
  number: string;
  currency: string;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  total: number;
  outstanding: number;
  terms: PaymentTerms;
  /** Payments already applied: a retried ApplyPayment appends nothing. */
  appliedPaymentIds: string[];
}

export type InvoiceState = { status: 'none' } | OpenedInvoice;

function issueInvoice(command: IssueInvoice, state: InvoiceState): InvoiceIssued[] {
  const invoiceId = requireId(command.invoiceId, 'invoiceId');
  const customerId = requireId(command.customerId, 'customerId');
  const number = requireText(command.number, 'number', 'INVOICE_NUMBER', 50);
  const issueDate = parseDate(command.issueDate, 'issueDate');
  const totals = computeInvoiceTotals(command.lines);
  if (state.status !== 'none') {
    throw new DomainError('INVOICE_ALREADY_EXISTS', `Invoice ${invoiceId} already exists`, { invoiceId, number: state.number }, 'conflict');
  }
  const customer = command.customer;
  if (customer === null || customer === undefined) {
    throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} is not registered`, { customerId }, 'not_found');
  }
  if (!isCurrency(customer.currency)) throw new RangeError(`customer currency ${customer.currency} is unknown`);
  const outstanding = requireInteger(command.outstanding, 'outstanding', 'OUTSTANDING_INVALID', 0);
  // Exposure (encours) = open balance + this invoice's gross; above the limit the sale is refused.
  const exposure = outstanding + totals.total;
  if (exposure > customer.creditLimit) {
    const show = (minor: number) => formatAmount(minor, customer.currency);
    throw new DomainError(
      'CREDIT_LIMIT_EXCEEDED',
      `Exposure ${show(exposure)} ${customer.currency} exceeds the credit limit ${show(customer.creditLimit)} ${customer.currency}`,
      {
        customerId,
        currency: customer.currency,
        creditLimit: show(customer.creditLimit),
        outstanding: show(outstanding),
        invoiceTotal: show(totals.total),
        exposure: show(exposure),
        excess: show(exposure - customer.creditLimit),
      },
    );
  }
  return [{
    type: 'InvoiceIssued',
    data: {
      invoiceId,
      customerId,
      number,
      currency: customer.currency,
      issueDate,
      dueDate: addDays(issueDate, customer.paymentTermsDays),
      paymentTermsDays: customer.paymentTermsDays,
      terms: netTerms(customer.paymentTermsDays),
      lines: totals.lines,
      net: totals.net,
      tax: totals.tax,
      total: totals.total,
      creditDecision: { decision: 'approved', creditLimit: customer.creditLimit, outstanding, exposure },
    },
  }];
}

function applyPayment(command: ApplyPayment, state: InvoiceState): InvoiceEvent[] {
  const invoiceId = requireId(command.invoiceId, 'invoiceId');
  const paymentId = requireId(command.paymentId, 'paymentId');
  const amount = requireInteger(command.amount, 'amount', 'AMOUNT_NOT_POSITIVE', 1);
  const receivedOn = parseDate(command.receivedOn, 'receivedOn');
  if (state.status === 'none') {
    throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${invoiceId} does not exist`, { invoiceId }, 'not_found');
  }
  if (state.appliedPaymentIds.includes(command.allocationId ?? paymentId)) return [];
  const recovery = paymentWithRecovery({ ...command, paymentId, amount, receivedOn }, state);
  if (recovery) return recovery;
  const discounted = paymentWithDiscount({ ...command, paymentId, amount, receivedOn }, state);
  if (discounted) return discounted;
  if (amount > state.outstanding) {
    const show = (minor: number) => formatAmount(minor, state.currency);
    throw new DomainError(
      'PAYMENT_EXCEEDS_OUTSTANDING',
      `Payment of ${show(amount)} ${state.currency} exceeds the outstanding ${show(state.outstanding)} ${state.currency} of invoice ${state.number}`,
      { invoiceId, paymentId, currency: state.currency, amount: show(amount), outstanding: show(state.outstanding), excess: show(amount - state.outstanding) },
    );
  }
  const outstanding = state.outstanding - amount;
  const { customerId } = state;
  const applied: PaymentApplied = { type: 'PaymentApplied', data: { invoiceId, customerId, paymentId, amount, receivedOn, outstanding, ...optional(command) } };
  if (outstanding > 0) return [applied];
  return [applied, { type: 'InvoiceSettled', data: { invoiceId, customerId, settledOn: command.appliedOn ?? receivedOn } }];
}

function decide(command: InvoiceCommand, state: InvoiceState): InvoiceEvent[] {
  switch (command.type) {
    case 'IssueInvoice':
      return issueInvoice(command, state);
    case 'ApplyPayment':
      return applyPayment(command, state);
    case 'UnapplyPayment':
      return unapplyPayment(command, state.status === 'none' ? null : state);
    case 'WriteOffInvoice':
      return writeOffInvoice(command, state.status === 'none' ? null : state);
    case 'ApplyCreditNote':
      return applyCreditNote(command, state.status === 'none' ? null : state);
    case 'AttachToPaymentPlan':
      return attachToPaymentPlan(command, state.status === 'none' ? null : state);
    case 'DetachFromPaymentPlan':
      return detachFromPaymentPlan(command, state.status === 'none' ? null : state);
    case 'SendDunning':
      return sendDunning(command, state.status === 'none' ? null : state);
    case 'AssessLateCharges':
      return assessLateCharges(command, state.status === 'none' ? null : state);
    case 'OpenDispute':
      return openDispute(command, state.status === 'none' ? null : state);
    case 'ResolveDispute':
      return resolveDispute(command, state.status === 'none' ? null : state);
    default:
      return assertNever(command);
  }
}

function evolve(state: InvoiceState, event: InvoiceEvent): InvoiceState {
  switch (event.type) {
    case 'InvoiceIssued': {
      const { invoiceId, customerId, number, currency, issueDate, dueDate, total } = event.data;
      const terms = event.data.terms ?? netTerms(event.data.paymentTermsDays);
      return { status: 'issued', invoiceId, customerId, number, currency, issueDate, dueDate, total, outstanding: total, terms, appliedPaymentIds: [], ...collectionDefaults() };
    }
    case 'PaymentApplied':
      if (state.status === 'none') return state;
      return evolveCollection({
        ...state,
        status: (event.data.outstanding === 0 ? 'paid' : 'partially_paid') as InvoiceStatus,
        outstanding: event.data.outstanding,
        appliedPaymentIds: [...state.appliedPaymentIds, event.data.allocationId ?? event.data.paymentId],
      }, event);
    case 'PaymentUnapplied':
      if (state.status === 'none') return state;
      return { ...evolveCollection(state, event), status: anyApplied(state, event.data) ? 'partially_paid' : 'issued' };
    case 'InvoiceWrittenOff':
      if (state.status === 'none') return state;
      return { ...evolveCollection(state, event), status: event.data.outstanding === 0 ? 'written_off' : 'partially_paid' };
    case 'BadDebtRecovered':
    case 'ReminderSent':
    case 'HandedToCollectionAgency':
    case 'PaymentPlanAttached':
    case 'PaymentPlanDetached':
    case 'DisputeOpened':
    case 'DisputeResolved':
      return state.status === 'none' ? state : evolveCollection(state, event);
    case 'DiscountApplied':
      return state.status === 'none' ? state : { ...evolveCollection(state, event), status: 'paid' };
    case 'LateChargesAssessed':
      return state.status === 'none' ? state : { ...evolveCollection(state, event), status: 'partially_paid' };
    case 'CreditNoteApplied':
      if (state.status === 'none') return state;
      return { ...evolveCollection(state, event), status: event.data.outstanding === 0 ? 'paid' : 'partially_paid' };
    case 'InvoiceSettled':
      return state.status === 'none' ? state : { ...state, status: 'paid' };
    default:
      return assertNever(event);
  }
}

/** After a payment is taken back: partially paid while something else still lowers the outstanding. */
function anyApplied(state: OpenedInvoice, d: { outstanding: number }): boolean {
  return d.outstanding < state.total;
}

export const initialInvoiceState = (): InvoiceState => ({ status: 'none' });

export const invoiceDecider: Decider<InvoiceCommand, InvoiceEvent, InvoiceState> = {
  initialState: initialInvoiceState,
  evolve,
  decide,
};
