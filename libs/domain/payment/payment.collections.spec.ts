import { given } from '../shared/testing';
import { OpenInvoice, paymentDecider } from './payment.decider';
import { PaymentEvent } from './payment.events';

const open = (invoiceId: string, outstanding: number, currency = 'EUR', recoverable?: number): OpenInvoice =>
  ({ invoiceId, number: `F-${invoiceId}`, issueDate: '2024-01-01', dueDate: '2024-01-31', outstanding, currency, ...(recoverable ? { recoverable } : {}) });
const received: PaymentEvent = {
  type: 'PaymentReceived',
  data: { paymentId: 'pay-1', customerId: 'c1', amount: 30_000, currency: 'EUR', receivedOn: '2024-03-10', method: 'transfer', reference: null },
};
const allocatedA: PaymentEvent = {
  type: 'PaymentAllocated',
  data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'a', amount: 10_000, receivedOn: '2024-03-10', rule: 'explicit', unapplied: 20_000 },
};
const history = [received, allocatedA];

describe('payment decider — AllocatePayment (customer credit applied)', () => {
  it('allocates unapplied cash with its own allocation key and date', () => {
    given(paymentDecider, history).when({ type: 'AllocatePayment', paymentId: 'pay-1', on: '2024-04-01', allocations: [{ invoiceId: 'b', amount: 5_000 }], openInvoices: [open('b', 8_000)] })
      .then([{ type: 'PaymentAllocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'b', amount: 5_000, receivedOn: '2024-03-10', rule: 'credit', unapplied: 15_000, allocationId: 'pay-1/2', appliedOn: '2024-04-01' } }]);
  });
  it('refuses more than the unapplied cash', () => {
    given(paymentDecider, history).when({ type: 'AllocatePayment', paymentId: 'pay-1', on: '2024-04-01', allocations: [{ invoiceId: 'b', amount: 20_001 }], openInvoices: [open('b', 30_000)] })
      .thenThrows('ALLOCATIONS_EXCEED_PAYMENT', { kind: 'rule', details: { amount: '200.00', allocated: '200.01' } });
  });
  it('refuses an invoice in another currency (no silent FX)', () => {
    given(paymentDecider, history).when({ type: 'AllocatePayment', paymentId: 'pay-1', on: '2024-04-01', allocations: [{ invoiceId: 'b', amount: 100 }], openInvoices: [open('b', 30_000, 'USD')] })
      .thenThrows('CURRENCY_MISMATCH', { details: { invoiceCurrency: 'USD', paymentCurrency: 'EUR' } });
  });
  it('refuses an unknown payment, a date before receipt and an empty list', () => {
    given(paymentDecider).when({ type: 'AllocatePayment', paymentId: 'pay-1', on: '2024-04-01', allocations: [{ invoiceId: 'b', amount: 1 }], openInvoices: [] })
      .thenThrows('PAYMENT_NOT_FOUND', { kind: 'not_found' });
    given(paymentDecider, history).when({ type: 'AllocatePayment', paymentId: 'pay-1', on: '2024-03-09', allocations: [{ invoiceId: 'b', amount: 1 }], openInvoices: [open('b', 10)] })
      .thenThrows('DATE_BEFORE_RECEIPT', { kind: 'invalid', details: { field: 'on' } });
    given(paymentDecider, history).when({ type: 'AllocatePayment', paymentId: 'pay-1', on: '2024-04-01', allocations: [], openInvoices: [] })
      .thenThrows('ALLOCATIONS_REQUIRED', { kind: 'invalid' });
  });
});

describe('payment decider — ReallocatePayment', () => {
  it('moves an applied amount to another invoice of the customer in one append', () => {
    const state = given(paymentDecider, history)
      .when({ type: 'ReallocatePayment', paymentId: 'pay-1', fromInvoiceId: 'a', toInvoiceId: 'b', amount: 4_000, on: '2024-04-02', openInvoices: [open('b', 9_000)] })
      .then([
        { type: 'PaymentDeallocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'a', amount: 4_000, on: '2024-04-02', reason: 'reallocation', unapplied: 24_000 } },
        { type: 'PaymentAllocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'b', amount: 4_000, receivedOn: '2024-03-10', rule: 'reallocation', unapplied: 20_000, allocationId: 'pay-1/2', appliedOn: '2024-04-02' } },
      ]);
    expect(state).toMatchObject({ allocations: [{ invoiceId: 'a', amount: 6_000 }, { invoiceId: 'b', amount: 4_000 }], unapplied: 20_000 });
  });
  it('returns an applied amount to customer credit when no target is given', () => {
    const state = given(paymentDecider, history)
      .when({ type: 'ReallocatePayment', paymentId: 'pay-1', fromInvoiceId: 'a', toInvoiceId: null, amount: 10_000, on: '2024-04-02', openInvoices: [] })
      .then([{ type: 'PaymentDeallocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'a', amount: 10_000, on: '2024-04-02', reason: 'reallocation', unapplied: 30_000 } }]);
    expect(state).toMatchObject({ allocations: [], unapplied: 30_000 });
  });
  it('refuses more than the payment put on the source invoice, the same invoice, and a target beyond its outstanding', () => {
    given(paymentDecider, history).when({ type: 'ReallocatePayment', paymentId: 'pay-1', fromInvoiceId: 'a', toInvoiceId: 'b', amount: 10_001, on: '2024-04-02', openInvoices: [open('b', 90_000)] })
      .thenThrows('REALLOCATION_EXCEEDS_ALLOCATION', { details: { allocated: '100.00', amount: '100.01' } });
    given(paymentDecider, history).when({ type: 'ReallocatePayment', paymentId: 'pay-1', fromInvoiceId: 'a', toInvoiceId: 'a', amount: 1, on: '2024-04-02', openInvoices: [] })
      .thenThrows('REALLOCATION_SAME_INVOICE', { kind: 'invalid' });
    given(paymentDecider, history).when({ type: 'ReallocatePayment', paymentId: 'pay-1', fromInvoiceId: 'a', toInvoiceId: 'b', amount: 5_000, on: '2024-04-02', openInvoices: [open('b', 4_999)] })
      .thenThrows('ALLOCATION_EXCEEDS_OUTSTANDING');
    given(paymentDecider, history).when({ type: 'ReallocatePayment', paymentId: 'pay-1', fromInvoiceId: 'a', toInvoiceId: 'zz', amount: 5_000, on: '2024-04-02', openInvoices: [] })
      .thenThrows('ALLOCATION_INVOICE_NOT_OPEN');
  });
});

describe('payment decider — ReversePayment', () => {
  it('takes back every allocation, then removes the payment and its remaining credit', () => {
    const state = given(paymentDecider, history).when({ type: 'ReversePayment', paymentId: 'pay-1', reason: 'bounced', on: '2024-03-20' }).then([
      { type: 'PaymentDeallocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'a', amount: 10_000, on: '2024-03-20', reason: 'reversal', unapplied: 30_000 } },
      { type: 'PaymentReversed', data: { paymentId: 'pay-1', customerId: 'c1', amount: 30_000, reason: 'bounced', reversedOn: '2024-03-20', creditRemoved: 30_000 } },
    ]);
    expect(state).toMatchObject({ reversed: true, unapplied: 0, allocations: [] });
  });
  it('refuses a second reversal, a refunded payment, a missing reason and an unknown payment', () => {
    const reversed: PaymentEvent = { type: 'PaymentReversed', data: { paymentId: 'pay-1', customerId: 'c1', amount: 30_000, reason: 'x', reversedOn: '2024-03-20', creditRemoved: 30_000 } };
    given(paymentDecider, [...history, reversed]).when({ type: 'ReversePayment', paymentId: 'pay-1', reason: 'again', on: '2024-03-21' })
      .thenThrows('PAYMENT_ALREADY_REVERSED', { kind: 'conflict' });
    const refunded: PaymentEvent = { type: 'PaymentRefunded', data: { paymentId: 'pay-1', customerId: 'c1', refundId: 'r1', amount: 100, refundedOn: '2024-03-15', method: 'transfer', unapplied: 19_900 } };
    given(paymentDecider, [...history, refunded]).when({ type: 'ReversePayment', paymentId: 'pay-1', reason: 'bounced', on: '2024-03-21' })
      .thenThrows('PAYMENT_REFUNDED', { details: { refunded: '1.00' } });
    given(paymentDecider, history).when({ type: 'ReversePayment', paymentId: 'pay-1', reason: ' ', on: '2024-03-21' })
      .thenThrows('REASON_REQUIRED', { kind: 'invalid' });
    given(paymentDecider).when({ type: 'ReversePayment', paymentId: 'pay-1', reason: 'bounced', on: '2024-03-21' })
      .thenThrows('PAYMENT_NOT_FOUND', { kind: 'not_found' });
  });
});

describe('payment decider — RefundPayment', () => {
  it('pays back unapplied cash, once per refund id', () => {
    const refund = { type: 'RefundPayment' as const, paymentId: 'pay-1', refundId: 'r1', amount: 20_000, on: '2024-03-15', method: 'transfer' };
    const state = given(paymentDecider, history).when(refund)
      .then([{ type: 'PaymentRefunded', data: { paymentId: 'pay-1', customerId: 'c1', refundId: 'r1', amount: 20_000, refundedOn: '2024-03-15', method: 'transfer', unapplied: 0 } }]);
    expect(state).toMatchObject({ refunded: 20_000, unapplied: 0 });
    given(paymentDecider, [...history, { type: 'PaymentRefunded', data: { paymentId: 'pay-1', customerId: 'c1', refundId: 'r1', amount: 20_000, refundedOn: '2024-03-15', method: 'transfer', unapplied: 0 } }])
      .when(refund).then([]);
  });
  it('refuses more than the unapplied cash and a reversed payment', () => {
    given(paymentDecider, history).when({ type: 'RefundPayment', paymentId: 'pay-1', refundId: 'r1', amount: 20_001, on: '2024-03-15', method: 'transfer' })
      .thenThrows('REFUND_EXCEEDS_CREDIT', { details: { unapplied: '200.00' } });
    const reversed: PaymentEvent = { type: 'PaymentReversed', data: { paymentId: 'pay-1', customerId: 'c1', amount: 30_000, reason: 'x', reversedOn: '2024-03-20', creditRemoved: 30_000 } };
    given(paymentDecider, [...history, reversed]).when({ type: 'RefundPayment', paymentId: 'pay-1', refundId: 'r1', amount: 1, on: '2024-03-25', method: 'transfer' })
      .thenThrows('PAYMENT_REVERSED');
  });
});

describe('payment decider — recovery of written-off invoices', () => {
  it('lets a referenced payment go beyond the outstanding of a written-off invoice, up to what is recoverable', () => {
    given(paymentDecider).when({
      type: 'RecordPayment', paymentId: 'pay-9', customerId: 'c1', currency: 'EUR', amount: 5_000, receivedOn: '2024-05-01', method: 'transfer',
      reference: 'F-w', openInvoices: [open('w', 0, 'EUR', 3_000), open('x', 10_000)],
    }).then([
      { type: 'PaymentReceived', data: { paymentId: 'pay-9', customerId: 'c1', amount: 5_000, currency: 'EUR', receivedOn: '2024-05-01', method: 'transfer', reference: 'F-w' } },
      { type: 'PaymentAllocated', data: { paymentId: 'pay-9', customerId: 'c1', invoiceId: 'w', amount: 3_000, receivedOn: '2024-05-01', rule: 'reference', unapplied: 2_000 } },
      { type: 'PaymentAllocated', data: { paymentId: 'pay-9', customerId: 'c1', invoiceId: 'x', amount: 2_000, receivedOn: '2024-05-01', rule: 'oldest_due', unapplied: 0 } },
    ]);
  });
});

/**
 * Issue 10 items 9 and 10 (ADR 0032): effective dates cannot precede what they move, and a re-allocation corrects
 * the lettering as of the receipt by default (Code civil art. 1342-10: the debtor's choice of debt applies at
 * payment), so late charges follow the money.
 */
describe('payment decider — dates of a re-allocation and of applied credit', () => {
  const openOn = (invoiceId: string, outstanding: number, issueDate: string): OpenInvoice => ({ ...open(invoiceId, outstanding), issueDate });

  it('given no `on`, when re-allocating an allocation made at receipt, then it takes effect on the receipt date', () => {
    // Payment received 2024-03-10, 100.00 on a; moved to b (issued 2024-01-01) → dated 2024-03-10, not "today".
    given(paymentDecider, history).when({ type: 'ReallocatePayment', paymentId: 'pay-1', fromInvoiceId: 'a', toInvoiceId: 'b', amount: 10_000, on: null, openInvoices: [open('b', 50_000)] })
      .then([
        { type: 'PaymentDeallocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'a', amount: 10_000, on: '2024-03-10', reason: 'reallocation', unapplied: 30_000 } },
        { type: 'PaymentAllocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'b', amount: 10_000, receivedOn: '2024-03-10', rule: 'reallocation', unapplied: 20_000, allocationId: 'pay-1/2', appliedOn: '2024-03-10' } },
      ]);
  });

  it('given no `on` and a target issued after the receipt, then it takes effect on the target\'s issue date', () => {
    given(paymentDecider, history).when({ type: 'ReallocatePayment', paymentId: 'pay-1', fromInvoiceId: 'a', toInvoiceId: 'b', amount: 10_000, on: null, openInvoices: [openOn('b', 50_000, '2024-03-20')] })
      .then([
        { type: 'PaymentDeallocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'a', amount: 10_000, on: '2024-03-20', reason: 'reallocation', unapplied: 30_000 } },
        { type: 'PaymentAllocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'b', amount: 10_000, receivedOn: '2024-03-10', rule: 'reallocation', unapplied: 20_000, allocationId: 'pay-1/2', appliedOn: '2024-03-20' } },
      ]);
  });

  it('given no `on` and credit applied later, then it undoes that allocation as of its own date', () => {
    const applied: PaymentEvent = { type: 'PaymentAllocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'b', amount: 5_000, receivedOn: '2024-03-10', rule: 'credit', unapplied: 15_000, allocationId: 'pay-1/2', appliedOn: '2024-04-01' } };
    given(paymentDecider, [...history, applied]).when({ type: 'ReallocatePayment', paymentId: 'pay-1', fromInvoiceId: 'b', toInvoiceId: null, amount: 5_000, on: null, openInvoices: [] })
      .then([{ type: 'PaymentDeallocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'b', amount: 5_000, on: '2024-04-01', reason: 'reallocation', unapplied: 20_000 } }]);
  });

  it('refuses an explicit date before the allocation it undoes (was: 1,800.00 open on a 1,200.00 invoice)', () => {
    const applied: PaymentEvent = { type: 'PaymentAllocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'b', amount: 5_000, receivedOn: '2024-03-10', rule: 'credit', unapplied: 15_000, allocationId: 'pay-1/2', appliedOn: '2024-04-01' } };
    given(paymentDecider, [...history, applied]).when({ type: 'ReallocatePayment', paymentId: 'pay-1', fromInvoiceId: 'b', toInvoiceId: null, amount: 5_000, on: '2024-03-20', openInvoices: [] })
      .thenThrows('DATE_BEFORE_ALLOCATION', { kind: 'rule', details: { field: 'on', on: '2024-03-20', invoiceId: 'b', allocatedOn: '2024-04-01' } });
  });

  it('refuses an explicit date before the target invoice was issued, for a re-allocation and for applied credit', () => {
    given(paymentDecider, history).when({ type: 'ReallocatePayment', paymentId: 'pay-1', fromInvoiceId: 'a', toInvoiceId: 'b', amount: 1_000, on: '2024-03-15', openInvoices: [openOn('b', 50_000, '2024-03-20')] })
      .thenThrows('DATE_BEFORE_INVOICE', { kind: 'rule', details: { field: 'on', invoiceId: 'b', issueDate: '2024-03-20' } });
    given(paymentDecider, history).when({ type: 'AllocatePayment', paymentId: 'pay-1', on: '2024-03-15', allocations: [{ invoiceId: 'b', amount: 1_000 }], openInvoices: [openOn('b', 50_000, '2024-03-20')] })
      .thenThrows('DATE_BEFORE_INVOICE', { kind: 'rule', details: { field: 'on', invoiceId: 'b', issueDate: '2024-03-20' } });
  });

  it('keeps an explicit later date (a change of mind after the receipt)', () => {
    given(paymentDecider, history).when({ type: 'ReallocatePayment', paymentId: 'pay-1', fromInvoiceId: 'a', toInvoiceId: null, amount: 10_000, on: '2024-05-02', openInvoices: [] })
      .then([{ type: 'PaymentDeallocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'a', amount: 10_000, on: '2024-05-02', reason: 'reallocation', unapplied: 30_000 } }]);
  });
});

describe('payment decider — a reversal is not dated before what it takes back (ADR 0032)', () => {
  it('refuses a reversal dated before an allocation made later from the payment\'s credit', () => {
    // Received 03-10, 100.00 on a at receipt, 50.00 of credit on b on 04-01; bounced "on 03-20" would reopen b before it was paid.
    const applied: PaymentEvent = { type: 'PaymentAllocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'b', amount: 5_000, receivedOn: '2024-03-10', rule: 'credit', unapplied: 15_000, allocationId: 'pay-1/2', appliedOn: '2024-04-01' } };
    given(paymentDecider, [...history, applied]).when({ type: 'ReversePayment', paymentId: 'pay-1', reason: 'bounced', on: '2024-03-20' })
      .thenThrows('DATE_BEFORE_ALLOCATION', { kind: 'rule', details: { field: 'on', invoiceId: 'b', allocatedOn: '2024-04-01' } });
    given(paymentDecider, [...history, applied]).when({ type: 'ReversePayment', paymentId: 'pay-1', reason: 'bounced', on: '2024-04-01' })
      .then([
        { type: 'PaymentDeallocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'a', amount: 10_000, on: '2024-04-01', reason: 'reversal', unapplied: 25_000 } },
        { type: 'PaymentDeallocated', data: { paymentId: 'pay-1', customerId: 'c1', invoiceId: 'b', amount: 5_000, on: '2024-04-01', reason: 'reversal', unapplied: 30_000 } },
        { type: 'PaymentReversed', data: { paymentId: 'pay-1', customerId: 'c1', amount: 30_000, reason: 'bounced', reversedOn: '2024-04-01', creditRemoved: 30_000 } },
      ]);
  });
});
