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

describe('FEC DateLet: the day the invoice became fully settled (ADR 0055)', () => {
  const unapplied = (invoiceId: string, paymentId: string, amount: number, on: string) =>
    ({ type: 'PaymentUnapplied', data: { invoiceId, customerId: 'c1', paymentId, amount, on, reason: 'reallocation', recoveryReversed: 0, outstanding: amount, reopened: true } }) as unknown as ArEvent;
  const charges = (through: string, amount: number) =>
    ({ type: 'LateChargesAssessed', data: { invoiceId: 'i1', customerId: 'c1', from: '2026-02-01', through, interest: amount - 4_000, compensation: 4_000, amount, dayBasis: 365, lines: [], rateSource: 'ECB', outstanding: 0, reopened: false } }) as unknown as ArEvent;
  const corrected = (on: string, amount: number) =>
    ({ type: 'LateChargesCorrected', data: { invoiceId: 'i1', customerId: 'c1', on, interest: amount - 4_000, compensation: 4_000, amount, cause: { type: 'PaymentApplied', reference: 'p1', on: '2026-01-30' }, recomputed: { interest: 0, compensation: 0 }, outstanding: 0 } }) as unknown as ArEvent;

  it('a payment reallocated from i1 to i2 letters with i2 on the reallocation day; i1 is lettered with what paid it later', () => {
    // p1 1 000.00 received 03-10, applied to i1 then moved to i2 on 04-01 (i1 reopened); p2 pays i1 on 04-20.
    // i2: 1 000.00 − 1 000.00 = 0, settled by p1 when it was applied to it: 04-01 (not the receipt's 03-10).
    // i1: 1 000.00 − 1 000.00 = 0 with p2 only (p1's link to i1 was taken back entirely): 04-20.
    const { entries, links } = journalOf([
      issued('i1', 'c1', 100_000, d('2026-03-01')), // 0
      issued('i2', 'c1', 100_000, d('2026-03-05')), // 1
      received('p1', 'c1', 100_000, '2026-03-10'), // 2
      applied('i1', 'c1', 'p1', 100_000, '2026-03-10', 0),
      unapplied('i1', 'p1', 100_000, '2026-04-01'),
      { ...applied('i2', 'c1', 'p1', 100_000, '2026-03-10', 0), data: { ...applied('i2', 'c1', 'p1', 100_000, '2026-03-10', 0).data, appliedOn: '2026-04-01' } } as ArEvent,
      received('p2', 'c1', 100_000, '2026-04-20'), // 6
      applied('i1', 'c1', 'p2', 100_000, '2026-04-20', 0),
    ]);
    const l = lettering(entries, links);
    const p2 = entries.find((e) => e.pieceDate === '2026-04-20' && e.journal === 'BQ')!.position;
    expect([l.get(0), l.get(p2)]).toEqual([{ code: 'A', date: '2026-04-20' }, { code: 'A', date: '2026-04-20' }]);
    expect([l.get(1), l.get(2)]).toEqual([{ code: 'B', date: '2026-04-01' }, { code: 'B', date: '2026-04-01' }]);
    // As of 03-31 the reallocation had not happened: i2 and p1 stand apart, unlettered.
    const asOfMarch = lettering(entries.filter((e) => e.date <= '2026-03-31'), links, '2026-03-31');
    expect(asOfMarch.get(1)).toBeUndefined();
  });

  it('a receipt back-dated before the due date, cancelling charges assessed through 03-31, settles the invoice on its own date', () => {
    // 10 000.00 due 01-31; charges 236.40 assessed through 03-31; a receipt of 10 000.00 received 01-30, recorded
    // after, cancels all of them (no day late, ADR 0037), the correction dated 03-31. By date: 01-01 +10 000.00;
    // 01-30 −10 000.00 → 0; 03-31 +236.40 −236.40 → 0: zero from 01-30 on. (The latest line's date would say 03-31.)
    const { entries, links } = journalOf([
      issued('i1', 'c1', 1_000_000, { issueDate: '2026-01-01', dueDate: '2026-01-31' }),
      charges('2026-03-31', 23_640),
      received('p1', 'c1', 1_000_000, '2026-01-30'),
      applied('i1', 'c1', 'p1', 1_000_000, '2026-01-30', 23_640),
      corrected('2026-03-31', 23_640),
    ]);
    expect(new Set([...lettering(entries, links).values()].map((x) => x.date))).toEqual(new Set(['2026-01-30']));
    expect(lettering(entries, links).size).toBe(4);
  });

  it('customer credit received before the invoice and applied later settles it on the day it is applied', () => {
    // p1 500.00 received 03-01 (no invoice yet: customer credit); i1 500.00 issued 03-05; the credit applied 03-12.
    const { entries, links } = journalOf([
      received('p1', 'c1', 50_000, '2026-03-01'),
      issued('i1', 'c1', 50_000, d('2026-03-05')),
      { ...applied('i1', 'c1', 'p1', 50_000, '2026-03-01', 0), data: { ...applied('i1', 'c1', 'p1', 50_000, '2026-03-01', 0).data, appliedOn: '2026-03-12' } } as ArEvent,
    ]);
    expect([...lettering(entries, links).values()]).toEqual([{ code: 'A', date: '2026-03-12' }, { code: 'A', date: '2026-03-12' }]);
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
