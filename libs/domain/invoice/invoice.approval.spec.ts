import { given } from '../shared/testing';
import { ApproveInvoice, invoiceDecider, IssueInvoice } from './invoice.decider';
import { InvoiceEvent, InvoiceIssued, InvoiceSubmittedForApproval } from './invoice.events';
import { issue, issued, issuedV1 } from './invoice.fixtures';

/** issue: total 484.73, outstanding 200.00; limit 1000.00 by default. */
const holdPolicy = (patch: Partial<IssueInvoice> = {}, customer: Partial<NonNullable<IssueInvoice['customer']>> = {}): IssueInvoice => ({
  ...issue,
  actor: 'clerk.anna',
  customer: { ...issue.customer!, creditLimit: 60_000, policy: 'hold_for_approval', policySource: 'customer', ...customer },
  ...patch,
});
const submitted: InvoiceSubmittedForApproval = {
  type: 'InvoiceSubmittedForApproval',
  data: {
    invoiceId: 'inv-1', customerId: 'cust-1', currency: 'EUR', issueDate: '2024-01-31', terms: { type: 'net', days: 30 },
    lines: issued.data.lines, vatBreakdown: issued.data.vatBreakdown, net: 40_998, tax: 7_475, total: 48_473,
    creditDecision: {
      decision: 'pending_approval', policy: 'hold_for_approval', policySource: 'customer', creditLimit: 60_000, outstanding: 20_000,
      pendingApproval: 0, unappliedCredit: 0, invoiceTotal: 48_473, exposure: 68_473, excess: 8_473,
    },
    submittedBy: 'clerk.anna',
  },
};
const approve: ApproveInvoice = {
  type: 'ApproveInvoice', invoiceId: 'inv-1', number: 'INV-000007', reason: 'Large order, guaranteed by parent', approvedBy: 'cfo', outstanding: 20_000, pendingApproval: 0, unapplied: 5_000,
  customer: { currency: 'EUR', creditLimit: 60_000, policy: 'hold_for_approval', policySource: 'customer', holds: [] },
};

describe('invoice decider — credit decision at issue', () => {
  it('counts invoices pending approval and subtracts unapplied customer credit in the exposure', () => {
    // 200.00 + 100.00 pending + 484.73 − 50.00 unapplied = 734.73 ≤ 750.00
    const atLimit = { ...issue, pendingApproval: 10_000, unapplied: 5_000, customer: { ...issue.customer!, creditLimit: 75_000 } };
    const [event] = invoiceDecider.decide(atLimit, invoiceDecider.initialState()) as InvoiceIssued[];
    expect(event.data.creditDecision).toEqual({
      decision: 'approved', policy: 'reject', policySource: 'global', creditLimit: 75_000, outstanding: 20_000,
      pendingApproval: 10_000, unappliedCredit: 5_000, invoiceTotal: 48_473, exposure: 73_473,
    });
    given(invoiceDecider).when({ ...atLimit, customer: { ...atLimit.customer, creditLimit: 73_472 } }).thenThrows('CREDIT_LIMIT_EXCEEDED', {
      kind: 'rule', details: { pendingApproval: '100.00', unappliedCredit: '50.00', exposure: '734.73', excess: '0.01', policy: 'reject' },
    });
  });

  it('holds the invoice for approval under the hold_for_approval policy: no number, the figures and the excess recorded', () => {
    const state = given(invoiceDecider).when(holdPolicy()).then([submitted]);
    expect(state).toMatchObject({ status: 'pending_approval', invoiceId: 'inv-1', customerId: 'cust-1' });
  });

  it('issues normally under hold_for_approval when the exposure fits', () => {
    const [event] = invoiceDecider.decide(holdPolicy({}, { creditLimit: 68_473 }), invoiceDecider.initialState());
    expect(event.type).toBe('InvoiceIssued');
  });

  it('refuses a customer on credit hold whatever its exposure, naming the holds', () => {
    given(invoiceDecider).when(holdPolicy({}, { creditLimit: 10_000_000, holds: [{ kind: 'manual', reason: 'Fraud check' }] })).thenThrows('CUSTOMER_ON_CREDIT_HOLD', {
      kind: 'rule', details: { customerId: 'cust-1', holds: [{ kind: 'manual', reason: 'Fraud check' }] },
    });
  });

  it('uses the customer\'s named terms for the due date and keeps paymentTermsDays for old readers', () => {
    const [event] = invoiceDecider.decide({ ...issue, customer: { ...issue.customer!, terms: { type: 'end_of_month', days: 45 } } }, invoiceDecider.initialState()) as InvoiceIssued[];
    // 2024-01-31 → end of month is the issue date itself; + 45 days = 2024-03-16
    expect(event.data).toMatchObject({ dueDate: '2024-03-16', paymentTermsDays: 45, terms: { type: 'end_of_month', days: 45 } });
    expect(event.data.termsSource).toBeUndefined();
  });

  it('lets an invoice override the customer\'s terms, within the legal cap unless agreed (recorded)', () => {
    const eom = { type: 'end_of_month' as const, days: 50 };
    given(invoiceDecider).when({ ...issue, terms: eom }).thenThrows('PAYMENT_TERMS_BEYOND_LEGAL_CAP', { kind: 'rule', details: { field: 'terms', country: 'FR' } });
    const [event] = invoiceDecider.decide({ ...issue, terms: eom, termsAgreedBeyondCap: true }, invoiceDecider.initialState()) as InvoiceIssued[];
    expect(event.data).toMatchObject({ terms: eom, termsSource: 'invoice', termsAgreedBeyondCap: true, dueDate: '2024-03-21', paymentTermsDays: 50 });
    const [discount] = invoiceDecider.decide({ ...issue, terms: { type: 'early_discount', discountBp: 200, discountDays: 10, netDays: 30 } }, invoiceDecider.initialState()) as InvoiceIssued[];
    expect(discount.data).toMatchObject({ dueDate: '2024-03-01', paymentTermsDays: 30, termsSource: 'invoice' });
    expect(discount.data.termsAgreedBeyondCap).toBeUndefined();
    given(invoiceDecider).when({ ...issue, terms: { type: 'instalments', schedule: [{ percentBp: 5000, days: 30 }] } }).thenThrows('PAYMENT_TERMS_INVALID', { kind: 'invalid' });
  });

  it('refuses to issue over a pending or rejected invoice with the same id', () => {
    given(invoiceDecider, [submitted]).when(issue).thenThrows('INVOICE_ALREADY_EXISTS', { kind: 'conflict', details: { invoiceId: 'inv-1', number: null } });
  });

  it('refuses payments on an invoice that is not a receivable', () => {
    given(invoiceDecider, [submitted]).when({ type: 'ApplyPayment', invoiceId: 'inv-1', paymentId: 'p1', amount: 100, receivedOn: '2024-02-01' })
      .thenThrows('INVOICE_NOT_ISSUED', { kind: 'rule', details: { status: 'pending_approval' } });
  });
});

describe('invoice decider — ApproveInvoice / RejectInvoice', () => {
  it('approval issues the held invoice with its number, the figures now and the review', () => {
    const state = given(invoiceDecider, [submitted]).when(approve).then([{
      type: 'InvoiceIssued',
      data: {
        ...issued.data,
        number: 'INV-000007',
        creditDecision: {
          decision: 'approved_on_review', policy: 'hold_for_approval', policySource: 'customer', creditLimit: 60_000, outstanding: 20_000,
          pendingApproval: 0, unappliedCredit: 5_000, invoiceTotal: 48_473, exposure: 63_473,
          review: { reason: 'Large order, guaranteed by parent', submittedBy: 'clerk.anna', approvedBy: 'cfo', submittedExposure: 68_473, submittedIssueDate: '2024-01-31' },
        },
      },
    }]);
    expect(state).toMatchObject({ status: 'issued', number: 'INV-000007', outstanding: 48_473 });
  });

  it('given a submission written before VAT per rate (v1), then approval issues it with the figures that were reviewed', () => {
    const { vatBreakdown: _none, ...v1 } = submitted.data;
    const v1Submitted: InvoiceSubmittedForApproval = { type: 'InvoiceSubmittedForApproval', data: { ...v1, lines: issuedV1.data.lines } };
    const [event] = invoiceDecider.decide(approve, invoiceDecider.evolve(invoiceDecider.initialState(), v1Submitted)) as InvoiceIssued[];
    // As submitted: 20 % 360.00 → 72.00 and 5.5 % 49.98 → 2.75 per line, grouped by rate; total 484.73 unchanged.
    expect(event.data).toMatchObject({ lines: issuedV1.data.lines, vatBreakdown: issued.data.vatBreakdown, tax: 7_475, total: 48_473 });
  });

  it('may issue on a later date given by the approver, the due date following from the terms', () => {
    const [event] = invoiceDecider.decide({ ...approve, issueDate: '2024-02-10' }, invoiceDecider.evolve(invoiceDecider.initialState(), submitted)) as InvoiceIssued[];
    expect(event.data).toMatchObject({ issueDate: '2024-02-10', dueDate: '2024-03-11', paymentTermsDays: 30 });
    given(invoiceDecider, [submitted]).when({ ...approve, issueDate: '2024-01-30' }).thenThrows('ISSUE_DATE_BEFORE_SUBMISSION', { kind: 'invalid', details: { field: 'issueDate' } });
  });

  it('four eyes: the submitter cannot approve, and an approval must name its approver', () => {
    given(invoiceDecider, [submitted]).when({ ...approve, approvedBy: 'clerk.anna' })
      .thenThrows('APPROVER_IS_SUBMITTER', { kind: 'rule', details: { submittedBy: 'clerk.anna' } });
    given(invoiceDecider, [submitted]).when({ ...approve, approvedBy: 'anonymous' })
      .thenThrows('APPROVER_REQUIRED', { kind: 'invalid', details: { field: 'X-Actor' } });
    // Submitted anonymously: any named person may approve.
    const anonymous = { ...submitted, data: { ...submitted.data, submittedBy: 'anonymous' } };
    expect(invoiceDecider.decide(approve, invoiceDecider.evolve(invoiceDecider.initialState(), anonymous))[0].type).toBe('InvoiceIssued');
  });

  it('refuses approval while the customer is on hold', () => {
    given(invoiceDecider, [submitted]).when({ ...approve, customer: { ...approve.customer!, holds: [{ kind: 'policy', reason: 'overdue' }] } })
      .thenThrows('CUSTOMER_ON_CREDIT_HOLD', { kind: 'rule' });
  });

  it('rejection closes the held invoice with the reason; it never gets a number', () => {
    const state = given(invoiceDecider, [submitted]).when({ type: 'RejectInvoice', invoiceId: 'inv-1', reason: 'Customer in receivership' }).then([
      { type: 'InvoiceRejected', data: { invoiceId: 'inv-1', customerId: 'cust-1', total: 48_473, reason: 'Customer in receivership' } },
    ]);
    expect(state).toEqual({ status: 'rejected', invoiceId: 'inv-1', customerId: 'cust-1' });
  });

  const rejected: InvoiceEvent = { type: 'InvoiceRejected', data: { invoiceId: 'inv-1', customerId: 'cust-1', total: 48_473, reason: 'x' } };
  it.each([
    ['approve an unknown invoice', [], approve, 'INVOICE_NOT_FOUND', 'not_found'],
    ['approve an issued invoice', [issued], approve, 'INVOICE_NOT_PENDING_APPROVAL', 'conflict'],
    ['approve a rejected invoice', [submitted, rejected], approve, 'INVOICE_NOT_PENDING_APPROVAL', 'conflict'],
    ['reject an issued invoice', [issued], { type: 'RejectInvoice', invoiceId: 'inv-1', reason: 'x' }, 'INVOICE_NOT_PENDING_APPROVAL', 'conflict'],
    ['reject twice', [submitted, rejected], { type: 'RejectInvoice', invoiceId: 'inv-1', reason: 'x' }, 'INVOICE_NOT_PENDING_APPROVAL', 'conflict'],
    ['reject without a reason', [submitted], { type: 'RejectInvoice', invoiceId: 'inv-1', reason: '' }, 'REASON_REQUIRED', 'invalid'],
    ['approve without a reason', [submitted], { ...approve, reason: ' ' }, 'REASON_REQUIRED', 'invalid'],
  ] as const)('refuses to %s', (_l, history, command, code, kind) => {
    given(invoiceDecider, history as unknown as InvoiceEvent[]).when(command as never).thenThrows(code, { kind });
  });
});
