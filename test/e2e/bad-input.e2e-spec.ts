import { line, startApi, type Harness } from '../support/api-harness';

/** Every refusal: the right status, a stable code, the offending field, and nothing appended to the log. */
describe('bad input over HTTP writes nothing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'c1', name: 'One', currency: 'EUR', creditLimit: '1000.00' }).expect(201);
    await h.http().post('/customers').send({ id: 'yen', name: 'Yen Co', currency: 'JPY', creditLimit: '100000' }).expect(201);
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'c1', issueDate: '2026-01-01', lines: [line('100.00')] }).expect(201);
    await h.http().post('/invoices').send({ id: 'y1', customerId: 'yen', issueDate: '2026-01-01', lines: [line('1000')] }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  const cases: Array<[string, 'post' | 'put', string, Record<string, unknown>, number, string, string | undefined]> = [
    ['negative credit limit', 'post', '/customers', { name: 'X', currency: 'EUR', creditLimit: '-5.00' }, 400, 'VALIDATION_FAILED', 'creditLimit'],
    ['amount as a number', 'post', '/customers', { name: 'X', currency: 'EUR', creditLimit: 100 }, 400, 'VALIDATION_FAILED', 'creditLimit'],
    ['too many decimals for EUR', 'post', '/customers', { name: 'X', currency: 'EUR', creditLimit: '10.001' }, 400, 'AMOUNT_TOO_MANY_DECIMALS', 'creditLimit'],
    ['decimals on JPY', 'post', '/customers', { name: 'X', currency: 'JPY', creditLimit: '10.5' }, 400, 'AMOUNT_TOO_MANY_DECIMALS', 'creditLimit'],
    ['unknown currency', 'post', '/customers', { name: 'X', currency: 'ZZZ', creditLimit: '10.00' }, 400, 'CURRENCY_UNKNOWN', 'currency'],
    ['missing name', 'post', '/customers', { currency: 'EUR', creditLimit: '10.00' }, 400, 'VALIDATION_FAILED', 'name'],
    ['terms beyond 365 days', 'post', '/customers', { name: 'X', currency: 'EUR', creditLimit: '1.00', paymentTermsDays: 400 }, 400, 'VALIDATION_FAILED', 'paymentTermsDays'],
    ['unknown field', 'post', '/customers', { name: 'X', currency: 'EUR', creditLimit: '1.00', colour: 'red' }, 400, 'VALIDATION_FAILED', 'colour'],
    ['malformed id', 'post', '/customers', { id: 'a b', name: 'X', currency: 'EUR', creditLimit: '1.00' }, 400, 'VALIDATION_FAILED', 'id'],
    ['customer registered twice', 'post', '/customers', { id: 'c1', name: 'Again', currency: 'EUR', creditLimit: '1.00' }, 409, 'CUSTOMER_ALREADY_EXISTS', undefined],
    ['limit change without reason', 'put', '/customers/c1/credit-limit', { amount: '10.00' }, 400, 'VALIDATION_FAILED', 'reason'],
    ['limit change for an unknown customer', 'put', '/customers/nobody/credit-limit', { amount: '10.00', reason: 'x' }, 404, 'CUSTOMER_NOT_FOUND', undefined],
    ['impossible issue date', 'post', '/invoices', { customerId: 'c1', issueDate: '2026-02-30', lines: [line('1.00')] }, 400, 'DATE_MALFORMED', 'issueDate'],
    ['no lines', 'post', '/invoices', { customerId: 'c1', issueDate: '2026-02-01', lines: [] }, 400, 'VALIDATION_FAILED', 'lines'],
    ['zero quantity', 'post', '/invoices', { customerId: 'c1', issueDate: '2026-02-01', lines: [line('1.00', '0')] }, 400, 'QUANTITY_NOT_POSITIVE', 'lines[0].quantity'],
    ['tax rate above 1', 'post', '/invoices', { customerId: 'c1', issueDate: '2026-02-01', lines: [line('1.00', '1', '1.5')] }, 400, 'TAX_RATE_OUT_OF_RANGE', 'lines[0].taxRate'],
    ['malformed unit price', 'post', '/invoices', { customerId: 'c1', issueDate: '2026-02-01', lines: [line('1,00')] }, 400, 'VALIDATION_FAILED', 'lines[0].unitPrice'],
    ['unknown customer on an invoice', 'post', '/invoices', { customerId: 'ghost', issueDate: '2026-02-01', lines: [line('1.00')] }, 404, 'CUSTOMER_NOT_FOUND', undefined],
    ['invoice id taken', 'post', '/invoices', { id: 'i1', customerId: 'c1', issueDate: '2026-02-01', lines: [line('1.00')] }, 409, 'INVOICE_ALREADY_EXISTS', undefined],
    ['over the credit limit', 'post', '/invoices', { customerId: 'c1', issueDate: '2026-02-01', lines: [line('900.00')] }, 422, 'CREDIT_LIMIT_EXCEEDED', undefined],
    ['zero payment', 'post', '/payments', { customerId: 'c1', amount: '0.00', receivedOn: '2026-02-01', method: 'cash' }, 400, 'AMOUNT_NOT_POSITIVE', 'amount'],
    ['payment date malformed', 'post', '/payments', { customerId: 'c1', amount: '1.00', receivedOn: '01/02/2026', method: 'cash' }, 400, 'VALIDATION_FAILED', 'receivedOn'],
    ['allocation above outstanding', 'post', '/payments', { customerId: 'c1', amount: '500.00', receivedOn: '2026-02-01', method: 'cash', allocations: [{ invoiceId: 'i1', amount: '200.00' }] }, 422, 'ALLOCATION_EXCEEDS_OUTSTANDING', 'allocations[0].amount'],
    ['allocations above the payment', 'post', '/payments', { customerId: 'c1', amount: '10.00', receivedOn: '2026-02-01', method: 'cash', allocations: [{ invoiceId: 'i1', amount: '20.00' }] }, 422, 'ALLOCATIONS_EXCEED_PAYMENT', undefined],
    ['allocation to an unknown invoice', 'post', '/payments', { customerId: 'c1', amount: '10.00', receivedOn: '2026-02-01', method: 'cash', allocations: [{ invoiceId: 'nope', amount: '5.00' }] }, 422, 'ALLOCATION_INVOICE_NOT_OPEN', 'allocations[0].invoiceId'],
    ['payment for an unknown customer', 'post', '/payments', { customerId: 'ghost', amount: '10.00', receivedOn: '2026-02-01', method: 'cash' }, 404, 'CUSTOMER_NOT_FOUND', undefined],
  ];

  it.each(cases)('%s → %i %s', async (_name, method, path, body, status, code, field) => {
    const head = await h.head();
    const res = await h.http()[method](path).send(body).expect(status);
    expect(res.body).toMatchObject({ code, message: expect.any(String), details: expect.any(Object) });
    if (field) expect(res.body.details.field).toBe(field);
    expect(await h.head()).toBe(head);
  });

  it('refuses a malformed Idempotency-Key header', async () => {
    const res = await h.http().post('/customers').set('Idempotency-Key', 'x'.repeat(300)).send({ name: 'X', currency: 'EUR', creditLimit: '1.00' }).expect(400);
    expect(res.body).toMatchObject({ code: 'HEADER_MALFORMED', details: { field: 'idempotency-key' } });
  });

  it('answers 404 with a code for unknown resources and 400 for a malformed as-of date', async () => {
    expect((await h.http().get('/invoices/nope').expect(404)).body.code).toBe('INVOICE_NOT_FOUND');
    expect((await h.http().get('/customers/nope/balance').expect(404)).body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await h.http().get('/customers/nope/history').expect(404)).body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await h.http().get('/reports/aging?asOf=2026-13-01').expect(400)).body).toMatchObject({ code: 'DATE_MALFORMED', details: { field: 'asOf' } });
    expect((await h.http().get('/reports/aging?asOf=2026-01-01&buckets=a,b').expect(400)).body.code).toBe('AGING_BUCKETS_INVALID');
    expect((await h.http().get('/reports/aging?asOf=2026-03-01').expect(422)).body).toMatchObject({ code: 'CURRENCY_REQUIRED', details: { currencies: ['EUR', 'JPY'] } });
    expect((await h.http().get('/reports/aging?asOf=2026-03-01&currency=JPY').expect(200)).body).toMatchObject({ currency: 'JPY', total: '1200' });
  });
});
