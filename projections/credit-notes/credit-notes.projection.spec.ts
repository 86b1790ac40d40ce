import { project } from '../testing';
import { creditNotesProjection } from './credit-notes.projection';
import type { ArEvent } from '../../libs/domain/events';

const issuedNote = (o: { invoiceId: string | null; total: number; appliedToInvoice: number }): ArEvent => ({
  type: 'CreditNoteIssued',
  data: {
    creditNoteId: 'cn1', customerId: 'c1', number: 'CN-000001', currency: 'EUR', issueDate: '2026-03-01', invoiceId: o.invoiceId, reason: 'Returned',
    lines: [], net: Math.round(o.total / 1.2), tax: o.total - Math.round(o.total / 1.2), total: o.total, appliedToInvoice: o.appliedToInvoice,
    unapplied: o.total - o.appliedToInvoice, disputeId: null,
  },
});

describe('credit-notes projection', () => {
  it('a note all on its invoice is used; what is left is open customer credit until allocated or refunded', () => {
    expect(project(creditNotesProjection, [issuedNote({ invoiceId: 'i1', total: 12_000, appliedToInvoice: 12_000 })]).get('cn1')).toMatchObject({ status: 'used', unapplied: 0, invoiceId: 'i1' });
    // Standalone 120.00: all customer credit (open); 50.00 put on i2, then the 70.00 left refunded → used.
    const events: ArEvent[] = [
      issuedNote({ invoiceId: null, total: 12_000, appliedToInvoice: 0 }),
      { type: 'CreditNoteAllocated', data: { creditNoteId: 'cn1', customerId: 'c1', invoiceId: 'i2', amount: 5_000, on: '2026-03-05', allocationId: 'cn1/1', unapplied: 7_000 } },
    ];
    expect(project(creditNotesProjection, events).get('cn1')).toMatchObject({ status: 'open', invoiceId: '', allocated: 5_000, unapplied: 7_000 });
    const done = project(creditNotesProjection, [...events, { type: 'CreditNoteRefunded', data: { creditNoteId: 'cn1', customerId: 'c1', refundId: 'r1', amount: 7_000, refundedOn: '2026-03-10', method: 'sepa', unapplied: 0 } }]).get('cn1');
    expect(done).toMatchObject({ status: 'used', refunded: 7_000, unapplied: 0 });
  });
});
