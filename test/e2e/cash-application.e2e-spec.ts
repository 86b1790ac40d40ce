import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { line, startApi, type Harness } from '../support/api-harness';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'bank', name));

/**
 * Cash application over HTTP (issue 18; ADR 0085–0087) with hand-written files: a camt.053.001.02 statement, a
 * camt.053.001.08 one with a returned transfer, and a CFONB 120 one. Invoices (all 2026-03-01, 20 % VAT):
 * ACME INV-000001 1 200.00, INV-000002 3 600.00, INV-000003 480.00; Globex INV-000004 300.00, INV-000006 600.00;
 * Initech INV-000005 1 200.00 on terms 2/10 net 30 (2 % of 1 200.00 = 24.00 off if paid by 2026-03-11).
 */
describe('cash application: bank statements in, receipts out', () => {
  let h: Harness;
  const ids: Record<string, string> = {};
  type Outcome = { entryId: string; bankRef: string; outcome: string; rule?: string; confidence?: number; customerId?: string; allocations?: Array<{ invoiceId: string; amount: string }> };
  const byRef = (entries: Outcome[]) => Object.fromEntries(entries.map((e) => [e.bankRef, e]));
  const post = (file: string, type: string, query = '') => h.http().post(`/bank-statements${query}`).set('Content-Type', type).send(fixture(file));
  const head = async () => Number((await h.http().get('/bank-entries').expect(200)).headers['x-log-position']);
  const invoice = async (id: string) => (await h.http().get(`/invoices/${id}`).expect(200)).body;
  const fecRows = async () => (await h.http().get('/exports/journal?format=fec&from=2026-03-01&to=2026-03-31').expect(200)).text
    .split('\n').filter((l) => l !== '').slice(1).map((l) => l.split('\t'));
  const cents = (s: string) => Number(s.replace(',', ''));
  const suspense = async () => (await fecRows()).filter((l) => l[4] === '471').reduce((a, l) => a + cents(l[12]) - cents(l[11]), 0);

  beforeAll(async () => {
    h = await startApi();
    for (const [id, name] of [['acme', 'ACME Industries SAS'], ['globex', 'Globex Corporation'], ['initech', 'Initech SARL']]) {
      await h.http().post('/customers').send({ id, name, currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    }
    await h.http().put('/customers/initech/payment-terms').send({ terms: '2/10 net 30', reason: 'Early-payment agreement' }).expect(200);
    for (const [id, customerId, net] of [['a1', 'acme', '1000.00'], ['a2', 'acme', '3000.00'], ['a3', 'acme', '400.00'], ['g1', 'globex', '250.00'], ['i1', 'initech', '1000.00'], ['g2', 'globex', '500.00']]) {
      await h.http().post('/invoices').send({ id, customerId, issueDate: '2026-03-01', lines: [line(net)] }).expect(201);
    }
  });
  afterAll(async () => { await h.close(); });

  it('imports a camt.053.001.02 statement: sure receipts applied, a doubtful one suggested, an unknown credit in suspense, debits reported', async () => {
    const r = await post('camt053-001-02-march.xml', 'application/xml').expect(200);
    expect(r.body).toMatchObject({ format: 'camt.053.001.02', account: 'FR7630006000011234567890189', replayed: false });
    // 7 entries, one pending (PDNG) skipped: 6 recorded; 3 applied, 1 suggested, 1 unmatched, 1 debit.
    expect(r.body.counts).toEqual({ entries: 6, recorded: 6, alreadyKnown: 0, applied: 3, suggested: 1, unmatched: 1, debits: 1, returns: 0, skippedPending: 1 });
    const e = byRef(r.body.entries);
    for (const [ref, o] of Object.entries(e)) ids[ref] = o.entryId;
    // Rule 2: the invoice number in the remittance text, amount exact.
    expect(e['BQ-0001']).toMatchObject({ outcome: 'applied', customerId: 'acme', rule: 'invoice_number', allocations: [{ invoiceId: 'a1', amount: '1200.00' }] });
    // Rule 3: the IBAN learned from BQ-0001 a moment earlier, amount equal to INV-000003.
    expect(e['BQ-0002']).toMatchObject({ outcome: 'applied', customerId: 'acme', rule: 'payer_iban', allocations: [{ invoiceId: 'a3', amount: '480.00' }] });
    // Rule 1: RF58INV000005 (ISO 11649, check digits 58), 1 200.00 − 24.00 discount = 1 176.00 paid on 2026-03-10 ≤ 2026-03-11.
    expect(e['BQ-0004']).toMatchObject({ outcome: 'applied', customerId: 'initech', rule: 'structured_reference', allocations: [{ invoiceId: 'i1', amount: '1176.00' }] });
    // Rule 3 by name only ("GLOBEX CORP" ~ "Globex Corporation"): below the 90 threshold, a clerk decides.
    expect(e['BQ-0003']).toMatchObject({ outcome: 'suggested', customerId: 'globex', rule: 'payer_name' });
    expect(e['BQ-0005']).toMatchObject({ outcome: 'unmatched' });
    expect(e['BQ-0006']).toMatchObject({ outcome: 'debit', direction: 'debit', amount: '12.50' });

    expect(await invoice('a1')).toMatchObject({ status: 'paid', outstanding: '0.00' });
    expect(await invoice('a3')).toMatchObject({ status: 'paid', outstanding: '0.00' });
    // The discount of the terms, applied by the ledger's own rule (ADR 0015): 1 176.00 paid + 24.00 discount = 1 200.00.
    expect(await invoice('i1')).toMatchObject({ status: 'paid', outstanding: '0.00', discounted: '24.00' });
    // Suspense (471): 99.99 unknown + 300.00 waiting for a clerk = 399.99 (credits 1 200 + 480 + 300 + 1 176 + 99.99 = 3 255.99 on 512,
    // cleared by the three receipts 1 200 + 480 + 1 176 = 2 856.00; 3 255.99 − 2 856.00 = 399.99).
    expect(await suspense()).toBe(39999);
  });

  it('importing the same file again records nothing and says so', async () => {
    const before = await head();
    const r = await post('camt053-001-02-march.xml', 'application/xml').expect(200);
    expect(r.headers['idempotent-replayed']).toBe('true');
    expect(r.body.counts).toMatchObject({ recorded: 0, alreadyKnown: 6, applied: 0, suggested: 0 });
    expect(await head()).toBe(before);
  });

  it('lists the suggestion with its evidence; accepting it records the receipt and teaches the IBAN', async () => {
    const s = (await h.http().get('/cash-application/suggestions').expect(200)).body;
    expect(s.count).toBe(1);
    expect(s.items[0]).toMatchObject({ id: ids['BQ-0003'], amount: '300.00', debtorName: 'GLOBEX CORP', status: 'suggested' });
    expect(s.items[0].candidates[0]).toMatchObject({ customerId: 'globex', rule: 'payer_name', allocations: [{ invoiceId: 'g1', number: 'INV-000004', amount: '300.00' }] });
    // The evidence says why without naming anyone (ADR 0090): the payer's name is the entry's, the customer's its own.
    expect(s.items[0].candidates[0].evidence.join(' ')).toMatch(/payer's name resembles the customer's \([0-9]+ %\)/);
    const a = await h.http().post(`/cash-application/suggestions/${ids['BQ-0003']}/accept`).send({}).expect(200);
    expect(a.body).toMatchObject({ customerId: 'globex', amount: '300.00', allocations: [{ invoiceId: 'g1', amount: '300.00' }], unapplied: '0.00' });
    expect(await invoice('g1')).toMatchObject({ status: 'paid' });
    // Accepted twice: refused, nothing paid twice.
    const again = await h.http().post(`/cash-application/suggestions/${ids['BQ-0003']}/accept`).send({}).expect(409);
    expect(again.body.code).toBe('NO_SUGGESTION');
    const entry = (await h.http().get(`/bank-entries/${ids['BQ-0003']}`).expect(200)).body;
    expect(entry).toMatchObject({ status: 'matched', match: { customerId: 'globex', how: 'accepted', rule: 'payer_name' } });
  });

  it('the suspense list shows the unknown credit; a manual match turns it into customer credit and empties 471', async () => {
    const list = (await h.http().get('/bank-entries?status=unmatched').expect(200)).body;
    expect(list).toMatchObject({ count: 1, suspenseTotal: '99.99' });
    const bad = await h.http().post(`/bank-entries/${ids['BQ-0005']}/match`).send({ customerId: 'acme', allocations: [{ invoiceId: 'a2', amount: '100.00' }] }).expect(422);
    expect(bad.body).toMatchObject({ code: 'ALLOCATIONS_EXCEED_ENTRY', details: { field: 'allocations' } });
    const m = await h.http().post(`/bank-entries/${ids['BQ-0005']}/match`).send({ customerId: 'acme', allocations: [] }).expect(200);
    expect(m.body).toMatchObject({ customerId: 'acme', amount: '99.99', allocations: [], unapplied: '99.99' });
    expect(await suspense()).toBe(0);
    expect((await h.http().get('/bank-entries?status=unmatched').expect(200)).body.count).toBe(0);
  });

  it('imports CFONB 120: the invoice number in the complement records pays INV-000006; the direct debit is reported', async () => {
    const r = await post('cfonb120-march.txt', 'text/plain').expect(200);
    expect(r.body).toMatchObject({ format: 'cfonb120', account: '300060000112345678901' });
    expect(r.body.counts).toMatchObject({ entries: 2, recorded: 2, applied: 1, debits: 1 });
    const credit = r.body.entries.find((x: Outcome) => x.outcome === 'applied');
    expect(credit).toMatchObject({ customerId: 'globex', rule: 'invoice_number', allocations: [{ invoiceId: 'g2', amount: '600.00' }] });
    expect(await invoice('g2')).toMatchObject({ status: 'paid' });
  });

  it('imports camt.053.001.08: an overlapping entry is not recorded twice, a returned transfer reverses its receipt, the learned IBAN pays INV-000002', async () => {
    const r = await post('camt053-001-08-return.xml', 'application/xml').expect(200);
    expect(r.body.format).toBe('camt.053.001.08');
    expect(r.body.counts).toMatchObject({ entries: 3, recorded: 2, alreadyKnown: 1, returns: 1, applied: 1 });
    const e = byRef(r.body.entries);
    expect(e['BQ-0002'].outcome).toBe('already_known');
    expect(e['BQ-0100']).toMatchObject({ outcome: 'return_applied', customerId: 'acme' });
    // The 1 200.00 of BQ-0001 came back (AC04, account closed): INV-000001 owes its 1 200.00 again.
    expect(await invoice('a1')).toMatchObject({ outstanding: '1200.00' });
    expect(e['BQ-0101']).toMatchObject({ outcome: 'applied', customerId: 'acme', rule: 'payer_iban', allocations: [{ invoiceId: 'a2', amount: '3600.00' }] });
    // The journal balances and 471 is clear: 3 600.00 in and out; the return books D 411 / C 512.
    const rows = await fecRows();
    expect(rows.reduce((a, l) => a + cents(l[11]), 0)).toBe(rows.reduce((a, l) => a + cents(l[12]), 0));
    expect(await suspense()).toBe(0);
  });

  it('reads CSV through a saved mapping; an overlapping export records only its new line', async () => {
    await h.http().put('/bank-statements/csv-mappings/mybank').send({ account: 'FR76 3000 4000 0300 0001 2345 678', currency: 'EUR', delimiter: ';', dateFormat: 'DD/MM/YYYY', decimalSeparator: ',', columns: { bookingDate: 'Date', amount: 'Montant', debtorName: 'Tiers', remittance: 'Libellé' } }).expect(200);
    const csv1 = 'Date;Montant;Tiers;Libellé\n11/03/2026;-20,00;BANQUE;FRAIS\n12/03/2026;55,00;INCONNU SA;DON\n';
    const r1 = await h.http().post('/bank-statements?mapping=mybank').set('Content-Type', 'text/csv').send(csv1).expect(200);
    expect(r1.body.counts).toMatchObject({ entries: 2, recorded: 2, unmatched: 1, debits: 1 });
    const csv2 = 'Date;Montant;Tiers;Libellé\n12/03/2026;55,00;INCONNU SA;DON\n13/03/2026;77,00;INCONNU SA;DON\n';
    const r2 = await h.http().post('/bank-statements?mapping=mybank').set('Content-Type', 'text/csv').send(csv2).expect(200);
    expect(r2.body.counts).toMatchObject({ entries: 2, recorded: 1, alreadyKnown: 1 });
    const missing = await h.http().post('/bank-statements').set('Content-Type', 'text/csv').send(csv2).expect(400);
    expect(missing.body).toMatchObject({ code: 'CSV_MAPPING_REQUIRED', details: { field: 'mapping' } });
    const bad = await h.http().put('/bank-statements/csv-mappings/broken').send({ account: 'X', currency: 'EUR', columns: { when: 'Date' } }).expect(400);
    expect(bad.body).toMatchObject({ code: 'CSV_MAPPING_INVALID', details: { field: 'columns.when' } });
  });

  it('refuses malformed files with the line or element at fault, and writes nothing', async () => {
    const before = await head();
    const broken = await h.http().post('/bank-statements').set('Content-Type', 'application/xml').send('<?xml version="1.0"?>\n<Document>\n<BkToCstmrStmt>\n</Document>').expect(400);
    expect(broken.body).toMatchObject({ code: 'STATEMENT_MALFORMED', details: { field: 'body', line: expect.any(Number) } });
    const xml = fixture('camt053-001-02-march.xml').toString().replace('<Amt Ccy="EUR">480.00</Amt>', '<Amt>480.00</Amt>');
    const noCcy = await h.http().post('/bank-statements').set('Content-Type', 'application/xml').send(xml).expect(400);
    expect(noCcy.body).toMatchObject({ code: 'STATEMENT_MALFORMED', details: { element: 'Stmt[0]/Ntry[1]/Amt/@Ccy' } });
    const cfonb = fixture('cfonb120-march.txt').toString().split('\n');
    cfonb[4] = cfonb[4].slice(0, 90) + '00000000003X0' + cfonb[4].slice(103);
    const badAmount = await h.http().post('/bank-statements').set('Content-Type', 'text/plain').send(cfonb.join('\n')).expect(400);
    expect(badAmount.body).toMatchObject({ code: 'STATEMENT_MALFORMED', details: { line: 5 } });
    const json = await h.http().post('/bank-statements').send({ file: 'x' }).expect(415);
    expect(json.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await head()).toBe(before);
  });

  it('needs payments:write to import, and refuses a statement dated in a closed period', async () => {
    const collector = await h.createKey('collector', 'collector-1');
    await h.as(collector.key).post('/bank-statements').set('Content-Type', 'text/plain').send(fixture('cfonb120-march.txt')).expect(403);
    await h.http().post('/periods/close').send({ through: '2026-03-31', reason: 'Q1 closing' }).expect(200);
    const csv = 'Date;Montant;Tiers;Libellé\n30/03/2026;10,00;X;Y\n';
    const r = await h.http().post('/bank-statements?mapping=mybank').set('Content-Type', 'text/csv').send(csv).expect(422);
    expect(r.body).toMatchObject({ code: 'PERIOD_CLOSED', details: { field: 'entries[0].bookingDate' } });
  });
});
