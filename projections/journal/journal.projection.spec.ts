import fc from 'fast-check';
import { journalProjection as p } from './journal.projection';
import { JOURNAL_RULES, journalEntryOf } from './journal-rules';
import { allocated, applied, inLog, issued, payment, project, received, registered, settled } from '../testing';

const dates = { issueDate: '2024-03-01', dueDate: '2024-03-31' };
const balanced = (lines: Array<{ debit: number; credit: number }>) => lines.reduce((a, l) => a + l.debit - l.credit, 0);

describe('journal projection', () => {
  it('given a v1 invoice, then a sales entry: debit customers the gross, credit revenue the net and VAT the tax, per rate', () => {
    const docs = project(p, [registered('c1'), issued('i1', 'c1', 12_000, dates)]);
    expect([...docs.values()]).toEqual([{
      sortKey: '2024-03-01|0000000000000001', position: 1, customerId: 'c1', eventType: 'InvoiceIssued', journal: 'VT',
      date: '2024-03-01', pieceRef: 'F-i1', pieceDate: '2024-03-01', label: 'Facture F-i1', currency: 'EUR', recordedOn: '2024-01-01',
      lines: [{ role: 'customers', debit: 12_000, credit: 0 }, { role: 'revenue', debit: 0, credit: 10_000 }, { role: 'vatCollected', debit: 0, credit: 2_000, vatRate: '0.20' }],
      documents: ['invoice:i1'],
    }]);
  });

  it('given a v2 invoice with two rates, then one VAT line per rate from its breakdown', () => {
    // 20 %: base 100.00 → 20.00; 5.5 %: base 20.18 → 1.11 (BR-CO-17). D 411 141.29 = C 706 120.18 + C 44571 20.00 + 1.11.
    const vatBreakdown = [{ rate: '0.20', base: 10_000, amount: 2_000 }, { rate: '0.055', base: 2_018, amount: 111 }];
    const e = journalEntryOf('InvoiceIssued', issued('i1', 'c1', 14_129, dates, { lines: [], vatBreakdown, net: 12_018, tax: 2_111 }).data)!;
    expect(e.lines).toEqual([
      { role: 'customers', debit: 14_129, credit: 0 }, { role: 'revenue', debit: 0, credit: 12_018 },
      { role: 'vatCollected', debit: 0, credit: 2_000, vatRate: '0.20' }, { role: 'vatCollected', debit: 0, credit: 111, vatRate: '0.055' },
    ]);
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
    const docs = project(p, [issued('i1', 'c1', 5_000, dates, { net: 5_000, tax: 0, total: 5_000, vatBreakdown: [{ rate: '0.00', base: 5_000, amount: 0 }] })]);
    expect([...docs.values()][0].lines.map((l) => l.role)).toEqual(['customers', 'revenue']);
  });

  it('refuses to book an unbalanced entry (a rule that cannot add up is a bug, not data)', () => {
    expect(() => journalEntryOf('InvoiceIssued', issued('i1', 'c1', 5_000, dates, { net: 5_000, tax: 1, total: 5_000, vatBreakdown: [{ rate: '0.20', base: 5_000, amount: 1 }] }).data)).toThrow(/Unbalanced/);
  });

  it('keys nothing for events without a rule, and never changes an entry once written', () => {
    const log = inLog([registered('c1'), issued('i1', 'c1', 100, dates), allocated('p1', 'c1', 'i1', 100, '2024-03-02', 0), applied('i1', 'c1', 'p1', 100, '2024-03-02', 0), settled('i1', 'c1', '2024-03-02')]);
    expect(log.map((e) => p.keysOf(e).length)).toEqual([0, 1, 0, 0, 0]);
    const doc = p.evolve(null, log[1])!;
    expect(p.evolve(doc, log[1])).toBe(doc);
    expect(Object.keys(JOURNAL_RULES).sort()).toEqual([
      'BadDebtRecovered', 'BankEntryRecorded', 'BankFeesReversed', 'BankFeesWrittenOff', 'CreditNoteIssued', 'CreditNoteRefunded', 'DiscountApplied', 'DiscountReversed', 'InvoiceIssued', 'InvoiceWrittenOff',
      'LateChargesAssessed', 'LateChargesCorrected', 'LateChargesReinstated', 'PaymentApplied', 'PaymentReceived', 'PaymentRefunded', 'PaymentReversed', 'PaymentUnapplied',
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

    it('given a v2 credit note, then its VAT is reversed rate by rate from its breakdown (CGI art. 272-1)', () => {
      // 130.55 = 20 %: 100.00 + 20.00; 5.5 %: 10.00 + 0.55. D 706 110.00 + D 44571 20.00 + D 44571 0.55 = C 411 130.55.
      const vatBreakdown = [{ rate: '0.20', base: 10_000, amount: 2_000 }, { rate: '0.055', base: 1_000, amount: 55 }];
      expect(lines('CreditNoteIssued', { creditNoteId: 'n1', number: 'CN-000001', currency: 'EUR', issueDate: '2024-03-05', invoiceId: 'i1', lines: [], vatBreakdown, net: 11_000, tax: 2_055, total: 13_055, appliedToInvoice: 0, unapplied: 13_055 }).lines)
        .toEqual([['revenue', 11_000, 0], ['vatCollected', 2_000, 0], ['vatCollected', 55, 0], ['customers', 0, 13_055]]);
    });

    it('given a credit note that also credits late charges, then that part reverses interest income, with no VAT', () => {
      // 134.00 = 20 %: 100.00 + 20.00, and 14.00 of charges: D 706 100.00 + D 763 14.00 + D 44571 20.00 / C 411 134.00.
      expect(lines('CreditNoteIssued', { creditNoteId: 'n1', number: 'CN-000009', currency: 'EUR', issueDate: '2024-03-05', invoiceId: 'i1', lines: [], vatBreakdown: [{ rate: '0.20', base: 10_000, amount: 2_000 }], charges: 1_400, net: 11_400, tax: 2_000, total: 13_400, appliedToInvoice: 13_400, unapplied: 0 }).lines)
        .toEqual([['revenue', 10_000, 0], ['interestIncome', 1_400, 0], ['vatCollected', 2_000, 0], ['customers', 0, 13_400]]);
    });

    it('given a v2 discount, then VAT collected is reduced in proportion at each rate (CGI art. 267 II-1°)', () => {
      // 9.69 of discount: 20 % base 7.20 + VAT 1.44; 5.5 % base 1.00 + VAT 0.05. D 665 8.20 + D 44571 1.44 + 0.05 = C 411 9.69.
      const vatBreakdown = [{ rate: '0.20', base: 720, amount: 144 }, { rate: '0.055', base: 100, amount: 5 }];
      expect(lines('DiscountApplied', { invoiceId: 'i1', paymentId: 'p1', amount: 969, discountBp: 200, on: '2024-02-10', outstanding: 0, vatBreakdown }))
        .toEqual({ journal: 'OD', date: '2024-02-10', lines: [['discountsAllowed', 820, 0], ['vatCollected', 144, 0], ['vatCollected', 5, 0], ['customers', 0, 969]] });
    });

    it('given a v2 write-off, then D 654 net + D 4457x VAT / C 411 gross (CGI art. 272-1)', () => {
      // 530.00 written off, of which price 484.73 (20 %: 360.00 + 72.00; 5.5 %: 49.98 + 2.75) and 45.27 of charges (no VAT):
      // D 654 530.00 − 74.75 = 455.25; D 44571 72.00 + 2.75; C 411 530.00.
      const vatBreakdown = [{ rate: '0.20', base: 36_000, amount: 7_200 }, { rate: '0.055', base: 4_998, amount: 275 }];
      expect(lines('InvoiceWrittenOff', { invoiceId: 'i1', amount: 53_000, reason: 'liquidation closed', approvedBy: 'cfo', writtenOffOn: '2024-09-30', outstanding: 0, vatBreakdown }).lines)
        .toEqual([['badDebts', 45_525, 0], ['vatCollected', 7_200, 0], ['vatCollected', 275, 0], ['customers', 0, 53_000]]);
    });

    it('property: entries with random breakdowns stay balanced (seed printed on failure)', () => {
      const entry = fc.array(fc.record({ rate: fc.constantFrom('0.20', '0.10', '0.055', '0.021', '0.00'), base: fc.integer({ min: 0, max: 10_000_000 }), amount: fc.integer({ min: 0, max: 2_000_000 }) }), { maxLength: 4 });
      fc.assert(fc.property(entry, fc.integer({ min: 0, max: 5_000_000 }), (b, extra) => {
        const vat = b.reduce((s, e) => s + e.amount, 0);
        const base = b.reduce((s, e) => s + e.base, 0);
        for (const [type, data] of [
          ['InvoiceIssued', { number: 'F', issueDate: '2024-01-01', currency: 'EUR', lines: [], vatBreakdown: b, net: base, tax: vat, total: base + vat }],
          ['CreditNoteIssued', { number: 'CN', issueDate: '2024-01-01', currency: 'EUR', lines: [], vatBreakdown: b, net: base, tax: vat, total: base + vat }],
          ['DiscountApplied', { invoiceId: 'i', paymentId: 'p', on: '2024-01-01', amount: base + vat, vatBreakdown: b }],
          ['InvoiceWrittenOff', { invoiceId: 'i', writtenOffOn: '2024-01-01', amount: base + vat + extra, vatBreakdown: b }],
        ] as const) {
          const e = journalEntryOf(type, { customerId: 'c1', ...data });
          if (e !== null) expect(balanced(e.lines)).toBe(0);
        }
      }), { verbose: 1 });
    });

    it('given a standalone credit note without tax, then no VAT line', () => {
      expect(lines('CreditNoteIssued', { creditNoteId: 'n2', number: 'CN-000002', currency: 'EUR', issueDate: '2024-03-05', invoiceId: null, net: 500, tax: 0, total: 500, appliedToInvoice: 0, unapplied: 500 }).lines)
        .toEqual([['revenue', 500, 0], ['customers', 0, 500]]);
    });

    it('given a v1 discount (no split), then D discounts allowed / C customers, as booked then', () => {
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
        .toEqual({ journal: 'OD', date: '2026-03-31', lines: [['interestIncome', 19_640, 0], ['recoveryCompensation', 4_000, 0], ['customers', 0, 23_640]] });
    });

    it('given charges reinstated after a rejected dispute, then D customers / C interest income on the resolution date (ADR 0038)', () => {
      expect(lines('LateChargesReinstated', { invoiceId: 'i1', disputeId: 'd1', on: '2026-04-10', periods: [], interest: 7_856, compensation: 0, amount: 7_856, outstanding: 1_023_640, reopened: false }))
        .toEqual({ journal: 'OD', date: '2026-04-10', lines: [['customers', 7_856, 0], ['interestIncome', 0, 7_856]] });
    });

    it('given a v1 write-off (no split), then D bad debts / C customers on the write-off date, as booked then', () => {
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

    it('given a v2 recovery after a write-off that regularised VAT, then the VAT due again is collected, and reversed with the recovery', () => {
      // 100.00 recovered: 20 % base 74.27 + VAT 14.85; 5.5 % base 10.31 + VAT 0.57: D 411 100.00 / C 7714 84.58 / C 44571 14.85 + 0.57.
      const vatBreakdown = [{ rate: '0.20', base: 7_427, amount: 1_485 }, { rate: '0.055', base: 1_031, amount: 57 }];
      expect(lines('BadDebtRecovered', { invoiceId: 'i1', paymentId: 'p2', amount: 10_000, receivedOn: '2024-10-10', recoverable: 38_473, vatBreakdown }).lines)
        .toEqual([['customers', 10_000, 0], ['badDebtRecoveries', 0, 8_458], ['vatCollected', 0, 1_485], ['vatCollected', 0, 57]]);
      expect(lines('PaymentUnapplied', { invoiceId: 'i1', paymentId: 'p2', amount: 10_000, on: '2024-10-20', reason: 'reversal', recoveryReversed: 10_000, outstanding: 0, reopened: false, vatBreakdown }).lines)
        .toEqual([['badDebtRecoveries', 8_458, 0], ['vatCollected', 1_485, 0], ['vatCollected', 57, 0], ['customers', 0, 10_000]]);
    });

    describe('VAT due on receipt (CGI art. 269-2-c)', () => {
      const vat = [{ rate: '0.20', base: 50_000, amount: 10_000 }];
      it('given an invoice under the option, then its VAT is credited to 44574 (vatToCollect)', () => {
        expect(lines('InvoiceIssued', { number: 'F1', issueDate: '2026-03-01', currency: 'EUR', lines: [], vatBreakdown: [{ rate: '0.20', base: 100_000, amount: 20_000 }], vatDueOn: 'receipt', net: 100_000, tax: 20_000, total: 120_000 }).lines)
          .toEqual([['customers', 120_000, 0], ['revenue', 0, 100_000], ['vatToCollect', 0, 20_000]]);
      });
      it('given a payment that moved VAT, then D 44574 / C 44571 on its date; taken back, the reverse', () => {
        // 600.00 paid on 1 200.00: half of the 200.00 of VAT, 100.00, becomes due.
        expect(lines('PaymentApplied', { invoiceId: 'i1', paymentId: 'p1', amount: 60_000, receivedOn: '2026-03-10', outstanding: 60_000, vatReceived: vat }))
          .toEqual({ journal: 'OD', date: '2026-03-10', lines: [['vatToCollect', 10_000, 0], ['vatCollected', 0, 10_000]] });
        expect(lines('PaymentUnapplied', { invoiceId: 'i1', paymentId: 'p1', amount: 60_000, on: '2026-03-25', reason: 'reversal', recoveryReversed: 0, outstanding: 120_000, reopened: false, vatReturned: vat }).lines)
          .toEqual([['vatCollected', 10_000, 0], ['vatToCollect', 0, 10_000]]);
      });
      it('given a credit note on such an invoice, then the VAT still waiting comes off 44574 and the rest off 44571', () => {
        // Note VAT 30.00, of which 20.00 still waiting: D 706 150.00, D 44574 20.00, D 44571 10.00 / C 411 180.00.
        expect(lines('CreditNoteIssued', { number: 'CN-1', issueDate: '2026-03-15', currency: 'EUR', invoiceId: 'i1', lines: [], vatBreakdown: [{ rate: '0.20', base: 15_000, amount: 3_000 }], vatToCollect: [{ rate: '0.20', base: 10_000, amount: 2_000 }], net: 15_000, tax: 3_000, total: 18_000, appliedToInvoice: 18_000, unapplied: 0 }).lines)
          .toEqual([['revenue', 15_000, 0], ['vatToCollect', 2_000, 0], ['vatCollected', 1_000, 0], ['customers', 0, 18_000]]);
      });
      it('given a discount or a write-off under the option, then the VAT cancelled comes off 44574', () => {
        expect(lines('InvoiceWrittenOff', { invoiceId: 'i1', amount: 60_000, writtenOffOn: '2026-03-31', outstanding: 0, vatBreakdown: vat, vatDueOn: 'receipt' }).lines)
          .toEqual([['badDebts', 50_000, 0], ['vatToCollect', 10_000, 0], ['customers', 0, 60_000]]);
        expect(lines('DiscountApplied', { invoiceId: 'i1', paymentId: 'p1', amount: 60_000, on: '2026-03-31', outstanding: 0, vatBreakdown: vat, vatDueOn: 'receipt' }).lines)
          .toEqual([['discountsAllowed', 50_000, 0], ['vatToCollect', 10_000, 0], ['customers', 0, 60_000]]);
      });
    });

    it('given late charges, then D customers / C interest income (763) for interest and C recovery compensation (7588) for the fixed EUR 40 (D441-5)', () => {
      expect(lines('LateChargesAssessed', { invoiceId: 'i1', from: '2024-04-01', through: '2024-04-30', interest: 1_234, compensation: 4_000, amount: 5_234, outstanding: 17_234, reopened: false }))
        .toEqual({ journal: 'OD', date: '2024-04-30', lines: [['customers', 5_234, 0], ['interestIncome', 0, 1_234], ['recoveryCompensation', 0, 4_000]] });
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
