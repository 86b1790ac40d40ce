import Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventHash } from '../../libs/event-store/hash-chain';
import { FEC_COLUMNS } from '../../projections';
import { line, startApi, type Harness } from '../support/api-harness';

/** Issue 5 over HTTP: the auditor's replay (as of a date, with verification), reports and journal exports. */
describe('auditors and analysts over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    // Later cases issue invoices dated before earlier ones: they go to their own series (ADR 0049).
    // A USD rate stated by the test (2 USD per 1 EUR, not a market rate) for the USD customer's journal (ADR 0052).
    const rates = join(mkdtempSync(join(tmpdir(), 'ar-rates-')), 'rates.csv');
    writeFileSync(rates, 'date,currency,rate\n2026-01-01,USD,2\n');
    h = await startApi(undefined, { AR_INVOICE_BACKDATED_SERIES: 'INVB', AR_FX_RATES: rates });
    const anna = await h.createKey('clerk', 'clerk.anna');
    await h.as(anna.key).post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '50000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-01-10', lines: [line('1200.00', '3')] }).expect(201); // 4320.00 due 02-09
    await h.http().post('/invoices').send({ id: 'i2', customerId: 'acme', issueDate: '2026-02-01', lines: [line('1000.00')] }).expect(201); // 1200.00 due 03-03
    await h.http().post('/payments').send({ id: 'p1', customerId: 'acme', amount: '1500.00', receivedOn: '2026-02-20', method: 'bank_transfer', reference: 'INV-000002' }).expect(201);
    // Recorded after p1 but received earlier (back-dated): it counts as of its receipt date.
    await h.http().post('/payments').send({ id: 'p0', customerId: 'acme', amount: '100.00', receivedOn: '2026-02-05', method: 'card' }).expect(201);
    await h.http().post('/customers').send({ id: 'other', name: 'Other', currency: 'EUR', creditLimit: '1000.00' }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  it('replays the history from the log with the account state, and as of a past date', async () => {
    const all = await h.http().get('/customers/acme/history').expect(200);
    expect(all.body.asOf).toBeNull();
    expect(all.body.verification).toBeNull();
    expect(all.body.events.map((e: { type: string }) => e.type)).toEqual([
      'CustomerRegistered', 'InvoiceIssued', 'InvoiceIssued', 'PaymentReceived', 'PaymentAllocated', 'PaymentAllocated',
      'PaymentApplied', 'InvoiceSettled', 'PaymentApplied', 'PaymentReceived', 'PaymentAllocated', 'PaymentApplied']);
    expect(all.body.events[0]).toMatchObject({ streamId: 'credit-acme', revision: 0, effectiveDate: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), metadata: { actor: 'clerk.anna' } });
    expect(all.body.state.totals).toEqual({
      invoiced: '5520.00', charges: '0.00', received: '1600.00', reversed: '0.00', refunded: '0.00', allocated: '1600.00', paid: '1600.00',
      creditNoted: '0.00', creditApplied: '0.00', discounts: '0.00', writtenOff: '0.00', bankFees: '0.00', outstanding: '3920.00', unapplied: '0.00', balance: '3920.00',
    });

    const feb10 = await h.http().get('/customers/acme/history?asOf=2026-02-10').expect(200);
    expect(feb10.body.asOf).toBe('2026-02-10');
    expect(feb10.body.events.map((e: { type: string }) => e.type)).toEqual(['CustomerRegistered', 'InvoiceIssued', 'InvoiceIssued', 'PaymentReceived', 'PaymentAllocated', 'PaymentApplied']);
    expect(feb10.body.state.totals).toMatchObject({ invoiced: '5520.00', received: '100.00', outstanding: '5420.00', balance: '5420.00' });
    expect(feb10.body.state.invoices).toEqual([
      expect.objectContaining({ invoiceId: 'i1', total: '4320.00', paid: '100.00', outstanding: '4220.00', status: 'open' }),
      expect.objectContaining({ invoiceId: 'i2', outstanding: '1200.00', status: 'open' }),
    ]);
  });

  it('verifies the hash chains on request', async () => {
    const r = await h.http().get('/customers/acme/history?verify=true').expect(200);
    expect(r.headers['x-hash-chain']).toBe('verified');
    expect(r.body.verification).toEqual({ verified: true, events: 12, streams: 5, firstBreak: null });
  });

  it('refuses bad parameters and unknown customers', async () => {
    const head = await h.head();
    expect((await h.http().get('/customers/acme/history?asOf=2026-02-30').expect(400)).body).toMatchObject({ code: 'DATE_MALFORMED', details: { field: 'asOf' } });
    expect((await h.http().get('/customers/acme/history?verify=yes').expect(400)).body).toMatchObject({ code: 'FLAG_MALFORMED', details: { field: 'verify' } });
    expect((await h.http().get('/customers/nobody/history').expect(404)).body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await h.http().get('/customers/nobody/statement?from=2026-01-01&to=2026-01-31').expect(404)).body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await h.http().get('/customers/acme/statement?from=2026-03-01&to=2026-01-31').expect(400)).body).toMatchObject({ code: 'PERIOD_INVALID', details: { field: 'from' } });
    expect((await h.http().get('/reports/dso?from=2026-01-01&to=2026-03-31&method=median').expect(400)).body.code).toBe('DSO_METHOD_INVALID');
    expect((await h.http().get('/reports/ecl?asOf=2026-03-31&rates=current%3D1%25').expect(400)).body.code).toBe('ECL_RATES_INVALID');
    expect((await h.http().get('/exports/journal?format=xlsx').expect(400)).body).toMatchObject({ code: 'EXPORT_FORMAT_INVALID', details: { field: 'format' } });
    expect(await h.head()).toBe(head);
  });

  it('gives the statement: opening balance, movements with running balance, closing balance', async () => {
    const r = await h.http().get('/customers/acme/statement?from=2026-02-01&to=2026-02-28').expect(200);
    expect(r.headers['x-read-model-consistency']).toBe('fresh');
    expect(r.body).toEqual({
      customerId: 'acme', currency: 'EUR', from: '2026-02-01', to: '2026-02-28', opening: '4320.00',
      movements: [
        { date: '2026-02-01', position: expect.any(Number), type: 'InvoiceIssued', pieceRef: 'INV-000002', label: 'Facture INV-000002', debit: '1200.00', credit: '0.00', balance: '5520.00' },
        { date: '2026-02-05', position: expect.any(Number), type: 'PaymentReceived', pieceRef: 'p0', label: 'Règlement card p0', debit: '0.00', credit: '100.00', balance: '5420.00' },
        { date: '2026-02-20', position: expect.any(Number), type: 'PaymentReceived', pieceRef: 'INV-000002', label: 'Règlement bank_transfer p1', debit: '0.00', credit: '1500.00', balance: '3920.00' },
      ],
      totalDebit: '1200.00', totalCredit: '1600.00', closing: '3920.00',
    });
  });

  it('details the aging by invoice', async () => {
    const r = await h.http().get('/reports/aging/invoices?asOf=2026-03-15&buckets=15,45').expect(200);
    expect(r.body).toEqual({ asOf: '2026-03-15', currency: 'EUR', invoices: [
      { customerId: 'acme', invoiceId: 'i1', number: 'INV-000001', issueDate: '2026-01-10', dueDate: '2026-02-09', daysPastDue: 34, bucket: '16-45', open: '3920.00' },
    ], next: null, total: 1 });
    expect((await h.http().get('/reports/aging/invoices?asOf=2026-03-15&buckets=a').expect(400)).body.code).toBe('AGING_BUCKETS_INVALID');
  });

  it('reports DSO and expected credit loss', async () => {
    const dso = await h.http().get('/reports/dso?from=2026-01-01&to=2026-03-31').expect(200);
    expect(dso.body).toEqual({ from: '2026-01-01', to: '2026-03-31', method: 'simple', currency: 'EUR', days: 90, receivables: '3920.00', creditSales: '5520.00', dso: 63.9 });
    const cb = await h.http().get('/reports/dso?from=2026-01-01&to=2026-03-31&method=countback').expect(200);
    // 3920.00 open at 03-31: no sales in March (31 days), February's 1200.00 (28 days), then 2720.00 of January's 4320.00 (31 days).
    expect(cb.body.dso).toBe(Math.round((31 + 28 + (272_000 / 432_000) * 31) * 10) / 10);
    const ecl = await h.http().get('/reports/ecl?asOf=2026-03-15&rates=current%3D1%25,1-30%3D5%25,30%2B%3D50%25').expect(200);
    expect(ecl.body).toMatchObject({
      asOf: '2026-03-15', currency: 'EUR', totalBalance: '3920.00',
      buckets: [{ bucket: 'current', balance: '0.00', rate: '1%', loss: '0.00' }, { bucket: '1-30', balance: '0.00', rate: '5%', loss: '0.00' }, { bucket: '30+', balance: '3920.00', rate: '50%', loss: '1960.00' }],
      totalLoss: '1960.00',
    });
    // Typed by hand: '+' unencoded (arrives as a space) and no '%'.
    expect((await h.http().get('/reports/ecl?asOf=2026-03-15&rates=current=1,1-30=5,30+=50').expect(200)).body.totalLoss).toBe('1960.00');
  });

  it('streams the journal as CSV and FEC: balanced entries, 18 FEC columns', async () => {
    const csv = await h.http().get('/exports/journal?from=2026-01-01&to=2026-12-31').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = csv.text.trim().split('\n').map((l) => l.split(','));
    expect(rows[0].slice(0, 4)).toEqual(['logPosition', 'journal', 'date', 'account']);
    const byEntry = new Map<string, number>();
    for (const r of rows.slice(1)) byEntry.set(r[0], (byEntry.get(r[0]) ?? 0) + Math.round(Number(r[10]) * 100) - Math.round(Number(r[11]) * 100));
    expect(byEntry.size).toBe(4);
    for (const [, balance] of byEntry) expect(balance).toBe(0);
    expect(rows.slice(1).map((r) => r[3])).toEqual(['411', '706', '44571', '411', '706', '44571', '512', '411', '512', '411']);

    const fec = await h.http().get('/exports/journal?format=fec&from=2026-02-01&to=2026-02-28').expect(200);
    expect(fec.headers['content-disposition']).toContain('FEC20260228.txt');
    const lines = fec.text.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
    expect(lines[0]).toEqual([...FEC_COLUMNS]);
    for (const l of lines) expect(l).toHaveLength(18);
    // In order of validation (ADR 0050), numbered per journal and year: i2 is VT 2 (after i1 of 01-10); p1, recorded
    // first, is BQ 1 and the back-dated p0 BQ 2. Nothing is lettered: p1 (1 500.00) exceeds i2 (1 200.00).
    expect(lines.slice(1).map((l) => [l[0], l[2], l[3], l[4], l[6], l[7], l[11], l[12], l[13]])).toEqual([
      ['VT', '2', '20260201', '411', 'acme', 'ACME SAS', '1200,00', '0,00', ''],
      ['VT', '2', '20260201', '706', '', '', '0,00', '1000,00', ''],
      ['VT', '2', '20260201', '44571', '', '', '0,00', '200,00', ''],
      ['BQ', '1', '20260220', '512', '', '', '1500,00', '0,00', ''],
      ['BQ', '1', '20260220', '411', 'acme', 'ACME SAS', '0,00', '1500,00', ''],
      ['BQ', '2', '20260205', '512', '', '', '100,00', '0,00', ''],
      ['BQ', '2', '20260205', '411', 'acme', 'ACME SAS', '0,00', '100,00', ''],
    ]);
  });

  it('books a write-off of a USD customer from USD, though the write-off event carries no currency', async () => {
    await h.http().post('/customers').send({ id: 'yank', name: 'Yank Inc', currency: 'USD', creditLimit: '9000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'u1', customerId: 'yank', issueDate: '2026-07-01', lines: [line('100.00')] }).expect(201); // 120.00
    await h.http().post('/invoices/u1/write-off').send({ amount: '20.00', reason: 'Liquidation', on: '2026-07-15' }).expect(200);
    const fec = await h.http().get('/exports/journal?format=fec&from=2026-07-01&to=2026-07-31').expect(200);
    const lines = fec.text.split('\n').filter((l) => l !== '').slice(1).map((l) => l.split('\t'));
    // Debit/Credit in euros at 2 USD per EUR, the USD amounts in Montantdevise/Idevise (ADR 0052).
    expect(lines.map((l) => [l[3], l[4], l[11], l[12], l[16], l[17]])).toEqual([
      ['20260701', '411', '60,00', '0,00', '120,00', 'USD'],
      ['20260701', '706', '0,00', '50,00', '-100,00', 'USD'],
      ['20260701', '44571', '0,00', '10,00', '-20,00', 'USD'],
      // Write-off of 20.00 USD regularises its VAT (CGI art. 272-1): 20.00 over base 100.00 + VAT 20.00 → 16.67 + 3.33 USD;
      // in euros 8.335 → 8.34, 1.665 → 1.67, 411 10.00: debits 10.01, the cent comes off the largest non-411 line, 654 → 8.33.
      ['20260715', '654', '8,33', '0,00', '16,67', 'USD'],
      ['20260715', '44571', '1,67', '0,00', '3,33', 'USD'],
      ['20260715', '411', '0,00', '10,00', '-20,00', 'USD'],
    ]);
    const csv = await h.http().get('/exports/journal?from=2026-07-15&to=2026-07-15').expect(200);
    expect(csv.text.trim().split('\n').slice(1).map((r) => r.split(',')[12])).toEqual(['USD', 'USD', 'USD']);
    // The auditor's replay shows the write-off per invoice and in total.
    const history = await h.http().get('/customers/yank/history').expect(200);
    expect(history.body.state.invoices).toEqual([{
      invoiceId: 'u1', number: expect.any(String), issueDate: '2026-07-01', dueDate: '2026-07-31', total: '120.00', charges: '0.00', paid: '0.00',
      credited: '0.00', discounted: '0.00', writtenOff: '20.00', bankFees: '0.00', outstanding: '100.00', status: 'open', settledOn: null,
    }]);
    expect(history.body.state.currency).toBe('USD');
    expect(history.body.state.totals).toMatchObject({ invoiced: '120.00', writtenOff: '20.00', outstanding: '100.00', balance: '100.00' });
  });

  it('reports an event edited behind the engine’s back: the first broken link, stream and revision', async () => {
    const db = new Database(join(h.dataDir, 'events.sqlite'));
    const row = db.prepare("SELECT position, data FROM events WHERE stream_id = 'invoice-i1' AND revision = 0").get() as { position: number; data: string };
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(row.data.replace('"total":432000', '"total":43200'), row.position);
    db.close();
    const r = await h.http().get('/customers/acme/history?verify=true').expect(200);
    expect(r.headers['x-hash-chain']).toBe('broken');
    expect(r.body.verification).toEqual({ verified: false, events: 12, streams: 5, firstBreak: { streamId: 'invoice-i1', revision: 0, position: row.position, reason: 'hash_mismatch' } });
    // The other customer's streams are untouched.
    expect((await h.http().get('/customers/other/history?verify=true').expect(200)).body.verification.verified).toBe(true);
  });

  it('reports a stream cut short, or rewritten with every hash recomputed, though each chain alone still verifies', async () => {
    await h.http().post('/customers').send({ id: 'cut', name: 'Cut SARL', currency: 'EUR', creditLimit: '9000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'c1', customerId: 'cut', issueDate: '2026-03-01', lines: [line('100.00')] }).expect(201);
    await h.http().post('/payments').send({ id: 'cp1', customerId: 'cut', amount: '120.00', receivedOn: '2026-03-05', method: 'card' }).expect(201);
    await h.http().post('/customers').send({ id: 'forged', name: 'Forged SAS', currency: 'EUR', creditLimit: '1000.00' }).expect(201);
    expect((await h.http().get('/customers/cut/history?verify=true').expect(200)).body.verification.verified).toBe(true);
    expect((await h.http().get('/customers/forged/history?verify=true').expect(200)).body.verification.verified).toBe(true);

    const db = new Database(join(h.dataDir, 'events.sqlite'));
    // The invoice's settlement deleted: what is left of the stream still chains from the genesis hash.
    const last = db.prepare("SELECT MAX(revision) AS revision FROM events WHERE stream_id = 'invoice-c1'").get() as { revision: number };
    db.prepare("DELETE FROM events WHERE stream_id = 'invoice-c1' AND revision = ?").run(last.revision);
    // The registration's limit raised, and its hash recomputed with the engine's own definition.
    const row = db.prepare("SELECT position, event_id AS id, type, data, metadata FROM events WHERE stream_id = 'credit-forged' AND revision = 0").get() as { position: number; id: string; type: string; data: string; metadata: string };
    const data = { ...JSON.parse(row.data), creditLimit: 99_999_999 };
    const metadata = JSON.parse(row.metadata);
    metadata.hash = eventHash('credit-forged', 0, { id: row.id, type: row.type, data, metadata });
    db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(JSON.stringify(data), JSON.stringify(metadata), row.position);
    db.close();

    const cut = await h.http().get('/customers/cut/history?verify=true').expect(200);
    expect(cut.headers['x-hash-chain']).toBe('broken');
    expect(cut.body.verification.firstBreak).toEqual({ streamId: 'invoice-c1', revision: last.revision, reason: 'truncated', position: null });
    const forged = await h.http().get('/customers/forged/history?verify=true').expect(200);
    expect(forged.body.verification.firstBreak).toEqual({ streamId: 'credit-forged', revision: 0, reason: 'anchor_mismatch', position: row.position });
  });
});
