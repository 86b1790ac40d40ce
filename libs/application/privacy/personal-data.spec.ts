import { MemoryDataKeyStore } from '../../privacy/adapters/memory/memory-data-key-store';
import { isSealed } from '../../privacy/cipher';
import { DataKeyMissingError, PersonalData } from './personal-data';

/** A real SQLite log in a scratch directory, a memory key store, the repository over both, and reapplyErasures. */
async function reapplyWorld(prefix: string) {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { SqliteEventStore } = await import('../../event-store/adapters/sqlite/sqlite-event-store');
  const { EventSourcedRepository } = await import('../event-sourced-repository');
  const { reapplyErasures } = await import('./reapply-erasures');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
  const keys = new MemoryDataKeyStore();
  const pii = new PersonalData(keys, { dataKeyCacheSize: 10 });
  const repo = new EventSourcedRepository(store, pii);
  const dispose = async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { store, keys, pii, repo, reapplyErasures, dispose };
}

describe('PersonalData: the decrypting view', () => {
  type Ev = { type: string; data: Record<string, unknown> };
  const registered: Ev = { type: 'CustomerRegistered', data: { customerId: 'c1', name: 'Dupont SARL', currency: 'EUR', creditLimit: 0, paymentTermsDays: 30 } };
  const changed: Ev = { type: 'CustomerDetailsChanged', data: { customerId: 'c1', reason: 'r', changes: { phone: '+33123456789', siren: '732829320', billingEmails: ['a@dupont.example'] } } };

  it('seals the personal fields only (name, e-mails, phone, address), and opens them back', async () => {
    const pii = new PersonalData(new MemoryDataKeyStore(), { dataKeyCacheSize: 10 });
    const [r, c] = await pii.seal([registered, changed], '2026-12-01T10:00:00.000Z');
    expect(isSealed(r.data.name)).toBe(true);
    const changes = c.data.changes as Record<string, unknown>;
    expect(isSealed(changes.phone) && isSealed(changes.billingEmails)).toBe(true);
    expect(changes.siren).toBe('732829320');
    expect(JSON.stringify([r, c])).not.toMatch(/Dupont|dupont\.example|33123456789/);
    expect(await pii.open([r, c])).toEqual([registered, changed]);
    expect(await pii.name(r.data.name as string)).toBe('Dupont SARL');
    expect(pii.clearFields([r, c])).toEqual([]);
    expect(pii.clearFields([registered, changed])).toEqual(['CustomerRegistered.name', 'CustomerDetailsChanged.billingEmails', 'CustomerDetailsChanged.phone']);
  });

  it('after destroy: the erased marker in every sealed field, in this instance (cache evicted) and in a new one (store)', async () => {
    const keys = new MemoryDataKeyStore();
    const pii = new PersonalData(keys, { dataKeyCacheSize: 10 });
    const sealed = await pii.seal([registered, changed], '2026-12-01T10:00:00.000Z');
    await pii.open(sealed); // warms the cache
    await pii.destroy('c1', '2026-12-02T10:00:00.000Z');
    for (const view of [pii, new PersonalData(keys, { dataKeyCacheSize: 10 })]) {
      const [r, c] = await view.open(sealed);
      expect(r.data.name).toBe('[erased]');
      expect((c.data.changes as Record<string, unknown>)).toEqual({ phone: '[erased]', siren: '732829320', billingEmails: '[erased]' });
      expect(await view.reveal(sealed[0].data.name as string)).toEqual({ erased: true });
    }
    await expect(pii.seal([changed], '2026-12-03T10:00:00.000Z')).rejects.toMatchObject({ code: 'CUSTOMER_ERASED' });
  });

  it('a sealed value without any key (lost, not erased) is an error, never shown as erased', async () => {
    const sealed = await new PersonalData(new MemoryDataKeyStore(), { dataKeyCacheSize: 10 }).seal([registered], '2026-12-01T10:00:00.000Z');
    await expect(new PersonalData(new MemoryDataKeyStore(), { dataKeyCacheSize: 10 }).name(sealed[0].data.name as string)).rejects.toBeInstanceOf(DataKeyMissingError);
  });

  it('keeps at most dataKeyCacheSize keys in memory (least recently used evicted), reading the store again after', async () => {
    const keys = new MemoryDataKeyStore();
    const get = jest.spyOn(keys, 'get');
    const pii = new PersonalData(keys, { dataKeyCacheSize: 2 });
    const sealed = await pii.seal(['a', 'b', 'c'].map((id) => ({ ...registered, data: { ...registered.data, customerId: id, name: `N ${id}` } })), '2026-12-01T10:00:00.000Z');
    get.mockClear();
    await pii.name(sealed[1].data.name as string); // b, c cached: a evicted
    await pii.name(sealed[2].data.name as string);
    expect(get).not.toHaveBeenCalled();
    expect(await pii.name(sealed[0].data.name as string)).toBe('N a');
    expect(get).toHaveBeenCalledWith('a');
  });
});

describe('reapplyErasures: after a restore of the key store from a backup older than an erasure', () => {
  it('destroys again the key of every customer the log records erased, and only those', async () => {
    const { store, keys, repo, reapplyErasures, dispose } = await reapplyWorld('ar-reapply-');
    try {
      const ctx = (id: string) => ({ actor: 'admin', recordedAt: '2026-12-02T10:00:00.000Z', commandId: id, correlationId: id, causationId: id });
      for (const id of ['a', 'b']) {
        await repo.append({ streamId: `credit-${id}`, last: null }, [{ type: 'CustomerRegistered', data: { customerId: id, name: `Name ${id}`, currency: 'EUR', creditLimit: 0, paymentTermsDays: 30 } }], ctx(`reg-${id}`));
      }
      const a = (await store.readStream('credit-a'))[0];
      await repo.append({ streamId: 'credit-a', last: { revision: 0, hash: a.metadata.hash } }, [
        { type: 'CustomerErased', data: { customerId: 'a', reason: 'GDPR', erasedOn: '2026-12-02', retention: { years: 10, lastEntryOn: null, until: null } } },
      ], ctx('erase-a'));
      // The key store as restored from a backup taken before the erasure: a's key is active.
      const reopened = new PersonalData(keys, { dataKeyCacheSize: 10 });
      expect(await reopened.keyStatus('a')).toBe('active');
      expect(await reapplyErasures(store, reopened, '2026-12-03T00:00:00.000Z')).toEqual({ erased: 1, restoredKeysDestroyed: ['a'] });
      expect(await reopened.name(a.data.name as string)).toBe('[erased]');
      expect(await reopened.keyStatus('b')).toBe('active');
      // Again: nothing left to destroy.
      expect(await reapplyErasures(store, reopened, '2026-12-03T00:00:01.000Z')).toEqual({ erased: 1, restoredKeysDestroyed: [] });
    } finally {
      await dispose();
    }
  });

  describe('bank statement lines (ADR 0090)', () => {
    const at = '2026-12-02T09:00:00.000Z';
    const entry = {
      entryId: '7f0c2a54-0000-4000-8000-000000000001', statementId: 's1', account: 'FR7630006000011234567890189', bookingDate: '2026-03-10', valueDate: null,
      direction: 'credit', amount: 120000, currency: 'EUR', bankRef: 'BQ-1', endToEndId: 'E2E-1', debtorName: 'Hortense Vasseur',
      debtorIban: 'FR14 2004 1010 0505 0001 3M02 606', remittance: 'Facture INV-000001 Mme Vasseur', structuredRef: null, transactionCode: 'PMNT/RCDT/ESCT', isReturn: false,
    };
    type Ev = { type: string; data: Record<string, unknown> };
    const recorded: Ev = { type: 'BankEntryRecorded', data: entry };
    const registered: Ev = { type: 'CustomerRegistered', data: { customerId: 'c1', name: 'Dupont SARL', currency: 'EUR', creditLimit: 0, paymentTermsDays: 30 } };
    const matched: Ev = { type: 'BankEntryMatched', data: { entryId: entry.entryId, customerId: 'c1', paymentId: 'bank-e1', debtorIban: entry.debtorIban, debtorIbanKey: 'h1:x', amount: 120000 } };

    it('given a recorded line, when sealed, then name, IBAN and remittance are sealed with the entry\'s own key; the bank\'s facts stay clear', async () => {
      const keys = new MemoryDataKeyStore();
      const pii = new PersonalData(keys, { dataKeyCacheSize: 10 });
      const [r, m] = await pii.seal([recorded, matched], at);
      for (const f of ['debtorName', 'debtorIban', 'remittance']) expect(String(r.data[f])).toMatch(/^pii:1:bankentry~7f0c2a54-0000-4000-8000-000000000001:/);
      expect(String(m.data.debtorIban)).toMatch(/^pii:1:bankentry~7f0c2a54-0000-4000-8000-000000000001:/);
      expect(r.data).toMatchObject({ amount: 120000, bankRef: 'BQ-1', endToEndId: 'E2E-1', account: entry.account, bookingDate: '2026-03-10' });
      expect(m.data).toMatchObject({ customerId: 'c1', debtorIbanKey: 'h1:x' });
      expect(JSON.stringify([r, m])).not.toMatch(/Hortense|Vasseur|FR14|3M02/);
      expect(pii.clearFields([recorded, matched])).toEqual(['BankEntryRecorded.debtorName', 'BankEntryRecorded.debtorIban', 'BankEntryRecorded.remittance', 'BankEntryMatched.debtorIban']);
      expect(pii.clearFields([r, m])).toEqual([]);
      expect((await pii.open([r, m])).map((e) => e.data)).toEqual([recorded.data, matched.data]);
      // The customer's key is not the entry's: an unmatched line belongs to no customer yet.
      expect(await keys.get('c1')).toBeNull();
    });

    it('leaves a missing name or IBAN and an empty remittance as they are (nothing to seal, nothing in clear)', async () => {
      const bare: Ev = { type: 'BankEntryRecorded', data: { ...entry, debtorName: null, debtorIban: null, remittance: '' } };
      const pii = new PersonalData(new MemoryDataKeyStore(), { dataKeyCacheSize: 10 });
      const [r] = await pii.seal([bare], at);
      expect(r).toBe(bare);
      expect(pii.clearFields([bare])).toEqual([]);
    });

    it('given the entry\'s key destroyed, when read, then its payer fields show the erased marker and the customer\'s own data still opens', async () => {
      const pii = new PersonalData(new MemoryDataKeyStore(), { dataKeyCacheSize: 10 });
      const [r, c] = await pii.seal([recorded, registered], at);
      await pii.destroy('bankentry~7f0c2a54-0000-4000-8000-000000000001', at);
      const [or, oc] = await pii.open([r, c]);
      expect(or.data).toMatchObject({ debtorName: '[erased]', debtorIban: '[erased]', remittance: '[erased]', amount: 120000 });
      expect(oc.data.name).toBe('Dupont SARL');
      await expect(pii.seal([matched], at)).rejects.toMatchObject({ code: 'BANK_ENTRY_PAYER_ERASED' });
    });

    it('given a key-store backup restored after a payer\'s erasure, when erasures are reapplied, then the entry\'s key is destroyed again, and only that one', async () => {
      const { store, pii, repo, reapplyErasures, dispose } = await reapplyWorld('ar-reapply-bank-');
      try {
        const ctx = (id: string) => ({ actor: 'admin', recordedAt: at, commandId: id, correlationId: id, causationId: id });
        for (const id of ['e1', 'e2']) await repo.append({ streamId: `bankentry-${id}`, last: null }, [{ type: 'BankEntryRecorded', data: { ...entry, entryId: id } }], ctx(`rec-${id}`));
        const head = (await store.readStream('bankentry-e1'))[0];
        await repo.append({ streamId: 'bankentry-e1', last: { revision: 0, hash: head.metadata.hash } }, [{ type: 'BankEntryPayerErased', data: { entryId: 'e1', customerId: 'c1', debtorIbanKey: null } }], ctx('erase-e1'));
        expect(await reapplyErasures(store, pii, '2026-12-03T00:00:00.000Z')).toEqual({ erased: 0, restoredKeysDestroyed: ['bankentry~e1'] });
        expect(await pii.name(head.data.debtorName as string)).toBe('[erased]');
        expect(await pii.keyStatus('bankentry~e2')).toBe('active');
      } finally {
        await dispose();
      }
    });

    it('prepares a statement\'s entry keys in one write, only those missing, and sealing then creates none', async () => {
      const keys = new MemoryDataKeyStore();
      const pii = new PersonalData(keys, { dataKeyCacheSize: 10 });
      await pii.seal([{ type: 'BankEntryRecorded', data: { ...entry, entryId: 'a' } }], at);
      const many = jest.spyOn(keys, 'createMany');
      const one = jest.spyOn(keys, 'create');
      await pii.prepareEntryKeys(['a', 'b', 'c'], at);
      expect(many).toHaveBeenCalledTimes(1);
      expect(many.mock.calls[0][0].map((c) => c.id)).toEqual(['bankentry~b', 'bankentry~c']);
      await pii.seal(['b', 'c'].map((entryId) => ({ type: 'BankEntryRecorded', data: { ...entry, entryId } })), at);
      expect(one).not.toHaveBeenCalled();
    });

    it('keys a learned IBAN by an HMAC: the same account whatever its spacing, another key store another key, and never the IBAN itself', async () => {
      const key = await new PersonalData(new MemoryDataKeyStore(), { dataKeyCacheSize: 10 }).ibanKeyer(at);
      const other = await new PersonalData(new MemoryDataKeyStore(), { dataKeyCacheSize: 10 }).ibanKeyer(at);
      const k = key('FR14 2004 1010 0505 0001 3M02 606');
      expect(k).toBe(key('fr1420041010050500013m02606'));
      expect(k).toMatch(/^h1:[A-Za-z0-9_-]{43}$/);
      expect(k).not.toContain('2004');
      expect(key('FR7630006000011234567890189')).not.toBe(k);
      // Without the secret, a dictionary of IBANs cannot be tested against the read store.
      expect(other('FR1420041010050500013M02606')).not.toBe(k);
    });
  });
});
