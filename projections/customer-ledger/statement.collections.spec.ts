import type { ArEvent } from '../../libs/domain/events';
import { foldAccount } from '../../libs/domain/reporting/account-state';
import { addDays } from '../../libs/domain/shared/dates';
import { buildStatement } from './statement';
import { customerLedgerProjection as ledger } from './customer-ledger.projection';
import { customerMonthsProjection as months } from './customer-months.projection';
import { inLog, issued, payment, project, registered } from '../testing';

/** The statement follows the journal rules: every movement on 411 shows, with no rule of its own. */
const events: ArEvent[] = [
  registered('c1'),
  issued('i1', 'c1', 12_000, { issueDate: '2024-01-15', dueDate: '2024-02-14' }),
  issued('i2', 'c1', 6_000, { issueDate: '2024-01-20', dueDate: '2024-02-19' }),
  {
    type: 'CreditNoteIssued',
    data: {
      creditNoteId: 'n1', customerId: 'c1', number: 'CN-000001', currency: 'EUR', issueDate: '2024-02-05', invoiceId: 'i1', reason: 'damaged',
      lines: [], net: 1_000, tax: 200, total: 1_200, appliedToInvoice: 1_200, unapplied: 0, disputeId: null,
    },
  },
  { type: 'CreditNoteApplied', data: { invoiceId: 'i1', customerId: 'c1', creditNoteId: 'n1', amount: 1_200, on: '2024-02-05', outstanding: 10_800 } },
  ...payment({ paymentId: 'p1', customerId: 'c1', amount: 4_000, receivedOn: '2024-02-10' }, { invoiceId: 'i1', amount: 4_000, outstandingAfter: 6_800 }),
  {
    type: 'LateChargesAssessed',
    data: {
      invoiceId: 'i2', customerId: 'c1', from: '2024-02-20', through: '2024-03-10', interest: 60, compensation: 4_000, amount: 4_060,
      dayBasis: 365, rateSource: 'ECB', lines: [], outstanding: 10_060, reopened: false,
    },
  },
  { type: 'InvoiceWrittenOff', data: { invoiceId: 'i2', customerId: 'c1', amount: 10_060, reason: 'insolvent', approvedBy: 'cfo', writtenOffOn: '2024-03-25', outstanding: 0 } },
];

function statementFor(from: string, to: string) {
  const moves = [...project(ledger, events).values()].sort((a, b) => (a.cd < b.cd ? -1 : 1));
  const ms = [...project(months, events).values()];
  return buildStatement('c1', { from, to }, ms.filter((m) => m.month < from.slice(0, 7)), moves.filter((m) => m.date >= `${from.slice(0, 7)}-01`), 'EUR');
}

describe('statement with collections', () => {
  it('given a credit note, a payment, late charges and a write-off, then each is a movement on the account with a running balance', () => {
    const s = statementFor('2024-02-01', '2024-03-31');
    expect(s.opening).toBe(18_000);
    expect(s.movements.map((m) => [m.date, m.eventType, m.pieceRef, m.debit, m.credit, m.balance])).toEqual([
      ['2024-02-05', 'CreditNoteIssued', 'CN-000001', 0, 1_200, 16_800],
      ['2024-02-10', 'PaymentReceived', 'p1', 0, 4_000, 12_800],
      ['2024-03-10', 'LateChargesAssessed', 'i2', 4_060, 0, 16_860],
      ['2024-03-25', 'InvoiceWrittenOff', 'i2', 0, 10_060, 6_800],
    ]);
    expect(s).toMatchObject({ totalDebit: 4_060, totalCredit: 15_260, closing: 6_800 });
  });

  it('opens and closes on the balance of the point-in-time fold (credit-note application books nothing)', () => {
    const facts = inLog(events).map((e) => ({ ...e, data: e.data as unknown as Record<string, unknown> }));
    for (const [from, to] of [['2024-02-06', '2024-03-09'], ['2024-03-11', '2024-03-31'], ['2024-01-01', '2024-02-29']]) {
      const s = statementFor(from, to);
      expect({ from, opening: s.opening, closing: s.closing }).toEqual({
        from, opening: foldAccount('c1', facts, addDays(from, -1)).totals.balance, closing: foldAccount('c1', facts, to).totals.balance,
      });
    }
    expect(project(ledger, events).size).toBe(6);
  });
});
