import { journalProjection as p } from './journal.projection';
import { JOURNAL_RULES, journalEntryOf } from './journal-rules';
import { allocated, applied, inLog, issued, payment, project, received, registered, settled } from '../testing';

const dates = { issueDate: '2024-03-01', dueDate: '2024-03-31' };
const balanced = (lines: Array<{ debit: number; credit: number }>) => lines.reduce((a, l) => a + l.debit - l.credit, 0);

describe('journal projection', () => {
  it('given an invoice, then a sales entry: debit customers the gross, credit revenue the net and VAT the tax', () => {
    const docs = project(p, [registered('c1'), issued('i1', 'c1', 12_000, dates)]);
    expect([...docs.values()]).toEqual([{
      sortKey: '2024-03-01|0000000000000001', position: 1, customerId: 'c1', eventType: 'InvoiceIssued', journal: 'VT',
      date: '2024-03-01', pieceRef: 'F-i1', pieceDate: '2024-03-01', label: 'Facture F-i1', currency: 'EUR', recordedOn: '2024-01-01',
      lines: [{ role: 'customers', debit: 12_000, credit: 0 }, { role: 'revenue', debit: 0, credit: 10_000 }, { role: 'vatCollected', debit: 0, credit: 2_000 }],
    }]);
  });

  it('given a payment, then one bank entry on the receipt date; allocations and settlement book nothing', () => {
    const docs = project(p, [
      issued('i1', 'c1', 12_000, dates),
      ...payment({ paymentId: 'p1', customerId: 'c1', amount: 12_000, receivedOn: '2024-02-20' }, { invoiceId: 'i1', amount: 12_000, outstandingAfter: 0 }),
    ]);
    const entries = [...docs.values()];
    expect(entries.map((e) => [e.sortKey, e.journal])).toEqual([['2024-03-01|0000000000000000', 'VT'], ['2024-02-20|0000000000000001', 'BQ']]);
    expect(entries[1].lines).toEqual([{ role: 'bank', debit: 12_000, credit: 0 }, { role: 'customers', debit: 0, credit: 12_000 }]);
    expect([...docs.keys()].sort()[0]).toBe('2024-02-20|0000000000000001');
    for (const e of entries) expect(balanced(e.lines)).toBe(0);
  });

  it('leaves out zero lines (an invoice without tax has no VAT line)', () => {
    const docs = project(p, [issued('i1', 'c1', 5_000, dates, { net: 5_000, tax: 0, total: 5_000 })]);
    expect([...docs.values()][0].lines.map((l) => l.role)).toEqual(['customers', 'revenue']);
  });

  it('refuses to book an unbalanced entry (a rule that cannot add up is a bug, not data)', () => {
    expect(() => journalEntryOf('InvoiceIssued', issued('i1', 'c1', 5_000, dates, { net: 5_000, tax: 1, total: 5_000 }).data)).toThrow(/Unbalanced/);
  });

  it('keys nothing for events without a rule, and never changes an entry once written', () => {
    const log = inLog([registered('c1'), issued('i1', 'c1', 100, dates), allocated('p1', 'c1', 'i1', 100, '2024-03-02', 0), applied('i1', 'c1', 'p1', 100, '2024-03-02', 0), settled('i1', 'c1', '2024-03-02')]);
    expect(log.map((e) => p.keysOf(e).length)).toEqual([0, 1, 0, 0, 0]);
    const doc = p.evolve(null, log[1])!;
    expect(p.evolve(doc, log[1])).toBe(doc);
    expect(Object.keys(JOURNAL_RULES).sort()).toEqual([
      'BadDebtRecovered', 'CreditNoteIssued', 'CreditNoteRefunded', 'DiscountApplied', 'DiscountReversed', 'InvoiceIssued', 'InvoiceWrittenOff',
      'LateChargesAssessed', 'LateChargesCorrected', 'LateChargesReinstated', 'PaymentReceived', 'PaymentRefunded', 'PaymentReversed', 'PaymentUnapplied',
    ]);
  });

  describe('collections and credit notes', () => {
    const lines = (type: string, data: Record<string, unknown>) => {
      const e = journalEntryOf(type, { customerId: 'c1', ...data });
      expect(e).not.toBeNull();
      expect(balanced(e!.lines)).toBe(0);
      return { journal: e!.journal, date: e!.date, lines: e!.lines.map((l) => [l.role, l.debit, l.credit]) };
    };

    it('given a credit note against an invoice, then D revenue net + D VAT tax / C customers gross (sales journal)', () => {
      expect(lines('CreditNoteIssued', { creditNoteId: 'n1', number: 'CN-000001', currency: 'EUR', issueDate: '2024-03-05', invoiceId: 'i1', net: 1_000, tax: 200, total: 1_200, appliedToInvoice: 1_200, unapplied: 0 }))
        .toEqual({ journal: 'VT', date: '2024-03-05', lines: [['revenue', 1_000, 0], ['vatCollected', 200, 0], ['customers', 0, 1_200]] });
    });

    it('given a standalone credit note without tax, then no VAT line', () => {
      expect(lines('CreditNoteIssued', { creditNoteId: 'n2', number: 'CN-000002', currency: 'EUR', issueDate: '2024-03-05', invoiceId: null, net: 500, tax: 0, total: 500, appliedToInvoice: 0, unapplied: 500 }).lines)
        .toEqual([['revenue', 500, 0], ['customers', 0, 500]]);
    });

    it('given a discount, then D discounts allowed / C customers', () => {
      expect(lines('DiscountApplied', { invoiceId: 'i1', paymentId: 'p1', amount: 240, discountBp: 200, on: '2024-03-08', outstanding: 0 }))
        .toEqual({ journal: 'OD', date: '2024-03-08', lines: [['discountsAllowed', 240, 0], ['customers', 0, 240]] });
    });

    it('given a reversed discount, then the mirror of its 665 entry on the reversal date: D customers / C discounts allowed (ADR 0036)', () => {
      const discount = { invoiceId: 'i1', paymentId: 'p1', amount: 240, discountBp: 200, on: '2024-03-08', outstanding: 0 };
      expect(lines('DiscountReversed', { invoiceId: 'i1', paymentId: 'p1', amount: 240, on: '2024-03-20', reason: 'reversal', discount, outstanding: 12_000 }))
        .toEqual({ journal: 'OD', date: '2024-03-20', lines: [['discountsAllowed', 0, 240], ['customers', 240, 0]] });
    });

    it('given corrected charges, then the reverse of their assessment on its date: D interest income / C customers (ADR 0037)', () => {
      const cause = { type: 'PaymentApplied', reference: 'p1', on: '2026-01-30' };
      expect(lines('LateChargesCorrected', { invoiceId: 'i1', on: '2026-03-31', interest: 19_640, compensation: 4_000, amount: 23_640, cause, recomputed: { interest: 0, compensation: 0 }, outstanding: 0 }))
        .toEqual({ journal: 'OD', date: '2026-03-31', lines: [['interestIncome', 19_640, 0], ['interestIncome', 4_000, 0], ['customers', 0, 23_640]] });
    });

    it('given charges reinstated after a rejected dispute, then D customers / C interest income on the resolution date (ADR 0038)', () => {
      expect(lines('LateChargesReinstated', { invoiceId: 'i1', disputeId: 'd1', on: '2026-04-10', periods: [], interest: 7_856, compensation: 0, amount: 7_856, outstanding: 1_023_640, reopened: false }))
        .toEqual({ journal: 'OD', date: '2026-04-10', lines: [['customers', 7_856, 0], ['interestIncome', 0, 7_856]] });
    });

    it('given a write-off, then D bad debts / C customers on the write-off date', () => {
      expect(lines('InvoiceWrittenOff', { invoiceId: 'i1', amount: 7_000, reason: 'insolvent', approvedBy: 'cfo', writtenOffOn: '2024-09-30', outstanding: 0 }))
        .toEqual({ journal: 'OD', date: '2024-09-30', lines: [['badDebts', 7_000, 0], ['customers', 0, 7_000]] });
    });

    it('given a bad-debt recovery, then D customers / C recoveries (its cash is booked by the receipt), undone by PaymentUnapplied', () => {
      expect(lines('BadDebtRecovered', { invoiceId: 'i1', paymentId: 'p2', amount: 3_000, receivedOn: '2024-10-10', recoverable: 4_000 }).lines)
        .toEqual([['customers', 3_000, 0], ['badDebtRecoveries', 0, 3_000]]);
      expect(lines('PaymentUnapplied', { invoiceId: 'i1', paymentId: 'p2', amount: 3_000, on: '2024-10-20', reason: 'reversal', recoveryReversed: 3_000, outstanding: 0, reopened: false }).lines)
        .toEqual([['badDebtRecoveries', 3_000, 0], ['customers', 0, 3_000]]);
      expect(journalEntryOf('PaymentUnapplied', { customerId: 'c1', invoiceId: 'i1', paymentId: 'p2', amount: 500, on: '2024-10-20', reason: 'reallocation', recoveryReversed: 0, outstanding: 500, reopened: true })).toBeNull();
    });

    it('given late charges, then D customers / C interest income for interest and the fixed compensation', () => {
      expect(lines('LateChargesAssessed', { invoiceId: 'i1', from: '2024-04-01', through: '2024-04-30', interest: 1_234, compensation: 4_000, amount: 5_234, outstanding: 17_234, reopened: false }))
        .toEqual({ journal: 'OD', date: '2024-04-30', lines: [['customers', 5_234, 0], ['interestIncome', 0, 1_234], ['interestIncome', 0, 4_000]] });
    });

    it('given a reversal, then the exact mirror of the receipt: D customers / C bank', () => {
      const receipt = journalEntryOf('PaymentReceived', received('p1', 'c1', 12_000, '2024-03-10').data)!;
      const reversal = journalEntryOf('PaymentReversed', { customerId: 'c1', paymentId: 'p1', amount: 12_000, reason: 'bounced', reversedOn: '2024-03-15', creditRemoved: 0 })!;
      expect(reversal.journal).toBe(receipt.journal);
      expect(reversal.lines).toEqual(receipt.lines.map((l) => ({ role: l.role, debit: l.credit, credit: l.debit })).reverse());
    });

    it('given refunds of customer credit (payment or credit note), then D customers / C bank', () => {
      expect(lines('PaymentRefunded', { paymentId: 'p1', refundId: 'r1', amount: 800, refundedOn: '2024-05-02', method: 'transfer', unapplied: 0 }))
        .toEqual({ journal: 'BQ', date: '2024-05-02', lines: [['customers', 800, 0], ['bank', 0, 800]] });
      expect(lines('CreditNoteRefunded', { creditNoteId: 'n2', refundId: 'r2', amount: 500, refundedOn: '2024-05-03', method: 'transfer', unapplied: 0 }).lines)
        .toEqual([['customers', 500, 0], ['bank', 0, 500]]);
    });

    it('books nothing for allocation-type events (lettrage)', () => {
      for (const type of ['PaymentDeallocated', 'CreditNoteApplied', 'CreditNoteAllocated', 'PaymentAllocated', 'PaymentApplied']) {
        expect(journalEntryOf(type, { customerId: 'c1', invoiceId: 'i1', amount: 100, on: '2024-03-01' })).toBeNull();
      }
    });
  });
});
