import type { ArEvent } from '../../libs/domain/events';
import { entryNumbers, letterCode, lettering } from './fec-compliance';
import { journalProjection } from './journal.projection';
import type { JournalEntry } from './journal.projection';
import { letteringLinksProjection, type LetteringLink } from './lettering-links.projection';
import { applied, inLog, issued, payment, project, received } from '../testing';

/** FEC rules of LPF art. A47 A-1 (BOI-CF-IOR-60-40-20): EcritureNum continuous per journal, lettering of settled items. */
function journalOf(events: ArEvent[]): { entries: JournalEntry[]; links: LetteringLink[] } {
  const log = inLog(events);
  return { entries: [...project(journalProjection, log).values()], links: [...project(letteringLinksProjection, log).values()] };
}
const d = (issueDate: string, dueDate = '2026-12-31') => ({ issueDate, dueDate });

describe('FEC entry numbers', () => {
  it('given entries of two journals recorded out of date order, then each journal is numbered 1, 2, 3… in validation order', () => {
    const { entries } = journalOf([
      issued('i1', 'c1', 12_000, d('2026-03-01')), // position 0, VT
      received('p1', 'c1', 5_000, '2026-03-05'), // 1, BQ
      issued('i2', 'c1', 6_000, d('2026-02-01')), // 2, VT, back-dated: recorded after i1, numbered after it
      received('p2', 'c1', 1_000, '2026-03-06'), // 3, BQ
    ]);
    const n = entryNumbers(entries);
    expect([0, 1, 2, 3].map((p) => n.get(p))).toEqual([1, 1, 2, 2]);
  });

  it('restarts the sequence each fiscal (calendar) year, and gives the same numbers when an entry is added later', () => {
    const first = journalOf([issued('i1', 'c1', 100, d('2025-12-30')), issued('i2', 'c1', 100, d('2026-01-02'))]);
    expect([...entryNumbers(first.entries).values()]).toEqual([1, 1]);
    const later = journalOf([issued('i1', 'c1', 100, d('2025-12-30')), issued('i2', 'c1', 100, d('2026-01-02')), issued('i3', 'c1', 100, d('2026-01-01'))]);
    const n = entryNumbers(later.entries);
    expect([n.get(0), n.get(1), n.get(2)]).toEqual([1, 1, 2]);
  });
});

describe('FEC lettering', () => {
  it('given an invoice paid in two parts, then nothing is lettered after the first and all three 411 lines after the second', () => {
    // 1 200.00 invoice; 700.00 on 03-10 leaves 500.00 open; 500.00 on 03-20 settles it: 1 200.00 − 700.00 − 500.00 = 0.
    const partial: ArEvent[] = [
      issued('i1', 'c1', 120_000, d('2026-03-01')),
      ...payment({ paymentId: 'p1', customerId: 'c1', amount: 70_000, receivedOn: '2026-03-10' }, { invoiceId: 'i1', amount: 70_000, outstandingAfter: 50_000 }),
    ];
    const before = journalOf(partial);
    expect(lettering(before.entries, before.links).size).toBe(0);
    const after = journalOf([...partial, ...payment({ paymentId: 'p2', customerId: 'c1', amount: 50_000, receivedOn: '2026-03-20' }, { invoiceId: 'i1', amount: 50_000, outstandingAfter: 0 })]);
    const l = lettering(after.entries, after.links);
    expect([...l.values()]).toEqual([{ code: 'A', date: '2026-03-20' }, { code: 'A', date: '2026-03-20' }, { code: 'A', date: '2026-03-20' }]);
  });

  it('given one payment settling two invoices, then the three lines share one code dated the payment day', () => {
    // 600.00 + 400.00 = 1 000.00 received on 04-02.
    const { entries, links } = journalOf([
      issued('i1', 'c1', 60_000, d('2026-03-01')),
      issued('i2', 'c1', 40_000, d('2026-03-02')),
      received('p1', 'c1', 100_000, '2026-04-02'),
      applied('i1', 'c1', 'p1', 60_000, '2026-04-02', 0),
      applied('i2', 'c1', 'p1', 40_000, '2026-04-02', 0),
    ]);
    const l = lettering(entries, links);
    expect(new Set([...l.values()].map((x) => `${x.code} ${x.date}`))).toEqual(new Set(['A 2026-04-02']));
    expect(l.size).toBe(3);
  });

  it('leaves a payment larger than what it settles unlettered (the excess is customer credit: the group does not balance)', () => {
    // 1 500.00 received for a 1 200.00 invoice: 1 200.00 − 1 500.00 = −300.00 ≠ 0.
    const { entries, links } = journalOf([
      issued('i1', 'c1', 120_000, d('2026-03-01')),
      ...payment({ paymentId: 'p1', customerId: 'c1', amount: 150_000, receivedOn: '2026-03-10' }, { invoiceId: 'i1', amount: 120_000, outstandingAfter: 0 }),
    ]);
    expect(lettering(entries, links).size).toBe(0);
  });

  it('keeps letters apart per group, coded from the group\'s first entry', () => {
    const { entries, links } = journalOf([
      issued('i1', 'c1', 100, d('2026-03-01')), // 0
      issued('i2', 'c2', 200, d('2026-03-01')), // 1
      ...payment({ paymentId: 'p2', customerId: 'c2', amount: 200, receivedOn: '2026-03-02' }, { invoiceId: 'i2', amount: 200, outstandingAfter: 0 }), // 2..5
      ...payment({ paymentId: 'p1', customerId: 'c1', amount: 100, receivedOn: '2026-03-03' }, { invoiceId: 'i1', amount: 100, outstandingAfter: 0 }), // 6..
    ]);
    const l = lettering(entries, links);
    expect(l.get(0)?.code).toBe('A');
    expect(l.get(1)?.code).toBe('B');
    expect(l.get(2)?.code).toBe('B');
    expect(l.get(6)?.code).toBe('A');
    expect([letterCode(0), letterCode(25), letterCode(26), letterCode(27 * 26)]).toEqual(['A', 'Z', 'BA', 'BBA']);
  });
});

describe('journal v4 — the recovery compensation on its own account', () => {
  it('books interest to interestIncome (763) and the EUR 40 compensation to recoveryCompensation (7588)', () => {
    // 138.42 interest + 40.00 compensation (D441-5) = 178.42 debited to the customer.
    const [entry] = [...project(journalProjection, [{
      type: 'LateChargesAssessed',
      data: { invoiceId: 'i1', customerId: 'c1', from: '2024-06-01', through: '2024-07-15', interest: 13_842, compensation: 4_000, amount: 17_842, outstanding: 617_842, dayBasis: 365, lines: [], rateSource: 'ECB' },
    } as unknown as ArEvent]).values()];
    expect(entry.lines).toEqual([
      { role: 'customers', debit: 17_842, credit: 0 }, { role: 'interestIncome', debit: 0, credit: 13_842 }, { role: 'recoveryCompensation', debit: 0, credit: 4_000 },
    ]);
    expect(entry.documents).toEqual(['invoice:i1']);
  });
});
