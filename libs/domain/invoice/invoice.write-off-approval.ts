import { DomainError } from '../shared/errors';
import { formatAmount } from '../shared/money';
import { requireId, requireText } from '../shared/validation';
import type { PendingWriteOff, WriteOffRequestApproved, WriteOffRequestEvent, WriteOffRequestRejected } from './invoice.write-off-request.events';

export type { PendingWriteOff } from './invoice.write-off-request.events';

export interface ApproveWriteOff {
  type: 'ApproveWriteOff';
  invoiceId: string;
  approvedBy: string;
}

export interface RejectWriteOff {
  type: 'RejectWriteOff';
  invoiceId: string;
  reason: string;
  rejectedBy: string;
}

/** The part of an issued invoice's state these rules read. */
type WithRequest = { customerId: string; number: string; currency: string; pendingWriteOff?: PendingWriteOff | null };

/**
 * Four eyes on large write-offs (ADR 0042): approve (a second principal, never the requester) or reject the
 * request waiting on an invoice.
 */
export function pendingWriteOffOf(state: WithRequest | null, invoiceId: string): PendingWriteOff & { state: WithRequest } {
  if (state === null) throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${invoiceId} does not exist`, { invoiceId }, 'not_found');
  if (!state.pendingWriteOff) throw new DomainError('NO_WRITE_OFF_PENDING', `Invoice ${state.number} has no write-off waiting for approval`, { invoiceId }, 'conflict');
  return { ...state.pendingWriteOff, state };
}

/** The approval's own fact; the write-off itself is decided by writeOffInvoice on the request's figures. */
export function approveWriteOffRequest(command: ApproveWriteOff, state: WithRequest | null): { approved: WriteOffRequestApproved; pending: PendingWriteOff } {
  const invoiceId = requireId(command.invoiceId, 'invoiceId');
  const approvedBy = requireText(command.approvedBy, 'approvedBy', 'APPROVER', 200);
  const pending = pendingWriteOffOf(state, invoiceId);
  if (pending.requestedBy === approvedBy) {
    throw new DomainError('APPROVER_IS_REQUESTER', `${approvedBy} requested this write-off and cannot approve it`, {
      invoiceId, requestId: pending.requestId, requestedBy: pending.requestedBy, amount: formatAmount(pending.amount, pending.state.currency),
    });
  }
  return {
    approved: { type: 'WriteOffRequestApproved', data: { invoiceId, customerId: pending.state.customerId, requestId: pending.requestId, requestedBy: pending.requestedBy, approvedBy } },
    pending,
  };
}

export function rejectWriteOffRequest(command: RejectWriteOff, state: WithRequest | null): WriteOffRequestRejected[] {
  const invoiceId = requireId(command.invoiceId, 'invoiceId');
  const reason = requireText(command.reason, 'reason', 'REASON', 500);
  const rejectedBy = requireText(command.rejectedBy, 'rejectedBy', 'APPROVER', 200);
  const pending = pendingWriteOffOf(state, invoiceId);
  return [{ type: 'WriteOffRequestRejected', data: { invoiceId, customerId: pending.state.customerId, requestId: pending.requestId, requestedBy: pending.requestedBy, rejectedBy, reason } }];
}

export function evolveWriteOffRequest<S extends WithRequest>(state: S, event: WriteOffRequestEvent): S {
  if (event.type === 'WriteOffRequested') {
    const d = event.data;
    return { ...state, pendingWriteOff: { requestId: d.requestId, amount: d.amount, reason: d.reason, on: d.on, requestedBy: d.requestedBy } };
  }
  return { ...state, pendingWriteOff: null };
}
