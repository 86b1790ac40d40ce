import { bankEntryDecider } from '../domain/cash/bank-entry.decider';
import { MemoryDataKeyStore } from '../privacy/adapters/memory/memory-data-key-store';
import { PersonalData } from './privacy/personal-data';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Decider } from '../domain/shared/decider';
import { DomainError } from '../domain/shared/errors';
import { SqliteEventStore } from '../event-store/adapters/sqlite/sqlite-event-store';
import { verifyChain } from '../event-store/hash-chain';
import type { CommandContext } from './command-context';
import { inOneUnit, UnitOfWork } from './unit-of-work';
import { creditDecider } from '../domain/credit/credit.decider';

/** A purse: takes money out, never below zero. Enough to show a command refused on its second stream. */
type Take = { amount: number };
type Taken = { type: 'Taken'; data: { amount: number; left: number } };
const purse: Decider<Take, Taken, number> = {
  initialState: () => 100,
  evolve: (s, e) => e.data.left,
  decide: (c, s) => {
    if (c.amount > s) throw new DomainError('PURSE_SHORT', `only ${s} left`, { left: s });
    return [{ type: 'Taken', data: { amount: c.amount, left: s - c.amount } }];
  },
};
const ctx = (commandId: string): CommandContext => ({ actor: 'spec', recordedAt: '2026-02-01T10:00:00.000Z', commandId, correlationId: 'c', causationId: 'c' });

describe('unit of work: one command on several streams, all or nothing (ADR 0030)', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ar-uow-'));
    store = new SqliteEventStore({ path: join(dir, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given two purses, when the second part is refused, then nothing of the first is written', async () => {
    await inOneUnit(store, async (uow) => { await uow.decide('purse-b', purse, ctx('seed'), () => ({ amount: 90 })); });
    const head = await store.headPosition();
    const refused = inOneUnit(store, async (uow) => {
      await uow.decide('purse-a', purse, ctx('cmd|a'), () => ({ amount: 60 })); // fine on its own
      await uow.decide('purse-b', purse, ctx('cmd|b'), () => ({ amount: 20 })); // 10 left: refused
    });
    await expect(refused).rejects.toMatchObject({ code: 'PURSE_SHORT', details: { left: 10 } });
    expect(await store.headPosition()).toBe(head);
    expect(await store.readStream('purse-a')).toEqual([]);
  });

  it('decides a second step on a stream against the first (same unit), chains both, and a replay adds nothing', async () => {
    const work = async (uow: UnitOfWork) => {
      const one = await uow.decide('purse-a', purse, ctx('cmd|1'), () => ({ amount: 60 }));
      const two = await uow.decide('purse-a', purse, ctx('cmd|2'), (left) => ({ amount: left })); // 40 left after the first
      return [one, two];
    };
    const first = await inOneUnit(store, work);
    const stored = await store.readStream('purse-a');
    expect(stored.map((e) => e.data)).toEqual([{ amount: 60, left: 40 }, { amount: 40, left: 0 }]);
    expect(stored.map((e) => e.metadata.commandId)).toEqual(['cmd|1', 'cmd|2']);
    expect(verifyChain(stored)).toBeNull();
    expect(first.value.map((s) => s.events[0].position)).toEqual(stored.map((e) => e.position));
    const again = await inOneUnit(store, work);
    expect(again.value.every((s) => s.replayed)).toBe(true);
    expect(await store.readStream('purse-a')).toHaveLength(2);
  });

  it('decides the whole command again on fresh state after a concurrent write to one of its streams', async () => {
    let attempts = 0;
    const { value } = await inOneUnit(store, async (uow) => {
      attempts += 1;
      const a = await uow.decide('purse-a', purse, ctx('cmd|a'), () => ({ amount: 10 }));
      const b = await uow.decide('purse-b', purse, ctx('cmd|b'), (left) => ({ amount: left }));
      // Another command takes 30 from purse-b after this unit read it (first attempt only).
      if (attempts === 1) await inOneUnit(store, async (other) => { await other.decide('purse-b', purse, ctx('other'), () => ({ amount: 30 })); });
      return { a, b };
    });
    expect(attempts).toBe(2);
    expect(value.b.events[0].data).toEqual({ amount: 70, left: 0 }); // 100 − 30 by the other, then the rest
    expect((await store.readStream('purse-a')).map((e) => e.data)).toEqual([{ amount: 10, left: 90 }]);
    expect((await store.readStream('purse-b')).map((e) => e.data)).toEqual([{ amount: 30, left: 70 }, { amount: 70, left: 0 }]);
  });

  it('refuses to stage an event carrying personal data: only EventSourcedRepository seals it (ADR 0082)', async () => {
    const register = inOneUnit(store, async (uow) => {
      await uow.decide('credit-c1', creditDecider, ctx('reg'), () => ({ type: 'RegisterCustomer' as const, customerId: 'c1', name: 'Clear Name SARL', currency: 'EUR', creditLimit: 0, paymentTermsDays: 30 }));
    });
    await expect(register).rejects.toThrow(/CustomerRegistered carries personal data/);
    expect(await store.headPosition()).toBe(-1);
  });

  it('refuses a bank entry whose payer fields are in clear, and takes it sealed (ADR 0090)', async () => {
    const entry = {
      entryId: 'e9', statementId: 's9', account: 'FR7630006000011234567890189', bookingDate: '2026-03-10', valueDate: null, direction: 'credit' as const, amount: 120000,
      currency: 'EUR', bankRef: 'BQ-9', endToEndId: null, debtorName: 'Hortense Vasseur', debtorIban: 'FR1420041010050500013M02606', remittance: 'INV-000009',
      structuredRef: null, transactionCode: null, isReturn: false,
    };
    const record = (e: typeof entry) => inOneUnit(store, async (uow) => { await uow.decide('bankentry-e9', bankEntryDecider, ctx('rec'), () => ({ type: 'RecordBankEntry' as const, entry: e })); });
    await expect(record(entry)).rejects.toThrow(/in clear: BankEntryRecorded.debtorName, BankEntryRecorded.debtorIban, BankEntryRecorded.remittance/);
    expect(await store.headPosition()).toBe(-1);
    const pii = new PersonalData(new MemoryDataKeyStore(), { dataKeyCacheSize: 10 });
    const [sealed] = await pii.seal([{ type: 'BankEntryRecorded', data: entry }], '2026-12-02T00:00:00.000Z');
    await record(sealed.data);
    expect(JSON.stringify(await store.readStream('bankentry-e9'))).not.toMatch(/Hortense|Vasseur|FR1420041010050500013M02606|INV-000009/);
  });
});
