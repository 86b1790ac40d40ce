import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadModels } from '../../libs/application/read-models';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { chainEvents } from '../../libs/event-store/hash-chain';
import { startApi } from '../support/api-harness';
import { runAr } from '../support/cli';

const ar = (dataDir: string, ...argv: string[]) => runAr({ AR_DATA_DIR: dataDir, AR_READ_WAIT_MS: '5000' }, argv);

/**
 * `ar migrate pii` over a log whose bank statement lines were written before ADR 0090 (ADR 0091): the payer's
 * name, IBAN and remittance in clear, the evidence quoting names, a v1 match without the IBAN's keyed hash. The old
 * log refuses the erasure, naming the bank fields; the new one reads them, learns the IBAN, and erases them.
 */
describe('ar migrate pii: bank statement lines written before they were sealed', () => {
  const root = mkdtempSync(join(tmpdir(), 'ar-pii-bank-'));
  const oldDir = join(root, 'old');
  const newDir = join(root, 'new');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const NAME = 'Séverine Kowalczyk';
  const IBAN = 'FR1420041010050500013M02606';
  const entryId = '9b2f4e10-0000-4000-8000-0000000000b1';
  const holds = (dir: string, needle: string) => readdirSync(dir).filter((f) => /\.sqlite/.test(f) && readFileSync(join(dir, f)).includes(Buffer.from(needle)));

  beforeAll(async () => {
    mkdirSync(oldDir, { recursive: true, mode: 0o700 });
    const store = new SqliteEventStore({ path: join(oldDir, 'events.sqlite') });
    const meta = (n: number) => ({ actor: 'clerk.anna', recordedAt: `2025-03-1${n}T10:00:00.000Z`, commandId: `cmd-${n}`, correlationId: `cmd-${n}`, causationId: `cmd-${n}`, schemaVersion: 1 });
    await store.append('credit-sk', 'no_stream', chainEvents('credit-sk', null, [
      { id: 'e-reg', type: 'CustomerRegistered', data: { customerId: 'sk', name: NAME, currency: 'EUR', creditLimit: 500_000, paymentTermsDays: 30 }, metadata: meta(0) },
    ]));
    // A credit of 120.00 from the customer, matched by hand, put on its account (no invoice: all unapplied).
    await store.append(`bankentry-${entryId}`, 'no_stream', chainEvents(`bankentry-${entryId}`, null, [
      { id: 'e-rec', type: 'BankEntryRecorded', metadata: meta(1), data: {
        entryId, statementId: 's1', account: 'FR7630006000011234567890189', bookingDate: '2025-03-10', valueDate: null, direction: 'credit', amount: 12000, currency: 'EUR',
        bankRef: 'BQ-SK-1', endToEndId: null, debtorName: NAME, debtorIban: IBAN, remittance: 'Acompte S. Kowalczyk', structuredRef: null, transactionCode: null, isReturn: false,
      } },
      { id: 'e-mat', type: 'BankEntryMatched', metadata: meta(2), data: {
        entryId, customerId: 'sk', paymentId: `bank-${entryId}`, allocations: [], unapplied: 12000, rule: 'manual', confidence: 100,
        evidence: [`payer "${NAME}" resembles customer "${NAME}" (100 %)`], how: 'manual', by: 'clerk.anna', debtorIban: IBAN, bookingDate: '2025-03-10', currency: 'EUR', amount: 12000,
      } },
    ]));
    await store.close();
  });

  it('the old log refuses the erasure, naming the clear bank fields; migrated, the line reads, its IBAN is learned, and the erasure leaves nothing readable', async () => {
    const old = await startApi(oldDir);
    try {
      const refused = await old.http().post('/customers/sk/erase').send({ reason: 'GDPR request' }).expect(409);
      expect(refused.body).toMatchObject({ code: 'PERSONAL_DATA_IN_CLEAR' });
      expect(refused.body.details.fields).toEqual(['CustomerRegistered.name', `BankEntryRecorded.debtorName (${entryId})`, `BankEntryRecorded.debtorIban (${entryId})`, `BankEntryRecorded.remittance (${entryId})`]);
      // A v1 match teaches nothing: its IBAN has no keyed hash.
      expect(await old.app.get(ReadModels).find('bank-entries', { kind: 'iban' })).toEqual([]);
    } finally {
      await old.app.close();
    }

    const r = await ar(oldDir, 'migrate', 'pii', '--to', newDir);
    expect(r.code).toBe(0);
    // The customer's registration and the line's two events; the fourth is the admin key the old API's start recorded.
    expect(r.out).toMatch(/Migrated 4 events in 3 streams .*; 3 events had personal data sealed/);
    for (const needle of [NAME, IBAN, 'Kowalczyk']) expect(holds(newDir, needle)).toEqual([]);

    const h = await startApi(newDir, { AR_RETENTION_YEARS: '0' });
    try {
      expect((await h.http().get(`/bank-entries/${entryId}`).expect(200)).body).toMatchObject({
        debtorName: NAME, debtorIban: 'FR14*******************2606', remittance: 'Acompte S. Kowalczyk', customerId: 'sk', payerErased: false,
        match: { evidence: [`payer "${NAME}" resembles customer "${NAME}" (100 %)`] },
      });
      expect(await h.app.get(ReadModels).find('bank-entries', { kind: 'iban' })).toEqual([expect.objectContaining({ customerId: 'sk', ibanKey: expect.stringMatching(/^h1:/) })]);

      expect((await h.http().post('/customers/sk/erase').send({ reason: 'GDPR request' }).expect(200)).body).toMatchObject({ erased: true, bankEntries: 1 });
      expect((await h.http().get(`/bank-entries/${entryId}`).expect(200)).body).toMatchObject({
        debtorName: '[erased]', debtorIban: '[erased]', remittance: '[erased]', amount: '120.00', payerErased: true, match: { evidence: ['[erased]'], unapplied: '120.00' },
      });
      expect(await h.app.get(ReadModels).find('bank-entries', { kind: 'iban' })).toEqual([]);
      await h.projector().rebuild();
      expect(await h.app.get(ReadModels).find('bank-entries', { kind: 'iban' })).toEqual([]);
      for (const needle of [NAME, IBAN, 'Kowalczyk']) expect(holds(newDir, needle)).toEqual([]);
      const v = await ar(newDir, 'verify', '--heads', join(newDir, 'pii-migration-heads-new.json'));
      expect({ code: v.code, err: v.err }).toEqual({ code: 0, err: '' });
      const again = await ar(newDir, 'privacy', 'reapply-erasures');
      expect(again).toMatchObject({ code: 0, out: '1 erased customer(s) in the log; 0 key(s) found again and destroyed\n' });
    } finally {
      await h.close();
    }
  });
});
