import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { runAr } from '../support/cli';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../apps/cli/src/io';
import { line, startApi } from '../support/api-harness';

const ar = (dataDir: string, ...argv: string[]) => runAr({ AR_DATA_DIR: dataDir, AR_READ_WAIT_MS: '5000' }, argv);

const fixture = (name: string) => join(__dirname, '..', 'fixtures', 'bank', name);

/** `ar import statement` and `ar demo statements` (issue 18): the same import as POST /bank-statements. */
describe('ar import statement / ar demo statements', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-cli-cash-'));
  // The API keeps running beside the CLI (two processes on one SQLite log, as in production); closing it removes the data.
  let h: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    h = await startApi(dir);
    await h.http().post('/customers').send({ id: 'globex', name: 'Globex Corporation', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    for (const id of ['g1', 'g2', 'g3', 'g4', 'g5', 'g6']) await h.http().post('/invoices').send({ id, customerId: 'globex', issueDate: '2026-03-01', lines: [line('500.00')] }).expect(201);
  });
  afterAll(async () => { await h.close(); rmSync(dir, { recursive: true, force: true }); });

  it('imports a CFONB 120 file, is idempotent, and refuses a malformed one with its line', async () => {
    // INV-000006 owes 500.00 + 20 % = 600.00; the CFONB credit of 600.00 names it.
    const first = await ar(dir, 'import', 'statement', fixture('cfonb120-march.txt'), '--json');
    expect(first.code).toBe(EXIT.ok);
    const r = JSON.parse(first.out);
    expect(r.counts).toMatchObject({ entries: 2, recorded: 2, applied: 1, debits: 1 });
    expect(r.entries.find((e: { outcome: string }) => e.outcome === 'applied')).toMatchObject({ customerId: 'globex', allocations: [{ invoiceId: 'g6', amount: 60000 }] });
    const again = await ar(dir, 'import', 'statement', fixture('cfonb120-march.txt'));
    expect(again.code).toBe(EXIT.ok);
    expect(again.out).toMatch(/2 entries, 0 new, 2 already known/);
    const broken = join(dir, 'broken.txt');
    require('node:fs').writeFileSync(broken, readFileSync(fixture('cfonb120-march.txt'), 'utf8').replace(/^04/m, '09'));
    const bad = await ar(dir, 'import', 'statement', broken);
    expect(bad.code).not.toBe(EXIT.ok);
    expect(bad.err).toMatch(/STATEMENT_MALFORMED/);
  });

  it('generates a reproducible camt.053 over the open items, which imports', async () => {
    const out1 = join(dir, 's1.xml');
    const out2 = join(dir, 's2.xml');
    expect((await ar(dir, 'demo', 'statements', '--seed', '4', '--entries', '12', '--date', '2026-03-15', '--out', out1)).code).toBe(EXIT.ok);
    expect((await ar(dir, 'demo', 'statements', '--seed', '4', '--entries', '12', '--date', '2026-03-15', '--out', out2)).code).toBe(EXIT.ok);
    expect(readFileSync(out1, 'utf8')).toBe(readFileSync(out2, 'utf8'));
    const imported = await ar(dir, 'import', 'statement', out1, '--json');
    expect(imported.code).toBe(EXIT.ok);
    expect(JSON.parse(imported.out).counts).toMatchObject({ entries: 12, recorded: 12 });
    // The API sees what the CLI recorded.
    expect((await h.http().get('/bank-entries').expect(200)).body.count).toBe(2 + 12);
  });
});
