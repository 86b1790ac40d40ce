import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReadModels } from '../../libs/application/read-models';
import { toCamt053 } from '../../libs/application/cash/statement-generator';
import type { BankEntry } from '../../libs/domain/cash/bank-entry';
import { SqliteDataKeyStore } from '../../libs/privacy/adapters/sqlite/sqlite-data-key-store';
import { line, startApi, type Harness } from '../support/api-harness';
import { runAr } from '../support/cli';

/**
 * The payer of a bank statement line is erased with the customer it paid for (issues 17/18, ADR 0090): the
 * payer's name, IBAN and remittance are sealed with the entry's own key, the IBAN is learned under an HMAC, and
 * erasing the customer leaves nothing of them readable in the log or the read store; amounts and verification
 * unchanged. Invoices 2025-03-01, 20 % VAT: hv-1 1 000.00 + 200.00 = 1 200.00, hv-2 250.00 + 50.00 = 300.00.
 */
describe('privacy: the payer of bank entries is sealed and erased with its customer', () => {
  let h: Harness;
  const PAYER = 'Hortense Vasseur-Delmas';
  const IBAN = 'FR1420041010050500013M02606';
  const STREET = 'rue des Capucines';
  const OTHER = 'Gaspard Ollivier';
  const OTHER_IBAN = 'DE89370400440532013000';
  const ACCOUNT = 'FR7630006000011234567890189';
  const entry = (over: Partial<BankEntry>): BankEntry => ({
    entryId: '', statementId: '', account: ACCOUNT, bookingDate: '2025-03-10', valueDate: null, direction: 'credit', amount: 0, currency: 'EUR',
    bankRef: '', endToEndId: null, debtorName: null, debtorIban: null, remittance: '', structuredRef: null, transactionCode: null, isReturn: false, ...over,
  });
  const importStatement = async (id: string, entries: BankEntry[]) => (await h.http().post('/bank-statements').set('Content-Type', 'application/xml')
    .send(Buffer.from(toCamt053(entries, { id, account: ACCOUNT, date: '2025-03-10' }))).expect(200)).body;
  const ids: Record<string, string> = {};
  const ar = (...argv: string[]) => runAr({ AR_DATA_DIR: h.dataDir, AR_READ_WAIT_MS: '5000', AR_DUNNING_SCHEDULE: 'off', AR_CREDIT_HOLD_SCHEDULE: 'off' }, argv);

  /** Every SQLite file of the data directory holding these bytes: the log, the read store, the key stores, their -wal and -shm. */
  const filesHolding = (needle: string | Buffer): string[] => {
    const bytes = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : needle;
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.sqlite(-wal|-shm|-journal)?$/.test(e.name) && readFileSync(p).includes(bytes)) out.push(e.name);
      }
    };
    walk(h.dataDir);
    return out;
  };
  const secrets = [PAYER, 'Hortense', 'Vasseur', IBAN, '0500013M02606', STREET];
  const entryKey = async (entryId: string) => {
    const store = new SqliteDataKeyStore(join(h.dataDir, 'data-keys.sqlite'));
    try { return await store.get(`bankentry~${entryId}`); } finally { await store.close(); }
  };
  const before: Record<string, unknown> = {};

  // AR_RETENTION_YEARS=0: entries of 2025 are past their retention, so the erasure is possible at once.
  beforeAll(async () => { h = await startApi(undefined, { AR_RETENTION_YEARS: '0' }); });
  afterAll(async () => { await h.close(); });

  it('records the payer sealed: the clerk reads the name and remittance and a masked IBAN; no file holds them in clear', async () => {
    await h.http().post('/customers').send({ id: 'hv', name: 'Vasseur Conseil', currency: 'EUR', creditLimit: '10000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'hv-1', customerId: 'hv', issueDate: '2025-03-01', lines: [line('1000.00')] }).expect(201);
    await h.http().post('/invoices').send({ id: 'hv-2', customerId: 'hv', issueDate: '2025-03-01', lines: [line('250.00')] }).expect(201);
    const r = await importStatement('ST-HV-1', [
      entry({ bankRef: 'BQ-HV-1', amount: 120000, debtorName: PAYER, debtorIban: IBAN, remittance: `Reglement Mme Vasseur-Delmas 14 ${STREET} Lyon` }),
      entry({ bankRef: 'BQ-GO-1', amount: 4242, debtorName: OTHER, debtorIban: OTHER_IBAN, remittance: 'Remboursement avance' }),
    ]);
    for (const e of r.entries as Array<{ bankRef: string; entryId: string }>) ids[e.bankRef] = e.entryId;
    const shown = (await h.http().get(`/bank-entries/${ids['BQ-HV-1']}`).expect(200)).body;
    expect(shown).toMatchObject({ debtorName: PAYER, debtorIban: 'FR14*******************2606', remittance: `Reglement Mme Vasseur-Delmas 14 ${STREET} Lyon`, amount: '1200.00', payerErased: false, customerId: null });
    expect(JSON.stringify(shown)).not.toContain(IBAN);
    for (const secret of secrets) expect({ secret, files: filesHolding(secret) }).toEqual({ secret, files: [] });
    expect(filesHolding(`pii:1:bankentry~${ids['BQ-HV-1']}:`).some((f) => f.startsWith('events.sqlite'))).toBe(true);
  });

  it('matches it by hand to the customer, learns the IBAN under its keyed hash, and the next receipt from that IBAN is applied by it', async () => {
    await h.http().post(`/bank-entries/${ids['BQ-HV-1']}/match`).send({ customerId: 'hv', allocations: [{ invoiceId: 'hv-1', amount: '1200.00' }] }).expect(200);
    const learned = await h.app.get(ReadModels).find<{ ibanKey: string; customerId: string }>('bank-entries', { kind: 'iban' });
    expect(learned).toEqual([expect.objectContaining({ customerId: 'hv', ibanKey: expect.stringMatching(/^h1:/) })]);
    expect(JSON.stringify(learned)).not.toContain(IBAN);
    // Rule 3: the IBAN learned a moment ago (base 94), amount equal to hv-2 (300.00): 94 − 2 = 92 ≥ 90, applied.
    const r = await importStatement('ST-HV-2', [entry({ bankRef: 'BQ-HV-2', bookingDate: '2025-03-12', amount: 30000, debtorName: 'MME H VASSEUR', debtorIban: IBAN })]);
    expect(r.entries[0]).toMatchObject({ outcome: 'applied', customerId: 'hv', rule: 'payer_iban', confidence: 92 });
    ids['BQ-HV-2'] = r.entries[0].entryId;
    for (const secret of secrets) expect({ secret, files: filesHolding(secret) }).toEqual({ secret, files: [] });

    before.balance = (await h.http().get('/customers/hv/balance').expect(200)).body;
    before.fec = (await h.http().get('/exports/journal?from=2025-01-01&to=2025-12-31&format=fec').expect(200)).text;
    before.entries = (await h.http().get('/bank-entries').expect(200)).body;
    const key = await entryKey(ids['BQ-HV-1']);
    expect(key?.status).toBe('active');
    before.key = key?.status === 'active' ? key.key : null;
  });

  it('erases the customer: its two lines show the erased marker, amounts and the journal unchanged, the other payer\'s line untouched, the IBAN forgotten', async () => {
    const r = await h.http().post('/customers/hv/erase').send({ reason: 'GDPR art. 17 request of 2026-12-01' }).expect(200);
    expect(r.body).toMatchObject({ id: 'hv', erased: true, bankEntries: 2 });
    for (const ref of ['BQ-HV-1', 'BQ-HV-2']) {
      expect((await h.http().get(`/bank-entries/${ids[ref]}`).expect(200)).body).toMatchObject({
        debtorName: '[erased]', debtorIban: '[erased]', remittance: ref === 'BQ-HV-1' ? '[erased]' : '', payerErased: true, customerId: 'hv', status: 'matched',
      });
    }
    const hv1 = (await h.http().get(`/bank-entries/${ids['BQ-HV-1']}`).expect(200)).body;
    expect(hv1).toMatchObject({ amount: '1200.00', match: { customerId: 'hv', allocations: [{ invoiceId: 'hv-1', amount: '1200.00' }], unapplied: '0.00' } });
    expect((await h.http().get(`/bank-entries/${ids['BQ-GO-1']}`).expect(200)).body).toMatchObject({ debtorName: OTHER, debtorIban: 'DE89**************3000', remittance: 'Remboursement avance', payerErased: false });
    // 1 200.00 + 300.00 invoiced, 1 200.00 + 300.00 received: 0.00 outstanding, before as after.
    const balance = (await h.http().get('/customers/hv/balance').expect(200)).body;
    expect(balance).toEqual({ ...(before.balance as object), name: '[erased]' });
    expect(balance.outstanding).toBe('0.00');
    expect((await h.http().get('/exports/journal?from=2025-01-01&to=2025-12-31&format=fec').expect(200)).text).toBe((before.fec as string).split('Vasseur Conseil').join('[erased]'));
    const amounts = (b: { items: Array<{ id: string; amount: string; status: string }> }) => b.items.map((i) => [i.id, i.amount, i.status]);
    expect(amounts((await h.http().get('/bank-entries').expect(200)).body)).toEqual(amounts(before.entries as never));
    expect(await h.app.get(ReadModels).find('bank-entries', { kind: 'iban' })).toEqual([]);
    expect((await h.http().get('/customers/hv/history?verify=true').expect(200)).body.verification).toMatchObject({ verified: true, firstBreak: null });
  });

  it('a line matched to the customer after its erasure loses its payer at once (the account keeps working: 80.00 on customer credit)', async () => {
    const r = await importStatement('ST-HV-3', [entry({ bankRef: 'BQ-HV-3', bookingDate: '2025-03-20', amount: 8000, debtorName: `${PAYER} (compte joint)`, debtorIban: IBAN, remittance: `Avoir ${STREET}` })]);
    ids['BQ-HV-3'] = r.entries[0].entryId;
    // The IBAN was forgotten with the customer: nothing matches it any more.
    expect(r.entries[0]).toMatchObject({ outcome: 'unmatched' });
    const m = await h.http().post(`/bank-entries/${ids['BQ-HV-3']}/match`).send({ customerId: 'hv', allocations: [] }).expect(200);
    expect(m.body).toMatchObject({ customerId: 'hv', amount: '80.00', unapplied: '80.00' });
    expect((await h.http().get(`/bank-entries/${ids['BQ-HV-3']}`).expect(200)).body).toMatchObject({ debtorName: '[erased]', debtorIban: '[erased]', remittance: '[erased]', payerErased: true, amount: '80.00' });
    expect(await h.app.get(ReadModels).find('bank-entries', { kind: 'iban' })).toEqual([]);
  });

  it('after a rebuild, nothing of the payer is readable in any file (log, read store, keys, WAL), the entry\'s key is gone, and ar verify passes', async () => {
    await h.projector().rebuild();
    expect((await h.http().get(`/bank-entries/${ids['BQ-HV-1']}`).expect(200)).body).toMatchObject({ debtorName: '[erased]', payerErased: true, amount: '1200.00' });
    expect(await h.app.get(ReadModels).find('bank-entries', { kind: 'iban' })).toEqual([]);
    for (const secret of secrets) expect({ secret, files: filesHolding(secret) }).toEqual({ secret, files: [] });
    expect(await entryKey(ids['BQ-HV-1'])).toMatchObject({ status: 'destroyed' });
    expect(filesHolding(before.key as Buffer)).toEqual([]);
    const v = await ar('verify');
    expect({ code: v.code, err: v.err }).toEqual({ code: 0, err: '' });
    // A second erasure records nothing more.
    const head = await h.head();
    expect((await h.http().post('/customers/hv/erase').send({ reason: 'again' }).expect(200)).body).toMatchObject({ bankEntries: 3 });
    expect(await h.head()).toBe(head);
  });
});
