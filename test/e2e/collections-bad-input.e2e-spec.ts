import { line, startApi, type Harness } from '../support/api-harness';

/** Every collection endpoint refuses malformed input with {code, message, details} and writes nothing. */
describe('collections over HTTP — bad input writes nothing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-01-01', lines: [line('100.00')] }).expect(201);
    await h.http().post('/payments').send({ id: 'p1', customerId: 'acme', amount: '50.00', receivedOn: '2026-01-10', method: 'sepa' }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  const cases: Array<[string, string, Record<string, unknown>, number, string]> = [
    ['reallocate: too many decimals', '/payments/p1/reallocate', { fromInvoiceId: 'i1', amount: '1.001' }, 400, 'AMOUNT_TOO_MANY_DECIMALS'],
    ['reallocate: unknown field', '/payments/p1/reallocate', { fromInvoiceId: 'i1', amount: '1.00', extra: 1 }, 400, 'VALIDATION_FAILED'],
    ['reallocate: date before receipt', '/payments/p1/reallocate', { fromInvoiceId: 'i1', amount: '1.00', on: '2026-01-09' }, 400, 'DATE_BEFORE_RECEIPT'],
    ['reverse: impossible date', '/payments/p1/reverse', { reason: 'bounced', on: '2026-02-30' }, 400, 'DATE_MALFORMED'],
    ['apply-credit: unknown customer', '/customers/nobody/apply-credit', {}, 404, 'CUSTOMER_NOT_FOUND'],
    ['refund: number instead of string', '/customers/acme/refunds', { amount: 5, method: 'sepa' }, 400, 'VALIDATION_FAILED'],
    ['write-off: unknown invoice', '/invoices/nope/write-off', { reason: 'x', approvedBy: 'y' }, 404, 'INVOICE_NOT_FOUND'],
    ['credit note: unknown invoice', '/credit-notes', { customerId: 'acme', invoiceId: 'nope', issueDate: '2026-02-01', reason: 'x', amount: '1.00' }, 404, 'INVOICE_NOT_FOUND'],
    ['dispute: more than owed', '/invoices/i1/disputes', { amount: '70.01', reason: 'x' }, 422, 'DISPUTE_EXCEEDS_OUTSTANDING'],
    ['late charges: malformed date', '/invoices/i1/late-charges', { asOf: '26-01-01' }, 400, 'VALIDATION_FAILED'],
    ['dunning run: malformed date', '/dunning/runs', { asOf: '2026-13-01' }, 400, 'DATE_MALFORMED'],
    ['payment plan: no instalments', '/payment-plans', { customerId: 'acme', invoiceIds: ['i1'], instalments: [] }, 400, 'VALIDATION_FAILED'],
  ];

  it.each(cases)('%s', async (_name, path, body, status, code) => {
    const head = await h.head();
    const r = await h.http().post(path).send(body);
    expect({ status: r.status, code: r.body.code }).toEqual({ status, code });
    expect(r.body).toEqual({ code, message: expect.any(String), details: expect.any(Object) });
    expect(await h.head()).toBe(head);
  });
});
