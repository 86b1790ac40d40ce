import { CalendarDate, parseDate } from '../shared/dates';
import { assertNever, Decider } from '../shared/decider';
import { DomainError } from '../shared/errors';
import { formatAmount, isCurrency } from '../shared/money';
import { dueDateFor, netTerms, PaymentTerms, termDays } from '../shared/payment-terms';
import { requireId, requireInteger, requireText } from '../shared/validation';
import type { CreditPolicy } from '../credit/credit.events';
import { exposureFigures, limitExceeded, refuseIfOnHold } from '../credit/credit-decision';
import { enforceLegalCap, validateTerms } from '../credit/terms-policy';
import {
  approveInvoice, ApproveInvoice, ClosedWithoutIssue, notIssued, PendingInvoice, rejectInvoice, RejectInvoice,
} from './invoice.approval';
import { InvoiceEvent, InvoiceIssued, InvoiceSettled, InvoiceSubmittedForApproval, PaymentApplied } from './invoice.events';
import { computeInvoiceTotals, InvoiceLineInput } from './invoice.totals';

export type { ApproveInvoice, RejectInvoice } from './invoice.approval';

export { computeInvoiceTotals, MAX_INVOICE_LINES } from './invoice.totals';
export type { InvoiceLineInput, InvoiceTotals } from './invoice.totals';

/** What the credit account says at issue time (read by the application layer from the credit stream). */
export interface CustomerCreditTerms {
  currency: string;
  creditLimit: number;
  paymentTermsDays: number;
  /** The customer's named terms; absent = net paymentTermsDays. */
  terms?: PaymentTerms;
  termsAgreedBeyondCap?: boolean;
  /** ISO 3166-1 alpha-2 (legal cap of an invoice's own terms); absent = 'FR'. */
  country?: string;
  /** Effective policy when the limit would be exceeded; absent = reject. */
  policy?: CreditPolicy;
  policySource?: 'customer' | 'global';
  /** Holds in force; any refuses the sale. */
  holds?: Array<{ kind: 'manual' | 'policy'; reason: string }>;
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
  /** Other invoices of the customer held for approval (minor units); absent = 0. */
  pendingApproval?: number;
  /** Unapplied customer credit (minor units); absent = 0. */
  unapplied?: number;
  /** Terms of this invoice only, overriding the customer's. */
  terms?: PaymentTerms;
  /** Required for override terms beyond the legal cap; recorded. */
  termsAgreedBeyondCap?: boolean;
  /** Who issues (the command's actor): recorded on an invoice held for approval, for the four-eyes check. */
  actor?: string;
}

export interface ApplyPayment {
  type: 'ApplyPayment';
  invoiceId: string;
  paymentId: string;
  amount: number;
  receivedOn: CalendarDate;
}

export type InvoiceCommand = IssueInvoice | ApplyPayment | ApproveInvoice | RejectInvoice;

export type InvoiceStatus = 'issued' | 'partially_paid' | 'paid';

export interface OpenedInvoice {
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

export type InvoiceState = { status: 'none' } | OpenedInvoice | PendingInvoice | ClosedWithoutIssue;

function issueInvoice(command: IssueInvoice, state: InvoiceState): Array<InvoiceIssued | InvoiceSubmittedForApproval> {
  const invoiceId = requireId(command.invoiceId, 'invoiceId');
  const customerId = requireId(command.customerId, 'customerId');
  const number = requireText(command.number, 'number', 'INVOICE_NUMBER', 50);
  const issueDate = parseDate(command.issueDate, 'issueDate');
  const totals = computeInvoiceTotals(command.lines);
  const override = command.terms === undefined ? undefined : validateTerms(command.terms, 'terms');
  if (state.status !== 'none') {
    const existing = 'number' in state ? state.number : null;
    throw new DomainError('INVOICE_ALREADY_EXISTS', `Invoice ${invoiceId} already exists`, { invoiceId, number: existing }, 'conflict');
  }
  const customer = command.customer;
  if (customer === null || customer === undefined) {
    throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} is not registered`, { customerId }, 'not_found');
  }
  if (!isCurrency(customer.currency)) throw new RangeError(`customer currency ${customer.currency} is unknown`);
  const outstanding = requireInteger(command.outstanding, 'outstanding', 'OUTSTANDING_INVALID', 0);
  const pendingApproval = requireInteger(command.pendingApproval ?? 0, 'pendingApproval', 'OUTSTANDING_INVALID', 0);
  const unapplied = requireInteger(command.unapplied ?? 0, 'unapplied', 'OUTSTANDING_INVALID', 0);
  const standing = {
    customerId, currency: customer.currency, creditLimit: customer.creditLimit, policy: customer.policy ?? 'reject' as const,
    policySource: customer.policySource ?? 'global' as const, holds: customer.holds ?? [], outstanding, pendingApproval, unapplied,
  };
  refuseIfOnHold(standing);
  // An invoice may override the customer's terms; its own terms face the legal cap of the customer's country.
  const terms = override ?? customer.terms ?? netTerms(customer.paymentTermsDays);
  const agreed = override
    ? enforceLegalCap(override, customer.country ?? 'FR', command.termsAgreedBeyondCap === true, 'terms').beyondLegalCap && command.termsAgreedBeyondCap === true
    : customer.termsAgreedBeyondCap === true;
  const termsFacts = { ...(override ? { termsSource: 'invoice' as const } : {}), ...(agreed ? { termsAgreedBeyondCap: true } : {}) };
  const figures = exposureFigures(standing, totals.total);
  if (figures.exposure > customer.creditLimit) {
    if (standing.policy !== 'hold_for_approval') throw limitExceeded(standing, figures);
    return [{
      type: 'InvoiceSubmittedForApproval',
      data: {
        invoiceId, customerId, currency: customer.currency, issueDate, terms, ...termsFacts,
        lines: totals.lines, net: totals.net, tax: totals.tax, total: totals.total,
        creditDecision: { decision: 'pending_approval', ...figures, excess: figures.exposure - figures.creditLimit },
        submittedBy: command.actor ?? 'anonymous',
      },
    }];
  }
  return [{
    type: 'InvoiceIssued',
    data: {
      invoiceId,
      customerId,
      number,
      currency: customer.currency,
      issueDate,
      dueDate: dueDateFor(terms, issueDate),
      paymentTermsDays: termDays(terms, issueDate),
      terms,
      ...termsFacts,
      lines: totals.lines,
      net: totals.net,
      tax: totals.tax,
      total: totals.total,
      creditDecision: { decision: 'approved', ...figures },
    },
  }];
}

function applyPayment(command: ApplyPayment, state: InvoiceState): Array<PaymentApplied | InvoiceSettled> {
  const invoiceId = requireId(command.invoiceId, 'invoiceId');
  const paymentId = requireId(command.paymentId, 'paymentId');
  const amount = requireInteger(command.amount, 'amount', 'AMOUNT_NOT_POSITIVE', 1);
  const receivedOn = parseDate(command.receivedOn, 'receivedOn');
  if (state.status === 'pending_approval' || state.status === 'rejected') throw notIssued(state);
  if (state.status === 'none') {
    throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${invoiceId} does not exist`, { invoiceId }, 'not_found');
  }
  if (state.appliedPaymentIds.includes(paymentId)) return [];
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
  const applied: PaymentApplied = { type: 'PaymentApplied', data: { invoiceId, customerId, paymentId, amount, receivedOn, outstanding } };
  if (outstanding > 0) return [applied];
  return [applied, { type: 'InvoiceSettled', data: { invoiceId, customerId, settledOn: receivedOn } }];
}

function decide(command: InvoiceCommand, state: InvoiceState): InvoiceEvent[] {
  switch (command.type) {
    case 'IssueInvoice':
      return issueInvoice(command, state);
    case 'ApplyPayment':
      return applyPayment(command, state);
    case 'ApproveInvoice':
      return approveInvoice(command, state);
    case 'RejectInvoice':
      return rejectInvoice(command, state);
    default:
      return assertNever(command);
  }
}

function evolve(state: InvoiceState, event: InvoiceEvent): InvoiceState {
  switch (event.type) {
    case 'InvoiceIssued': {
      const { invoiceId, customerId, number, currency, issueDate, dueDate, total } = event.data;
      const terms = event.data.terms ?? netTerms(event.data.paymentTermsDays);
      return { status: 'issued', invoiceId, customerId, number, currency, issueDate, dueDate, total, outstanding: total, terms, appliedPaymentIds: [] };
    }
    case 'PaymentApplied':
      if (state.status === 'none' || state.status === 'pending_approval' || state.status === 'rejected') return state;
      return {
        ...state,
        status: event.data.outstanding === 0 ? 'paid' : 'partially_paid',
        outstanding: event.data.outstanding,
        appliedPaymentIds: [...state.appliedPaymentIds, event.data.paymentId],
      };
    case 'InvoiceSettled':
      return state.status === 'none' || state.status === 'pending_approval' || state.status === 'rejected' ? state : { ...state, status: 'paid' };
    case 'InvoiceSubmittedForApproval': {
      const d = event.data;
      return { status: 'pending_approval', invoiceId: d.invoiceId, customerId: d.customerId, submitted: d };
    }
    case 'InvoiceRejected':
      return { status: 'rejected', invoiceId: event.data.invoiceId, customerId: event.data.customerId };
    default:
      return assertNever(event);
  }
}

export const initialInvoiceState = (): InvoiceState => ({ status: 'none' });

export const invoiceDecider: Decider<InvoiceCommand, InvoiceEvent, InvoiceState> = {
  initialState: initialInvoiceState,
  evolve,
  decide,
};
