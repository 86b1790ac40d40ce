import { fold } from '../shared/decider';
import { given } from '../shared/testing';
import { invoiceDecider } from './invoice.decider';
import { issue, issued, issuedV1 } from './invoice.fixtures';

describe('invoice decider — IssueInvoice', () => {
  it('issues the invoice with line nets, the VAT breakdown by rate, totals, due date and the credit decision', () => {
    const state = given(invoiceDecider).when(issue).then([issued]);
    expect(state).toEqual({
      status: 'issued', invoiceId: 'inv-1', customerId: 'cust-1', number: 'F2024-0001', currency: 'EUR',
      issueDate: '2024-01-31', dueDate: '2024-03-01', total: 48_473, vatBreakdown: issued.data.vatBreakdown, outstanding: 48_473, terms: { type: 'net', days: 30 }, appliedPaymentIds: [],
      recoverable: 0, byPayment: {}, dispute: null, creditKeys: [], changes: [], chargedThrough: null, charged: 0,
    });
  });

  it('given a v1 invoice (VAT per line), then its state carries the breakdown grouped from the figures it was issued with', () => {
    const twoBooks = { ...issuedV1.data, lines: [
      { description: 'a', quantity: '1', unitPrice: 1_009, taxRate: '0.055', net: 1_009, tax: 55, gross: 1_064 },
      { description: 'b', quantity: '1', unitPrice: 1_009, taxRate: '0.055', net: 1_009, tax: 55, gross: 1_064 },
    ], net: 2_018, tax: 110, total: 2_128 };
    // Issued before VAT per rate: 0.55 + 0.55 = 1.10 (per rate today: 20.18 × 0.055 = 1.1099 → 1.11); the total stays 21.28.
    const state = fold(invoiceDecider, [{ type: 'InvoiceIssued', data: twoBooks }]);
    expect(state).toMatchObject({ total: 2_128, outstanding: 2_128, vatBreakdown: [{ rate: '0.055', base: 2_018, amount: 110 }] });
  });

  it('derives the due date from the terms, 0 days meaning due on issue', () => {
    const when = { ...issue, issueDate: '2023-12-15', customer: { ...issue.customer!, paymentTermsDays: 0 } };
    given(invoiceDecider).when(when).then([
      { ...issued, data: { ...issued.data, issueDate: '2023-12-15', dueDate: '2023-12-15', paymentTermsDays: 0, terms: { type: 'net', days: 0 } } },
    ]);
    const sixty = { ...issue, issueDate: '2023-12-15', customer: { ...issue.customer!, paymentTermsDays: 60 } };
    const [event] = invoiceDecider.decide(sixty, invoiceDecider.initialState());
    expect(event.type === 'InvoiceIssued' && event.data.dueDate).toBe('2024-02-13');
  });

  it('approves an exposure exactly at the limit', () => {
    const atLimit = { ...issue, customer: { ...issue.customer!, creditLimit: 68_473 } };
    given(invoiceDecider).when(atLimit).then([
      { ...issued, data: { ...issued.data, creditDecision: { ...issued.data.creditDecision, creditLimit: 68_473 } } },
    ]);
  });

  it('refuses an invoice that takes the exposure over the limit, with the figures as decimals', () => {
    const overLimit = { ...issue, customer: { ...issue.customer!, creditLimit: 68_472 } };
    given(invoiceDecider).when(overLimit).thenThrows('CREDIT_LIMIT_EXCEEDED', {
      kind: 'rule',
      details: {
        currency: 'EUR', creditLimit: '684.72', outstanding: '200.00', invoiceTotal: '484.73', exposure: '684.73', excess: '0.01',
      },
    });
  });

  it('formats the refusal figures in the currency\'s own decimals', () => {
    const yen = { ...issue, lines: [{ description: 'Tea', quantity: '1', unitPrice: 5_000, taxRate: '0.08' }], outstanding: 0,
      customer: { currency: 'JPY', creditLimit: 5_000, paymentTermsDays: 30 } };
    given(invoiceDecider).when(yen).thenThrows('CREDIT_LIMIT_EXCEEDED', {
      details: { currency: 'JPY', creditLimit: '5000', invoiceTotal: '5400', exposure: '5400', excess: '400' },
    });
  });

  it('refuses when the customer is not registered', () => {
    given(invoiceDecider).when({ ...issue, customer: null }).thenThrows('CUSTOMER_NOT_FOUND', {
      kind: 'not_found', details: { customerId: 'cust-1' },
    });
  });

  it('refuses to issue the same invoice twice', () => {
    given(invoiceDecider, [issued]).when(issue).thenThrows('INVOICE_ALREADY_EXISTS', { kind: 'conflict', details: { invoiceId: 'inv-1' } });
  });

  const line = issue.lines[0];
  const withLine3 = (patch: object) => ({ ...issue, lines: [line, line, { ...line, ...patch }] });
  it.each([
    ['no lines', { ...issue, lines: [] }, 'LINES_REQUIRED', 'lines'],
    ['501 lines', { ...issue, lines: Array(501).fill(line) }, 'TOO_MANY_LINES', 'lines'],
    ['an empty description', withLine3({ description: '' }), 'LINE_DESCRIPTION_REQUIRED', 'lines[2].description'],
    ['a zero quantity', withLine3({ quantity: '0' }), 'QUANTITY_NOT_POSITIVE', 'lines[2].quantity'],
    ['a negative quantity', withLine3({ quantity: '-1' }), 'DECIMAL_MALFORMED', 'lines[2].quantity'],
    ['a quantity with 5 decimals', withLine3({ quantity: '1.00001' }), 'DECIMAL_TOO_MANY_DECIMALS', 'lines[2].quantity'],
    ['a numeric quantity', withLine3({ quantity: 2 }), 'DECIMAL_MALFORMED', 'lines[2].quantity'],
    ['a negative unit price', withLine3({ unitPrice: -1 }), 'UNIT_PRICE_INVALID', 'lines[2].unitPrice'],
    ['a fractional unit price', withLine3({ unitPrice: 10.5 }), 'UNIT_PRICE_INVALID', 'lines[2].unitPrice'],
    ['a tax rate above 1', withLine3({ taxRate: '1.0001' }), 'TAX_RATE_OUT_OF_RANGE', 'lines[2].taxRate'],
    ['a percent tax rate', withLine3({ taxRate: '20' }), 'TAX_RATE_OUT_OF_RANGE', 'lines[2].taxRate'],
    ['a negative tax rate', withLine3({ taxRate: '-0.2' }), 'DECIMAL_MALFORMED', 'lines[2].taxRate'],
    ['a tax rate with 5 decimals', withLine3({ taxRate: '0.05555' }), 'DECIMAL_TOO_MANY_DECIMALS', 'lines[2].taxRate'],
    ['an empty number', { ...issue, number: '' }, 'INVOICE_NUMBER_REQUIRED', 'number'],
    ['a malformed issue date', { ...issue, issueDate: '2023-02-29' }, 'DATE_MALFORMED', 'issueDate'],
    ['a malformed invoice id', { ...issue, invoiceId: '' }, 'ID_MALFORMED', 'invoiceId'],
    ['a negative outstanding', { ...issue, outstanding: -1 }, 'OUTSTANDING_INVALID', 'outstanding'],
  ])('refuses %s', (_label, command, code, field) => {
    given(invoiceDecider).when(command as typeof issue).thenThrows(code, { kind: 'invalid', details: { field } });
  });

  it('accepts 500 lines, tax rates of 0 and 1, and a free line', () => {
    const lines = [
      ...Array(498).fill({ description: 'Pen', quantity: '1', unitPrice: 1, taxRate: '0' }),
      { description: 'Fully taxed', quantity: '1', unitPrice: 100, taxRate: '1' },
      { description: 'Gift', quantity: '1', unitPrice: 0, taxRate: '0.2' },
    ];
    const [event] = invoiceDecider.decide({ ...issue, lines }, invoiceDecider.initialState());
    expect(event.type === 'InvoiceIssued' && [event.data.net, event.data.tax, event.data.total]).toEqual([598, 100, 698]);
  });
});
