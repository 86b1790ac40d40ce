import type { CalendarDate } from '../../libs/domain/shared/dates';
import type { Projection } from '../../libs/projection-runtime/projection';

/**
 * The approvers' queue of four-eyes requests (ADR 0042): large write-offs and credit-limit increases, one
 * document per request, pending until a second principal approves or rejects it.
 */
export type ApprovalRequest = {
  requestId: string;
  kind: 'write_off' | 'credit_limit_increase';
  status: 'pending' | 'approved' | 'rejected';
  customerId: string;
  /** Write-offs: the invoice. */
  invoiceId: string | null;
  currency: string;
  /** Write-offs: the amount to write off; limit increases: the new limit (minor units). */
  amount: number;
  /** Limit increases: the limit when asked (minor units). */
  previousLimit: number | null;
  reason: string;
  /** Write-offs: the effective date once approved. */
  on: CalendarDate | null;
  approvalAbove: number;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  rejectionReason: string | null;
};

const TYPES = new Set<string>([
  'WriteOffRequested', 'WriteOffRequestApproved', 'WriteOffRequestRejected',
  'CreditLimitIncreaseRequested', 'CreditLimitIncreaseApproved', 'CreditLimitIncreaseRejected',
]);

export const approvalRequestsProjection: Projection<ApprovalRequest> = {
  name: 'approval-requests',
  version: 1,
  indexes: ['status', 'customerId'],
  eventTypes: TYPES,
  keysOf(event) {
    return TYPES.has(event.type) ? [(event.data as { requestId: string }).requestId] : [];
  },
  evolve(doc, event) {
    const at = event.metadata.recordedAt;
    switch (event.type) {
      case 'WriteOffRequested': {
        if (doc !== null) return doc;
        const d = event.data;
        return {
          requestId: d.requestId, kind: 'write_off', status: 'pending', customerId: d.customerId, invoiceId: d.invoiceId, currency: d.currency,
          amount: d.amount, previousLimit: null, reason: d.reason, on: d.on, approvalAbove: d.approvalAbove, requestedBy: d.requestedBy, requestedAt: at,
          decidedBy: null, decidedAt: null, rejectionReason: null,
        };
      }
      case 'CreditLimitIncreaseRequested': {
        if (doc !== null) return doc;
        const d = event.data;
        return {
          requestId: d.requestId, kind: 'credit_limit_increase', status: 'pending', customerId: d.customerId, invoiceId: null, currency: d.currency,
          amount: d.newLimit, previousLimit: d.previousLimit, reason: d.reason, on: null, approvalAbove: d.approvalAbove, requestedBy: d.requestedBy, requestedAt: at,
          decidedBy: null, decidedAt: null, rejectionReason: null,
        };
      }
      case 'WriteOffRequestApproved':
      case 'CreditLimitIncreaseApproved':
        return doc === null || doc.status !== 'pending' ? doc : { ...doc, status: 'approved', decidedBy: event.data.approvedBy, decidedAt: at };
      case 'WriteOffRequestRejected':
      case 'CreditLimitIncreaseRejected':
        return doc === null || doc.status !== 'pending' ? doc : { ...doc, status: 'rejected', decidedBy: event.data.rejectedBy, decidedAt: at, rejectionReason: event.data.reason };
      default:
        return doc;
    }
  },
};
