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
    expect(s.totals).toMatchObject({ invoiced: 180_000, received: 100_000, allocated: 90_000, paid: 90_000, outstanding: 90_000, unapplied: 10_000, balance: 80_000 });
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

  describe('collections and credit notes', () => {
    const base = (): RecordedFact[] => {
      position = 0;
      return [
        fact('CustomerRegistered', { name: 'ACME', currency: 'EUR', creditLimit: 500_000, paymentTermsDays: 30 }, '2026-01-01T09:00:00.000Z'),
        fact('InvoiceIssued', { invoiceId: 'i1', number: 'INV-1', currency: 'EUR', issueDate: '2026-01-10', dueDate: '2026-02-09', total: 120_000 }),
        fact('InvoiceIssued', { invoiceId: 'i2', number: 'INV-2', currency: 'EUR', issueDate: '2026-01-15', dueDate: '2026-02-14', total: 60_000 }),
      ];
    };
    const balanceIsOutstandingLessCredit = (s: ReturnType<typeof foldAccount>) => expect(s.totals.balance).toBe(s.totals.outstanding - s.totals.unapplied);

    it('given a credit note against an invoice and a standalone one, then the invoice is lowered and the rest is customer credit', () => {
      const facts = [...base(),
        fact('CreditNoteIssued', { creditNoteId: 'n1', number: 'CN-1', currency: 'EUR', issueDate: '2026-02-01', invoiceId: 'i1', net: 10_000, tax: 2_000, total: 12_000, appliedToInvoice: 12_000, unapplied: 0 }),
        fact('CreditNoteApplied', { invoiceId: 'i1', creditNoteId: 'n1', amount: 12_000, on: '2026-02-01', outstanding: 108_000 }),
        fact('CreditNoteIssued', { creditNoteId: 'n2', number: 'CN-2', currency: 'EUR', issueDate: '2026-02-03', invoiceId: null, net: 5_000, tax: 0, total: 5_000, appliedToInvoice: 0, unapplied: 5_000 }),
        fact('CreditNoteRefunded', { creditNoteId: 'n2', refundId: 'r1', amount: 2_000, refundedOn: '2026-02-10', method: 'transfer', unapplied: 3_000 }),
      ];
      const s = foldAccount('c1', facts);
      expect(s.invoices.i1).toMatchObject({ credited: 12_000, outstanding: 108_000, status: 'open' });
      expect(s.totals).toMatchObject({ creditNoted: 17_000, creditApplied: 12_000, refunded: 2_000, outstanding: 168_000, unapplied: 3_000, balance: 165_000 });
      balanceIsOutstandingLessCredit(s);
      expect(foldAccount('c1', facts, '2026-01-31').totals).toMatchObject({ creditNoted: 0, outstanding: 180_000, balance: 180_000 });
      expect(foldAccount('c1', facts, '2026-02-05').totals).toMatchObject({ outstanding: 168_000, unapplied: 5_000, balance: 163_000 });
    });

    it('given a discount, a write-off and late charges, then each invoice and the total as of each date', () => {
      const facts = [...base(),
        fact('PaymentReceived', { paymentId: 'p1', amount: 58_800, currency: 'EUR', receivedOn: '2026-01-20' }),
        fact('PaymentAllocated', { paymentId: 'p1', invoiceId: 'i2', amount: 58_800, receivedOn: '2026-01-20' }),
        fact('PaymentApplied', { invoiceId: 'i2', paymentId: 'p1', amount: 58_800, receivedOn: '2026-01-20', outstanding: 1_200 }),
        fact('DiscountApplied', { invoiceId: 'i2', paymentId: 'p1', amount: 1_200, discountBp: 200, on: '2026-01-20', outstanding: 0 }),
        fact('InvoiceSettled', { invoiceId: 'i2', settledOn: '2026-01-20' }),
        fact('LateChargesAssessed', { invoiceId: 'i1', from: '2026-02-10', through: '2026-03-10', interest: 1_000, compensation: 4_000, amount: 5_000, outstanding: 125_000, reopened: false }),
        fact('InvoiceWrittenOff', { invoiceId: 'i1', amount: 125_000, reason: 'insolvent', approvedBy: 'cfo', writtenOffOn: '2026-06-30', outstanding: 0 }),
      ];
      const s = foldAccount('c1', facts);
      expect(s.invoices.i2).toMatchObject({ paid: 58_800, discounted: 1_200, outstanding: 0, status: 'settled', settledOn: '2026-01-20' });
      expect(s.invoices.i1).toMatchObject({ charges: 5_000, writtenOff: 125_000, outstanding: 0, status: 'written_off', settledOn: '2026-06-30' });
      expect(s.totals).toMatchObject({ discounts: 1_200, charges: 5_000, writtenOff: 125_000, outstanding: 0, unapplied: 0, balance: 0 });
      expect(foldAccount('c1', facts, '2026-03-10').invoices.i1).toMatchObject({ charges: 5_000, outstanding: 125_000, status: 'open' });
      expect(foldAccount('c1', facts, '2026-03-09').totals).toMatchObject({ charges: 0, outstanding: 120_000, balance: 120_000 });
      expect(foldAccount('c1', facts, '2026-06-29').totals).toMatchObject({ outstanding: 125_000, balance: 125_000 });
      balanceIsOutstandingLessCredit(s);
    });

    it('given a reversal, then the invoice reopens and the cash is gone; a later recovery and its reversal net out', () => {
      const facts = [...base(),
        fact('PaymentReceived', { paymentId: 'p1', amount: 70_000, currency: 'EUR', receivedOn: '2026-02-01' }),
        fact('PaymentAllocated', { paymentId: 'p1', invoiceId: 'i2', amount: 60_000, receivedOn: '2026-02-01' }),
        fact('PaymentApplied', { invoiceId: 'i2', paymentId: 'p1', amount: 60_000, receivedOn: '2026-02-01', outstanding: 0 }),
        fact('InvoiceSettled', { invoiceId: 'i2', settledOn: '2026-02-01' }),
        fact('PaymentDeallocated', { paymentId: 'p1', invoiceId: 'i2', amount: 60_000, on: '2026-02-05', reason: 'reversal', unapplied: 70_000 }),
        fact('PaymentUnapplied', { invoiceId: 'i2', paymentId: 'p1', amount: 60_000, on: '2026-02-05', reason: 'reversal', recoveryReversed: 0, outstanding: 60_000, reopened: true }),
        fact('PaymentReversed', { paymentId: 'p1', amount: 70_000, reason: 'bounced', reversedOn: '2026-02-05', creditRemoved: 10_000 }),
      ];
      expect(foldAccount('c1', facts, '2026-02-04')).toMatchObject({ invoices: { i2: { status: 'settled', outstanding: 0 } }, totals: { outstanding: 120_000, unapplied: 10_000, balance: 110_000 } });
      const s = foldAccount('c1', facts);
      expect(s.invoices.i2).toMatchObject({ paid: 0, outstanding: 60_000, status: 'open', settledOn: null });
      expect(s.totals).toMatchObject({ received: 70_000, reversed: 70_000, allocated: 0, outstanding: 180_000, unapplied: 0, balance: 180_000 });

      const recovery = [...base(),
        fact('InvoiceWrittenOff', { invoiceId: 'i2', amount: 60_000, reason: 'insolvent', approvedBy: 'cfo', writtenOffOn: '2026-03-01', outstanding: 0 }),
        fact('PaymentReceived', { paymentId: 'p2', amount: 20_000, currency: 'EUR', receivedOn: '2026-04-01' }),
        fact('PaymentAllocated', { paymentId: 'p2', invoiceId: 'i2', amount: 20_000, receivedOn: '2026-04-01' }),
        fact('BadDebtRecovered', { invoiceId: 'i2', paymentId: 'p2', amount: 20_000, receivedOn: '2026-04-01', recoverable: 40_000 }),
      ];
      const r = foldAccount('c1', recovery);
      expect(r.invoices.i2).toMatchObject({ writtenOff: 40_000, outstanding: 0, status: 'written_off' });
      expect(r.totals).toMatchObject({ writtenOff: 40_000, outstanding: 120_000, unapplied: 0, balance: 120_000 });
      const undone = foldAccount('c1', [...recovery,
        fact('PaymentDeallocated', { paymentId: 'p2', invoiceId: 'i2', amount: 20_000, on: '2026-04-10', reason: 'reversal', unapplied: 20_000 }),
        fact('PaymentUnapplied', { invoiceId: 'i2', paymentId: 'p2', amount: 20_000, on: '2026-04-10', reason: 'reversal', recoveryReversed: 20_000, outstanding: 0, reopened: false }),
        fact('PaymentReversed', { paymentId: 'p2', amount: 20_000, reason: 'bounced', reversedOn: '2026-04-10', creditRemoved: 0 }),
      ]);
      expect(undone.invoices.i2).toMatchObject({ writtenOff: 60_000, outstanding: 0 });
      expect(undone.totals).toMatchObject({ writtenOff: 60_000, outstanding: 120_000, unapplied: 0, balance: 120_000 });
    });

    it('given a bounce effective before a discount its payment no longer earns, then each date shows what was owed then (ADR 0110)', () => {
      // i3 484.73, 2 % discount until 02-10. p0 200.00 on 02-01; p2 275.04 on 02-09 settles with 9.69 of discount;
      // p0 bounces with effect on 02-05: its 200.00 is owed again from 02-05, and the discount (p2's, granted 02-09)
      // is taken back on 02-09 — never before the entry it mirrors (ADR 0036, 0110).
      position = 0;
      const facts = [
        fact('CustomerRegistered', { name: 'ACME', currency: 'EUR', creditLimit: 500_000, paymentTermsDays: 30 }, '2026-01-01T09:00:00.000Z'),
        fact('InvoiceIssued', { invoiceId: 'i3', number: 'INV-3', currency: 'EUR', issueDate: '2026-01-31', dueDate: '2026-03-02', total: 48_473 }),
        fact('PaymentReceived', { paymentId: 'p0', amount: 20_000, currency: 'EUR', receivedOn: '2026-02-01' }),
        fact('PaymentAllocated', { paymentId: 'p0', invoiceId: 'i3', amount: 20_000, receivedOn: '2026-02-01' }),
        fact('PaymentApplied', { invoiceId: 'i3', paymentId: 'p0', amount: 20_000, receivedOn: '2026-02-01', outstanding: 28_473 }),
        fact('PaymentReceived', { paymentId: 'p2', amount: 27_504, currency: 'EUR', receivedOn: '2026-02-09' }),
        fact('PaymentAllocated', { paymentId: 'p2', invoiceId: 'i3', amount: 27_504, receivedOn: '2026-02-09' }),
        fact('PaymentApplied', { invoiceId: 'i3', paymentId: 'p2', amount: 27_504, receivedOn: '2026-02-09', outstanding: 969 }),
        fact('DiscountApplied', { invoiceId: 'i3', paymentId: 'p2', amount: 969, discountBp: 200, on: '2026-02-09', outstanding: 0 }),
        fact('InvoiceSettled', { invoiceId: 'i3', settledOn: '2026-02-09' }),
        fact('PaymentDeallocated', { paymentId: 'p0', invoiceId: 'i3', amount: 20_000, on: '2026-02-05', reason: 'reversal', unapplied: 20_000 }),
        fact('PaymentUnapplied', { invoiceId: 'i3', paymentId: 'p0', amount: 20_000, on: '2026-02-05', reason: 'reversal', recoveryReversed: 0, outstanding: 20_000, reopened: true }),
        fact('DiscountReversed', { invoiceId: 'i3', paymentId: 'p0', amount: 969, on: '2026-02-09', reason: 'reversal', outstanding: 20_969 }),
        fact('PaymentReversed', { paymentId: 'p0', amount: 20_000, reason: 'bounced', reversedOn: '2026-02-05', creditRemoved: 0 }),
      ];
      // 02-04: 484.73 − 200.00 (p0) = 284.73 owed.
      expect(foldAccount('c1', facts, '2026-02-04')).toMatchObject({ invoices: { i3: { paid: 20_000, discounted: 0, outstanding: 28_473 } }, totals: { outstanding: 28_473, balance: 28_473 } });
      // 02-05 and 02-08: + 200.00 (p0's bounce, 02-05) = 484.73 owed; no discount in force.
      for (const asOf of ['2026-02-05', '2026-02-08']) {
        expect(foldAccount('c1', facts, asOf)).toMatchObject({
          invoices: { i3: { paid: 0, discounted: 0, outstanding: 48_473, status: 'open' } },
          totals: { received: 20_000, reversed: 20_000, discounts: 0, outstanding: 48_473, unapplied: 0, balance: 48_473 },
        });
      }
      // 02-09 and after: − 275.04 (p2) − 9.69 (discount) + 9.69 (its reversal, same day) = 209.69 owed.
      for (const asOf of ['2026-02-09', undefined]) {
        const s = foldAccount('c1', facts, asOf);
        expect(s.invoices.i3).toMatchObject({ paid: 27_504, discounted: 0, outstanding: 20_969, status: 'open' });
        expect(s.totals).toMatchObject({ received: 47_504, reversed: 20_000, discounts: 0, outstanding: 20_969, unapplied: 0, balance: 20_969 });
        balanceIsOutstandingLessCredit(s);
      }
    });

    it('does not count invoices submitted for approval or rejected (not receivables)', () => {
      const facts = [...base(),
        fact('InvoiceSubmittedForApproval', { invoiceId: 'i3', currency: 'EUR', issueDate: '2026-01-20', net: 50_000, tax: 10_000, total: 60_000 }),
        fact('InvoiceRejected', { invoiceId: 'i3', total: 60_000, reason: 'over limit' }),
        fact('CreditHoldPlaced', { reason: 'overdue' }),
      ];
      const s = foldAccount('c1', facts);
      expect(Object.keys(s.invoices)).toEqual(['i1', 'i2']);
      expect(s.totals).toMatchObject({ invoiced: 180_000, outstanding: 180_000, balance: 180_000 });
    });

    it('takes a later allocation into effect on its appliedOn', () => {
      expect(effectiveDate(fact('PaymentAllocated', { receivedOn: '2026-02-01', appliedOn: '2026-03-01' }))).toBe('2026-03-01');
      expect(effectiveDate(fact('LateChargesAssessed', { from: '2026-02-10', through: '2026-03-10' }))).toBe('2026-03-10');
    });
  });
});
