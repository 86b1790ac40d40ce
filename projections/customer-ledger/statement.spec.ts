import { buildStatement, checkPeriod } from './statement';
import { customerLedgerProjection as ledger } from './customer-ledger.projection';
import { customerMonthsProjection as months } from './customer-months.projection';
import { issued, payment, project, received } from '../testing';

const events = [
  issued('i1', 'c1', 12_000, { issueDate: '2024-01-15', dueDate: '2024-02-14' }),
  issued('i2', 'c1', 3_000, { issueDate: '2024-03-05', dueDate: '2024-04-04' }),
  ...payment({ paymentId: 'p1', customerId: 'c1', amount: 5_000, receivedOn: '2024-03-02' }, { invoiceId: 'i1', amount: 5_000, outstandingAfter: 7_000 }),
  received('p2', 'c1', 1_000, '2024-03-20'),
  issued('i3', 'c1', 800, { issueDate: '2024-04-02', dueDate: '2024-05-02' }),
];

function statementFor(from: string, to: string) {
  const moves = [...project(ledger, events).values()].sort((a, b) => (a.cd < b.cd ? -1 : 1));
  const ms = [...project(months, events).values()];
  return buildStatement('c1', { from, to }, ms.filter((m) => m.month < from.slice(0, 7)), moves.filter((m) => m.date >= `${from.slice(0, 7)}-01`), 'EUR');
}

describe('statement', () => {
  it('opens with the balance the day before, lists every movement with a running balance, closes at the end', () => {
    const s = statementFor('2024-03-03', '2024-03-31');
    expect(s.opening).toBe(12_000 - 5_000);
    expect(s.movements.map((m) => [m.date, m.eventType, m.debit, m.credit, m.balance])).toEqual([
      ['2024-03-05', 'InvoiceIssued', 3_000, 0, 10_000],
      ['2024-03-20', 'PaymentReceived', 0, 1_000, 9_000],
    ]);
    expect(s).toMatchObject({ totalDebit: 3_000, totalCredit: 1_000, closing: 9_000 });
  });

  it('an empty period keeps the opening as closing; a period before anything opens at zero', () => {
    expect(statementFor('2024-02-01', '2024-02-29')).toMatchObject({ opening: 12_000, movements: [], closing: 12_000 });
    expect(statementFor('2023-01-01', '2023-12-31')).toMatchObject({ opening: 0, closing: 0 });
    expect(statementFor('2024-01-01', '2024-12-31').closing).toBe(12_000 + 3_000 + 800 - 5_000 - 1_000);
  });

  it('cash received before its invoice, a discount, then the payment bounces: the account as an accountant checks it', () => {
    // Given invoice i0 of 300.00 issued 2 Jan, 100.00 received 1 Jan applied on its issue date (issue 10 item 3), 194.00
    // received 2 Jan settling it with a 6.00 discount; when the 100.00 bounces on 2 Jan (no earlier than it was applied,
    // DATE_BEFORE_ALLOCATION), the discount goes with it (ADR 0036).
    const discount = { invoiceId: 'i0', customerId: 'c1', paymentId: 'p2', amount: 600, discountBp: 200, on: '2025-01-02', outstanding: 0 };
    const log = [
      issued('i0', 'c1', 30_000, { issueDate: '2025-01-02', dueDate: '2025-01-02' }),
      received('p1', 'c1', 10_000, '2025-01-01'),
      { type: 'PaymentAllocated', data: { paymentId: 'p1', customerId: 'c1', invoiceId: 'i0', amount: 10_000, receivedOn: '2025-01-01', appliedOn: '2025-01-02', rule: 'explicit', unapplied: 0 } },
      { type: 'PaymentApplied', data: { invoiceId: 'i0', customerId: 'c1', paymentId: 'p1', amount: 10_000, receivedOn: '2025-01-01', appliedOn: '2025-01-02', outstanding: 20_000 } },
      ...payment({ paymentId: 'p2', customerId: 'c1', amount: 19_400, receivedOn: '2025-01-02' }, { invoiceId: 'i0', amount: 19_400, outstandingAfter: 600 }),
      { type: 'DiscountApplied', data: discount },
      { type: 'PaymentDeallocated', data: { paymentId: 'p1', customerId: 'c1', invoiceId: 'i0', amount: 10_000, on: '2025-01-02', reason: 'reversal', unapplied: 10_000 } },
      { type: 'PaymentUnapplied', data: { invoiceId: 'i0', customerId: 'c1', paymentId: 'p1', amount: 10_000, on: '2025-01-02', reason: 'reversal', recoveryReversed: 0, outstanding: 10_000, reopened: true } },
      { type: 'DiscountReversed', data: { invoiceId: 'i0', customerId: 'c1', paymentId: 'p1', amount: 600, on: '2025-01-02', reason: 'reversal', discount, outstanding: 10_600 } },
      { type: 'PaymentReversed', data: { paymentId: 'p1', customerId: 'c1', amount: 10_000, reason: 'bounced', reversedOn: '2025-01-02', creditRemoved: 10_000 } },
    ] as Parameters<typeof project>[1];
    const moves = [...project(ledger, log).values()].sort((a, b) => (a.cd < b.cd ? -1 : 1));
    const at = (to: string) => buildStatement('c1', { from: '2025-01-01', to }, [], moves, 'EUR');
    // Then as of 1 Jan the account shows the 100.00 as credit (a credit balance of 411): no invoice yet.
    expect(at('2025-01-01')).toMatchObject({ opening: 0, closing: -10_000 });
    // As of 2 Jan: 300.00 − 100.00 − 194.00 − 6.00 discount + 100.00 bounced + 6.00 discount taken back = 106.00,
    // i.e. the total less the only payment still standing (ADR 0036).
    expect(at('2025-01-02').closing).toBe(30_000 - 10_000 - 19_400 - 600 + 10_000 + 600);
    expect(at('2025-01-02').closing).toBe(30_000 - 19_400);
  });

  it('refuses a malformed or reversed period', () => {
    expect(() => checkPeriod('2024-03-31', '2024-03-01')).toThrow(expect.objectContaining({ code: 'PERIOD_INVALID' }));
    expect(() => checkPeriod('2024-02-30', '2024-03-01')).toThrow(expect.objectContaining({ code: 'DATE_MALFORMED' }));
  });
});
