import { foldAccount } from './account-state';
import { effectiveDate, type RecordedFact } from './effective-date';

let position = 0;
const fact = (type: string, data: Record<string, unknown>, recordedAt = '2026-05-01T10:00:00.000Z'): RecordedFact =>
  ({ type, data: { customerId: 'c1', ...data }, position: position++, streamId: 's', revision: 0, metadata: { recordedAt } });

const history = (): RecordedFact[] => {
  position = 0;
  return [
    fact('CustomerRegistered', { name: 'ACME', currency: 'EUR', creditLimit: 500_000, paymentTermsDays: 30 }, '2026-01-01T09:00:00.000Z'),
    fact('InvoiceIssued', { invoiceId: 'i1', number: 'INV-1', currency: 'EUR', issueDate: '2026-01-10', dueDate: '2026-02-09', total: 120_000 }),
    fact('InvoiceIssued', { invoiceId: 'i2', number: 'INV-2', currency: 'EUR', issueDate: '2026-02-01', dueDate: '2026-03-03', total: 60_000 }),
    fact('PaymentReceived', { paymentId: 'p1', amount: 100_000, currency: 'EUR', receivedOn: '2026-02-20' }),
    fact('PaymentAllocated', { paymentId: 'p1', invoiceId: 'i2', amount: 60_000, receivedOn: '2026-02-20' }),
    fact('PaymentAllocated', { paymentId: 'p1', invoiceId: 'i1', amount: 30_000, receivedOn: '2026-02-20' }),
    fact('PaymentApplied', { invoiceId: 'i2', paymentId: 'p1', amount: 60_000, receivedOn: '2026-02-20', outstanding: 0 }),
    fact('InvoiceSettled', { invoiceId: 'i2', settledOn: '2026-02-20' }),
    fact('PaymentApplied', { invoiceId: 'i1', paymentId: 'p1', amount: 30_000, receivedOn: '2026-02-20', outstanding: 90_000 }),
    fact('CreditLimitChanged', { previousLimit: 500_000, newLimit: 300_000, reason: 'review' }, '2026-03-05T08:00:00.000Z'),
  ];
};

describe('point-in-time account fold', () => {
  it('given the whole history, then invoices, payments, customer credit and the 411 balance', () => {
    const s = foldAccount('c1', history());
    expect(s).toMatchObject({ name: 'ACME', currency: 'EUR', creditLimit: 300_000 });
    expect(s.totals).toEqual({ invoiced: 180_000, received: 100_000, allocated: 90_000, paid: 90_000, outstanding: 90_000, unapplied: 10_000, balance: 80_000 });
    expect(s.invoices.i2).toMatchObject({ paid: 60_000, outstanding: 0, status: 'settled', settledOn: '2026-02-20' });
    expect(s.invoices.i1).toMatchObject({ paid: 30_000, outstanding: 90_000, status: 'open', settledOn: null });
  });

  it('as of a date, keeps only the facts effective by then (business dates; the recorded day otherwise)', () => {
    const s = foldAccount('c1', history(), '2026-02-15');
    expect(Object.keys(s.invoices)).toEqual(['i1', 'i2']);
    expect(s.totals).toMatchObject({ invoiced: 180_000, received: 0, outstanding: 180_000, balance: 180_000 });
    expect(s.creditLimit).toBe(500_000);
    expect(foldAccount('c1', history(), '2026-01-09').totals.invoiced).toBe(0);
    // The registration holds from the start, whenever it was recorded.
    expect(foldAccount('c1', history(), '2025-12-31')).toMatchObject({ name: 'ACME', currency: 'EUR' });
    expect(foldAccount('c1', history(), '2026-03-05').creditLimit).toBe(300_000);
  });

  it('ignores event types it has no fold for, and derives the effective date per type', () => {
    const facts = [...history(), fact('SomethingNew', { amount: 1 })];
    expect(foldAccount('c1', facts).totals).toEqual(foldAccount('c1', history()).totals);
    expect(effectiveDate(history()[3])).toBe('2026-02-20');
    expect(effectiveDate(history()[0])).toBe('2026-01-01');
  });
});
