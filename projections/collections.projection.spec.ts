import type { ArEvent } from '../libs/domain/events';
import { agingReport, creditAsOf, customerCreditProjection, invoicesProjection, openBalancesProjection, openItemsProjection, displayStatus, STILL_OPEN } from './index';
import { allocated, applied, issued, project, received, registered, settled } from './testing';

const dates = { issueDate: '2024-01-10', dueDate: '2024-02-09' };
const unapplied = (invoiceId: string, paymentId: string, amount: number, on: string, outstanding: number, o: { recoveryReversed?: number; reopened?: boolean } = {}): ArEvent => ({
  type: 'PaymentUnapplied',
  data: { invoiceId, customerId: 'c1', paymentId, amount, on, reason: 'reversal', recoveryReversed: o.recoveryReversed ?? 0, outstanding, reopened: o.reopened ?? false },
});
const writtenOff = (invoiceId: string, amount: number, on: string, outstanding: number): ArEvent => ({
  type: 'InvoiceWrittenOff', data: { invoiceId, customerId: 'c1', amount, reason: 'insolvent', approvedBy: 'cfo', writtenOffOn: on, outstanding },
});
const recovered = (invoiceId: string, paymentId: string, amount: number, on: string, recoverable: number): ArEvent => ({
  type: 'BadDebtRecovered', data: { invoiceId, customerId: 'c1', paymentId, amount, receivedOn: on, recoverable },
});
const deallocated = (paymentId: string, invoiceId: string, amount: number, on: string, left: number): ArEvent => ({
  type: 'PaymentDeallocated', data: { paymentId, customerId: 'c1', invoiceId, amount, on, reason: 'reversal', unapplied: left },
});

/** Paid in full on 02-01, the payment bounces on 02-20. */
const bounced: ArEvent[] = [
  registered('c1'),
  issued('i1', 'c1', 10_000, dates),
  received('p1', 'c1', 10_000, '2024-02-01'),
  allocated('p1', 'c1', 'i1', 10_000, '2024-02-01', 0),
  applied('i1', 'c1', 'p1', 10_000, '2024-02-01', 0),
  settled('i1', 'c1', '2024-02-01'),
  deallocated('p1', 'i1', 10_000, '2024-02-20', 10_000),
  { type: 'PaymentReversed', data: { paymentId: 'p1', customerId: 'c1', amount: 10_000, reason: 'bounced', reversedOn: '2024-02-20', creditRemoved: 10_000 } },
  unapplied('i1', 'p1', 10_000, '2024-02-20', 10_000, { reopened: true }),
];

describe('projections — reversal', () => {
  it('reopens the invoice in every read model, and keeps the history visible', () => {
    const inv = project(invoicesProjection, bounced).get('i1')!;
    expect(inv).toMatchObject({ status: 'issued', paid: 0, outstanding: 10_000, settledOn: null });
    expect(inv.adjustments).toEqual([{ type: 'payment_unapplied', amount: -10_000, on: '2024-02-20', reference: 'p1', note: 'reversal' }]);
    expect(inv.payments).toEqual([{ paymentId: 'p1', amount: 10_000, receivedOn: '2024-02-01' }]);

    const item = project(openItemsProjection, bounced).get('i1')!;
    expect(item).toMatchObject({ closedOn: STILL_OPEN, outstanding: 10_000, movements: [{ on: '2024-02-01', amount: 10_000 }, { on: '2024-02-20', amount: -10_000 }] });
    // As of 02-10 the invoice was paid; as of 02-25 it is 16 days late again.
    expect(agingReport([item], '2024-02-10').total).toBe(0);
    expect(agingReport([item], '2024-02-25').buckets).toMatchObject({ '1-30': 10_000 });

    const balance = project(openBalancesProjection, bounced).get('c1')!;
    expect(balance).toMatchObject({ invoiced: 10_000, received: 0, paid: 0, outstanding: 10_000, unapplied: 0, openInvoiceCount: 1 });

    const credit = project(customerCreditProjection, bounced).get('c1')!;
    expect(credit).toMatchObject({ balance: 0, sources: [] });
  });
});

describe('projections — write-off and recovery', () => {
  const log: ArEvent[] = [
    registered('c1'),
    issued('i1', 'c1', 10_000, dates),
    writtenOff('i1', 10_000, '2024-06-30', 0),
    received('p2', 'c1', 3_000, '2024-07-10'),
    allocated('p2', 'c1', 'i1', 3_000, '2024-07-10', 0),
    recovered('i1', 'p2', 3_000, '2024-07-10', 7_000),
  ];
  it('closes the item on the write-off date and shows the invoice written off, the recovery beside it', () => {
    const item = project(openItemsProjection, log).get('i1')!;
    expect(item).toMatchObject({ closedOn: '2024-06-30', outstanding: 0 });
    expect(agingReport([item], '2024-06-29').total).toBe(10_000);
    expect(agingReport([item], '2024-06-30').total).toBe(0);
    const inv = project(invoicesProjection, log).get('i1')!;
    expect(inv).toMatchObject({ status: 'written_off', paid: 0, writtenOff: 7_000, recovered: 3_000, outstanding: 0 });
    const balance = project(openBalancesProjection, log).get('c1')!;
    // outstanding = invoiced − allocated (recovery included) − write-offs net of recoveries = 10 000 − 3 000 − 7 000
    expect(balance).toMatchObject({ invoiced: 10_000, paid: 3_000, writtenOff: 7_000, outstanding: 0, unapplied: 0, openInvoiceCount: 0 });
  });
  it('a partial write-off leaves the rest open and lowers it from that date', () => {
    const item = project(openItemsProjection, [issued('i1', 'c1', 10_000, dates), writtenOff('i1', 4_000, '2024-03-01', 6_000)]).get('i1')!;
    expect(item).toMatchObject({ closedOn: STILL_OPEN, outstanding: 6_000 });
    expect(agingReport([item], '2024-03-01').total).toBe(6_000);
    expect(project(invoicesProjection, [issued('i1', 'c1', 10_000, dates), writtenOff('i1', 4_000, '2024-03-01', 6_000)]).get('i1')!.status).toBe('issued');
  });
});

describe('projections — customer credit', () => {
  it('tracks unapplied cash by source and date, refunds included', () => {
    const log: ArEvent[] = [
      registered('c1'),
      received('p1', 'c1', 5_000, '2024-01-05'),
      received('p2', 'c1', 2_000, '2024-01-03'),
      { type: 'PaymentAllocated', data: { paymentId: 'p2', customerId: 'c1', invoiceId: 'i9', amount: 500, receivedOn: '2024-01-03', rule: 'credit', unapplied: 1_500, allocationId: 'p2/1', appliedOn: '2024-02-01' } },
      { type: 'PaymentRefunded', data: { paymentId: 'p1', customerId: 'c1', refundId: 'r1', amount: 1_000, refundedOn: '2024-02-10', method: 'transfer', unapplied: 4_000 } },
    ];
    const c = project(customerCreditProjection, log).get('c1')!;
    expect(c.balance).toBe(5_500);
    expect(c.sources).toEqual([{ kind: 'payment', id: 'p2', date: '2024-01-03', unapplied: 1_500 }, { kind: 'payment', id: 'p1', date: '2024-01-05', unapplied: 4_000 }]);
    expect(c.refunds).toEqual([{ refundId: 'r1', sourceId: 'p1', amount: 1_000, on: '2024-02-10' }]);
    expect(creditAsOf(c, '2024-01-04')).toBe(2_000);
    expect(creditAsOf(c, '2024-02-01')).toBe(6_500);
    expect(creditAsOf(c, '2024-12-31')).toBe(5_500);
    const b = project(openBalancesProjection, log).get('c1')!;
    expect(b).toMatchObject({ unapplied: 5_500, refunded: 1_000 });
  });
});

describe('invoice status as of a date', () => {
  it('is overdue only when open and past due on that date', () => {
    const v = { status: 'partially_paid' as const, dueDate: '2024-02-09', outstanding: 5 };
    expect(displayStatus(v, '2024-02-09')).toBe('partially_paid');
    expect(displayStatus(v, '2024-02-10')).toBe('overdue');
    expect(displayStatus(v)).toBe('partially_paid');
    expect(displayStatus({ ...v, status: 'written_off', outstanding: 0 }, '2025-01-01')).toBe('written_off');
  });
});

describe('open items never go negative as of any date', () => {
  it('a payment received before charges were assessed counts on its day for what was owed then, the rest from the charge date (ADR 0037)', () => {
    const charged: ArEvent = {
      type: 'LateChargesAssessed',
      data: { invoiceId: 'i1', customerId: 'c1', from: '2024-02-10', through: '2024-03-10', interest: 100, compensation: 4_000, amount: 4_100, dayBasis: 365, rateSource: 's', lines: [], outstanding: 14_100, reopened: false },
    };
    const log: ArEvent[] = [issued('i1', 'c1', 10_000, dates), charged, applied('i1', 'c1', 'p1', 14_100, '2024-03-05', 0), settled('i1', 'c1', '2024-03-05')];
    const item = project(openItemsProjection, log).get('i1')!;
    // 141.00 received 03-05: 100.00 was owed then (settled that day); the 41.00 paid the charges dated 03-10.
    expect(item.movements).toEqual([
      { on: '2024-03-10', amount: -4_100, kind: 'charge' }, { on: '2024-03-05', amount: 10_000 }, { on: '2024-03-10', amount: 4_100, valueDate: '2024-03-05' },
    ]);
    for (const asOf of ['2024-03-01', '2024-03-06', '2024-03-10', '2024-03-11']) expect(agingReport([item], asOf).total).toBeGreaterThanOrEqual(0);
    expect(agingReport([item], '2024-03-01').total).toBe(10_000);
    expect(agingReport([item], '2024-03-06').total).toBe(0);
    expect(agingReport([item], '2024-03-10').total).toBe(0);
    expect(item.closedOn).toBe('2024-03-10');
  });
  it('a replacement payment received before the first one bounced', () => {
    const log: ArEvent[] = [
      issued('i1', 'c1', 10_000, dates),
      applied('i1', 'c1', 'p1', 10_000, '2024-03-01', 0), settled('i1', 'c1', '2024-03-01'),
      unapplied('i1', 'p1', 10_000, '2024-03-10', 10_000, { reopened: true }),
      applied('i1', 'c1', 'p2', 10_000, '2024-03-05', 0), settled('i1', 'c1', '2024-03-05'),
    ];
    const item = project(openItemsProjection, log).get('i1')!;
    for (const asOf of ['2024-03-02', '2024-03-06', '2024-03-10']) expect(agingReport([item], asOf).total).toBe(0);
    expect(agingReport([item], '2024-02-28').total).toBe(10_000);
  });
});
