import { allocated, project, received } from '../testing';
import { paymentsProjection } from './payments.projection';
import type { ArEvent } from '../../libs/domain/events';

/** Given a payment's events, then its listed document: status of its cash, allocations, refunds, reversal. */
describe('payments projection', () => {
  it('follows a payment from unapplied to partly applied, refunded and applied', () => {
    // Given 1 000.00 received, 600.00 allocated → 400.00 unapplied: partially applied.
    const base: ArEvent[] = [received('p1', 'c1', 100_000, '2026-01-10'), allocated('p1', 'c1', 'i1', 60_000, '2026-01-10', 40_000)];
    expect(project(paymentsProjection, [base[0]]).get('p1')).toMatchObject({ status: 'unapplied', allocated: 0, unapplied: 100_000, reference: '' });
    expect(project(paymentsProjection, base).get('p1')).toMatchObject({ status: 'partially_applied', allocated: 60_000, unapplied: 40_000, allocations: [{ invoiceId: 'i1', amount: 60_000, on: '2026-01-10', rule: 'explicit' }] });
    // When the 400.00 left is refunded: 0 unapplied, 400.00 refunded → refunded.
    const refunded = project(paymentsProjection, [...base, { type: 'PaymentRefunded', data: { paymentId: 'p1', customerId: 'c1', refundId: 'r1', amount: 40_000, refundedOn: '2026-02-01', method: 'sepa', unapplied: 0 } }]).get('p1');
    expect(refunded).toMatchObject({ status: 'refunded', refunded: 40_000, unapplied: 0 });
    // When instead 400.00 more is allocated: all on invoices → applied.
    expect(project(paymentsProjection, [...base, allocated('p1', 'c1', 'i2', 40_000, '2026-01-10', 0)]).get('p1')).toMatchObject({ status: 'applied', allocated: 100_000 });
  });

  it('a reversal takes the allocations back and leaves it reversed; review holds clear once its cash is placed', () => {
    const events: ArEvent[] = [
      received('p1', 'c1', 50_000, '2026-01-10'),
      { type: 'PaymentHeldForReview', data: { paymentId: 'p1', customerId: 'c1', reference: 'F-999', reason: 'reference_not_open', amount: 50_000, receivedOn: '2026-01-10' } },
    ];
    expect(project(paymentsProjection, events).get('p1')).toMatchObject({ heldForReview: true, status: 'unapplied' });
    const placed = [...events, allocated('p1', 'c1', 'i1', 50_000, '2026-01-10', 0)];
    expect(project(paymentsProjection, placed).get('p1')).toMatchObject({ heldForReview: false, status: 'applied' });
    const reversed = project(paymentsProjection, [...placed,
      { type: 'PaymentDeallocated', data: { paymentId: 'p1', customerId: 'c1', invoiceId: 'i1', amount: 50_000, on: '2026-02-01', reason: 'reversal', unapplied: 50_000 } },
      { type: 'PaymentReversed', data: { paymentId: 'p1', customerId: 'c1', amount: 50_000, reason: 'bounced', reversedOn: '2026-02-01', creditRemoved: 50_000 } },
    ]).get('p1');
    // 500.00 allocated − 500.00 taken back = 0 on invoices; its cash is gone.
    expect(reversed).toMatchObject({ status: 'reversed', allocated: 0, unapplied: 0, reversedOn: '2026-02-01' });
    expect(reversed?.allocations.map((a) => a.amount)).toEqual([50_000, -50_000]);
  });
});
