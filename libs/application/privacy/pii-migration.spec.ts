import { chainEvents } from '../../event-store/hash-chain';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../event-store/adapters/sqlite/sqlite-event-store';
import type { StoredEvent } from '../../event-store/event-store.port';
import { MemoryDataKeyStore } from '../../privacy/adapters/memory/memory-data-key-store';
import type { CommandContext } from '../command-context';
import { EventSourcedRepository } from '../event-sourced-repository';
import { verifyLog } from '../reporting/log-verification';
import { migratePii } from './pii-migration';
import { PersonalData } from './personal-data';

/** `ar migrate pii` (ADR 0083): a log written before encryption, copied with its personal fields sealed and re-chained. */
describe('PII migration of a log written before encryption', () => {
  let dir: string;
  let source: SqliteEventStore;
  let target: SqliteEventStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ar-pii-migration-'));
    source = new SqliteEventStore({ path: join(dir, 'old.sqlite') });
    target = new SqliteEventStore({ path: join(dir, 'new.sqlite') });
    // Written as the engine did before this change: no PersonalData, personal fields in clear under the hashes.
    const legacy = new EventSourcedRepository(source);
    const ctx = (n: number): CommandContext => ({ actor: 'clerk.anna', recordedAt: `2025-01-0${n}T10:00:00.000Z`, commandId: `cmd-${n}`, correlationId: `cmd-${n}`, causationId: `cmd-${n}` });
    await legacy.append({ streamId: 'credit-c1', last: null }, [
      { type: 'CustomerRegistered', data: { customerId: 'c1', name: 'Anatole Brisebois', currency: 'EUR', creditLimit: 0, paymentTermsDays: 30 } },
    ], ctx(1));
    await legacy.append({ streamId: 'credit-c2', last: null }, [
      { type: 'CustomerRegistered', data: { customerId: 'c2', name: 'Octavie Marchetti', currency: 'EUR', creditLimit: 0, paymentTermsDays: 30 } },
    ], ctx(2));
    const c1 = (await source.readStream('credit-c1')).at(-1)!;
    await legacy.append({ streamId: 'credit-c1', last: { revision: c1.revision, hash: c1.metadata.hash } }, [
      { type: 'CustomerDetailsChanged', data: { customerId: 'c1', reason: 'r', changes: { billingEmails: ['anatole@brisebois.example'], siren: '732829320' } } },
      { type: 'CreditLimitChanged', data: { customerId: 'c1', previousLimit: 0, newLimit: 100_000, reason: 'review' } },
    ], ctx(3));
    await legacy.append({ streamId: 'invoicenumbers-INV', last: null }, [{ type: 'InvoiceNumberReserved', data: { series: 'INV', number: 'INV-000001', customerId: 'c1' } }], ctx(4));
  });
  afterAll(async () => { await source.close(); await target.close(); rmSync(dir, { recursive: true, force: true }); });

  const all = async (s: SqliteEventStore) => s.readAll(-1, 1000);

  it('seals the clear personal fields, re-chains, and records both logs\' heads side by side; each log verifies against its own', async () => {
    const pii = new PersonalData(new MemoryDataKeyStore(), { dataKeyCacheSize: 100 });
    const before = await all(source);
    expect(pii.clearFields(before)).toEqual(['CustomerRegistered.name', 'CustomerRegistered.name', 'CustomerDetailsChanged.billingEmails']);
    const record = await migratePii(source, target, pii, '2026-12-02T00:00:00.000Z', 2);
    expect(record).toMatchObject({ events: 5, sealedEvents: 3 });

    const after = await all(target);
    expect(pii.clearFields(after)).toEqual([]);
    expect(JSON.stringify(after)).not.toMatch(/Anatole|Brisebois|Octavie|brisebois\.example/);
    // Same facts, same order, same ids and metadata; only the sealed fields and the hashes differ.
    const strip = (e: StoredEvent) => ({ id: e.id, type: e.type, streamId: e.streamId, revision: e.revision, metadata: { ...e.metadata, hash: undefined, prevHash: undefined } });
    expect(after.map(strip)).toEqual(before.map(strip));
    expect((await pii.open(after)).map((e) => e.data)).toEqual(before.map((e) => e.data));

    expect((await verifyLog(source, record.old.heads)).verified).toBe(true);
    expect((await verifyLog(target, record.new.heads)).verified).toBe(true);
    // The old heads do not fit the new log where a stream was sealed: the record is what ties them.
    expect((await verifyLog(target, record.old.heads)).verified).toBe(false);
    const byStream = new Map(record.streams.map((s) => [s.streamId, s]));
    expect(byStream.get('credit-c1')).toMatchObject({ revision: 2, sealed: 2 });
    expect(byStream.get('credit-c1')!.newHash).not.toBe(byStream.get('credit-c1')!.oldHash);
    // A stream without personal data keeps its chain, hash for hash.
    expect(byStream.get('invoicenumbers-INV')).toMatchObject({ sealed: 0 });
    expect(byStream.get('invoicenumbers-INV')!.newHash).toBe(byStream.get('invoicenumbers-INV')!.oldHash);

    // Now erasable: destroying c1's key leaves its facts and shows the marker.
    await pii.destroy('c1', '2026-12-02T00:00:01.000Z');
    const opened = await pii.open(after);
    expect(opened[0].data.name).toBe('[erased]');
    expect(opened[1].data.name).toBe('Octavie Marchetti');
  });

  it('refuses a target log that already holds events', async () => {
    await expect(migratePii(source, target, new PersonalData(new MemoryDataKeyStore(), { dataKeyCacheSize: 10 }), '2026-12-02T00:00:00.000Z'))
      .rejects.toMatchObject({ code: 'MIGRATION_TARGET_NOT_EMPTY' });
  });
});

/** ADR 0091: bank entry events written before ADR 0090 — payer in clear, evidence quoting names, no IBAN key. */
describe('PII migration of bank statement lines written before ADR 0090', () => {
  let dir: string;
  let source: SqliteEventStore;
  let target: SqliteEventStore;
  const PAYER = 'Ludovic Fontaine-Arnaud';
  const IBAN = 'FR1420041010050500013M02606';
  const entryId = '5d1e6c3a-0000-4000-8000-00000000000a';
  const recorded = {
    entryId, statementId: 's1', account: 'FR7630006000011234567890189', bookingDate: '2025-03-10', valueDate: null, direction: 'credit', amount: 120000,
    currency: 'EUR', bankRef: 'BQ-1', endToEndId: null, debtorName: PAYER, debtorIban: IBAN, remittance: 'Facture INV-000001 L. Fontaine', structuredRef: null,
    transactionCode: null, isReturn: false,
  };
  const oldEvidence = [`payer "${PAYER}" resembles customer "Fontaine Conseil" (80 %)`, 'amount equals invoice INV-000001'];
  const candidate = { customerId: 'fc', allocations: [{ invoiceId: 'i1', number: 'INV-000001', amount: 120000 }], unapplied: 0, rule: 'payer_name', confidence: 62, evidence: oldEvidence, shortfall: 0 };
  const matched = {
    entryId, customerId: 'fc', paymentId: `bank-${entryId}`, allocations: [{ invoiceId: 'i1', amount: 120000 }], unapplied: 0, rule: 'payer_name', confidence: 62,
    evidence: [...oldEvidence, 'accepted by a clerk'], how: 'accepted', by: 'clerk.anna', debtorIban: IBAN, bookingDate: '2025-03-10', currency: 'EUR', amount: 120000,
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ar-pii-migration-bank-'));
    source = new SqliteEventStore({ path: join(dir, 'old.sqlite') });
    target = new SqliteEventStore({ path: join(dir, 'new.sqlite') });
    // As the engine wrote them then: every event at schema v1, all in clear under the hashes.
    const meta = (n: number) => ({ actor: 'clerk.anna', recordedAt: `2025-03-1${n}T10:00:00.000Z`, commandId: `cmd-${n}`, correlationId: `cmd-${n}`, causationId: `cmd-${n}`, schemaVersion: 1 });
    await source.append(`bankentry-${entryId}`, 'no_stream', chainEvents(`bankentry-${entryId}`, null, [
      { id: 'e-rec', type: 'BankEntryRecorded', data: recorded, metadata: meta(0) },
      { id: 'e-sug', type: 'BankEntrySuggested', data: { entryId, candidates: [candidate] }, metadata: meta(1) },
      { id: 'e-mat', type: 'BankEntryMatched', data: matched, metadata: meta(2) },
    ]));
  });
  afterAll(async () => { await source.close(); await target.close(); rmSync(dir, { recursive: true, force: true }); });

  it('seals the payer and the old evidence with the entry\'s key, gives the match its IBAN key (v2), re-chains; each log verifies against its own heads', async () => {
    const pii = new PersonalData(new MemoryDataKeyStore(), { dataKeyCacheSize: 100 });
    const before = await source.readAll(-1, 100);
    expect(pii.clearFields(before)).toEqual(['BankEntryRecorded.debtorName', 'BankEntryRecorded.debtorIban', 'BankEntryRecorded.remittance', 'BankEntryMatched.debtorIban']);
    const record = await migratePii(source, target, pii, '2026-12-02T00:00:00.000Z');
    expect(record).toMatchObject({ events: 3, sealedEvents: 3 });
    const after = await target.readAll(-1, 100);
    expect(pii.clearFields(after)).toEqual([]);
    expect(JSON.stringify(after)).not.toMatch(/Ludovic|Fontaine|FR1420041010050500013M02606|0500013M02606/);
    expect(after.map((e) => [e.id, e.type, e.metadata.schemaVersion])).toEqual([['e-rec', 'BankEntryRecorded', 1], ['e-sug', 'BankEntrySuggested', 1], ['e-mat', 'BankEntryMatched', 2]]);
    const key = (await pii.ibanKeyer('2026-12-02T00:00:00.000Z'))(IBAN);
    expect(after[2].data.debtorIbanKey).toBe(key);

    const opened = await pii.open(after);
    expect(opened[0].data).toEqual(recorded);
    expect(opened[2].data).toMatchObject({ debtorIban: IBAN, amount: 120000, customerId: 'fc' });
    // The evidence, sealed whole, opens back as it was.
    expect(await pii.reveal(String((after[1].data.candidates as Array<{ evidence: string }>)[0].evidence))).toEqual({ erased: false, value: oldEvidence });
    expect(await pii.reveal(String(after[2].data.evidence))).toEqual({ erased: false, value: matched.evidence });

    expect((await verifyLog(source, record.old.heads)).verified).toBe(true);
    expect((await verifyLog(target, record.new.heads)).verified).toBe(true);

    // Now erasable: the entry's key destroyed, nothing of the payer opens.
    await pii.destroy(`bankentry~${entryId}`, '2026-12-02T00:00:01.000Z');
    const erased = await pii.open(after);
    expect(erased[0].data).toMatchObject({ debtorName: '[erased]', debtorIban: '[erased]', remittance: '[erased]', amount: 120000 });
    expect(await pii.reveal(String(after[2].data.evidence))).toEqual({ erased: true });
  });
});
