import { given } from '../shared/testing';
import { OpenInvoice, paymentDecider, RecordPayment } from './payment.decider';
import { PaymentAllocated, PaymentEvent, PaymentReceived } from './payment.events';

const open = (invoiceId: string, number: string, dueDate: string, outstanding: number, currency = 'EUR', issueDate = '2024-01-01'): OpenInvoice =>
  ({ invoiceId, number, issueDate, dueDate, outstanding, currency });

const openInvoices = [
  open('inv-c', 'F-003', '2024-03-31', 30_000),
  open('inv-a', 'F-001', '2024-01-31', 10_000),
  open('inv-b', 'F-002', '2024-02-29', 20_000),
];
const record: RecordPayment = {
  type: 'RecordPayment', paymentId: 'pay-1', customerId: 'cust-1', currency: 'EUR', amount: 25_000,
  receivedOn: '2024-03-10', method: 'transfer', reference: null, openInvoices,
};
const received = (patch: Partial<PaymentReceived['data']> = {}): PaymentEvent => ({
  type: 'PaymentReceived',
  data: { paymentId: 'pay-1', customerId: 'cust-1', amount: 25_000, currency: 'EUR', receivedOn: '2024-03-10', method: 'transfer', reference: null, ...patch },
});
const allocated = (invoiceId: string, amount: number, rule: PaymentAllocated['data']['rule'], unapplied: number): PaymentEvent => ({
  type: 'PaymentAllocated',
  data: { paymentId: 'pay-1', customerId: 'cust-1', invoiceId, amount, receivedOn: '2024-03-10', rule, unapplied },
});

describe('payment decider — automatic allocation', () => {
  it('allocates oldest due date first, partially covering the last one', () => {
    const state = given(paymentDecider).when(record).then([
      received(), allocated('inv-a', 10_000, 'oldest_due', 15_000), allocated('inv-b', 15_000, 'oldest_due', 0),
    ]);
    expect(state).toEqual({
      status: 'recorded', paymentId: 'pay-1', customerId: 'cust-1', currency: 'EUR', amount: 25_000, receivedOn: '2024-03-10',
      allocations: [{ invoiceId: 'inv-a', amount: 10_000 }, { invoiceId: 'inv-b', amount: 15_000 }], unapplied: 0,
      allocationCount: 2, refunded: 0, refundIds: [], reversed: false, review: null, allocatedOn: { 'inv-a': '2024-03-10', 'inv-b': '2024-03-10' },
    });
  });

  it('first settles the invoice whose number is the reference', () => {
    given(paymentDecider).when({ ...record, reference: 'F-003' }).then([
      received({ reference: 'F-003' }), allocated('inv-c', 25_000, 'reference', 0),
    ]);
    given(paymentDecider).when({ ...record, amount: 45_000, reference: ' F-002 ' }).then([
      received({ amount: 45_000, reference: ' F-002 ' }),
      allocated('inv-b', 20_000, 'reference', 25_000),
      allocated('inv-a', 10_000, 'oldest_due', 15_000),
      allocated('inv-c', 15_000, 'oldest_due', 0),
    ]);
  });

  it('holds the cash for review when the reference names no open invoice of this customer (was: paid the oldest; ADR 0032)', () => {
    // F-999 is another customer's invoice (or none): nothing allocated, 50.00 stays customer credit, flagged.
    const state = given(paymentDecider).when({ ...record, amount: 5_000, reference: 'F-999' }).then([
      received({ amount: 5_000, reference: 'F-999' }),
      { type: 'PaymentHeldForReview', data: { paymentId: 'pay-1', customerId: 'cust-1', reference: 'F-999', reason: 'reference_not_open', amount: 5_000, receivedOn: '2024-03-10' } },
    ]);
    expect(state).toMatchObject({ unapplied: 5_000, allocations: [], review: { reference: 'F-999', reason: 'reference_not_open' } });
  });

  it('keeps what exceeds every open invoice as unapplied customer credit', () => {
    const state = given(paymentDecider).when({ ...record, amount: 70_000 }).then([
      received({ amount: 70_000 }),
      allocated('inv-a', 10_000, 'oldest_due', 60_000),
      allocated('inv-b', 20_000, 'oldest_due', 40_000),
      allocated('inv-c', 30_000, 'oldest_due', 10_000),
    ]);
    expect(state).toMatchObject({ unapplied: 10_000 });
  });

  it('records an unapplied payment when the customer has no open invoice', () => {
    const state = given(paymentDecider).when({ ...record, openInvoices: [] }).then([received()]);
    expect(state).toMatchObject({ allocations: [], unapplied: 25_000 });
  });

  it('breaks due-date ties by issue date, then by number', () => {
    const tied = [open('x3', 'F-10', '2024-02-01', 100, 'EUR', '2024-01-02'), open('x2', 'F-09', '2024-02-01', 100, 'EUR', '2024-01-02'),
      open('x1', 'F-11', '2024-02-01', 100, 'EUR', '2024-01-01')];
    given(paymentDecider).when({ ...record, amount: 300, openInvoices: tied }).then([
      received({ amount: 300 }), allocated('x1', 100, 'oldest_due', 200), allocated('x2', 100, 'oldest_due', 100), allocated('x3', 100, 'oldest_due', 0),
    ]);
  });

  it('never allocates to an invoice in another currency, even one named by the reference: held for review', () => {
    const mixed = [open('usd', 'F-100', '2023-12-01', 50_000, 'USD'), ...openInvoices];
    given(paymentDecider).when({ ...record, amount: 5_000, reference: 'F-100', openInvoices: mixed }).then([
      received({ amount: 5_000, reference: 'F-100' }),
      { type: 'PaymentHeldForReview', data: { paymentId: 'pay-1', customerId: 'cust-1', reference: 'F-100', reason: 'reference_not_open', amount: 5_000, receivedOn: '2024-03-10' } },
    ]);
  });

  it('never pays a disputed amount automatically: the undisputed part, then the next invoice (ADR 0032)', () => {
    // inv-a owes 100.00 of which 60.00 disputed → 40.00 payable; inv-b 200.00. Payment 100.00: 40.00 on inv-a, 60.00 on inv-b.
    const disputed = openInvoices.map((o) => (o.invoiceId === 'inv-a' ? { ...o, disputed: 6_000 } : o));
    given(paymentDecider).when({ ...record, amount: 10_000, openInvoices: disputed }).then([
      received({ amount: 10_000 }), allocated('inv-a', 4_000, 'oldest_due', 6_000), allocated('inv-b', 6_000, 'oldest_due', 0),
    ]);
    // Wholly disputed: skipped.
    const whole = openInvoices.map((o) => (o.invoiceId === 'inv-a' ? { ...o, disputed: 10_000 } : o));
    given(paymentDecider).when({ ...record, amount: 5_000, openInvoices: whole }).then([received({ amount: 5_000 }), allocated('inv-b', 5_000, 'oldest_due', 0)]);
  });

  it('treats a blank reference as none', () => {
    given(paymentDecider).when({ ...record, amount: 100, reference: '  ' }).then([
      received({ amount: 100, reference: null }), allocated('inv-a', 100, 'oldest_due', 0),
    ]);
  });
});

describe('payment decider — idempotency and validation', () => {
  it('records nothing when the same payment is recorded again', () => {
    given(paymentDecider, [received(), allocated('inv-a', 10_000, 'oldest_due', 15_000)])
      .when({ ...record, openInvoices: [open('inv-b', 'F-002', '2024-02-29', 5_000)] })
      .then([]);
  });

  it('refuses the same payment id with other figures', () => {
    given(paymentDecider, [received()]).when({ ...record, amount: 26_000 }).thenThrows('PAYMENT_ALREADY_RECORDED', {
      kind: 'conflict', details: { paymentId: 'pay-1' },
    });
  });

  it.each([
    ['a zero amount', { amount: 0 }, 'AMOUNT_NOT_POSITIVE', 'amount'],
    ['a negative amount', { amount: -1 }, 'AMOUNT_NOT_POSITIVE', 'amount'],
    ['a fractional amount', { amount: 1.5 }, 'AMOUNT_NOT_POSITIVE', 'amount'],
    ['an empty method', { method: '' }, 'METHOD_REQUIRED', 'method'],
    ['an unknown currency', { currency: 'ABC' }, 'CURRENCY_UNKNOWN', 'currency'],
    ['a malformed date', { receivedOn: '10/03/2024' }, 'DATE_MALFORMED', 'receivedOn'],
    ['a malformed customer id', { customerId: 'a/b' }, 'ID_MALFORMED', 'customerId'],
    ['allocations that are not a list', { allocations: {} }, 'ALLOCATIONS_MALFORMED', 'allocations'],
  ])('refuses %s', (_label, patch, code, field) => {
    given(paymentDecider).when({ ...record, ...patch } as RecordPayment).thenThrows(code, { kind: 'invalid', details: { field } });
  });
});

describe('payment decider — cash received before the invoice it pays (issue 10 item 3, ADR 0032)', () => {
  it('given an invoice issued after the receipt, when the payment is allocated to it, then the allocation takes effect on the issue date', () => {
    // Received 2024-03-10; inv-late issued 2024-03-20: the 80.00 is customer credit from 03-10 to 03-19, on the invoice from 03-20.
    const late = [{ ...openInvoices[1], invoiceId: 'inv-late', number: 'F-009', issueDate: '2024-03-20', dueDate: '2024-04-19', outstanding: 8_000 }];
    given(paymentDecider).when({ ...record, amount: 8_000, openInvoices: late }).then([
      received({ amount: 8_000 }),
      { type: 'PaymentAllocated', data: { paymentId: 'pay-1', customerId: 'cust-1', invoiceId: 'inv-late', amount: 8_000, receivedOn: '2024-03-10', rule: 'oldest_due', unapplied: 0, appliedOn: '2024-03-20' } },
    ]);
  });
});
