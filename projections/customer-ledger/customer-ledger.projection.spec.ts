import { customerLedgerProjection as ledger } from './customer-ledger.projection';
import { customerMonthsProjection as months } from './customer-months.projection';
import { inLog, issued, payment, project, received, registered } from '../testing';

const dates = { issueDate: '2024-03-01', dueDate: '2024-03-31' };

describe('customer-ledger projection', () => {
  it('given an invoice and payments, then one movement each on the customer account, in date order by key', () => {
    const docs = project(ledger, [
      registered('c1'),
      issued('i1', 'c1', 12_000, dates),
      ...payment({ paymentId: 'p1', customerId: 'c1', amount: 2_000, receivedOn: '2024-02-28' }, { invoiceId: 'i1', amount: 2_000, outstandingAfter: 10_000 }),
    ]);
    expect([...docs.keys()].sort()).toEqual(['c1|2024-02-28|0000000000000002', 'c1|2024-03-01|0000000000000001']);
    expect(docs.get('c1|2024-03-01|0000000000000001')).toEqual({
      cd: 'c1|2024-03-01|0000000000000001', customerId: 'c1', date: '2024-03-01', position: 1, eventType: 'InvoiceIssued',
      pieceRef: 'F-i1', label: 'Facture F-i1', currency: 'EUR', debit: 12_000, credit: 0,
    });
    expect(docs.get('c1|2024-02-28|0000000000000002')).toMatchObject({ eventType: 'PaymentReceived', debit: 0, credit: 2_000 });
  });

  it('counts unapplied cash too: the account shows what was received, matched or not', () => {
    const docs = project(ledger, [received('p9', 'c1', 700, '2024-04-01')]);
    expect([...docs.values()]).toMatchObject([{ credit: 700, debit: 0 }]);
  });
});

describe('customer-months projection', () => {
  it('given movements, then debit and credit totals per customer and accounting month', () => {
    const docs = project(months, [
      issued('i1', 'c1', 12_000, dates),
      issued('i2', 'c1', 3_000, { issueDate: '2024-03-20', dueDate: '2024-04-19' }),
      issued('i3', 'c2', 1_000, dates),
      received('p1', 'c1', 5_000, '2024-04-02'),
    ]);
    expect(docs.get('c1|2024-03')).toEqual({ cm: 'c1|2024-03', customerId: 'c1', month: '2024-03', currency: 'EUR', debit: 15_000, credit: 0, lastPosition: 1 });
    expect(docs.get('c1|2024-04')).toMatchObject({ debit: 0, credit: 5_000 });
    expect(docs.get('c2|2024-03')).toMatchObject({ debit: 1_000 });
  });

  it('adds an event once even if its batch is applied again', () => {
    const log = inLog([issued('i1', 'c1', 12_000, dates)]);
    const once = months.evolve(null, log[0])!;
    expect(months.evolve(once, log[0])).toBe(once);
  });
});
