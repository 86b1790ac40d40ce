import type { RecordedFact } from '../reporting/effective-date';
import { coveredByPlan } from './plan-coverage';

const f = (type: string, data: Record<string, unknown>): Pick<RecordedFact, 'type' | 'data' | 'metadata'> => ({ type, data, metadata: { recordedAt: '2026-06-01T00:00:00.000Z' } });
const paidBefore = f('PaymentApplied', { invoiceId: 'i1', paymentId: 'p0', amount: 10_000, receivedOn: '2026-02-01' });
const attached = f('PaymentPlanAttached', { invoiceId: 'i1', planId: 'pl1' });
const march = f('PaymentApplied', { invoiceId: 'i1', paymentId: 'p1', amount: 45_000, receivedOn: '2026-03-14' });
const charges = f('LateChargesAssessed', { invoiceId: 'i1', through: '2026-03-20', interest: 1_000, compensation: 4_000, amount: 5_000 });
const april = f('PaymentApplied', { invoiceId: 'i1', paymentId: 'p2', amount: 45_000, receivedOn: '2026-04-14' });

describe('payment plan coverage', () => {
  it('given charges assessed during a kept plan, then they do not lower what is covered (they are not instalments)', () => {
    // Covered 450.00 by 03-31 whatever the 50.00 of charges assessed on 03-20; the payment before the plan is not counted.
    expect(coveredByPlan([paidBefore, attached, march, charges], 'pl1', '2026-03-31')).toBe(45_000);
  });
  it('given a check as of a past date, then only what was received by that date counts', () => {
    // As of 03-31 the April payment (received 04-14, recorded earlier than the check) does not count: 450.00, not 900.00.
    expect(coveredByPlan([attached, march, april], 'pl1', '2026-03-31')).toBe(45_000);
    expect(coveredByPlan([attached, march, april], 'pl1', '2026-04-14')).toBe(90_000);
  });
  it('given a payment taken back, then it no longer covers', () => {
    const bounced = f('PaymentUnapplied', { invoiceId: 'i1', paymentId: 'p1', amount: 45_000, on: '2026-03-25', reason: 'reversal', recoveryReversed: 0 });
    expect(coveredByPlan([attached, march, bounced], 'pl1', '2026-03-24')).toBe(45_000);
    expect(coveredByPlan([attached, march, bounced], 'pl1', '2026-03-25')).toBe(0);
  });
});
