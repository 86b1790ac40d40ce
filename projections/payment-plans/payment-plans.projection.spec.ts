import { project } from '../testing';
import { paymentPlansProjection } from './payment-plans.projection';
import type { ArEvent } from '../../libs/domain/events';

describe('payment-plans projection', () => {
  const agreed: ArEvent = {
    type: 'PaymentPlanAgreed',
    data: {
      planId: 'pl1', customerId: 'c1', currency: 'EUR', invoices: [{ invoiceId: 'i1', outstanding: 90_000 }],
      instalments: [{ dueDate: '2026-03-15', amount: 45_000 }, { dueDate: '2026-04-15', amount: 45_000 }], total: 90_000, graceDays: 5, agreedOn: '2026-02-20', interest: 'waive',
    },
  };

  it('an agreed plan is active until broken or completed; it ends on its last instalment', () => {
    expect(project(paymentPlansProjection, [agreed]).get('pl1')).toMatchObject({ status: 'active', total: 90_000, invoiceIds: ['i1'], endsOn: '2026-04-15', interest: 'waive' });
    expect(project(paymentPlansProjection, [agreed, { type: 'PaymentPlanBroken', data: { planId: 'pl1', customerId: 'c1', instalment: 1, dueDate: '2026-03-15', covered: 0, dueByThen: 45_000, brokenOn: '2026-03-21' } }]).get('pl1'))
      .toMatchObject({ status: 'broken', brokenOn: '2026-03-21' });
    expect(project(paymentPlansProjection, [agreed, { type: 'PaymentPlanCompleted', data: { planId: 'pl1', customerId: 'c1', completedOn: '2026-04-14' } }]).get('pl1'))
      .toMatchObject({ status: 'completed', completedOn: '2026-04-14' });
  });

  it('reads plans agreed before the interest rule as accruing (upcaster)', () => {
    const { interest: _omitted, ...v1 } = (agreed as Extract<ArEvent, { type: 'PaymentPlanAgreed' }>).data;
    expect(project(paymentPlansProjection, [{ type: 'PaymentPlanAgreed', data: v1 } as ArEvent]).get('pl1')).toMatchObject({ interest: 'accrue' });
  });
});
