import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Invoice and credit-note numbers follow the dates within a series (CGI annex II art. 242 nonies A, I-2°: "un
 * numéro unique basé sur une séquence chronologique et continue"; distinct series are allowed when the
 * business justifies them). By default a back-dated document is refused; with a back-dated series configured
 * it is numbered there, chronologically too.
 */
describe('chronological numbering over HTTP', () => {
  describe('by default: refused', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startApi();
      await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    });
    afterAll(async () => { await h.close(); });

    it('refuses an invoice dated before the last numbered one, with both dates, and leaves no gap', async () => {
      // 1 000.00 + 20 % VAT = 1 200.00
      await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-03-10', lines: [line('1000.00')] }).expect(201)
        .expect((r) => expect(r.body).toMatchObject({ number: 'INV-000001', total: '1200.00' }));
      const head = await h.head();
      const refused = await h.http().post('/invoices').send({ id: 'i2', customerId: 'acme', issueDate: '2019-06-01', lines: [line('100.00')] }).expect(422);
      expect(refused.body).toMatchObject({
        code: 'INVOICE_DATE_BEFORE_LAST_NUMBERED',
        details: { field: 'issueDate', issueDate: '2019-06-01', series: 'INV', lastNumber: 'INV-000001', lastIssueDate: '2026-03-10' },
      });
      expect(await h.head()).toBe(head);
      await h.http().get('/invoices/i2').expect(404);
      // The same day as the last one is in order; the number follows with no gap.
      await h.http().post('/invoices').send({ id: 'i3', customerId: 'acme', issueDate: '2026-03-10', lines: [line('100.00')] }).expect(201)
        .expect((r) => expect(r.body).toMatchObject({ number: 'INV-000002', total: '120.00' }));
    });

    it('refuses a credit note dated before the last numbered credit note', async () => {
      // 100.00 + 20 % VAT = 120.00 credited on i1
      await h.http().post('/credit-notes').send({ id: 'cn1', customerId: 'acme', invoiceId: 'i1', issueDate: '2026-03-20', reason: 'Returned', amount: '120.00' }).expect(201)
        .expect((r) => expect(r.body).toMatchObject({ number: 'CN-000001', total: '120.00' }));
      const refused = await h.http().post('/credit-notes').send({ id: 'cn2', customerId: 'acme', invoiceId: 'i1', issueDate: '2026-03-15', reason: 'Returned', amount: '120.00' }).expect(422);
      expect(refused.body).toMatchObject({
        code: 'CREDIT_NOTE_DATE_BEFORE_LAST_NUMBERED',
        details: { field: 'issueDate', issueDate: '2026-03-15', series: 'CN', lastNumber: 'CN-000001', lastIssueDate: '2026-03-20' },
      });
      await h.http().post('/credit-notes').send({ id: 'cn3', customerId: 'acme', invoiceId: 'i1', issueDate: '2026-03-21', reason: 'Returned', amount: '120.00' }).expect(201)
        .expect((r) => expect(r.body).toMatchObject({ number: 'CN-000002' }));
    });

    it('refuses to accept a dispute whose credit note would be dated before the last one, writing nothing', async () => {
      await h.http().post('/invoices/i3/disputes').send({ id: 'd1', amount: '20.00', reason: 'Damaged', on: '2026-03-12' }).expect(201);
      const head = await h.head();
      await h.http().post('/invoices/i3/disputes/d1/resolve').send({ outcome: 'accepted', agreedAmount: '20.00', on: '2026-03-15' }).expect(422)
        .expect((r) => expect(r.body).toMatchObject({ code: 'CREDIT_NOTE_DATE_BEFORE_LAST_NUMBERED', details: { issueDate: '2026-03-15', lastNumber: 'CN-000002', lastIssueDate: '2026-03-21' } }));
      expect(await h.head()).toBe(head);
      expect((await h.http().get('/invoices/i3').expect(200)).body).toMatchObject({ status: 'disputed' });
      // Accepted on 03-25 instead: 120.00 − 20.00 credited = 100.00 outstanding.
      const ok = await h.http().post('/invoices/i3/disputes/d1/resolve').send({ outcome: 'accepted', agreedAmount: '20.00', on: '2026-03-25' }).expect(200);
      expect(ok.body.creditNote).toMatchObject({ number: 'CN-000003', total: '20.00' });
      expect((await h.http().get('/invoices/i3').expect(200)).body).toMatchObject({ outstanding: '100.00' });
    });
  });

  describe('with back-dated series configured', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startApi(undefined, { AR_INVOICE_BACKDATED_SERIES: 'INVR', AR_CREDIT_NOTE_BACKDATED_SERIES: 'CNR' });
      await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    });
    afterAll(async () => { await h.close(); });

    it('numbers a back-dated invoice in its own series, chronologically, and the main series goes on', async () => {
      const issue = (id: string, issueDate: string) => h.http().post('/invoices').send({ id, customerId: 'acme', issueDate, lines: [line('100.00')] });
      expect((await issue('a1', '2026-03-10').expect(201)).body.number).toBe('INV-000001');
      expect((await issue('a2', '2019-06-01').expect(201)).body.number).toBe('INVR-000001');
      expect((await issue('a3', '2019-07-01').expect(201)).body.number).toBe('INVR-000002');
      const refused = await issue('a4', '2019-01-01').expect(422);
      expect(refused.body).toMatchObject({
        code: 'INVOICE_DATE_BEFORE_LAST_NUMBERED',
        details: { series: 'INVR', lastNumber: 'INVR-000002', lastIssueDate: '2019-07-01', primarySeries: 'INV', primaryLastIssueDate: '2026-03-10' },
      });
      expect((await issue('a5', '2026-03-11').expect(201)).body.number).toBe('INV-000002');
      expect((await h.http().get('/invoices/a2').expect(200)).body).toMatchObject({ number: 'INVR-000001', issueDate: '2019-06-01', total: '120.00' });
    });

    it('numbers a back-dated credit note in its own series', async () => {
      await h.http().post('/credit-notes').send({ id: 'n1', customerId: 'acme', invoiceId: 'a5', issueDate: '2026-03-20', reason: 'Returned', amount: '12.00' }).expect(201)
        .expect((r) => expect(r.body.number).toBe('CN-000001'));
      await h.http().post('/credit-notes').send({ id: 'n2', customerId: 'acme', invoiceId: 'a1', issueDate: '2026-03-15', reason: 'Returned', amount: '12.00' }).expect(201)
        .expect((r) => expect(r.body.number).toBe('CNR-000001'));
    });
  });
});
