import { project } from '../testing';
import { disputesProjection } from './disputes.projection';
import type { ArEvent } from '../../libs/domain/events';

describe('disputes projection', () => {
  it('opens a dispute and records its outcome', () => {
    const opened: ArEvent = { type: 'DisputeOpened', data: { invoiceId: 'i1', customerId: 'c1', disputeId: 'd1', amount: 20_000, reason: 'Damaged', openedOn: '2026-02-15' } };
    expect(project(disputesProjection, [opened]).get('d1')).toMatchObject({ status: 'open', amount: 20_000, resolvedOn: null, creditNoteId: null });
    const resolved = project(disputesProjection, [opened, {
      type: 'DisputeResolved', data: { invoiceId: 'i1', customerId: 'c1', disputeId: 'd1', outcome: 'accepted', agreedAmount: 15_000, resolvedOn: '2026-03-01', note: 'Agreed', creditNoteId: 'cn-d1' },
    }]).get('d1');
    expect(resolved).toMatchObject({ status: 'accepted', agreedAmount: 15_000, resolvedOn: '2026-03-01', creditNoteId: 'cn-d1', note: 'Agreed' });
  });
});
