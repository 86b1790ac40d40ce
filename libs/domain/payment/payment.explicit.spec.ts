import { given } from '../shared/testing';
import { OpenInvoice, paymentDecider, RecordPayment } from './payment.decider';
import { PaymentEvent } from './payment.events';

const open = (invoiceId: string, number: string, dueDate: string, outstanding: number, currency = 'EUR'): OpenInvoice =>
  ({ invoiceId, number, issueDate: '2024-01-01', dueDate, outstanding, currency });

const openInvoices = [
  open('inv-a', 'F-001', '2024-01-31', 10_000),
  open('inv-b', 'F-002', '2024-02-29', 20_000),
  open('inv-usd', 'F-003', '2024-01-15', 5_000, 'USD'),
];
const record = (allocations: RecordPayment['allocations'], patch: Partial<RecordPayment> = {}): RecordPayment => ({
  type: 'RecordPayment', paymentId: 'pay-1', customerId: 'cust-1', currency: 'EUR', amount: 25_000,
  receivedOn: '2024-03-10', method: 'cheque', reference: 'F-001', openInvoices, allocations, ...patch,
});
const received: PaymentEvent = {
  type: 'PaymentReceived',
  data: { paymentId: 'pay-1', customerId: 'cust-1', amount: 25_000, currency: 'EUR', receivedOn: '2024-03-10', method: 'cheque', reference: 'F-001' },
};
const explicit = (invoiceId: string, amount: number, unapplied: number): PaymentEvent => ({
  type: 'PaymentAllocated',
  data: { paymentId: 'pay-1', customerId: 'cust-1', invoiceId, amount, receivedOn: '2024-03-10', rule: 'explicit', unapplied },
});

describe('payment decider — explicit allocations', () => {
  it('makes exactly the requested allocations, in order, ignoring reference and due dates', () => {
    const state = given(paymentDecider).when(record([{ invoiceId: 'inv-b', amount: 20_000 }, { invoiceId: 'inv-a', amount: 1_000 }])).then([
      received, explicit('inv-b', 20_000, 5_000), explicit('inv-a', 1_000, 4_000),
    ]);
    expect(state).toMatchObject({ unapplied: 4_000, allocations: [{ invoiceId: 'inv-b', amount: 20_000 }, { invoiceId: 'inv-a', amount: 1_000 }] });
  });

  it('accepts allocations summing exactly to the payment and to each outstanding', () => {
    given(paymentDecider).when(record([{ invoiceId: 'inv-a', amount: 10_000 }, { invoiceId: 'inv-b', amount: 15_000 }])).then([
      received, explicit('inv-a', 10_000, 15_000), explicit('inv-b', 15_000, 0),
    ]);
  });

  it('allocates nothing when the list is empty: "none", not "automatic" (ADR 0032)', () => {
    const state = given(paymentDecider).when(record([], { amount: 100 })).then([
      { ...received, data: { ...received.data, amount: 100 } } as PaymentEvent,
    ]);
    expect(state).toMatchObject({ allocations: [], unapplied: 100, review: null });
  });

  it('refuses an invoice that is not among the open invoices', () => {
    given(paymentDecider).when(record([{ invoiceId: 'inv-a', amount: 1 }, { invoiceId: 'inv-paid', amount: 1 }]))
      .thenThrows('ALLOCATION_INVOICE_NOT_OPEN', { kind: 'rule', details: { field: 'allocations[1].invoiceId', invoiceId: 'inv-paid' } });
  });

  it('refuses an invoice in another currency', () => {
    given(paymentDecider).when(record([{ invoiceId: 'inv-usd', amount: 1_000 }])).thenThrows('CURRENCY_MISMATCH', {
      kind: 'rule', details: { field: 'allocations[0].invoiceId', invoiceCurrency: 'USD', paymentCurrency: 'EUR' },
    });
  });

  it('refuses more than the invoice\'s outstanding, with the figures', () => {
    given(paymentDecider).when(record([{ invoiceId: 'inv-a', amount: 10_001 }])).thenThrows('ALLOCATION_EXCEEDS_OUTSTANDING', {
      kind: 'rule',
      details: { field: 'allocations[0].amount', invoiceId: 'inv-a', currency: 'EUR', amount: '100.01', outstanding: '100.00', excess: '0.01' },
    });
  });

  it('refuses the same invoice twice', () => {
    given(paymentDecider).when(record([{ invoiceId: 'inv-a', amount: 1 }, { invoiceId: 'inv-a', amount: 2 }]))
      .thenThrows('ALLOCATION_DUPLICATE_INVOICE', { kind: 'invalid', details: { field: 'allocations[1].invoiceId', invoiceId: 'inv-a' } });
  });

  it('refuses allocations that add up to more than the payment', () => {
    given(paymentDecider).when(record([{ invoiceId: 'inv-a', amount: 10_000 }, { invoiceId: 'inv-b', amount: 15_001 }]))
      .thenThrows('ALLOCATIONS_EXCEED_PAYMENT', {
        kind: 'rule', details: { field: 'allocations', currency: 'EUR', amount: '250.00', allocated: '250.01', excess: '0.01' },
      });
  });

  it.each([
    ['a zero amount', { invoiceId: 'inv-a', amount: 0 }, 'ALLOCATION_AMOUNT_INVALID', 'allocations[0].amount'],
    ['a negative amount', { invoiceId: 'inv-a', amount: -10 }, 'ALLOCATION_AMOUNT_INVALID', 'allocations[0].amount'],
    ['a fractional amount', { invoiceId: 'inv-a', amount: 0.5 }, 'ALLOCATION_AMOUNT_INVALID', 'allocations[0].amount'],
    ['a malformed invoice id', { invoiceId: '', amount: 1 }, 'ID_MALFORMED', 'allocations[0].invoiceId'],
  ])('refuses %s', (_label, allocation, code, field) => {
    given(paymentDecider).when(record([allocation])).thenThrows(code, { kind: 'invalid', details: { field } });
  });

  it('records nothing on a retry even though the invoices it settled are no longer open', () => {
    given(paymentDecider, [received, explicit('inv-a', 10_000, 15_000)])
      .when(record([{ invoiceId: 'inv-a', amount: 10_000 }], { openInvoices: [openInvoices[1]] }))
      .then([]);
  });
});
