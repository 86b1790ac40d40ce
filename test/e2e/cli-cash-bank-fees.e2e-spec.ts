import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../apps/cli/src/io';
import { line, startApi } from '../support/api-harness';
import { runAr } from '../support/cli';

const ar = (dataDir: string, ...argv: string[]) => runAr({ AR_DATA_DIR: dataDir, AR_READ_WAIT_MS: '5000' }, argv);

/**
 * `ar cash accept --bank-fees` and `ar cash match --bank-fees` (issue 18; ADR 0088), the CLI side of the HTTP
 * accept and match. ACME INV-000001 and INV-000002, 480.00 each (400.00 + 20 % VAT); receipts of 472.50 and 470.00:
 * 480.00 − 472.50 = 7.50 and 480.00 − 470.00 = 10.00 short, both within the default 15.00 tolerance.
 */
describe('ar cash accept / ar cash match with bank fees', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-cli-fees-'));
  let h: Awaited<ReturnType<typeof startApi>>;
  const entries: string[] = [];
  beforeAll(async () => {
    h = await startApi(dir);
    await h.http().post('/customers').send({ id: 'acme', name: 'ACME Industries SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    for (const id of ['a1', 'a2']) await h.http().post('/invoices').send({ id, customerId: 'acme', issueDate: '2026-03-02', lines: [line('400.00')] }).expect(201);
    await h.http().put('/bank-statements/csv-mappings/mybank').send({
      account: 'FR76 3000 4000 0300 0001 2345 678', currency: 'EUR', delimiter: ';', dateFormat: 'DD/MM/YYYY', decimalSeparator: ',',
      columns: { bookingDate: 'Date', amount: 'Montant', debtorName: 'Tiers', remittance: 'Libellé' },
    }).expect(200);
    const file = join(dir, 'march.csv');
    writeFileSync(file, 'Date;Montant;Tiers;Libellé\n20/03/2026;472,50;ACME INDUSTRIES;FACTURE INV-000001\n21/03/2026;470,00;ACME INDUSTRIES;FACTURE INV-000002\n');
    const imported = await ar(dir, 'import', 'statement', file, '--mapping', 'mybank', '--json');
    expect(imported.code).toBe(EXIT.ok);
    const r = JSON.parse(imported.out);
    expect(r.counts).toMatchObject({ recorded: 2, suggested: 2, applied: 0 });
    entries.push(...r.entries.map((e: { entryId: string }) => e.entryId));
  });
  afterAll(async () => { await h.close(); rmSync(dir, { recursive: true, force: true }); });

  it('accepts a suggestion with its 7.50 bank fees: INV-000001 paid', async () => {
    const r = await ar(dir, 'cash', 'accept', entries[0], '--bank-fees');
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/bank fees 7\.50 written off on a1 \(627\)/);
    expect((await h.http().get('/invoices/a1').expect(200)).body).toMatchObject({ status: 'paid', outstanding: '0.00', bankFees: '7.50' });
  });

  it('a manual match states the fees: anything but the 10.00 left is refused (exit 5) and writes nothing; 10.00 settles INV-000002', async () => {
    const wrong = await ar(dir, 'cash', 'match', entries[1], '--customer', 'acme', '--allocate', 'a2=470.00', '--bank-fees', '9.00');
    expect(wrong.code).toBe(EXIT.refused);
    expect(wrong.err).toMatch(/BANK_FEES_NOT_THE_REMAINDER/);
    expect((await h.http().get('/invoices/a2').expect(200)).body).toMatchObject({ outstanding: '480.00' });
    const ok = await ar(dir, 'cash', 'match', entries[1], '--customer', 'acme', '--allocate', 'a2=470.00', '--bank-fees', '10.00', '--json');
    expect(ok.code).toBe(EXIT.ok);
    expect(JSON.parse(ok.out)).toMatchObject({ paymentId: `bank-${entries[1]}`, amount: 47_000, unapplied: 0, bankFees: { invoiceId: 'a2', amount: 1_000 } });
    expect((await h.http().get('/invoices/a2').expect(200)).body).toMatchObject({ status: 'paid', outstanding: '0.00', bankFees: '10.00' });
  });
});
