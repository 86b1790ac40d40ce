import { given } from '../shared/testing';
import { ChangeCreditLimit, creditDecider } from './credit.decider';
import { CreditEvent } from './credit.events';

// Four eyes on credit-limit increases above an amount (ADR 0042; segregation of duties, COSO 2013 principle 10).
// Limit 50,000.00 EUR (5_000_000 minor units); threshold: increases of more than 10,000.00 (1_000_000).
const registered: CreditEvent = {
  type: 'CustomerRegistered',
  data: { customerId: 'cust-1', name: 'Dupont SARL', currency: 'EUR', creditLimit: 5_000_000, paymentTermsDays: 30 },
};
const change = (newLimit: number): ChangeCreditLimit => ({
  type: 'ChangeCreditLimit', customerId: 'cust-1', newLimit, reason: 'Annual review', requestedBy: 'cm.anna', approvalAbove: 1_000_000, requestId: 'r1',
});
const requested: CreditEvent = {
  type: 'CreditLimitIncreaseRequested',
  data: { customerId: 'cust-1', requestId: 'r1', currency: 'EUR', previousLimit: 5_000_000, newLimit: 8_000_000, reason: 'Annual review', requestedBy: 'cm.anna', approvalAbove: 1_000_000 },
};
const decide = (decision: 'approve' | 'reject', by: string, reason?: string) => ({ type: 'DecideLimitIncrease' as const, customerId: 'cust-1', decision, by, ...(reason ? { reason } : {}) });

describe('credit decider — credit-limit increases above the four-eyes threshold', () => {
  it('changes at once an increase of exactly the threshold (60,000.00 − 50,000.00 = 10,000.00, not above) and any decrease', () => {
    given(creditDecider, [registered]).when(change(6_000_000)).then([
      { type: 'CreditLimitChanged', data: { customerId: 'cust-1', previousLimit: 5_000_000, newLimit: 6_000_000, reason: 'Annual review' } },
    ]);
    given(creditDecider, [registered, requested]).when(change(1_000_000)).then([
      { type: 'CreditLimitChanged', data: { customerId: 'cust-1', previousLimit: 5_000_000, newLimit: 1_000_000, reason: 'Annual review' } },
    ]);
  });

  it('makes an increase of 30,000.00 (80,000.00 − 50,000.00 > 10,000.00) a request; the limit stays 50,000.00', () => {
    const state = given(creditDecider, [registered]).when(change(8_000_000)).then([requested]);
    expect(state).toMatchObject({ creditLimit: 5_000_000, pendingLimitIncrease: { requestId: 'r1', newLimit: 8_000_000, requestedBy: 'cm.anna' } });
    given(creditDecider, [registered, requested]).when(change(5_500_000)).thenThrows('CREDIT_LIMIT_INCREASE_PENDING', { kind: 'conflict' });
  });

  it('refuses approval by the requester; a second principal\'s approval changes the limit', () => {
    given(creditDecider, [registered, requested]).when(decide('approve', 'cm.anna')).thenThrows('APPROVER_IS_REQUESTER', { kind: 'rule', details: { requestedBy: 'cm.anna' } });
    const state = given(creditDecider, [registered, requested]).when(decide('approve', 'cfo')).then([
      { type: 'CreditLimitIncreaseApproved', data: { customerId: 'cust-1', requestId: 'r1', requestedBy: 'cm.anna', approvedBy: 'cfo' } },
      { type: 'CreditLimitChanged', data: { customerId: 'cust-1', previousLimit: 5_000_000, newLimit: 8_000_000, reason: 'Annual review' } },
    ]);
    expect(state).toMatchObject({ creditLimit: 8_000_000, pendingLimitIncrease: null });
  });

  it('closes a rejected request (a reason is required) and refuses to decide when nothing waits', () => {
    given(creditDecider, [registered, requested]).when(decide('reject', 'cfo')).thenThrows('REASON_REQUIRED', { kind: 'invalid' });
    const state = given(creditDecider, [registered, requested]).when(decide('reject', 'cfo', 'Accounts not filed')).then([
      { type: 'CreditLimitIncreaseRejected', data: { customerId: 'cust-1', requestId: 'r1', requestedBy: 'cm.anna', rejectedBy: 'cfo', reason: 'Accounts not filed' } },
    ]);
    expect(state).toMatchObject({ creditLimit: 5_000_000, pendingLimitIncrease: null });
    given(creditDecider, [registered]).when(decide('approve', 'cfo')).thenThrows('NO_LIMIT_INCREASE_PENDING', { kind: 'conflict' });
  });
});
