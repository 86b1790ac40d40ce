import { fold } from '../shared/decider';
import { given } from '../shared/testing';
import { invoiceDecider } from './invoice.decider';
import { InvoiceEvent } from './invoice.events';
import { issued } from './invoice.fixtures';

// issued: inv-1, cust-1, total 484.73 EUR, issued 2024-01-31.
const opened: InvoiceEvent = { type: 'DisputeOpened', data: { invoiceId: 'inv-1', customerId: 'cust-1', disputeId: 'd1', amount: 10_000, reason: 'damaged', openedOn: '2024-02-05' } };
const open = (patch: Record<string, unknown> = {}) => ({ type: 'OpenDispute' as const, invoiceId: 'inv-1', disputeId: 'd1', amount: 10_000, reason: 'damaged', on: '2024-02-05', ...patch });
const resolve = (patch: Record<string, unknown> = {}) => ({ type: 'ResolveDispute' as const, invoiceId: 'inv-1', disputeId: 'd1', outcome: 'accepted' as const, agreedAmount: null, note: '', on: '2024-02-20', ...patch });

describe('invoice decider — disputes', () => {
  it('opens a dispute on part of the outstanding, once', () => {
    const state = given(invoiceDecider, [issued]).when(open()).then([opened]);
    expect(state).toMatchObject({ dispute: { disputeId: 'd1', amount: 10_000 } });
    given(invoiceDecider, [issued, opened]).when(open()).then([]);
  });
  it('refuses a second dispute, more than the outstanding, a settled invoice and an unknown invoice', () => {
    given(invoiceDecider, [issued, opened]).when(open({ disputeId: 'd2' })).thenThrows('DISPUTE_ALREADY_OPEN', { kind: 'conflict' });
    given(invoiceDecider, [issued]).when(open({ amount: 48_474 })).thenThrows('DISPUTE_EXCEEDS_OUTSTANDING', { details: { outstanding: '484.73' } });
    given(invoiceDecider, [issued, { type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p', amount: 48_473, receivedOn: '2024-02-01', outstanding: 0 } }])
      .when(open()).thenThrows('INVOICE_NOT_OPEN');
    given(invoiceDecider).when(open()).thenThrows('INVOICE_NOT_FOUND', { kind: 'not_found' });
    given(invoiceDecider, [issued]).when(open({ reason: '' })).thenThrows('REASON_REQUIRED', { kind: 'invalid' });
  });
  it('accepted: the agreed amount (default the disputed one) and the id of the credit note that follows', () => {
    given(invoiceDecider, [issued, opened]).when(resolve()).then([{
      type: 'DisputeResolved', data: { invoiceId: 'inv-1', customerId: 'cust-1', disputeId: 'd1', outcome: 'accepted', agreedAmount: 10_000, resolvedOn: '2024-02-20', note: '', creditNoteId: 'cn-d1' },
    }]);
    given(invoiceDecider, [issued, opened]).when(resolve({ agreedAmount: 10_001 })).thenThrows('AGREED_EXCEEDS_DISPUTED', { details: { disputed: '100.00' } });
  });
  it('rejected: nothing credited, the dispute closes', () => {
    const state = given(invoiceDecider, [issued, opened]).when(resolve({ outcome: 'rejected', note: 'no evidence' })).then([{
      type: 'DisputeResolved', data: { invoiceId: 'inv-1', customerId: 'cust-1', disputeId: 'd1', outcome: 'rejected', agreedAmount: 0, resolvedOn: '2024-02-20', note: 'no evidence', creditNoteId: null },
    }]);
    expect(state).toMatchObject({ dispute: null });
    given(invoiceDecider, [issued]).when(resolve()).thenThrows('DISPUTE_NOT_FOUND', { kind: 'not_found' });
    given(invoiceDecider, [issued, opened]).when(resolve({ on: '2024-02-04' })).thenThrows('DATE_BEFORE_DISPUTE', { kind: 'invalid' });
  });
});

describe('invoice decider — ApplyCreditNote', () => {
  it('lowers the outstanding once per credit note, settling at zero', () => {
    given(invoiceDecider, [issued]).when({ type: 'ApplyCreditNote', invoiceId: 'inv-1', creditNoteId: 'cn1', amount: 48_473, on: '2024-02-10' }).then([
      { type: 'CreditNoteApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', creditNoteId: 'cn1', amount: 48_473, on: '2024-02-10', outstanding: 0 } },
      { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2024-02-10' } },
    ]);
    const applied: InvoiceEvent = { type: 'CreditNoteApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', creditNoteId: 'cn1', amount: 100, on: '2024-02-10', outstanding: 48_373 } };
    given(invoiceDecider, [issued, applied]).when({ type: 'ApplyCreditNote', invoiceId: 'inv-1', creditNoteId: 'cn1', amount: 100, on: '2024-02-10' }).then([]);
    given(invoiceDecider, [issued]).when({ type: 'ApplyCreditNote', invoiceId: 'inv-1', creditNoteId: 'cn1', amount: 48_474, on: '2024-02-10' }).thenThrows('CREDIT_NOTE_EXCEEDS_OUTSTANDING');
  });

  it('records the correction of the note issued against it rate by rate, even when all of it became customer credit', () => {
    const correction = [{ rate: '0.20', base: 10_000, amount: 2_000 }];
    const paid: InvoiceEvent = { type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 48_473, receivedOn: '2024-02-05', outstanding: 0 } };
    // Paid in full: the note's 120.00 is all customer credit; the invoice still records 100.00 + 20.00 corrected at 20 %.
    const state = given(invoiceDecider, [issued, paid]).when({ type: 'ApplyCreditNote', invoiceId: 'inv-1', creditNoteId: 'cn1', amount: 0, on: '2024-02-10', vatBreakdown: correction }).then([
      { type: 'CreditNoteApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', creditNoteId: 'cn1', amount: 0, on: '2024-02-10', outstanding: 0, vatBreakdown: correction } },
    ]);
    expect(state).toMatchObject({ outstanding: 0, vatCorrected: correction });
    // A later allocation of customer credit is a settlement, not a correction of this invoice: no amount 0, no rates.
    given(invoiceDecider, [issued]).when({ type: 'ApplyCreditNote', invoiceId: 'inv-1', creditNoteId: 'cn2', amount: 0, on: '2024-02-10', allocationId: 'cn2/1', vatBreakdown: correction })
      .thenThrows('AMOUNT_NOT_POSITIVE');
  });

  it('given a v1 application (no rates), then its correction is read as the amount split across the rates in proportion', () => {
    // 48.47 over 360.00/72.00/49.98/2.75 (Σ 484.73): 3 599.777, 719.955, 499.763, 27.498 → floors Σ 4 844, 3 cents to .955, .777, .763.
    const v1: InvoiceEvent = { type: 'CreditNoteApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', creditNoteId: 'cn1', amount: 4_847, on: '2024-02-10', outstanding: 43_626 } };
    expect(fold(invoiceDecider, [issued, v1])).toMatchObject({ vatCorrected: [{ rate: '0.20', base: 3_600, amount: 720 }, { rate: '0.055', base: 500, amount: 27 }] });
  });
});

describe('invoice decider — payment plan attachment', () => {
  const attached: InvoiceEvent = { type: 'PaymentPlanAttached', data: { invoiceId: 'inv-1', customerId: 'cust-1', planId: 'pl1' } };
  it('attaches once, refuses a second plan, detaches only from its own plan', () => {
    const state = given(invoiceDecider, [issued]).when({ type: 'AttachToPaymentPlan', invoiceId: 'inv-1', planId: 'pl1' }).then([attached]);
    expect(state).toMatchObject({ planId: 'pl1' });
    given(invoiceDecider, [issued, attached]).when({ type: 'AttachToPaymentPlan', invoiceId: 'inv-1', planId: 'pl1' }).then([]);
    given(invoiceDecider, [issued, attached]).when({ type: 'AttachToPaymentPlan', invoiceId: 'inv-1', planId: 'pl2' }).thenThrows('INVOICE_IN_PAYMENT_PLAN', { kind: 'conflict', details: { planId: 'pl1' } });
    given(invoiceDecider, [issued, attached]).when({ type: 'DetachFromPaymentPlan', invoiceId: 'inv-1', planId: 'pl2', reason: 'broken' }).then([]);
    const detached = given(invoiceDecider, [issued, attached]).when({ type: 'DetachFromPaymentPlan', invoiceId: 'inv-1', planId: 'pl1', reason: 'broken' })
      .then([{ type: 'PaymentPlanDetached', data: { invoiceId: 'inv-1', customerId: 'cust-1', planId: 'pl1', reason: 'broken' } }]);
    expect(detached).toMatchObject({ planId: null });
    given(invoiceDecider).when({ type: 'AttachToPaymentPlan', invoiceId: 'inv-1', planId: 'pl1' }).thenThrows('INVOICE_NOT_FOUND', { kind: 'not_found' });
  });
});
