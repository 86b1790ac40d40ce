import { given } from '../shared/testing';
import { invoiceDecider } from './invoice.decider';
import { InvoiceEvent, InvoiceIssued } from './invoice.events';
import { issue, issued } from './invoice.fixtures';

/**
 * TVA sur les encaissements (CGI art. 269-2-c): issued: 20 % base 360.00 VAT 72.00; 5.5 % base 49.98 VAT 2.75;
 * total 484.73, VAT waiting on 44574 until received.
 */
const onReceipt: InvoiceIssued = { ...issued, data: { ...issued.data, vatDueOn: 'receipt' } };
const pay = (paymentId: string, amount: number, receivedOn = '2024-02-10') => ({ type: 'ApplyPayment' as const, invoiceId: 'inv-1', paymentId, amount, receivedOn });
const applied = (paymentId: string, amount: number, outstanding: number, vatReceived?: Array<{ rate: string; base: number; amount: number }>): InvoiceEvent =>
  ({ type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId, amount, receivedOn: '2024-02-10', outstanding, ...(vatReceived ? { vatReceived } : {}) } });

describe('invoice decider — VAT due on receipt (CGI art. 269-2-c)', () => {
  it('records the option on the invoice when the company has it', () => {
    given(invoiceDecider).when({ ...issue, vatDueOn: 'receipt' }).then([onReceipt]);
  });

  it('a payment moves the VAT of what it settles, in proportion; the settling one moves all that still waits', () => {
    // 100.00 of 484.73 owed over 360.00/72.00/49.98/2.75: 7 426.815, 1 485.363, 1 031.092, 56.733 → 74.27 + 14.85, 10.31 + 0.57.
    const first = [{ rate: '0.20', base: 7_427, amount: 1_485 }, { rate: '0.055', base: 1_031, amount: 57 }];
    const state = given(invoiceDecider, [onReceipt]).when(pay('p1', 10_000)).then([applied('p1', 10_000, 38_473, first)]);
    expect(state).toMatchObject({ vatReceived: first, vatMovedByPayment: { p1: first } });
    // The rest, 384.73, settles: 72.00 − 14.85 = 57.15 and 2.75 − 0.57 = 2.18 (bases 285.73 and 39.67).
    given(invoiceDecider, [onReceipt, applied('p1', 10_000, 38_473, first)]).when(pay('p2', 38_473)).then([
      applied('p2', 38_473, 0, [{ rate: '0.20', base: 28_573, amount: 5_715 }, { rate: '0.055', base: 3_967, amount: 218 }]),
      { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2024-02-10' } },
    ]);
  });

  it('a payment taken back moves back exactly what it moved', () => {
    const first = [{ rate: '0.20', base: 7_427, amount: 1_485 }, { rate: '0.055', base: 1_031, amount: 57 }];
    given(invoiceDecider, [onReceipt, applied('p1', 10_000, 38_473, first)])
      .when({ type: 'UnapplyPayment', invoiceId: 'inv-1', paymentId: 'p1', amount: 10_000, on: '2024-02-20', reason: 'reversal' })
      .then([{ type: 'PaymentUnapplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 10_000, on: '2024-02-20', reason: 'reversal', recoveryReversed: 0, outstanding: 48_473, reopened: false, vatReturned: first } }]);
  });

  it('a write-off that closes the invoice cancels all the VAT still waiting (never due), marked as such', () => {
    const first = [{ rate: '0.20', base: 7_427, amount: 1_485 }, { rate: '0.055', base: 1_031, amount: 57 }];
    given(invoiceDecider, [onReceipt, applied('p1', 10_000, 38_473, first)])
      .when({ type: 'WriteOffInvoice', invoiceId: 'inv-1', amount: null, reason: 'insolvent', approvedBy: 'cfo', on: '2024-06-30' })
      .then([{ type: 'InvoiceWrittenOff', data: {
        invoiceId: 'inv-1', customerId: 'cust-1', amount: 38_473, reason: 'insolvent', approvedBy: 'cfo', writtenOffOn: '2024-06-30', outstanding: 0,
        vatBreakdown: [{ rate: '0.20', base: 28_573, amount: 5_715 }, { rate: '0.055', base: 3_967, amount: 218 }], vatDueOn: 'receipt',
      } }]);
  });

  it('an early-payment discount cancels the VAT the settling payment leaves waiting (never due), from 44574', () => {
    const terms = { type: 'early_discount' as const, discountBp: 200, discountDays: 10, netDays: 30 };
    const withDiscount: InvoiceIssued = { ...onReceipt, data: { ...onReceipt.data, terms } };
    // 475.04 paid of 484.73 (discount 9.69): 475.04 over 360.00/72.00/49.98/2.75 → 35 280.33, 7 056.07, 4 898.08, 269.50
    // → floors Σ 47 503, 1 cent to .50 → VAT moved 70.56 + 2.70; what still waits, 1.44 + 0.05 (bases 7.20, 1.00), the discount cancels.
    given(invoiceDecider, [withDiscount]).when(pay('p1', 47_504)).then([
      applied('p1', 47_504, 969, [{ rate: '0.20', base: 35_280, amount: 7_056 }, { rate: '0.055', base: 4_898, amount: 270 }]),
      { type: 'DiscountApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 969, discountBp: 200, on: '2024-02-10', outstanding: 0,
        vatBreakdown: [{ rate: '0.20', base: 720, amount: 144 }, { rate: '0.055', base: 100, amount: 5 }], vatDueOn: 'receipt' } },
      { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2024-02-10' } },
    ]);
  });

  it('an invoice issued without the option is left as it was: no VAT moves on payment', () => {
    given(invoiceDecider, [issued]).when(pay('p1', 10_000)).then([applied('p1', 10_000, 38_473)]);
  });
});
