import { given } from '../shared/testing';
import { invoiceDecider } from './invoice.decider';
import { InvoiceEvent } from './invoice.events';
import { issued } from './invoice.fixtures';

// issued: inv-1, cust-1, total 484.73 EUR, issued 2024-01-31.
// Four eyes above an amount (ADR 0042; segregation of duties, COSO 2013 principle 10 / control activities):
// the threshold here is 100.00 EUR = 10_000 minor units.
const writeOff = (amount: number | null, patch: Record<string, unknown> = {}) =>
  ({ type: 'WriteOffInvoice' as const, invoiceId: 'inv-1', amount, reason: 'insolvent', approvedBy: 'clerk.cm', on: '2024-06-30', approvalAbove: 10_000, requestId: 'r1', ...patch });
const requested = (amount: number): InvoiceEvent => ({
  type: 'WriteOffRequested', data: { invoiceId: 'inv-1', customerId: 'cust-1', requestId: 'r1', currency: 'EUR', amount, reason: 'insolvent', on: '2024-06-30', requestedBy: 'clerk.cm', approvalAbove: 10_000 },
});

describe('invoice decider — write-offs above the four-eyes threshold', () => {
  it('writes off at once at or below the threshold: 100.00 is not above 100.00', () => {
    // Its VAT share is regularised (CGI art. 272-1, ADR 0035): 100.00 over 20 %: base 360.00 VAT 72.00, 5.5 %: base 49.98
    // VAT 2.75 (Σ 484.73): 7 426.815, 1 485.363, 1 031.092, 56.733 → floors Σ 9 998, 2 cents to .815 and .733 →
    // base 74.27 + VAT 14.85 at 20 %, base 10.31 + VAT 0.57 at 5.5 % (Σ 100.00).
    given(invoiceDecider, [issued]).when(writeOff(10_000)).then([{
      type: 'InvoiceWrittenOff', data: {
        invoiceId: 'inv-1', customerId: 'cust-1', amount: 10_000, reason: 'insolvent', approvedBy: 'clerk.cm', writtenOffOn: '2024-06-30', outstanding: 38_473,
        vatBreakdown: [{ rate: '0.20', base: 7_427, amount: 1_485 }, { rate: '0.055', base: 1_031, amount: 57 }],
      },
    }]);
  });

  it('turns a write-off above it into a request, the whole outstanding (484.73 > 100.00) fixed at the request', () => {
    const state = given(invoiceDecider, [issued]).when(writeOff(null)).then([requested(48_473)]);
    // Nothing is written off yet: the outstanding stays 484.73.
    expect(state).toMatchObject({ outstanding: 48_473, pendingWriteOff: { requestId: 'r1', amount: 48_473, requestedBy: 'clerk.cm' } });
    // One request at a time.
    given(invoiceDecider, [issued, requested(48_473)]).when(writeOff(1)).thenThrows('WRITE_OFF_PENDING_APPROVAL', { kind: 'conflict' });
  });

  it('refuses approval by the requester, and writes off on a second principal\'s approval', () => {
    given(invoiceDecider, [issued, requested(48_473)]).when({ type: 'ApproveWriteOff', invoiceId: 'inv-1', approvedBy: 'clerk.cm' })
      .thenThrows('APPROVER_IS_REQUESTER', { kind: 'rule', details: { requestedBy: 'clerk.cm', amount: '484.73' } });
    // The approved write-off regularises its VAT exactly as a direct one would: all 484.73 owed, so all of it,
    // base 360.00 + VAT 72.00 at 20 % and base 49.98 + VAT 2.75 at 5.5 % (ADR 0035).
    const writtenOff: InvoiceEvent = { type: 'InvoiceWrittenOff', data: {
      invoiceId: 'inv-1', customerId: 'cust-1', amount: 48_473, reason: 'insolvent', approvedBy: 'cfo', writtenOffOn: '2024-06-30', outstanding: 0,
      vatBreakdown: [{ rate: '0.20', base: 36_000, amount: 7_200 }, { rate: '0.055', base: 4_998, amount: 275 }],
    } };
    const state = given(invoiceDecider, [issued, requested(48_473)]).when({ type: 'ApproveWriteOff', invoiceId: 'inv-1', approvedBy: 'cfo' }).then([
      { type: 'WriteOffRequestApproved', data: { invoiceId: 'inv-1', customerId: 'cust-1', requestId: 'r1', requestedBy: 'clerk.cm', approvedBy: 'cfo' } },
      writtenOff,
    ]);
    expect(state).toMatchObject({ status: 'written_off', outstanding: 0, pendingWriteOff: null, recoverable: 48_473, vatCorrected: issued.data.vatBreakdown });
    // The same fact as the direct write-off of the same amount by the same principal, without the threshold.
    given(invoiceDecider, [issued]).when(writeOff(48_473, { approvedBy: 'cfo', approvalAbove: null })).then([writtenOff]);
  });

  it('an approved write-off dated within charged days corrects those charges and regularises the price\'s VAT, as a direct one does (ADR 0035, 0037)', () => {
    // Charged 2024-03-02…03-31: 30 days on 484.73 at 4.50 % + 10 = 14.50 %, actual/365: 48 473 × 1 450 × 30 / 3 650 000
    // = 577.69 → 5.78, + 40.00 = 45.78; owed 530.51.
    const charges: InvoiceEvent = { type: 'LateChargesAssessed', data: {
      invoiceId: 'inv-1', customerId: 'cust-1', from: '2024-03-02', through: '2024-03-31', interest: 578, compensation: 4_000, amount: 4_578, dayBasis: 365, rateSource: 'test',
      lines: [{ from: '2024-03-02', to: '2024-03-31', days: 30, principal: 48_473, referenceRateBp: 450, marginBp: 1_000, annualRateBp: 1_450 }], outstanding: 53_051, reopened: false,
    } };
    const request: InvoiceEvent = { type: 'WriteOffRequested', data: {
      invoiceId: 'inv-1', customerId: 'cust-1', requestId: 'r1', currency: 'EUR', amount: 20_000, reason: 'insolvent', on: '2024-03-16', requestedBy: 'clerk.cm', approvalAbove: 10_000,
    } };
    // 200.00 as of 2024-03-16, all within the 484.73 of price still owed: 20 000 over 36 000 / 7 200 / 4 998 / 275 (Σ 48 473)
    // = 14 853.630, 2 970.726, 2 062.179, 113.465 → floors Σ 19 998, 2 cents to .726 and .630 →
    // base 148.54 + VAT 29.71 at 20 %, base 20.62 + VAT 1.13 at 5.5 % (Σ 200.00). Owed 530.51 − 200.00 = 330.51.
    const writtenOff: InvoiceEvent = { type: 'InvoiceWrittenOff', data: {
      invoiceId: 'inv-1', customerId: 'cust-1', amount: 20_000, reason: 'insolvent', approvedBy: 'cfo', writtenOffOn: '2024-03-16', outstanding: 33_051,
      vatBreakdown: [{ rate: '0.20', base: 14_854, amount: 2_971 }, { rate: '0.055', base: 2_062, amount: 113 }],
    } };
    // Principal 284.73 from 03-17: 15 days on 484.73 + 15 on 284.73 at 14.50 %: 21 750 × 76 946 / 3 650 000 = 458.51 → 4.59;
    // 5.78 − 4.59 = 1.19 of interest cancelled, the 40.00 still due (days are still late). Owed 330.51 − 1.19 = 329.32.
    const corrected: InvoiceEvent = { type: 'LateChargesCorrected', data: {
      invoiceId: 'inv-1', customerId: 'cust-1', on: '2024-03-31', interest: 119, compensation: 0, amount: 119,
      cause: { type: 'InvoiceWrittenOff', reference: 'cfo', on: '2024-03-16' }, recomputed: { interest: 459, compensation: 4_000 }, outstanding: 32_932,
    } };
    const approval: InvoiceEvent = { type: 'WriteOffRequestApproved', data: { invoiceId: 'inv-1', customerId: 'cust-1', requestId: 'r1', requestedBy: 'clerk.cm', approvedBy: 'cfo' } };
    const approved = given(invoiceDecider, [issued, charges, request]).when({ type: 'ApproveWriteOff', invoiceId: 'inv-1', approvedBy: 'cfo' }).then([approval, writtenOff, corrected]);
    const direct = given(invoiceDecider, [issued, charges]).when(writeOff(20_000, { approvedBy: 'cfo', approvalAbove: null, on: '2024-03-16' })).then([writtenOff, corrected]);
    expect(approved).toMatchObject({ outstanding: 32_932, pendingWriteOff: null });
    expect({ ...approved, pendingWriteOff: null }).toEqual({ ...direct, pendingWriteOff: null });
  });

  it('refuses approving a figure the invoice no longer owes (paid 400.00 since: 484.73 > 84.73), and closes a rejected request', () => {
    const paid: InvoiceEvent = { type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 40_000, receivedOn: '2024-07-01', outstanding: 8_473 } };
    given(invoiceDecider, [issued, requested(48_473), paid]).when({ type: 'ApproveWriteOff', invoiceId: 'inv-1', approvedBy: 'cfo' })
      .thenThrows('WRITE_OFF_EXCEEDS_OUTSTANDING', { details: { outstanding: '84.73', excess: '400.00' } });
    const state = given(invoiceDecider, [issued, requested(48_473), paid]).when({ type: 'RejectWriteOff', invoiceId: 'inv-1', reason: 'customer paid', rejectedBy: 'cfo' }).then([
      { type: 'WriteOffRequestRejected', data: { invoiceId: 'inv-1', customerId: 'cust-1', requestId: 'r1', requestedBy: 'clerk.cm', rejectedBy: 'cfo', reason: 'customer paid' } },
    ]);
    expect(state).toMatchObject({ outstanding: 8_473, pendingWriteOff: null });
    given(invoiceDecider, [issued]).when({ type: 'ApproveWriteOff', invoiceId: 'inv-1', approvedBy: 'cfo' }).thenThrows('NO_WRITE_OFF_PENDING', { kind: 'conflict' });
  });
});
