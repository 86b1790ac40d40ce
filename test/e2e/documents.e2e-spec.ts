import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { checkEn16931 } from '../support/en16931';
import { line, startApi, type Harness } from '../support/api-harness';
import { pdfAttachments, pdfText } from '../support/pdf-tools';

/** supertest buffers application/pdf and application/xml bodies as bytes. */
const bytes = (r: Response): Buffer => r.body as Buffer;
const get = (h: Harness, path: string) => h.http().get(path).buffer(true).parse((res, cb) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
});
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Documents over HTTP: the invoice PDF (Factur-X) and its CII, a credit note, a statement, dunning letters. */
describe('documents over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    await h.http().post('/customers').send({ id: 'acme', name: 'ACME Industrie SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/customers').send({ id: 'nord', name: 'Nordwind GmbH', currency: 'EUR', creditLimit: '100000.00', country: 'DE' }).expect(201);
    // 2 × 450.00 at 20 % + 100.00 at 5.5 %: net 1 000.00, VAT 180.00 + 5.50 = 185.50, total 1 185.50, due 2026-01-31.
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-01-01', lines: [line('450.00', '2', '0.20', 'Conseil'), line('100.00', '1', '0.055', 'Livres')] }).expect(201);
    await h.http().post('/invoices').send({ id: 'n1', customerId: 'nord', issueDate: '2026-01-02', lines: [line('1000.00')] }).expect(201); // 1 200.00
  });
  afterAll(async () => { await h.close(); });

  it('GET /invoices/:id/pdf: a PDF with the mandatory mentions, the same bytes on every request, ETag = SHA-256', async () => {
    const a = await get(h, '/invoices/i1/pdf').expect(200);
    expect(a.headers['content-type']).toBe('application/pdf');
    expect(a.headers['content-disposition']).toBe('inline; filename="INV-000001.pdf"');
    const pdf = bytes(a);
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(a.headers.etag).toBe(`"sha256-${sha256(pdf)}"`);
    const t = pdfText(pdf);
    for (const mention of [
      'FACTURE', 'Numéro : INV-000001', "Date d'émission : 01/01/2026", "Date d'échéance : 31/01/2026", 'Client : ACME Industrie SAS',
      'Atelier Durand SAS', 'SIREN 732829320 — RCS Lyon', 'N° TVA intracommunautaire FR44732829320',
      'Conseil 2 450,00 20 % 900,00', '20 % 900,00 180,00', '5,5 % 100,00 5,50', 'Total HT 1 000,00 EUR', 'Total TVA 185,50 EUR', 'Net à payer 1 185,50 EUR',
      "Pas d'escompte pour paiement anticipé.", 'majoré de 10 points', '40 EUR (art. L441-10 et D441-5 du Code de commerce)',
    ]) expect(t).toContain(mention);
    // A payment since changes nothing on the issued document.
    await h.http().post('/payments').send({ id: 'p1', customerId: 'acme', amount: '100.00', receivedOn: '2026-01-10', method: 'sepa', allocations: [{ invoiceId: 'i1', amount: '100.00' }] }).expect(201);
    expect(sha256(bytes(await get(h, '/invoices/i1/pdf').expect(200)))).toBe(sha256(pdf));
  });

  it('GET /invoices/:id/cii.xml: CII that satisfies the EN 16931 rules, byte-identical to the PDF’s factur-x.xml', async () => {
    const x = await get(h, '/invoices/i1/cii.xml').expect(200);
    expect(x.headers['content-type']).toBe('application/xml; charset=utf-8');
    const xml = bytes(x);
    expect(checkEn16931(xml.toString('utf8'))).toEqual([]);
    expect(xml.toString('utf8')).toContain('<ram:GrandTotalAmount>1185.50</ram:GrandTotalAmount>');
    const embedded = pdfAttachments(bytes(await get(h, '/invoices/i1/pdf').expect(200))).get('factur-x.xml');
    expect(embedded && embedded.equals(xml)).toBe(true);
  });

  it('English for a customer outside France', async () => {
    const t = pdfText(bytes(await get(h, '/invoices/n1/pdf').expect(200)));
    expect(t).toContain('INVOICE');
    expect(t).toContain('Bill to : Nordwind GmbH');
    expect(t).toContain('Amount due 1,200.00 EUR');
    expect(t).toContain('plus 8 points');
  });

  it('answers 404 for an unknown invoice or credit note, 401 without credentials, and writes nothing', async () => {
    const head = await h.head();
    expect((await h.http().get('/invoices/nope/pdf').expect(404)).body).toMatchObject({ code: 'INVOICE_NOT_FOUND', details: { id: 'nope' } });
    expect((await h.http().get('/invoices/nope/cii.xml').expect(404)).body.code).toBe('INVOICE_NOT_FOUND');
    expect((await h.http().get('/credit-notes/nope/pdf').expect(404)).body.code).toBe('CREDIT_NOTE_NOT_FOUND');
    expect((await h.http().get('/customers/nope/statement.pdf?from=2026-01-01&to=2026-01-31').expect(404)).body.code).toBe('CUSTOMER_NOT_FOUND');
    await h.anonymous().get('/invoices/i1/pdf').expect(401);
    expect(await h.head()).toBe(head);
  });

  it('every role that reads the ledger may download (ledger:read)', async () => {
    for (const role of ['clerk', 'collector', 'auditor', 'analyst', 'credit_manager']) {
      const k = await h.createKey(role);
      const r = await h.as(k.key).get('/invoices/i1/pdf').expect(200);
      expect(r.headers['content-type']).toBe('application/pdf');
    }
  });

  it('GET /credit-notes/:id/pdf names the invoice it corrects, the reason, the amounts applied; same bytes twice', async () => {
    // 240.00 against i1, split across its open rates in proportion (ADR 0034).
    await h.http().post('/credit-notes').send({ id: 'cn1', customerId: 'acme', invoiceId: 'i1', issueDate: '2026-01-20', reason: 'Marchandise retournée', amount: '240.00' }).expect(201);
    const r = await get(h, '/credit-notes/cn1/pdf').expect(200);
    expect(r.headers['content-disposition']).toBe('inline; filename="CN-000001.pdf"');
    const t = pdfText(bytes(r));
    for (const m of ['AVOIR', 'Numéro : CN-000001', 'Facture d’origine : INV-000001', 'Motif : Marchandise retournée', 'Total TTC 240,00 EUR', 'Imputé sur la facture 240,00 EUR']) expect(t).toContain(m);
    expect(sha256(bytes(await get(h, '/credit-notes/cn1/pdf').expect(200)))).toBe(sha256(bytes(r)));
  });

  it('GET /customers/:id/statement.pdf: opening, movements and closing of GET /customers/:id/statement', async () => {
    const json = (await h.http().get('/customers/acme/statement?from=2026-01-01&to=2026-01-31').expect(200)).body;
    const r = await get(h, '/customers/acme/statement.pdf?from=2026-01-01&to=2026-01-31').expect(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toBe('attachment; filename="statement-acme-2026-01-01-2026-01-31.pdf"');
    expect(r.headers['x-log-position']).toBeDefined();
    const t = pdfText(bytes(r));
    // 1 185.50 invoiced − 100.00 paid − 240.00 credited = 845.50 owed on 31/01/2026.
    expect(json.closing).toBe('845.50');
    for (const m of ['RELEVÉ DE COMPTE', 'Période : 01/01/2026 – 31/01/2026', 'INV-000001', 'CN-000001', 'Solde au 31/01/2026 845,50 EUR']) expect(t).toContain(m);
    expect((await h.http().get('/customers/acme/statement.pdf?from=2026-02-01&to=2026-01-01').expect(400)).body).toMatchObject({ code: 'PERIOD_INVALID', details: { field: 'from' } });
    expect((await h.http().get('/customers/acme/statement.pdf?from=x&to=2026-01-01').expect(400)).body.details.field).toBe('from');
  });

  it('a dunning reminder carries its letter as a PDF (file outbox), in the customer’s language', async () => {
    const run = await h.http().post('/dunning/runs').send({ asOf: '2026-03-10' }).expect(201);
    expect(run.body.sent.map((s: { invoiceId: string }) => s.invoiceId).sort()).toEqual(['i1', 'n1']);
    const dir = join(h.dataDir, 'outbox');
    const pdfs = readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort();
    expect(pdfs).toHaveLength(2);
    const texts = pdfs.map((f) => pdfText(readFileSync(join(dir, f))));
    const fr = texts.find((t) => t.includes('INV-000001'))!;
    expect(fr).toContain('Objet : Rappel : facture INV-000001 échue le 2026-01-31');
    expect(fr).toContain('Le 10/03/2026');
    expect(fr).toContain('ACME Industrie SAS');
    const en = texts.find((t) => t.includes('INV-000002'))!;
    expect(en).toContain('Subject : Reminder: invoice INV-000002 was due on 2026-02-01');
    const meta = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))!), 'utf8'));
    expect(meta.attachments).toEqual([expect.objectContaining({ contentType: 'application/pdf', filename: expect.stringMatching(/^INV-00000\d-level-1\.pdf$/), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
  });
});

describe('documents without a configured seller', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi(undefined, { AR_COMPANY_SIREN: '732829320' });
    await h.http().post('/customers').send({ id: 'acme', name: 'ACME', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-01-01', lines: [line('10.00')] }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  it('answers 409 COMPANY_IDENTITY_NOT_CONFIGURED naming the variables, never a PDF without the seller', async () => {
    const r = await h.http().get('/invoices/i1/pdf').expect(409);
    expect(r.body).toMatchObject({ code: 'COMPANY_IDENTITY_NOT_CONFIGURED', details: { variables: expect.arrayContaining(['AR_COMPANY_NAME', 'AR_COMPANY_VAT_NUMBER']) } });
    await h.http().get('/invoices/i1/cii.xml').expect(409);
  });
});
