import { CalendarDate, parseDate } from '../shared/dates';
import { DomainError, invalid } from '../shared/errors';
import { dueDateFor, termDays } from '../shared/payment-terms';
import { requireId, requireInteger, requireText } from '../shared/validation';
import type { CreditPolicy } from '../credit/credit.events';
import { exposureFigures, refuseIfOnHold } from '../credit/credit-decision';
import type { InvoiceIssued, InvoiceRejected, InvoiceSubmittedForApproval } from './invoice.events';

/**
 * Invoices held for approval (policy `hold_for_approval`, limit exceeded): a person approves — the invoice is then
 * issued with the next gap-free number and becomes a receivable — or rejects it with a reason. Until then it has
 * no number and is not a receivable, but counts in the customer's exposure.
 */

export interface PendingInvoice {
  status: 'pending_approval';
  invoiceId: string;
  customerId: string;
  submitted: InvoiceSubmittedForApproval['data'];
}

/** Rejected while pending: never issued, never numbered. */
export interface ClosedWithoutIssue {
  status: 'rejected';
  invoiceId: string;
  customerId: string;
}

export interface ApproveInvoice {
  type: 'ApproveInvoice';
  invoiceId: string;
  /** The next number of the series, reserved by the application layer. */
  number: string;
  reason: string;
  /** The person approving (the command's actor); never the submitter, never anonymous. */
  approvedBy: string;
  /** The date of issue; absent = the date given when the invoice was submitted. Never earlier than that. */
  issueDate?: CalendarDate;
  /** The customer's credit account now (holds are re-checked; the figures are recorded). */
  customer: {
    currency: string;
    creditLimit: number;
    policy?: CreditPolicy;
    policySource?: 'customer' | 'global';
    holds?: Array<{ kind: 'manual' | 'policy'; reason: string }>;
  } | null;
  outstanding: number;
  /** The customer's other invoices held for approval, this one excluded. */
  pendingApproval: number;
  unapplied: number;
  /** The company option in force at approval: VAT due on receipt (CGI art. 269-2-c); absent = on invoicing. */
  vatDueOn?: 'receipt';
}

export interface RejectInvoice {
  type: 'RejectInvoice';
  invoiceId: string;
  reason: string;
}

/** The actor of requests that name nobody (no X-Actor). */
export const ANONYMOUS = 'anonymous';

type AnyInvoiceState = { status: string; invoiceId?: string; number?: string };

function isPending(state: AnyInvoiceState): state is PendingInvoice {
  return state.status === 'pending_approval';
}

export function notIssued(state: PendingInvoice | ClosedWithoutIssue): DomainError {
  return new DomainError('INVOICE_NOT_ISSUED', `Invoice ${state.invoiceId} is ${state.status.replace('_', ' ')}: it is not a receivable`, { invoiceId: state.invoiceId, status: state.status });
}

function requirePending(state: AnyInvoiceState, invoiceId: string): PendingInvoice {
  if (state.status === 'none') throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${invoiceId} does not exist`, { invoiceId }, 'not_found');
  if (!isPending(state)) {
    throw new DomainError('INVOICE_NOT_PENDING_APPROVAL', `Invoice ${invoiceId} is ${state.status}, not pending approval`, { invoiceId, status: state.status, number: state.number ?? null }, 'conflict');
  }
  return state;
}

export function approveInvoice(command: ApproveInvoice, state: AnyInvoiceState): InvoiceIssued[] {
  const invoiceId = requireId(command.invoiceId, 'invoiceId');
  const number = requireText(command.number, 'number', 'INVOICE_NUMBER', 50);
  const reason = requireText(command.reason, 'reason', 'REASON', 500);
  const requestedDate = command.issueDate === undefined ? undefined : parseDate(command.issueDate, 'issueDate');
  const approvedBy = command.approvedBy;
  if (typeof approvedBy !== 'string' || approvedBy.trim() === '' || approvedBy === ANONYMOUS) {
    throw invalid('APPROVER_REQUIRED', 'An approval must name the approver (X-Actor)', 'X-Actor');
  }
  const pending = requirePending(state, invoiceId);
  const p = pending.submitted;
  // Four eyes: whoever issued the invoice over the limit cannot approve it too.
  if (p.submittedBy !== ANONYMOUS && p.submittedBy === approvedBy) {
    throw new DomainError('APPROVER_IS_SUBMITTER', `${approvedBy} submitted invoice ${invoiceId} and cannot approve it`, { invoiceId, submittedBy: p.submittedBy });
  }
  const customer = command.customer;
  if (customer === null) throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${p.customerId} is not registered`, { customerId: p.customerId }, 'not_found');
  const standing = {
    customerId: p.customerId, currency: customer.currency, creditLimit: customer.creditLimit, policy: customer.policy ?? p.creditDecision.policy,
    policySource: customer.policySource ?? p.creditDecision.policySource, holds: customer.holds ?? [],
    outstanding: requireInteger(command.outstanding, 'outstanding', 'OUTSTANDING_INVALID', 0),
    pendingApproval: requireInteger(command.pendingApproval, 'pendingApproval', 'OUTSTANDING_INVALID', 0),
    unapplied: requireInteger(command.unapplied, 'unapplied', 'OUTSTANDING_INVALID', 0),
  };
  // A hold placed since the submission stops the approval too: no new credit sale while blocked.
  refuseIfOnHold(standing);
  const issueDate = requestedDate ?? p.issueDate;
  if (issueDate < p.issueDate) {
    throw new DomainError('ISSUE_DATE_BEFORE_SUBMISSION', `The issue date ${issueDate} is before the submitted date ${p.issueDate}`, { field: 'issueDate', submittedIssueDate: p.issueDate }, 'invalid');
  }
  const figures = exposureFigures(standing, p.total);
  return [{
    type: 'InvoiceIssued',
    data: {
      invoiceId,
      customerId: p.customerId,
      number,
      currency: p.currency,
      issueDate,
      dueDate: dueDateFor(p.terms, issueDate),
      paymentTermsDays: termDays(p.terms, issueDate),
      terms: p.terms,
      ...(p.termsSource ? { termsSource: p.termsSource } : {}),
      ...(p.termsAgreedBeyondCap ? { termsAgreedBeyondCap: true } : {}),
      lines: p.lines,
      vatBreakdown: p.vatBreakdown,
      ...(command.vatDueOn === 'receipt' ? { vatDueOn: 'receipt' as const } : {}),
      net: p.net,
      tax: p.tax,
      total: p.total,
      creditDecision: {
        decision: 'approved_on_review', ...figures,
        review: { reason, submittedBy: p.submittedBy, approvedBy, submittedExposure: p.creditDecision.exposure, submittedIssueDate: p.issueDate },
      },
    },
  }];
}

export function rejectInvoice(command: RejectInvoice, state: AnyInvoiceState): InvoiceRejected[] {
  const invoiceId = requireId(command.invoiceId, 'invoiceId');
  const reason = requireText(command.reason, 'reason', 'REASON', 500);
  const pending = requirePending(state, invoiceId);
  return [{ type: 'InvoiceRejected', data: { invoiceId, customerId: pending.customerId, total: pending.submitted.total, reason } }];
}
