import { line, startApi, type Harness } from '../support/api-harness';

/**
 * The back-office lists over HTTP (ADR 0069): filters, sorts on indexed fields with the id as tie-breaker,
 * cursor pagination, totals, read-your-writes, errors with the offending parameter.
 */
describe('back-office lists over HTTP', () => {
  let h: Harness;
  const ids = (body: { items: Array<{ id: string }> }) => body.items.map((i) => i.id);

  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/customers').send({ id: 'sge', name: 'SOCIÉTÉ Générale d’Énergie', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/customers').send({ id: 'zeta', name: 'Zeta Inc', currency: 'USD', creditLimit: '100000.00', country: 'US' }).expect(201);
    // Issued in date order (numbers follow the dates, ADR 0049). Net + 20 % VAT; terms 30 days.
    await h.http().post('/invoices').send({ id: 'a1', customerId: 'acme', issueDate: '2026-01-01', lines: [line('500.00')] }).expect(201); // 600.00 due 01-31
    await h.http().post('/invoices').send({ id: 'a2', customerId: 'acme', issueDate: '2026-01-10', lines: [line('250.00')] }).expect(201); // 300.00 due 02-09
    await h.http().post('/invoices').send({ id: 's1', customerId: 'sge', issueDate: '2026-01-10', lines: [line('1000.00')] }).expect(201); // 1200.00 due 02-09
    await h.http().post('/invoices').send({ id: 'z1', customerId: 'zeta', issueDate: '2026-02-01', lines: [line('100.00', '1', '0.00')] }).expect(201); // 100.00 USD due 03-03
    await h.http().post('/invoices').send({ id: 'a3', customerId: 'acme', issueDate: '2026-03-01', lines: [line('100.00')] }).expect(201); // 120.00 due 03-31
    // a1 paid in full; a2 half paid; s1 disputed for 200.00.
    await h.http().post('/payments').send({ id: 'p1', customerId: 'acme', amount: '600.00', receivedOn: '2026-01-20', method: 'sepa', reference: 'VIR ACME 0001', allocations: [{ invoiceId: 'a1', amount: '600.00' }] }).expect(201);
    await h.http().post('/payments').send({ id: 'p2', customerId: 'acme', amount: '150.00', receivedOn: '2026-02-05', method: 'sepa', allocations: [{ invoiceId: 'a2', amount: '150.00' }] }).expect(201);
    await h.http().post('/invoices/s1/disputes').send({ id: 'd1', amount: '200.00', reason: 'Two items damaged', on: '2026-02-15' }).expect(201);
    await h.http().post('/credit-notes').send({ id: 'cn1', customerId: 'acme', issueDate: '2026-03-02', reason: 'Goodwill', amount: '12.00', taxRate: '0.20' }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  it('lists invoices by due date (id breaking ties), with the customer’s name, totals, open amounts and the count', async () => {
    const r = await h.http().get('/invoices').expect(200);
    expect(r.headers['x-log-position']).toMatch(/^\d+$/);
    // a2 and s1 are both due 02-09: the id breaks the tie (a2 < s1).
    expect(ids(r.body)).toEqual(['a1', 'a2', 's1', 'z1', 'a3']);
    expect(r.body).toMatchObject({ next: null, total: 5 });
    expect(r.body.items[1]).toMatchObject({
      id: 'a2', customerId: 'acme', customerName: 'ACME SAS', issueDate: '2026-01-10', dueDate: '2026-02-09', currency: 'EUR',
      total: '300.00', outstanding: '150.00', status: 'partially_paid', daysPastDue: null, dunningLevel: 0, disputed: false,
    });
    expect(r.body.items[2]).toMatchObject({ id: 's1', customerName: 'SOCIÉTÉ Générale d’Énergie', status: 'disputed', disputed: true });
    expect(ids((await h.http().get('/invoices?sort=-dueDate').expect(200)).body)).toEqual(['a3', 'z1', 's1', 'a2', 'a1']);
    expect(ids((await h.http().get('/invoices?sort=-amount&currency=EUR').expect(200)).body)).toEqual(['s1', 'a1', 'a2', 'a3']);
  });

  it('filters invoices: overdue as of a date (days past due counted to it), status, customer, amounts in a currency, text on number and name', async () => {
    // As of 2026-03-10: a2 (due 02-09, 150.00 open) 29 days, s1 (due 02-09) 29 days, z1 (due 03-03) 7 days; a1 paid, a3 not yet due.
    const overdue = (await h.http().get('/invoices?overdueAsOf=2026-03-10').expect(200)).body;
    expect(overdue.items.map((i: { id: string; daysPastDue: number }) => [i.id, i.daysPastDue])).toEqual([['a2', 29], ['s1', 29], ['z1', 7]]);
    expect(overdue.items[0].status).toBe('overdue');
    expect(overdue.items[1].status).toBe('disputed'); // flagged, still on the worklist
    // status=overdue is the shown status: the disputed s1 is paused, not overdue.
    expect(ids((await h.http().get('/invoices?status=overdue&overdueAsOf=2026-03-10').expect(200)).body)).toEqual(['a2', 'z1']);
    expect(ids((await h.http().get('/invoices?status=paid').expect(200)).body)).toEqual(['a1']);
    expect(ids((await h.http().get('/invoices?status=paid,disputed').expect(200)).body)).toEqual(['a1', 's1']);
    expect(ids((await h.http().get('/invoices?customerId=acme&sort=-issueDate').expect(200)).body)).toEqual(['a3', 'a2', 'a1']);
    expect(ids((await h.http().get('/invoices?disputed=true').expect(200)).body)).toEqual(['s1']);
    expect(ids((await h.http().get('/invoices?dueAfter=2026-01-31&dueBefore=2026-03-31').expect(200)).body)).toEqual(['a2', 's1', 'z1']);
    // Totals 600.00, 300.00, 1200.00, 120.00 EUR: 300.00 ≤ total ≤ 600.00 → a1, a2; open ≥ 150.00 → a2 (150.00), s1 (1200.00), not a3 (120.00).
    expect(ids((await h.http().get('/invoices?currency=EUR&minAmount=300.00&maxAmount=600.00').expect(200)).body)).toEqual(['a1', 'a2']);
    expect(ids((await h.http().get('/invoices?currency=EUR&minOutstanding=150.00').expect(200)).body)).toEqual(['a2', 's1']);
    const number = (await h.http().get('/invoices/z1').expect(200)).body.number as string;
    expect(ids((await h.http().get(`/invoices?q=${encodeURIComponent(number.toLowerCase())}`).expect(200)).body)).toEqual(['z1']);
    // Text on the customer's name, case-insensitive beyond ASCII: "société" finds SOCIÉTÉ's invoices.
    expect(ids((await h.http().get(`/invoices?q=${encodeURIComponent('société')}`).expect(200)).body)).toEqual(['s1']);
  });

  it('pages with an opaque cursor: every invoice once, in order, also when one is issued between two pages', async () => {
    const first = (await h.http().get('/invoices?limit=2').expect(200)).body;
    expect(ids(first)).toEqual(['a1', 'a2']);
    expect(first.total).toBe(5);
    expect(typeof first.next).toBe('string');
    // Issued between pages, due 2026-04-09: it sorts after the cursor, so it shows on a later page; nothing repeats.
    await h.http().post('/invoices').send({ id: 'a4', customerId: 'acme', issueDate: '2026-03-10', lines: [line('10.00')] }).expect(201);
    const seen = [...ids(first)];
    let next: string | null = first.next;
    let pages = 1;
    while (next !== null) {
      const page = (await h.http().get(`/invoices?limit=2&cursor=${encodeURIComponent(next)}`).expect(200)).body;
      seen.push(...ids(page));
      next = page.next;
      pages += 1;
      expect(page.total).toBe(6); // read-your-writes: the count includes a4
    }
    expect(seen).toEqual(['a1', 'a2', 's1', 'z1', 'a3', 'a4']);
    expect(pages).toBe(3);
  });

  it('pages the aging detail the same way, in its order (customer, due date, number)', async () => {
    // EUR open as of 2026-03-10: acme a2 (150.00), a3 (120.00, not due), a4 (12.00, issued that day) and sge s1 (1200.00); a1 is paid.
    const rows: string[] = [];
    let next: string | null = null;
    do {
      const url: string = `/reports/aging/invoices?asOf=2026-03-10&currency=EUR&limit=2${next ? `&cursor=${encodeURIComponent(next)}` : ''}`;
      const page = (await h.http().get(url).expect(200)).body;
      expect(page.total).toBe(4);
      rows.push(...page.invoices.map((i: { invoiceId: string }) => i.invoiceId));
      next = page.next;
    } while (next !== null);
    expect(rows).toEqual(['a2', 'a3', 'a4', 's1']);
    const first = (await h.http().get('/reports/aging/invoices?asOf=2026-03-10&currency=EUR&limit=1').expect(200)).body.next as string;
    expect((await h.http().get(`/reports/aging/invoices?asOf=2026-03-11&currency=EUR&cursor=${encodeURIComponent(first)}`).expect(400)).body).toMatchObject({ code: 'CURSOR_INVALID', details: { field: 'cursor' } });
    expect((await h.http().get('/reports/aging/invoices?asOf=2026-03-10&currency=EUR&limit=600').expect(400)).body).toMatchObject({ code: 'LIMIT_INVALID', details: { field: 'limit' } });
  });

  it('refuses bad parameters with 400 and the parameter named', async () => {
    const bad = async (query: string, code: string, field: string) => {
      const r = await h.http().get(`/invoices?${query}`).expect(400);
      expect(r.body).toMatchObject({ code, details: { field } });
    };
    await bad('limit=501', 'LIMIT_INVALID', 'limit');
    await bad('limit=0', 'LIMIT_INVALID', 'limit');
    await bad('limit=ten', 'LIMIT_INVALID', 'limit');
    await bad('sort=customerName', 'SORT_INVALID', 'sort');
    await bad('cursor=not-a-cursor', 'CURSOR_INVALID', 'cursor');
    await bad('stauts=paid', 'QUERY_PARAMETER_UNKNOWN', 'stauts');
    await bad('status=late', 'QUERY_PARAMETER_INVALID', 'status');
    await bad('status=overdue', 'QUERY_PARAMETER_REQUIRED', 'overdueAsOf');
    await bad('overdueAsOf=2026-02-30', 'DATE_MALFORMED', 'overdueAsOf');
    await bad('minAmount=10.00', 'CURRENCY_REQUIRED', 'currency');
    await bad('currency=EUR&minAmount=10.001', 'AMOUNT_TOO_MANY_DECIMALS', 'minAmount');
    await bad('currency=EUR&minAmount=1e3', 'AMOUNT_MALFORMED', 'minAmount');
    await bad('currency=XXX', 'CURRENCY_UNKNOWN', 'currency');
    await bad('customerId=a&customerId=b', 'QUERY_MALFORMED', 'customerId'); // refused at the edge
    // A cursor is bound to its sort and filters: reused with others it is refused, not misread.
    const next = (await h.http().get('/invoices?limit=1').expect(200)).body.next as string;
    await bad(`limit=1&sort=-dueDate&cursor=${encodeURIComponent(next)}`, 'CURSOR_INVALID', 'cursor');
    await bad(`limit=1&customerId=acme&cursor=${encodeURIComponent(next)}`, 'CURSOR_INVALID', 'cursor');
    await h.anonymous().get('/invoices').expect(401);
  });

  it('lists customers with balances: text on the name, outstanding ranges, sorts by name or outstanding', async () => {
    const r = (await h.http().get('/customers').expect(200)).body;
    expect(ids(r)).toEqual(['acme', 'sge', 'zeta']);
    expect(r.total).toBe(3);
    // acme owes (300.00 − 150.00) on a2 + 120.00 on a3 + 12.00 on a4 (10.00 + 20 % VAT) = 282.00; the standalone
    // 12.00 credit note is customer credit beside it, never netted into the outstanding (open-balances rule).
    expect(r.items[0]).toMatchObject({ id: 'acme', name: 'ACME SAS', currency: 'EUR', country: 'FR', outstanding: '282.00', openInvoiceCount: 3 });
    expect(ids((await h.http().get('/customers?sort=-outstanding&currency=EUR').expect(200)).body)).toEqual(['sge', 'acme']);
    expect(ids((await h.http().get('/customers?q=acme').expect(200)).body)).toEqual(['acme']);
    expect(ids((await h.http().get('/customers?currency=EUR&minAmount=1000.00').expect(200)).body)).toEqual(['sge']);
    expect(ids((await h.http().get('/customers?country=us').expect(200)).body)).toEqual(['zeta']);
    const clerk = await h.createKey('collector');
    expect(ids((await h.as(clerk.key).get('/customers?limit=1').expect(200)).body)).toEqual(['acme']);
  });

  it('lists and shows payments, credit notes, disputes and payment plans; unknown ids answer 404 with a code', async () => {
    const payments = (await h.http().get('/payments').expect(200)).body;
    expect(ids(payments)).toEqual(['p2', 'p1']); // newest first by default
    expect(payments.items[1]).toMatchObject({ id: 'p1', amount: '600.00', status: 'applied', allocated: '600.00', unapplied: '0.00', reference: 'VIR ACME 0001' });
    expect(ids((await h.http().get('/payments?q=acme%200001').expect(200)).body)).toEqual(['p1']);
    expect((await h.http().get('/payments/p2').expect(200)).body).toMatchObject({ id: 'p2', allocations: [{ invoiceId: 'a2', amount: '150.00', on: '2026-02-05', rule: 'explicit' }] });
    expect((await h.http().get('/payments/nope').expect(404)).body.code).toBe('PAYMENT_NOT_FOUND');

    const notes = (await h.http().get('/credit-notes?customerId=acme').expect(200)).body;
    expect(notes.items).toEqual([expect.objectContaining({ id: 'cn1', invoiceId: null, total: '12.00', unapplied: '12.00', status: 'open' })]);
    expect((await h.http().get('/credit-notes/cn1').expect(200)).body).toMatchObject({ id: 'cn1', reason: 'Goodwill' });
    expect((await h.http().get('/credit-notes/nope').expect(404)).body.code).toBe('CREDIT_NOTE_NOT_FOUND');

    const disputes = (await h.http().get('/disputes?status=open').expect(200)).body;
    expect(disputes.items).toEqual([expect.objectContaining({ id: 'd1', invoiceId: 's1', currency: 'EUR', amount: '200.00', status: 'open', openedOn: '2026-02-15' })]);
    expect((await h.http().get('/disputes/d1').expect(200)).body).toMatchObject({ id: 'd1', reason: 'Two items damaged' });
    expect((await h.http().get('/disputes/nope').expect(404)).body.code).toBe('DISPUTE_NOT_FOUND');

    // Read-your-writes: a plan agreed just now is listed by the next request.
    await h.http().post('/payment-plans').send({ id: 'pl1', customerId: 'acme', invoiceIds: ['a3'], agreedOn: '2026-03-05', instalments: [{ dueDate: '2026-04-15', amount: '60.00' }, { dueDate: '2026-05-15', amount: '60.00' }] }).expect(201);
    const plans = (await h.http().get('/payment-plans?status=active').expect(200)).body;
    expect(plans.items).toEqual([expect.objectContaining({ id: 'pl1', total: '120.00', instalmentCount: 2, endsOn: '2026-05-15', status: 'active' })]);
    expect(ids((await h.http().get('/invoices?status=in_payment_plan').expect(200)).body)).toEqual(['a3']);
  });

  it('a text search keeps its cursor when a customer the text names registers between two pages', async () => {
    // q=acme names acme's invoices (a1, a2, a3, a4 by due date); page 1 holds a1.
    const first = (await h.http().get('/invoices?q=acme&limit=1').expect(200)).body;
    expect(ids(first)).toEqual(['a1']);
    await h.http().post('/customers').send({ id: 'acme2', name: 'Acme Deux', currency: 'EUR', creditLimit: '1000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'b1', customerId: 'acme2', issueDate: '2026-03-12', lines: [line('10.00')] }).expect(201); // due 04-11
    const seen = [...ids(first)];
    let next: string | null = first.next;
    while (next !== null) {
      const page = (await h.http().get(`/invoices?q=acme&limit=1&cursor=${encodeURIComponent(next)}`).expect(200)).body;
      seen.push(...ids(page));
      next = page.next;
    }
    // The new customer's invoice sorts after the cursor (due 04-11): it appears, nothing repeats.
    expect(seen).toEqual(['a1', 'a2', 'a3', 'a4', 'b1']);
  });
});
