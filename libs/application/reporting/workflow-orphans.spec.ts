import type { StoredEvent } from '../../event-store/event-store.port';
import { WorkflowTracker } from './workflow-orphans';

let position = 0;
const at = (streamId: string, type: string, data: Record<string, unknown>, commandId = `c-${position}`): StoredEvent => ({
  id: `e-${position}`, type, data, streamId, revision: 0, position: position++,
  metadata: { actor: 'clerk', recordedAt: '2026-03-01T10:00:00.000Z', commandId, correlationId: 'x', causationId: 'x', schemaVersion: 1, prevHash: '', hash: '' },
});

/** given(log).caughtUpTo(p) → the orphans (ADR 0047). */
function orphansOf(log: StoredEvent[], caughtUpTo = Number.MAX_SAFE_INTEGER) {
  const tracker = new WorkflowTracker(caughtUpTo);
  for (const e of log) tracker.next(e);
  return tracker.result();
}

describe('workflow completeness: every first step has its second', () => {
  beforeEach(() => { position = 0; });

  it('an allocation applied to its invoice is complete; one never applied is an orphan with its position', () => {
    const log = [
      at('payment-p1', 'PaymentAllocated', { paymentId: 'p1', customerId: 'c', invoiceId: 'i1', amount: 36_739 }),
      at('invoice-i1', 'PaymentApplied', { paymentId: 'p1', customerId: 'c', invoiceId: 'i1', amount: 36_739 }),
      at('payment-p2', 'PaymentAllocated', { paymentId: 'p2', customerId: 'c', invoiceId: 'i1', amount: 36_739 }),
    ];
    const r = orphansOf(log);
    expect(r.checked).toBe(2);
    expect(r.orphans).toEqual([expect.objectContaining({ kind: 'allocation_not_applied', position: 2, streamId: 'payment-p2', customerId: 'c' })]);
  });

  it('a later allocation is matched by its own allocation id, not by the payment id', () => {
    const log = [
      at('payment-p1', 'PaymentAllocated', { paymentId: 'p1', customerId: 'c', invoiceId: 'i1', amount: 100 }),
      at('invoice-i1', 'PaymentApplied', { paymentId: 'p1', customerId: 'c', invoiceId: 'i1', amount: 100 }),
      at('payment-p1', 'PaymentAllocated', { paymentId: 'p1', customerId: 'c', invoiceId: 'i1', amount: 50, allocationId: 'credit-1' }),
    ];
    expect(orphansOf(log).orphans.map((o) => o.position)).toEqual([2]);
  });

  it('a reserved invoice number without its InvoiceIssued is an orphan (a gap in the series, CGI annex II art. 242 nonies A)', () => {
    const log = [
      at('invoicenumbers-INV', 'InvoiceNumberReserved', { series: 'INV', number: 'INV-000530', invoiceId: 'a', customerId: 'c' }),
      at('invoice-a', 'InvoiceIssued', { invoiceId: 'a', number: 'INV-000530', customerId: 'c' }),
      at('invoicenumbers-INV', 'InvoiceNumberReserved', { series: 'INV', number: 'INV-000531', invoiceId: 'b', customerId: 'c' }),
      at('creditnotenumbers-CN', 'CreditNoteNumberReserved', { series: 'CN', number: 'CN-000001', creditNoteId: 'n', customerId: 'c' }),
    ];
    expect(orphansOf(log).orphans.map((o) => [o.kind, o.position])).toEqual([['invoice_not_issued', 2], ['credit_note_not_issued', 3]]);
  });

  it('a hold asked by dunning is satisfied by the hold it caused, or by a manual hold already in force', () => {
    const log = [
      at('invoice-i1', 'ReminderSent', { customerId: 'c1', invoiceId: 'i1', level: 4, creditHold: true }),
      at('credit-c1', 'CreditHoldPlaced', { customerId: 'c1', kind: 'manual', reason: 'dunning' }, 'credit-hold|e-0'),
      at('invoice-i2', 'ReminderSent', { customerId: 'c1', invoiceId: 'i2', level: 4, creditHold: true }),
      at('invoice-i3', 'ReminderSent', { customerId: 'c2', invoiceId: 'i3', level: 4, creditHold: true }),
      at('invoice-i4', 'ReminderSent', { customerId: 'c2', invoiceId: 'i4', level: 1, creditHold: false }),
    ];
    expect(orphansOf(log).orphans.map((o) => [o.kind, o.customerId, o.position])).toEqual([['hold_not_placed', 'c2', 3]]);
  });

  it('first steps after the process manager checkpoint are in flight, not orphans', () => {
    const log = [
      at('payment-p1', 'PaymentAllocated', { paymentId: 'p1', customerId: 'c', invoiceId: 'i1', amount: 1 }),
      at('payment-p2', 'PaymentAllocated', { paymentId: 'p2', customerId: 'c', invoiceId: 'i1', amount: 1 }),
    ];
    expect(orphansOf(log, 0)).toMatchObject({ caughtUpTo: 0, checked: 1, inFlight: 1, orphans: [{ position: 0 }] });
  });
});
