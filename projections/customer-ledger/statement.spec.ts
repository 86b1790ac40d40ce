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

  it('refuses a malformed or reversed period', () => {
    expect(() => checkPeriod('2024-03-31', '2024-03-01')).toThrow(expect.objectContaining({ code: 'PERIOD_INVALID' }));
    expect(() => checkPeriod('2024-02-30', '2024-03-01')).toThrow(expect.objectContaining({ code: 'DATE_MALFORMED' }));
  });
});
