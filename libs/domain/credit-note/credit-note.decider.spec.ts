import { given } from '../shared/testing';
import { creditNoteDecider, CreditedInvoice, IssueCreditNote, splitGross } from './credit-note.decider';
import { CreditNoteEvent } from './credit-note.events';

const invoice: CreditedInvoice = { invoiceId: 'i1', customerId: 'c1', number: 'INV-1', currency: 'EUR', issueDate: '2024-01-10', total: 12_000, tax: 2_000, outstanding: 9_000 };
const issue = (patch: Partial<IssueCreditNote> = {}): IssueCreditNote => ({
  type: 'IssueCreditNote', creditNoteId: 'cn1', customerId: 'c1', number: 'CN-000001', issueDate: '2024-02-01', reason: 'returned', currency: 'EUR', invoice, amount: 6_000, ...patch,
});
const issuedData = { creditNoteId: 'cn1', customerId: 'c1', number: 'CN-000001', currency: 'EUR', issueDate: '2024-02-01', reason: 'returned', disputeId: null };

describe('credit note decider — IssueCreditNote', () => {
  it('against an invoice for an amount: tax split in the invoice’s proportion, all applied to the invoice', () => {
    given(creditNoteDecider).when(issue()).then([{ type: 'CreditNoteIssued', data: { ...issuedData, invoiceId: 'i1', lines: [], net: 5_000, tax: 1_000, total: 6_000, appliedToInvoice: 6_000, unapplied: 0 } }]);
  });
  it('with lines, computed like invoice lines', () => {
    given(creditNoteDecider).when(issue({ amount: undefined, lines: [{ description: 'x', quantity: '2', unitPrice: 1_000, taxRate: '0.20' }] })).then([{
      type: 'CreditNoteIssued',
      data: { ...issuedData, invoiceId: 'i1', lines: [{ description: 'x', quantity: '2', unitPrice: 1_000, taxRate: '0.20', net: 2_000, tax: 400, gross: 2_400 }], net: 2_000, tax: 400, total: 2_400, appliedToInvoice: 2_400, unapplied: 0 },
    }]);
  });
  it('standalone: all of it is customer credit; the tax rate splits the gross half-up', () => {
    given(creditNoteDecider).when(issue({ invoice: null, amount: 1_000, taxRate: '0.055' })).then([{
      type: 'CreditNoteIssued', data: { ...issuedData, invoiceId: null, lines: [], net: 948, tax: 52, total: 1_000, appliedToInvoice: 0, unapplied: 1_000 },
    }]);
    expect(splitGross(12_000, '0.20')).toEqual({ net: 10_000, tax: 2_000 });
  });
  it('from an accepted dispute, more than is still owed leaves the excess as credit', () => {
    given(creditNoteDecider).when(issue({ amount: 10_000, excessAsCredit: true, disputeId: 'd1' })).then([{
      type: 'CreditNoteIssued', data: { ...issuedData, disputeId: 'd1', invoiceId: 'i1', lines: [], net: 8_333, tax: 1_667, total: 10_000, appliedToInvoice: 9_000, unapplied: 1_000 },
    }]);
  });
  it('refuses more than the outstanding, a settled invoice, both or neither of lines and amount, another customer’s invoice, a reused id, an unknown customer', () => {
    given(creditNoteDecider).when(issue({ amount: 9_001 })).thenThrows('CREDIT_NOTE_EXCEEDS_OUTSTANDING', { kind: 'rule', details: { outstanding: '90.00', excess: '0.01' } });
    given(creditNoteDecider).when(issue({ invoice: { ...invoice, outstanding: 0 } })).thenThrows('INVOICE_NOT_OPEN');
    given(creditNoteDecider).when(issue({ lines: [{ description: 'x', quantity: '1', unitPrice: 1, taxRate: '0' }] })).thenThrows('CREDIT_NOTE_LINES_OR_AMOUNT', { kind: 'invalid' });
    given(creditNoteDecider).when(issue({ amount: undefined })).thenThrows('CREDIT_NOTE_LINES_OR_AMOUNT');
    given(creditNoteDecider).when(issue({ invoice: { ...invoice, customerId: 'c2' } })).thenThrows('INVOICE_OF_ANOTHER_CUSTOMER');
    given(creditNoteDecider).when(issue({ invoice: null })).thenThrows('TAX_RATE_REQUIRED', { kind: 'invalid' });
    given(creditNoteDecider).when(issue({ currency: null })).thenThrows('CUSTOMER_NOT_FOUND', { kind: 'not_found' });
    given(creditNoteDecider).when(issue({ issueDate: '2024-01-09' })).thenThrows('DATE_BEFORE_ISSUE');
    const existing: CreditNoteEvent = { type: 'CreditNoteIssued', data: { ...issuedData, invoiceId: null, lines: [], net: 1, tax: 0, total: 1, appliedToInvoice: 0, unapplied: 1 } };
    given(creditNoteDecider, [existing]).when(issue()).thenThrows('CREDIT_NOTE_ALREADY_EXISTS', { kind: 'conflict' });
  });
});

describe('credit note decider — its credit applied or refunded', () => {
  const standalone: CreditNoteEvent = { type: 'CreditNoteIssued', data: { ...issuedData, invoiceId: null, lines: [], net: 4_000, tax: 0, total: 4_000, appliedToInvoice: 0, unapplied: 4_000 } };
  const open = [{ invoiceId: 'i2', number: 'INV-2', issueDate: '2024-01-01', dueDate: '2024-02-01', outstanding: 3_000, currency: 'EUR' }];
  it('allocates to an open invoice with its own key', () => {
    given(creditNoteDecider, [standalone]).when({ type: 'AllocateCreditNote', creditNoteId: 'cn1', on: '2024-03-01', allocations: [{ invoiceId: 'i2', amount: 3_000 }], openInvoices: open })
      .then([{ type: 'CreditNoteAllocated', data: { creditNoteId: 'cn1', customerId: 'c1', invoiceId: 'i2', amount: 3_000, on: '2024-03-01', allocationId: 'cn1/1', unapplied: 1_000 } }]);
  });
  it('refuses more than its unapplied credit, an invoice that is not open, a date before the note', () => {
    given(creditNoteDecider, [standalone]).when({ type: 'AllocateCreditNote', creditNoteId: 'cn1', on: '2024-03-01', allocations: [{ invoiceId: 'i2', amount: 3_001 }], openInvoices: open })
      .thenThrows('ALLOCATION_EXCEEDS_OUTSTANDING');
    given(creditNoteDecider, [standalone]).when({ type: 'AllocateCreditNote', creditNoteId: 'cn1', on: '2024-03-01', allocations: [{ invoiceId: 'i2', amount: 3_000 }], openInvoices: [{ ...open[0], outstanding: 9_000 }, ] })
      .then([{ type: 'CreditNoteAllocated', data: { creditNoteId: 'cn1', customerId: 'c1', invoiceId: 'i2', amount: 3_000, on: '2024-03-01', allocationId: 'cn1/1', unapplied: 1_000 } }]);
    given(creditNoteDecider, [standalone]).when({ type: 'AllocateCreditNote', creditNoteId: 'cn1', on: '2024-03-01', allocations: [{ invoiceId: 'i2', amount: 4_001 }], openInvoices: [{ ...open[0], outstanding: 9_000 }] })
      .thenThrows('ALLOCATIONS_EXCEED_PAYMENT');
    given(creditNoteDecider, [standalone]).when({ type: 'AllocateCreditNote', creditNoteId: 'cn1', on: '2024-03-01', allocations: [{ invoiceId: 'zz', amount: 1 }], openInvoices: open })
      .thenThrows('ALLOCATION_INVOICE_NOT_OPEN');
    given(creditNoteDecider, [standalone]).when({ type: 'AllocateCreditNote', creditNoteId: 'cn1', on: '2024-01-31', allocations: [{ invoiceId: 'i2', amount: 1 }], openInvoices: open })
      .thenThrows('DATE_BEFORE_ISSUE', { kind: 'invalid' });
  });
  it('refuses to put its credit on an invoice before that invoice was issued (issue 10 item 9, ADR 0032)', () => {
    // Note issued 2024-02-01; i3 issued 2024-03-15: credit on it dated 2024-03-01 would pay what did not exist yet.
    const later = [{ ...open[0], invoiceId: 'i3', number: 'INV-3', issueDate: '2024-03-15' }];
    given(creditNoteDecider, [standalone]).when({ type: 'AllocateCreditNote', creditNoteId: 'cn1', on: '2024-03-01', allocations: [{ invoiceId: 'i3', amount: 1_000 }], openInvoices: later })
      .thenThrows('DATE_BEFORE_INVOICE', { kind: 'rule', details: { field: 'on', invoiceId: 'i3', issueDate: '2024-03-15' } });
    given(creditNoteDecider, [standalone]).when({ type: 'AllocateCreditNote', creditNoteId: 'cn1', on: '2024-03-15', allocations: [{ invoiceId: 'i3', amount: 1_000 }], openInvoices: later })
      .then([{ type: 'CreditNoteAllocated', data: { creditNoteId: 'cn1', customerId: 'c1', invoiceId: 'i3', amount: 1_000, on: '2024-03-15', allocationId: 'cn1/1', unapplied: 3_000 } }]);
  });
  it('refunds once per refund id, never more than is left', () => {
    given(creditNoteDecider, [standalone]).when({ type: 'RefundCreditNote', creditNoteId: 'cn1', refundId: 'r1', amount: 4_000, on: '2024-03-01', method: 'transfer' })
      .then([{ type: 'CreditNoteRefunded', data: { creditNoteId: 'cn1', customerId: 'c1', refundId: 'r1', amount: 4_000, refundedOn: '2024-03-01', method: 'transfer', unapplied: 0 } }]);
    given(creditNoteDecider, [standalone]).when({ type: 'RefundCreditNote', creditNoteId: 'cn1', refundId: 'r1', amount: 4_001, on: '2024-03-01', method: 'transfer' })
      .thenThrows('REFUND_EXCEEDS_CREDIT');
    given(creditNoteDecider).when({ type: 'RefundCreditNote', creditNoteId: 'cn1', refundId: 'r1', amount: 1, on: '2024-03-01', method: 'transfer' })
      .thenThrows('CREDIT_NOTE_NOT_FOUND', { kind: 'not_found' });
  });
});
