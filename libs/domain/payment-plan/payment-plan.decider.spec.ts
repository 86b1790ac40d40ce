import { given } from '../shared/testing';
import { AgreePaymentPlan, paymentPlanDecider, PlannedInvoice } from './payment-plan.decider';
import { upcastEventData } from '../upcasters';
import { upcastPaymentPlanAgreed, type PaymentPlanAgreed, type PaymentPlanEvent } from './payment-plan.events';

const inv = (invoiceId: string, outstanding: number, patch: Partial<PlannedInvoice> = {}): PlannedInvoice =>
  ({ invoiceId, customerId: 'c1', currency: 'EUR', outstanding, disputed: false, planId: null, ...patch });
const agree = (patch: Partial<AgreePaymentPlan> = {}): AgreePaymentPlan => ({
  type: 'AgreePaymentPlan', planId: 'pl1', customerId: 'c1', requestedInvoiceIds: ['i1', 'i2'], invoices: [inv('i1', 60_000), inv('i2', 30_000)],
  instalments: [{ dueDate: '2026-04-30', amount: 45_000 }, { dueDate: '2026-05-31', amount: 45_000 }], graceDays: 10, agreedOn: '2026-03-20', interest: 'accrue', ...patch,
});
const agreed: PaymentPlanEvent = {
  type: 'PaymentPlanAgreed',
  data: { planId: 'pl1', customerId: 'c1', currency: 'EUR', invoices: [{ invoiceId: 'i1', outstanding: 60_000 }, { invoiceId: 'i2', outstanding: 30_000 }],
    instalments: [{ dueDate: '2026-04-30', amount: 45_000 }, { dueDate: '2026-05-31', amount: 45_000 }], total: 90_000, graceDays: 10, agreedOn: '2026-03-20', interest: 'accrue' },
};
const check = (asOf: string, covered: number) => ({ type: 'CheckPaymentPlan' as const, planId: 'pl1', asOf, covered });

describe('payment plan decider', () => {
  it('agrees dated instalments summing to what the invoices owe', () => {
    given(paymentPlanDecider).when(agree()).then([agreed]);
  });
  it('records the interest rule agreed (ADR 0051): accrue or waive, nothing else', () => {
    const waived = given(paymentPlanDecider).when(agree({ interest: 'waive' })).then([{ ...agreed, data: { ...agreed.data, interest: 'waive' } } as PaymentPlanEvent]);
    expect(waived).toMatchObject({ status: 'active', interest: 'waive', agreedOn: '2026-03-20', endedOn: null });
    given(paymentPlanDecider).when(agree({ interest: 'forgive' as never })).thenThrows('PLAN_INTEREST_INVALID', { kind: 'invalid', details: { field: 'interest' } });
  });
  it('reads a v1 agreement (no interest field) as agreed under the rule of its day: accrue', () => {
    const { interest: _, ...v1 } = agreed.data as PaymentPlanAgreed['data'];
    const state = given(paymentPlanDecider, [{ type: 'PaymentPlanAgreed', data: v1 } as unknown as PaymentPlanEvent]).when(check('2026-05-20', 90_000)).then([
      { type: 'PaymentPlanCompleted', data: { planId: 'pl1', customerId: 'c1', completedOn: '2026-05-20' } },
    ]);
    expect(state).toMatchObject({ status: 'completed', interest: 'accrue', agreedOn: '2026-03-20', endedOn: '2026-05-20' });
    expect(upcastPaymentPlanAgreed(v1)).toEqual(agreed.data);
    expect(upcastEventData('PaymentPlanAgreed', agreed.data)).toBe(agreed.data);
  });
  it('refuses instalments that do not sum to the outstanding, bad dates, and invoices that cannot join', () => {
    given(paymentPlanDecider).when(agree({ instalments: [{ dueDate: '2026-04-30', amount: 89_999 }] })).thenThrows('PLAN_TOTAL_MISMATCH', { details: { instalments: '899.99', outstanding: '900.00', difference: '-0.01' } });
    given(paymentPlanDecider).when(agree({ instalments: [{ dueDate: '2026-05-31', amount: 45_000 }, { dueDate: '2026-04-30', amount: 45_000 }] })).thenThrows('INSTALMENT_DATES_INVALID', { kind: 'invalid' });
    given(paymentPlanDecider).when(agree({ invoices: [inv('i1', 60_000), inv('i2', 30_000, { planId: 'other' })] })).thenThrows('INVOICE_IN_PAYMENT_PLAN', { kind: 'conflict' });
    given(paymentPlanDecider).when(agree({ invoices: [inv('i1', 60_000), inv('i2', 30_000, { disputed: true })] })).thenThrows('INVOICE_DISPUTED');
    given(paymentPlanDecider).when(agree({ invoices: [inv('i1', 60_000), inv('i2', 0)] })).thenThrows('INVOICE_NOT_OPEN');
    given(paymentPlanDecider).when(agree({ invoices: [inv('i1', 60_000), inv('i2', 30_000, { customerId: 'c2' })] })).thenThrows('INVOICE_OF_ANOTHER_CUSTOMER');
    given(paymentPlanDecider).when(agree({ invoices: [inv('i1', 60_000), null] })).thenThrows('INVOICE_NOT_FOUND', { kind: 'not_found' });
    given(paymentPlanDecider, [agreed]).when(agree()).thenThrows('PAYMENT_PLAN_ALREADY_EXISTS', { kind: 'conflict' });
  });
  it('payments go to instalments in order; an instalment unpaid grace days after its date breaks the plan', () => {
    given(paymentPlanDecider, [agreed]).when(check('2026-05-10', 44_999)).then([]); // 10 days of grace: not yet
    const broken = given(paymentPlanDecider, [agreed]).when(check('2026-05-11', 44_999)).then([{
      type: 'PaymentPlanBroken', data: { planId: 'pl1', customerId: 'c1', instalment: 1, dueDate: '2026-04-30', covered: 44_999, dueByThen: 45_000, brokenOn: '2026-05-11' },
    }]);
    expect(broken).toMatchObject({ status: 'broken', endedOn: '2026-05-11' });
    given(paymentPlanDecider, [agreed]).when(check('2026-06-20', 45_000)).then([{
      type: 'PaymentPlanBroken', data: { planId: 'pl1', customerId: 'c1', instalment: 2, dueDate: '2026-05-31', covered: 45_000, dueByThen: 90_000, brokenOn: '2026-06-20' },
    }]);
  });
  it('completes when everything is covered; a finished plan decides nothing more', () => {
    const completed: PaymentPlanEvent = { type: 'PaymentPlanCompleted', data: { planId: 'pl1', customerId: 'c1', completedOn: '2026-05-20' } };
    given(paymentPlanDecider, [agreed]).when(check('2026-05-20', 90_000)).then([completed]);
    given(paymentPlanDecider, [agreed, completed]).when(check('2026-07-01', 0)).then([]);
    given(paymentPlanDecider).when(check('2026-07-01', 0)).thenThrows('PAYMENT_PLAN_NOT_FOUND', { kind: 'not_found' });
  });
});
