import { given } from '../shared/testing';
import { invoiceDecider } from './invoice.decider';
import { InvoiceEvent } from './invoice.events';
import { issued } from './invoice.fixtures';

// issued: inv-1, cust-1, total 484.73 EUR, issued 2024-01-31, due 2024-03-01.
const applied = (paymentId: string, amount: number, outstanding: number, receivedOn = '2024-02-10'): InvoiceEvent =>
  ({ type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId, amount, receivedOn, outstanding } });
const writtenOff = (amount: number, outstanding: number, vatBreakdown?: Array<{ rate: string; base: number; amount: number }>): InvoiceEvent =>
  ({ type: 'InvoiceWrittenOff', data: { invoiceId: 'inv-1', customerId: 'cust-1', amount, reason: 'insolvent', approvedBy: 'cfo', writtenOffOn: '2024-06-30', outstanding, ...(vatBreakdown ? { vatBreakdown } : {}) } });
const writeOff = (amount: number | null, patch: Record<string, unknown> = {}) =>
  ({ type: 'WriteOffInvoice' as const, invoiceId: 'inv-1', amount, reason: 'insolvent', approvedBy: 'cfo', on: '2024-06-30', ...patch });

describe('invoice decider — WriteOffInvoice', () => {
  it('writes off part of the outstanding, its VAT share split across the rates in proportion (CGI art. 272-1)', () => {
    // 100.00 over 20 %: base 360.00 VAT 72.00, 5.5 %: base 49.98 VAT 2.75 (Σ 484.73): 7 426.815, 1 485.363, 1 031.092,
    // 56.733 → floors Σ 9 998, 2 cents to .815 and .733 → base 74.27 + VAT 14.85 at 20 %, base 10.31 + VAT 0.57 at 5.5 %.
    const share = [{ rate: '0.20', base: 7_427, amount: 1_485 }, { rate: '0.055', base: 1_031, amount: 57 }];
    const state = given(invoiceDecider, [issued, applied('p1', 8_473, 40_000)]).when(writeOff(10_000)).then([writtenOff(10_000, 30_000, share)]);
    expect(state).toMatchObject({ status: 'partially_paid', outstanding: 30_000, recoverable: 10_000, vatCorrected: share });
  });
  it('writes off everything still owed when no amount is given: all of its VAT is regularised', () => {
    const state = given(invoiceDecider, [issued]).when(writeOff(null)).then([writtenOff(48_473, 0, issued.data.vatBreakdown!)]);
    expect(state).toMatchObject({ status: 'written_off', outstanding: 0, recoverable: 48_473 });
  });
  it('late charges carry no VAT: only the price still owed is regularised', () => {
    // Charges as the engine assesses them, with the lines whose rates a later correction reuses (ADR 0037):
    // 2024-03-02…03-31, 30 days on 484.73 at ECB 4.50 % (in force on 1 January 2024) + 10 points = 14.50 %, actual/365:
    // 48 473 × 1 450 × 30 / 3 650 000 = 577.69 → 5.78; + EUR 40.00 compensation = 45.78.
    const charges: InvoiceEvent = { type: 'LateChargesAssessed', data: {
      invoiceId: 'inv-1', customerId: 'cust-1', from: '2024-03-02', through: '2024-03-31', interest: 578, compensation: 4_000, amount: 4_578, dayBasis: 365, rateSource: 'test',
      lines: [{ from: '2024-03-02', to: '2024-03-31', days: 30, principal: 48_473, referenceRateBp: 450, marginBp: 1_000, annualRateBp: 1_450 }], outstanding: 53_051, reopened: false,
    } };
    // Owed 530.51 = price 484.73 + charges 45.78: the VAT-bearing part of the write-off is the price, 484.73. Written off on
    // 2024-06-30, after the days charged: the principal on those days is unchanged, so no charge is corrected.
    given(invoiceDecider, [issued, charges]).when(writeOff(null)).then([writtenOff(53_051, 0, issued.data.vatBreakdown!)]);
  });
  it('refuses more than the outstanding, a settled invoice, a missing approver, a date before issue and an unknown invoice', () => {
    given(invoiceDecider, [issued]).when(writeOff(48_474)).thenThrows('WRITE_OFF_EXCEEDS_OUTSTANDING', { kind: 'rule', details: { outstanding: '484.73', excess: '0.01' } });
    given(invoiceDecider, [issued, applied('p1', 48_473, 0)]).when(writeOff(1)).thenThrows('INVOICE_NOT_OPEN');
    given(invoiceDecider, [issued]).when(writeOff(1, { approvedBy: '' })).thenThrows('APPROVER_REQUIRED', { kind: 'invalid' });
    given(invoiceDecider, [issued]).when(writeOff(1, { on: '2024-01-30' })).thenThrows('DATE_BEFORE_ISSUE', { kind: 'invalid' });
    given(invoiceDecider).when(writeOff(1)).thenThrows('INVOICE_NOT_FOUND', { kind: 'not_found' });
  });
});

describe('invoice decider — payment after a write-off is a recovery', () => {
  it('pays what is owed, then recovers the rest up to what was written off', () => {
    const state = given(invoiceDecider, [issued, writtenOff(10_000, 38_473)])
      .when({ type: 'ApplyPayment', invoiceId: 'inv-1', paymentId: 'p2', amount: 40_000, receivedOn: '2024-07-10' })
      .then([
        applied('p2', 38_473, 0, '2024-07-10'),
        { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2024-07-10' } },
        { type: 'BadDebtRecovered', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p2', amount: 1_527, receivedOn: '2024-07-10', recoverable: 8_473 } },
      ]);
    expect(state).toMatchObject({ outstanding: 0, recoverable: 8_473, byPayment: { p2: { applied: 38_473, recovered: 1_527 } } });
  });
  it('on a fully written-off invoice the whole payment is a recovery', () => {
    given(invoiceDecider, [issued, writtenOff(48_473, 0)])
      .when({ type: 'ApplyPayment', invoiceId: 'inv-1', paymentId: 'p2', amount: 100, receivedOn: '2024-07-10' })
      .then([{ type: 'BadDebtRecovered', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p2', amount: 100, receivedOn: '2024-07-10', recoverable: 48_373 } }]);
  });
  it('after a write-off that regularised VAT, the VAT recovered is due again in proportion, and regularised again if taken back (CGI art. 272-1)', () => {
    // Written off 484.73 with all its VAT (72.00 at 20 %, 2.75 at 5.5 %). 100.00 recovered, over 360.00/72.00/49.98/2.75:
    // 7 426.815, 1 485.363, 1 031.092, 56.733 → floors Σ 9 998, 2 cents to .815, .733 → 74.27 + 14.85, 10.31 + 0.57.
    const share = [{ rate: '0.20', base: 7_427, amount: 1_485 }, { rate: '0.055', base: 1_031, amount: 57 }];
    const history = [issued, writtenOff(48_473, 0, issued.data.vatBreakdown!)];
    const recovered: InvoiceEvent = { type: 'BadDebtRecovered', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p2', amount: 10_000, receivedOn: '2024-07-10', recoverable: 38_473, vatBreakdown: share } };
    const state = given(invoiceDecider, history).when({ type: 'ApplyPayment', invoiceId: 'inv-1', paymentId: 'p2', amount: 10_000, receivedOn: '2024-07-10' }).then([recovered]);
    expect(state).toMatchObject({ writtenOffVat: [{ rate: '0.20', base: 28_573, amount: 5_715 }, { rate: '0.055', base: 3_967, amount: 218 }], recoveredVat: { p2: share } });
    // The recovery bounces: its VAT, exactly as recovered, is regularised again.
    const back = given(invoiceDecider, [...history, recovered]).when({ type: 'UnapplyPayment', invoiceId: 'inv-1', paymentId: 'p2', amount: 10_000, on: '2024-07-20', reason: 'reversal' })
      .then([{ type: 'PaymentUnapplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p2', amount: 10_000, on: '2024-07-20', reason: 'reversal', recoveryReversed: 10_000, outstanding: 0, reopened: false, vatBreakdown: share } }]);
    expect(back).toMatchObject({ writtenOffVat: issued.data.vatBreakdown, recoveredVat: { p2: [] }, recoverable: 48_473 });
  });
  it('still refuses more than outstanding + recoverable', () => {
    given(invoiceDecider, [issued, writtenOff(100, 48_373)])
      .when({ type: 'ApplyPayment', invoiceId: 'inv-1', paymentId: 'p2', amount: 48_474, receivedOn: '2024-07-10' })
      .thenThrows('PAYMENT_EXCEEDS_OUTSTANDING');
  });
});

describe('invoice decider — UnapplyPayment (re-allocation, reversal)', () => {
  it('reopens a settled invoice', () => {
    const state = given(invoiceDecider, [issued, applied('p1', 48_473, 0), { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2024-02-10' } }])
      .when({ type: 'UnapplyPayment', invoiceId: 'inv-1', paymentId: 'p1', amount: 48_473, on: '2024-02-20', reason: 'reversal' })
      .then([{ type: 'PaymentUnapplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 48_473, on: '2024-02-20', reason: 'reversal', recoveryReversed: 0, outstanding: 48_473, reopened: true } }]);
    expect(state).toMatchObject({ status: 'issued', outstanding: 48_473 });
  });
  it('takes a recovery back first: the written-off amount is recoverable again, the outstanding unchanged', () => {
    const recovered: InvoiceEvent = { type: 'BadDebtRecovered', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p2', amount: 100, receivedOn: '2024-07-10', recoverable: 48_373 } };
    const state = given(invoiceDecider, [issued, writtenOff(48_473, 0), recovered])
      .when({ type: 'UnapplyPayment', invoiceId: 'inv-1', paymentId: 'p2', amount: 100, on: '2024-07-20', reason: 'reversal' })
      .then([{ type: 'PaymentUnapplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p2', amount: 100, on: '2024-07-20', reason: 'reversal', recoveryReversed: 100, outstanding: 0, reopened: false } }]);
    expect(state).toMatchObject({ outstanding: 0, recoverable: 48_473 });
  });
  it('lets a re-applied allocation of the same payment through (its own key), and refuses unapplying more than was applied', () => {
    const history = [issued, applied('p1', 10_000, 38_473)];
    given(invoiceDecider, history).when({ type: 'UnapplyPayment', invoiceId: 'inv-1', paymentId: 'p1', amount: 10_001, on: '2024-02-20', reason: 'reallocation' })
      .thenThrows('UNAPPLY_EXCEEDS_APPLIED', { details: { applied: '100.00' } });
    given(invoiceDecider, history).when({ type: 'ApplyPayment', invoiceId: 'inv-1', paymentId: 'p1', amount: 100, receivedOn: '2024-02-10' }).then([]);
    given(invoiceDecider, history).when({ type: 'ApplyPayment', invoiceId: 'inv-1', paymentId: 'p1', amount: 100, receivedOn: '2024-02-10', allocationId: 'p1/2', appliedOn: '2024-03-01' })
      .then([{ type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 100, receivedOn: '2024-02-10', outstanding: 38_373, allocationId: 'p1/2', appliedOn: '2024-03-01' } }]);
  });
});
