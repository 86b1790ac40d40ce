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
import type { VatRateAmount } from '../shared/vat';
import { upcastInvoiceIssued, upcastInvoiceSubmitted } from '../upcasters';
import { withVatOnReceipt } from './vat-on-receipt';
import { approveWriteOffRequest, ApproveWriteOff, evolveWriteOffRequest, PendingWriteOff, rejectWriteOffRequest, RejectWriteOff } from './invoice.write-off-approval';
import {
  applyCreditNote, assessLateCharges, sendDunning, attachToPaymentPlan, detachFromPaymentPlan, collectionDefaults, paymentWithDiscount, evolveCollection, InvoiceCollectionCommand, InvoiceCollectionState, openDispute, optional, paymentWithRecovery,
  resolveDispute, unapplyPayment, writeOffInvoice,
} from './invoice.collections';

import { causeOf, chargeCorrections } from './invoice.charge-corrections';
import { writeOffBankFees, type WriteOffBankFees } from './invoice.bank-fees';

export type { ApproveInvoice, RejectInvoice } from './invoice.approval';
export type { ApproveWriteOff, RejectWriteOff } from './invoice.write-off-approval';
export type { WriteOffBankFees } from './invoice.bank-fees';

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
  /** The company option in force: VAT due on receipt (CGI art. 269-2-c); absent = on invoicing. */
  vatDueOn?: 'receipt';
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

export type InvoiceCommand = IssueInvoice | ApplyPayment | ApproveInvoice | RejectInvoice | InvoiceCollectionCommand | ApproveWriteOff | RejectWriteOff | WriteOffBankFees;

export type InvoiceStatus = 'issued' | 'partially_paid' | 'paid' | 'written_off';

export interface OpenedInvoice extends InvoiceCollectionState {
  status: InvoiceStatus;
  /** A write-off above the four-eyes threshold waiting for a second principal (ADR 0042); absent/null = none. */
  pendingWriteOff?: PendingWriteOff | null;
  invoiceId: string;
  customerId: string;
  number: string;
  currency: string;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  total: number;
  /** VAT by rate as issued (v1 events upcast from their per-line figures). */
  vatBreakdown: VatRateAmount[];
  outstanding: number;
  terms: PaymentTerms;
  /** Payments already applied: a retried ApplyPayment appends nothing. */
  appliedPaymentIds: string[];
}

export type InvoiceState = { status: 'none' } | OpenedInvoice | PendingInvoice | ClosedWithoutIssue;

/** True while the invoice does not exist, is held for approval or was rejected: not (yet) a receivable. */
export function isNotReceivable(state: InvoiceState): state is Exclude<InvoiceState, OpenedInvoice> {
  return state.status === 'none' || state.status === 'pending_approval' || state.status === 'rejected';
}

/** The invoice once issued; null when it does not exist; refused (INVOICE_NOT_ISSUED) while held or rejected. */
function issuedOrNull(state: InvoiceState): OpenedInvoice | null {
  if (state.status === 'pending_approval' || state.status === 'rejected') throw notIssued(state);
  return state.status === 'none' ? null : state;
}

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
        lines: totals.lines, vatBreakdown: totals.vatBreakdown, net: totals.net, tax: totals.tax, total: totals.total,
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
      vatBreakdown: totals.vatBreakdown,
      ...(command.vatDueOn === 'receipt' ? { vatDueOn: 'receipt' as const } : {}),
      net: totals.net,
      tax: totals.tax,
      total: totals.total,
      creditDecision: { decision: 'approved', ...figures },
    },
  }];
}

function applyPayment(command: ApplyPayment, state: InvoiceState): InvoiceEvent[] {
  const invoiceId = requireId(command.invoiceId, 'invoiceId');
  const paymentId = requireId(command.paymentId, 'paymentId');
  const amount = requireInteger(command.amount, 'amount', 'AMOUNT_NOT_POSITIVE', 1);
  const receivedOn = parseDate(command.receivedOn, 'receivedOn');
  if (state.status === 'pending_approval' || state.status === 'rejected') throw notIssued(state);
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

/** Under VAT on receipt, the events that move money also say what VAT they move (vat-on-receipt.ts). */
function onReceipt(events: InvoiceEvent[], state: InvoiceState): InvoiceEvent[] {
  if (isNotReceivable(state) || state.vatDueOn !== 'receipt') return events;
  return withVatOnReceipt(events, state, (s, e) => evolve(s, e) as OpenedInvoice);
}

function decide(command: InvoiceCommand, state: InvoiceState): InvoiceEvent[] {
  switch (command.type) {
    case 'IssueInvoice':
      return issueInvoice(command, state);
    case 'ApplyPayment':
      return withChargeCorrections(state, onReceipt(applyPayment(command, state), state));
    case 'ApproveInvoice':
      return approveInvoice(command, state);
    case 'RejectInvoice':
      return rejectInvoice(command, state);
    case 'UnapplyPayment':
      return onReceipt(unapplyPayment(command, issuedOrNull(state)), state);
    case 'WriteOffInvoice':
      return withChargeCorrections(state, onReceipt(writeOffInvoice(command, issuedOrNull(state)), state));
    case 'ApproveWriteOff': {
      const { approved, pending } = approveWriteOffRequest(command, issuedOrNull(state));
      const opened: InvoiceState = { ...(state as OpenedInvoice), pendingWriteOff: null };
      const writtenOff = writeOffInvoice({
        type: 'WriteOffInvoice', invoiceId: command.invoiceId, amount: pending.amount, reason: pending.reason, approvedBy: command.approvedBy, on: pending.on,
      }, opened as OpenedInvoice);
      // The approved write-off regularises its VAT and corrects charges like a direct one (ADR 0035, 0037).
      return [approved, ...withChargeCorrections(opened, onReceipt(writtenOff, opened))];
    }
    case 'RejectWriteOff':
      return rejectWriteOffRequest(command, issuedOrNull(state));
    case 'ApplyCreditNote':
      return withChargeCorrections(state, applyCreditNote(command, issuedOrNull(state)));
    case 'AttachToPaymentPlan':
      return attachToPaymentPlan(command, issuedOrNull(state));
    case 'DetachFromPaymentPlan':
      return detachFromPaymentPlan(command, issuedOrNull(state));
    case 'SendDunning':
      return sendDunning(command, issuedOrNull(state));
    case 'AssessLateCharges':
      return assessLateCharges(command, issuedOrNull(state));
    case 'OpenDispute':
      return openDispute(command, issuedOrNull(state));
    case 'ResolveDispute':
      return resolveDispute(command, issuedOrNull(state));
    case 'WriteOffBankFees':
      return withChargeCorrections(state, onReceipt(writeOffBankFees(command, issuedOrNull(state)), state));
    default:
      return assertNever(command);
  }
}

function evolve(state: InvoiceState, event: InvoiceEvent): InvoiceState {
  switch (event.type) {
    case 'InvoiceIssued': {
      const data = upcastInvoiceIssued(event.data);
      const { invoiceId, customerId, number, currency, issueDate, dueDate, total, vatBreakdown } = data;
      const terms = data.terms ?? netTerms(data.paymentTermsDays);
      return {
        status: 'issued', invoiceId, customerId, number, currency, issueDate, dueDate, total, vatBreakdown, outstanding: total, terms, appliedPaymentIds: [],
        ...collectionDefaults(), ...(data.vatDueOn === 'receipt' ? { vatDueOn: 'receipt' as const } : {}),
      };
    }
    case 'PaymentApplied':
      if (isNotReceivable(state)) return state;
      return evolveCollection({
        ...state,
        status: (event.data.outstanding === 0 ? 'paid' : 'partially_paid') as InvoiceStatus,
        outstanding: event.data.outstanding,
        appliedPaymentIds: [...state.appliedPaymentIds, event.data.allocationId ?? event.data.paymentId],
      }, event);
    case 'PaymentUnapplied':
    case 'DiscountReversed':
      if (isNotReceivable(state)) return state;
      return { ...evolveCollection(state, event), status: anyApplied(state, event.data) ? 'partially_paid' : 'issued' };
    case 'InvoiceWrittenOff':
      if (isNotReceivable(state)) return state;
      return { ...evolveCollection(state, event), status: event.data.outstanding === 0 ? 'written_off' : 'partially_paid' };
    case 'BadDebtRecovered':
    case 'ReminderSent':
    case 'HandedToCollectionAgency':
    case 'PaymentPlanAttached':
    case 'PaymentPlanDetached':
    case 'DisputeOpened':
    case 'DisputeResolved':
      return isNotReceivable(state) ? state : evolveCollection(state, event);
    case 'DiscountApplied':
    case 'BankFeesWrittenOff':
      return isNotReceivable(state) ? state : { ...evolveCollection(state, event), status: 'paid' };
    case 'BankFeesReversed':
      if (isNotReceivable(state)) return state;
      return { ...evolveCollection(state, event), status: event.data.outstanding === 0 ? 'paid' : anyApplied(state, event.data) ? 'partially_paid' : 'issued' };
    case 'LateChargesAssessed':
      return isNotReceivable(state) ? state : { ...evolveCollection(state, event), status: 'partially_paid' };
    case 'LateChargesDeferred':
      return isNotReceivable(state) ? state : evolveCollection(state, event);
    case 'LateChargesReinstated':
      return isNotReceivable(state) ? state : { ...evolveCollection(state, event), status: 'partially_paid' };
    case 'LateChargesCorrected':
      return isNotReceivable(state) ? state : { ...evolveCollection(state, event), status: event.data.outstanding === 0 ? 'paid' : 'partially_paid' };
    case 'CreditNoteApplied':
      if (isNotReceivable(state)) return state;
      return { ...evolveCollection(state, event), status: event.data.outstanding === 0 ? 'paid' : 'partially_paid' };
    case 'InvoiceSettled':
      return isNotReceivable(state) ? state : { ...state, status: 'paid' };
    case 'WriteOffRequested':
    case 'WriteOffRequestApproved':
    case 'WriteOffRequestRejected':
      return isNotReceivable(state) ? state : evolveWriteOffRequest(state, event);
    case 'InvoiceSubmittedForApproval': {
      const d = upcastInvoiceSubmitted(event.data);
      return { status: 'pending_approval', invoiceId: d.invoiceId, customerId: d.customerId, submitted: d };
    }
    case 'InvoiceRejected':
      return { status: 'rejected', invoiceId: event.data.invoiceId, customerId: event.data.customerId };
    default:
      return assertNever(event);
  }
}

/**
 * A fact that lowers the principal on days already charged comes with the corrections of those charges, in
 * the same append (ADR 0037): the state after the fact is compared with the state before it.
 */
function withChargeCorrections(state: InvoiceState, events: InvoiceEvent[]): InvoiceEvent[] {
  if (events.length === 0 || isNotReceivable(state)) return events;
  const after = events.reduce(evolve, state as InvoiceState);
  if (isNotReceivable(after)) return events;
  return [...events, ...chargeCorrections(state, after, causeOf(events))];
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
