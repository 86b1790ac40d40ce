import { journalProjection as p } from './journal.projection';
import { JOURNAL_RULES, journalEntryOf } from './journal-rules';
import { allocated, applied, inLog, issued, payment, project, registered, settled } from '../testing';

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
    expect(Object.keys(JOURNAL_RULES).sort()).toEqual(['InvoiceIssued', 'PaymentReceived']);
  });
});
