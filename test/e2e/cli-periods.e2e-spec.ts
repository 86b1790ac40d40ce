import { mkdtempSync, rmSync } from 'node:fs';
import { runAr } from '../support/cli';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../apps/cli/src/io';
import { startApi } from '../support/api-harness';
import { line } from '../support/api-harness';

const ar = (dataDir: string, ...argv: string[]) => runAr({ AR_DATA_DIR: dataDir, AR_READ_WAIT_MS: '5000' }, argv);

/** `ar periods`: the same closing as POST /periods/close, through the same command gate. */
describe('ar periods', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-cli-periods-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('closes, shows and reopens the books; the API then refuses a fact dated in the closed period', async () => {
    const closed = await ar(dir, 'periods', 'close', '--through', '2026-01-31', '--reason', 'January closing', '--json');
    expect(closed.code).toBe(EXIT.ok);
    expect(JSON.parse(closed.out)).toMatchObject({ closedThrough: '2026-01-31', changed: true });
    const early = await ar(dir, 'periods', 'close', '--through', '2026-01-15', '--reason', 'x');
    expect(early.code).toBe(EXIT.refused);
    expect(early.err).toMatch(/^PERIOD_ALREADY_CLOSED/);
    expect((await ar(dir, 'periods', 'close', '--through', '2026-13-01', '--reason', 'x')).code).toBe(EXIT.usage);
    const shown = await ar(dir, 'periods', 'show');
    expect(shown.out).toContain('Books closed through: 2026-01-31');
    expect(shown.out).toMatch(/PeriodClosed.*cli:/);

    const h = await startApi(dir);
    try {
      await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
      await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-01-31', lines: [line('100.00')] }).expect(422)
        .expect((r) => expect(r.body).toMatchObject({ code: 'PERIOD_CLOSED', details: { field: 'issueDate', closedThrough: '2026-01-31' } }));
    } finally {
      await h.app.close();
    }
    const reopened = await ar(dir, 'periods', 'reopen', '--from', '2026-01-01', '--reason', 'Late supplier credit', '--json');
    expect(JSON.parse(reopened.out)).toMatchObject({ closedThrough: '2025-12-31', changed: true });
  }, 60_000);
});
