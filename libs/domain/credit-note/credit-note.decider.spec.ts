import { given } from '../shared/testing';
import { creditNoteDecider, CreditedInvoice, IssueCreditNote, splitGross } from './credit-note.decider';
import { CreditNoteEvent } from './credit-note.events';

/**
 * INV-1: 20 %: base 1 000.00, VAT 200.00; 5.5 %: base 100.00, VAT 5.50; total 1 305.50, of which 1 000.00 paid: 305.50 owed.
 */
const invoice: CreditedInvoice = {
  invoiceId: 'i1', customerId: 'c1', number: 'INV-1', currency: 'EUR', issueDate: '2024-01-10', total: 130_550, tax: 20_550, outstanding: 30_550,
  vatBreakdown: [{ rate: '0.20', base: 100_000, amount: 20_000 }, { rate: '0.055', base: 10_000, amount: 550 }], vatCorrected: [],
};
const issue = (patch: Partial<IssueCreditNote> = {}): IssueCreditNote => ({
  type: 'IssueCreditNote', creditNoteId: 'cn1', customerId: 'c1', number: 'CN-000001', issueDate: '2024-02-01', reason: 'returned', currency: 'EUR', invoice, amount: 13_055, ...patch,
});
const issuedData = { creditNoteId: 'cn1', customerId: 'c1', number: 'CN-000001', currency: 'EUR', issueDate: '2024-02-01', reason: 'returned', disputeId: null };
const line = (unitPrice: number, taxRate: string, quantity = '1') => ({ description: 'x', quantity, unitPrice, taxRate });

describe('credit note decider — IssueCreditNote against an invoice, rate by rate (CGI art. 272-1, 283-3; annex II art. 242 nonies A)', () => {
  it('for an amount: split across the invoice’s rates in proportion, with its breakdown; all applied to the invoice', () => {
    // 130.55 = 10 % of 1 305.50: 20 %: base 100.00 + VAT 20.00; 5.5 %: base 10.00 + VAT 0.55 (exact, nothing left over).
    given(creditNoteDecider).when(issue()).then([{ type: 'CreditNoteIssued', data: {
      ...issuedData, invoiceId: 'i1', lines: [], vatBreakdown: [{ rate: '0.20', base: 10_000, amount: 2_000 }, { rate: '0.055', base: 1_000, amount: 55 }],
      net: 11_000, tax: 2_055, total: 13_055, appliedToInvoice: 13_055, unapplied: 0,
    } }]);
  });

  it('for an amount that does not divide evenly: largest remainder, so base + VAT = the amount exactly', () => {
    // 100.00 over 1 000.00, 200.00, 100.00, 5.50 (Σ 1 305.50): 76.599, 15.319, 7.659, 0.421 (× 100 cents: 7 659.977, 1 531.980,
    // 765.990, 42.129) → floors Σ 9 997, 3 cents to .990, .980, .977 → 76.60 + 15.32 at 20 %, 7.66 + 0.42 at 5.5 %.
    given(creditNoteDecider).when(issue({ amount: 10_000 })).then([{ type: 'CreditNoteIssued', data: {
      ...issuedData, invoiceId: 'i1', lines: [], vatBreakdown: [{ rate: '0.20', base: 7_660, amount: 1_532 }, { rate: '0.055', base: 766, amount: 42 }],
      net: 8_426, tax: 1_574, total: 10_000, appliedToInvoice: 10_000, unapplied: 0,
    } }]);
  });

  it('with lines: VAT per rate like an invoice, each rate within what the invoice has open there', () => {
    // 2 × 100.00 at 20 %: base 200.00, VAT 40.00 ≤ 1 000.00 / 200.00.
    given(creditNoteDecider).when(issue({ amount: undefined, lines: [line(10_000, '0.2', '2')] })).then([{ type: 'CreditNoteIssued', data: {
      ...issuedData, invoiceId: 'i1', lines: [{ description: 'x', quantity: '2', unitPrice: 10_000, taxRate: '0.2', net: 20_000 }],
      vatBreakdown: [{ rate: '0.20', base: 20_000, amount: 4_000 }], net: 20_000, tax: 4_000, total: 24_000, appliedToInvoice: 24_000, unapplied: 0,
    } }]);
  });

  it('refuses a rate the invoice never had, and more VAT than the invoice charged at a rate (issue 10: 310.00 reversed on 255.00)', () => {
    given(creditNoteDecider).when(issue({ amount: undefined, lines: [line(1_000, '0.10')] }))
      .thenThrows('CREDIT_NOTE_RATE_NOT_ON_INVOICE', { kind: 'rule', details: { rate: '0.10', invoiceRates: ['0.20', '0.055'], field: 'lines' } });
    given(creditNoteDecider).when(issue({ amount: 1_000, taxRate: '0.10' })).thenThrows('CREDIT_NOTE_RATE_NOT_ON_INVOICE', { details: { field: 'taxRate' } });
    // An invoice of base 1 275.00 at 20 % charged 255.00 of VAT; a note of base 1 550.00 at 20 % would reverse 310.00.
    const charged255: CreditedInvoice = { ...invoice, total: 153_000, tax: 25_500, outstanding: 153_000, vatBreakdown: [{ rate: '0.20', base: 127_500, amount: 25_500 }] };
    given(creditNoteDecider).when(issue({ invoice: charged255, amount: undefined, lines: [line(155_000, '0.20')] })).thenThrows('CREDIT_NOTE_EXCEEDS_INVOICED_AT_RATE', {
      kind: 'rule', details: { rate: '0.20', base: '1550.00', vat: '310.00', openBase: '1275.00', openVat: '255.00' },
    });
    given(creditNoteDecider).when(issue({ invoice: charged255, amount: undefined, lines: [line(5_500, '0.055')] })).thenThrows('CREDIT_NOTE_RATE_NOT_ON_INVOICE');
  });

  it('counts what earlier corrections took: a rate fully credited is closed, an amount then goes to the other rates', () => {
    const credited: CreditedInvoice = { ...invoice, vatCorrected: [{ rate: '0.20', base: 100_000, amount: 20_000 }] };
    given(creditNoteDecider).when(issue({ invoice: credited, amount: undefined, lines: [line(1, '0.20')] }))
      .thenThrows('CREDIT_NOTE_EXCEEDS_INVOICED_AT_RATE', { details: { rate: '0.20', openBase: '0.00', openVat: '0.00' } });
    // Left open: 5.5 % base 100.00 + VAT 5.50 = 105.50; 105.50 credits exactly that.
    given(creditNoteDecider).when(issue({ invoice: credited, amount: 10_550 })).then([{ type: 'CreditNoteIssued', data: {
      ...issuedData, invoiceId: 'i1', lines: [], vatBreakdown: [{ rate: '0.055', base: 10_000, amount: 550 }], net: 10_000, tax: 550, total: 10_550, appliedToInvoice: 10_550, unapplied: 0,
    } }]);
    given(creditNoteDecider).when(issue({ invoice: credited, amount: 10_551 }))
      .thenThrows('CREDIT_NOTE_EXCEEDS_INVOICED', { kind: 'rule', details: { creditable: '105.50', excess: '0.01' } });
  });

  it('beyond the price still open, an amount credits the late charges assessed (outside the scope of VAT), never more', () => {
    // Price open 1 305.50 (all of it), charges 45.27 assessed: 1 340.00 = 1 305.50 of price (its breakdown exactly) + 34.50 of charges.
    const charged: CreditedInvoice = { ...invoice, outstanding: 30_550 + 4_527, chargesOpen: 4_527 };
    given(creditNoteDecider).when(issue({ invoice: charged, amount: 134_000 })).then([{ type: 'CreditNoteIssued', data: {
      ...issuedData, invoiceId: 'i1', lines: [], vatBreakdown: invoice.vatBreakdown, charges: 3_450,
      net: 113_450, tax: 20_550, total: 134_000, appliedToInvoice: 35_077, unapplied: 98_923,
    } }]);
    // 1 305.50 + 45.27 = 1 350.77 creditable at most.
    given(creditNoteDecider).when(issue({ invoice: charged, amount: 135_078 })).thenThrows('CREDIT_NOTE_EXCEEDS_INVOICED', { details: { creditable: '1350.77', excess: '0.01' } });
  });

  it('an amount at a named rate: crediting all that is open there takes exactly its base and VAT', () => {
    // 105.50 at 5.5 %: 105.50 / 1.055 = 100.00, VAT 5.50 — the open figures themselves.
    given(creditNoteDecider).when(issue({ amount: 10_550, taxRate: '0.055' })).then([{ type: 'CreditNoteIssued', data: {
      ...issuedData, invoiceId: 'i1', lines: [], vatBreakdown: [{ rate: '0.055', base: 10_000, amount: 550 }], net: 10_000, tax: 550, total: 10_550, appliedToInvoice: 10_550, unapplied: 0,
    } }]);
  });

  it('larger than what is still owed: accepted against its invoice, the excess becomes customer credit (issue 10 item 5)', () => {
    // 500.00 on 305.50 owed: 305.50 lowers the invoice, 194.50 is credit. Split: 382.99 + 76.60 at 20 %, 38.30 + 2.11 at 5.5 %
    // (50 000 cents over 1 305.50 → 38 299.502, 7 659.900, 3 829.950, 210.647: floors Σ 49 997, 3 cents to .950, .900, .647).
    given(creditNoteDecider).when(issue({ amount: 50_000 })).then([{ type: 'CreditNoteIssued', data: {
      ...issuedData, invoiceId: 'i1', lines: [], vatBreakdown: [{ rate: '0.20', base: 38_299, amount: 7_660 }, { rate: '0.055', base: 3_830, amount: 211 }],
      net: 42_129, tax: 7_871, total: 50_000, appliedToInvoice: 30_550, unapplied: 19_450,
    } }]);
    // Fully paid invoice: the whole note is customer credit, its correction still rate by rate.
    given(creditNoteDecider).when(issue({ invoice: { ...invoice, outstanding: 0 } })).then([{ type: 'CreditNoteIssued', data: {
      ...issuedData, invoiceId: 'i1', lines: [], vatBreakdown: [{ rate: '0.20', base: 10_000, amount: 2_000 }, { rate: '0.055', base: 1_000, amount: 55 }],
      net: 11_000, tax: 2_055, total: 13_055, appliedToInvoice: 0, unapplied: 13_055,
    } }]);
  });

  it('standalone: all of it is customer credit; the tax rate splits the gross half-up', () => {
    // 10.00 at 5.5 %: 10.00 / 1.055 = 9.4786 → 9.48, VAT 0.52.
    given(creditNoteDecider).when(issue({ invoice: null, amount: 1_000, taxRate: '0.055' })).then([{
      type: 'CreditNoteIssued', data: { ...issuedData, invoiceId: null, lines: [], vatBreakdown: [{ rate: '0.055', base: 948, amount: 52 }], net: 948, tax: 52, total: 1_000, appliedToInvoice: 0, unapplied: 1_000 },
    }]);
    expect(splitGross(12_000, '0.20')).toEqual({ net: 10_000, tax: 2_000 });
  });

  it('refuses both or neither of lines and amount, another customer’s invoice, a reused id, an unknown customer, a date before the invoice', () => {
    given(creditNoteDecider).when(issue({ lines: [line(1, '0')] })).thenThrows('CREDIT_NOTE_LINES_OR_AMOUNT', { kind: 'invalid' });
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
