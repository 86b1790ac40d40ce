import { given } from '../shared/testing';
import { invoiceDecider, type WriteOffBankFees } from './invoice.decider';
import type { InvoiceEvent, InvoiceIssued } from './invoice.events';

// ADR 0088. A 480.00 invoice (net 400.00 + VAT 20 % 80.00 = 480.00) paid by transfer of 472.50: the banks kept
// 7.50 (480.00 − 472.50 = 7.50), within the default tolerance of 15.00 (AR_CASH_FEE_TOLERANCE 1500). The fee is the
// seller's charge (PCG 627): the VAT stays due on the whole price (CGI art. 266-1-a; art. 267 II-1° lowers the
// base only for discounts granted to the buyer), so no VAT figure moves with it.
const invoice: InvoiceIssued = {
  type: 'InvoiceIssued',
  data: {
    invoiceId: 'inv-1', customerId: 'cust-1', number: 'F2026-0480', currency: 'EUR', issueDate: '2026-03-02', dueDate: '2026-04-01', paymentTermsDays: 30,
    terms: { type: 'net', days: 30 }, lines: [{ description: 'Audit', quantity: '1', unitPrice: 40_000, taxRate: '0.20', net: 40_000 }],
    vatBreakdown: [{ rate: '0.20', base: 40_000, amount: 8_000 }], net: 40_000, tax: 8_000, total: 48_000,
    creditDecision: { decision: 'approved', creditLimit: 100_000, outstanding: 0, exposure: 48_000 },
  },
};
const receipt = (amount: number, outstanding: number, paymentId = 'bank-e1'): InvoiceEvent =>
  ({ type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId, amount, receivedOn: '2026-03-20', outstanding } });
const paidShort = [invoice, receipt(47_250, 750)];
const fees = (amount: number, over: Partial<WriteOffBankFees> = {}): WriteOffBankFees =>
  ({ type: 'WriteOffBankFees', invoiceId: 'inv-1', paymentId: 'bank-e1', bankEntryId: 'e1', amount, on: '2026-03-20', tolerance: 1_500, ...over });
const writtenOff = { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'bank-e1', bankEntryId: 'e1', amount: 750, on: '2026-03-20', outstanding: 0 };

describe('invoice decider — bank fees written off (ADR 0088)', () => {
  it('given a receipt 7.50 short, when the 7.50 are accepted as bank fees, then they settle the invoice: paid, nothing owed', () => {
    const state = given(invoiceDecider, paidShort).when(fees(750)).then([
      { type: 'BankFeesWrittenOff', data: writtenOff },
      { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2026-03-20' } },
    ]);
    // 480.00 − 472.50 received − 7.50 fees = 0.00; no VAT corrected (the base stays 400.00, the VAT 80.00).
    expect(state).toMatchObject({ status: 'paid', outstanding: 0, recoverable: 0, bankFees: writtenOff });
    expect(state).not.toHaveProperty('vatCorrected');
  });

  it('a retried command writes nothing twice', () => {
    given(invoiceDecider, [...paidShort, { type: 'BankFeesWrittenOff', data: writtenOff }]).when(fees(750)).then([]);
  });

  it('refuses fees above the tolerance: 15.01 > 15.00', () => {
    // 480.00 − 464.99 = 15.01 short.
    given(invoiceDecider, [invoice, receipt(46_499, 1_501)]).when(fees(1_501)).thenThrows('BANK_FEES_ABOVE_TOLERANCE', { details: { field: 'bankFees', amount: '15.01', tolerance: '15.00' } });
  });

  it('refuses anything but the exact remainder the receipt leaves (7.49 or 7.51 of a 7.50 gap)', () => {
    given(invoiceDecider, paidShort).when(fees(749)).thenThrows('BANK_FEES_NOT_THE_REMAINDER', { details: { outstanding: '7.50', amount: '7.49' } });
    given(invoiceDecider, paidShort).when(fees(751)).thenThrows('BANK_FEES_NOT_THE_REMAINDER');
  });

  it('refuses on an invoice with an open dispute, and on an invoice the receipt does not pay', () => {
    const disputed: InvoiceEvent = { type: 'DisputeOpened', data: { invoiceId: 'inv-1', customerId: 'cust-1', disputeId: 'd1', amount: 750, reason: 'one hour not done', openedOn: '2026-03-10' } };
    given(invoiceDecider, [invoice, disputed, receipt(47_250, 750)]).when(fees(750)).thenThrows('BANK_FEES_ON_DISPUTED_INVOICE', { details: { disputeId: 'd1', disputed: '7.50' } });
    given(invoiceDecider, [invoice, receipt(47_250, 750, 'other')]).when(fees(750)).thenThrows('BANK_FEES_WITHOUT_RECEIPT');
  });

  it('given fees written off with a receipt, when that receipt bounces, then the fees are owed again with it: 472.50 + 7.50 = 480.00', () => {
    const settled: InvoiceEvent[] = [...paidShort, { type: 'BankFeesWrittenOff', data: writtenOff }, { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2026-03-20' } }];
    const state = given(invoiceDecider, settled).when({ type: 'UnapplyPayment', invoiceId: 'inv-1', paymentId: 'bank-e1', amount: 47_250, on: '2026-03-25', reason: 'reversal' }).then([
      { type: 'PaymentUnapplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'bank-e1', amount: 47_250, on: '2026-03-25', reason: 'reversal', recoveryReversed: 0, outstanding: 47_250, reopened: true } },
      { type: 'BankFeesReversed', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'bank-e1', amount: 750, on: '2026-03-25', reason: 'reversal', fees: writtenOff, outstanding: 48_000 } },
    ]);
    expect(state).toMatchObject({ status: 'issued', outstanding: 48_000, bankFees: null });
  });

  it('under VAT on receipt the fees complete the price received: the VAT still waiting on 44574 becomes due (CGI art. 269-2-c)', () => {
    // 472.50 received moved 472.50 / 480.00 of the 80.00 VAT: pool split of 8 000 × 47 250 / 48 000 = 7 875 → 78.75 (base 393.75);
    // the fees move the rest: 80.00 − 78.75 = 1.25 VAT, 400.00 − 393.75 = 6.25 base (6.25 + 1.25 = 7.50).
    const onReceipt: InvoiceIssued = { ...invoice, data: { ...invoice.data, vatDueOn: 'receipt' } };
    const state = given(invoiceDecider, [onReceipt]).when({ type: 'ApplyPayment', invoiceId: 'inv-1', paymentId: 'bank-e1', amount: 47_250, receivedOn: '2026-03-20' }).then([
      { type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'bank-e1', amount: 47_250, receivedOn: '2026-03-20', outstanding: 750, vatReceived: [{ rate: '0.20', base: 39_375, amount: 7_875 }] } },
    ]);
    given(invoiceDecider, [onReceipt, { type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'bank-e1', amount: 47_250, receivedOn: '2026-03-20', outstanding: 750, vatReceived: [{ rate: '0.20', base: 39_375, amount: 7_875 }] } }])
      .when(fees(750)).then([
        { type: 'BankFeesWrittenOff', data: { ...writtenOff, vatReceived: [{ rate: '0.20', base: 625, amount: 125 }] } },
        { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2026-03-20' } },
      ]);
    expect(state).toMatchObject({ outstanding: 750 });
  });
});
