import type { ArEvent } from '../../libs/domain/events';
import { project } from '../testing';
import { approvalRequestsProjection } from './approval-requests.projection';

// Four eyes (ADR 0042): threshold 100.00 EUR (10_000 minor units); a 1200.00 write-off and a limit raised 500.00 → 800.00.
const writeOffRequested: ArEvent = {
  type: 'WriteOffRequested',
  data: { invoiceId: 'i1', customerId: 'c1', requestId: 'r1', currency: 'EUR', amount: 120_000, reason: 'insolvent', on: '2026-06-30', requestedBy: 'cm.anna', approvalAbove: 10_000 },
};
const limitRequested: ArEvent = {
  type: 'CreditLimitIncreaseRequested',
  data: { customerId: 'c1', requestId: 'r2', currency: 'EUR', previousLimit: 50_000, newLimit: 80_000, reason: 'guarantee', requestedBy: 'cm.anna', approvalAbove: 10_000 },
};

describe('approval-requests projection', () => {
  it('given two requests, lists both pending with their figures and requester', () => {
    const docs = project(approvalRequestsProjection, [writeOffRequested, limitRequested]);
    expect(docs.get('r1')).toMatchObject({ kind: 'write_off', status: 'pending', invoiceId: 'i1', amount: 120_000, on: '2026-06-30', requestedBy: 'cm.anna', decidedBy: null });
    expect(docs.get('r2')).toMatchObject({ kind: 'credit_limit_increase', status: 'pending', invoiceId: null, amount: 80_000, previousLimit: 50_000 });
  });

  it('records the second principal\'s approval or rejection, and ignores a decision of an unknown or decided request', () => {
    const docs = project(approvalRequestsProjection, [
      writeOffRequested, limitRequested,
      { type: 'WriteOffRequestApproved', data: { invoiceId: 'i1', customerId: 'c1', requestId: 'r1', requestedBy: 'cm.anna', approvedBy: 'cm.bob' } },
      { type: 'CreditLimitIncreaseRejected', data: { customerId: 'c1', requestId: 'r2', requestedBy: 'cm.anna', rejectedBy: 'cfo', reason: 'no accounts' } },
      { type: 'CreditLimitIncreaseApproved', data: { customerId: 'c1', requestId: 'r2', requestedBy: 'cm.anna', approvedBy: 'x' } },
      { type: 'WriteOffRequestRejected', data: { invoiceId: 'i9', customerId: 'c1', requestId: 'r9', requestedBy: 'a', rejectedBy: 'b', reason: 'x' } },
    ]);
    expect(docs.get('r1')).toMatchObject({ status: 'approved', decidedBy: 'cm.bob', decidedAt: expect.any(String) });
    expect(docs.get('r2')).toMatchObject({ status: 'rejected', decidedBy: 'cfo', rejectionReason: 'no accounts' });
    expect(docs.has('r9')).toBe(false);
  });
});
