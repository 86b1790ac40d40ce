import type { BankEntry } from './bank-entry';
import { bankEntryDecider as d } from './bank-entry.decider';
import type { BankEntryEvent } from './bank-entry.decider';

const credit: BankEntry = {
  entryId: 'e1', statementId: 's1', account: 'FR76', bookingDate: '2026-03-10', valueDate: null, direction: 'credit', amount: 120000, currency: 'EUR',
  bankRef: 'BQ-1', endToEndId: 'E2E-1', debtorName: 'ACME', debtorIban: 'DE89', remittance: 'INV-000001', structuredRef: null, transactionCode: null, isReturn: false,
};
const given = (...events: BankEntryEvent[]) => events.reduce(d.evolve, d.initialState());
const match = { type: 'MatchBankEntry' as const, entryId: 'e1', customerId: 'acme', paymentId: 'bank-e1', allocations: [{ invoiceId: 'a1', amount: 100000 }], rule: 'invoice_number' as const, confidence: 96, evidence: ['x'], how: 'automatic' as const, by: 'clerk', debtorIbanKey: 'h1:key-of-DE89' };

describe('bank entry decider', () => {
  it('given nothing, when recorded, then BankEntryRecorded; recorded again: nothing', () => {
    expect(d.decide({ type: 'RecordBankEntry', entry: credit }, given())).toEqual([{ type: 'BankEntryRecorded', data: credit }]);
    expect(d.decide({ type: 'RecordBankEntry', entry: credit }, given({ type: 'BankEntryRecorded', data: credit }))).toEqual([]);
  });

  it('given a recorded credit, when matched, then BankEntryMatched with what stays unapplied (1 200.00 − 1 000.00 = 200.00) and the IBAN', () => {
    const [e] = d.decide(match, given({ type: 'BankEntryRecorded', data: credit }));
    expect(e).toMatchObject({ type: 'BankEntryMatched', data: { customerId: 'acme', unapplied: 20000, debtorIban: 'DE89', debtorIbanKey: 'h1:key-of-DE89', bookingDate: '2026-03-10', amount: 120000 } });
  });

  it('given a recorded credit without an IBAN, when matched, then no keyed hash is learned', () => {
    const [e] = d.decide(match, given({ type: 'BankEntryRecorded', data: { ...credit, debtorIban: null } }));
    expect(e).toMatchObject({ type: 'BankEntryMatched', data: { debtorIban: null, debtorIbanKey: null } });
  });

  it('refuses allocations above the entry, a second match, matching a debit, and a reject without a suggestion', () => {
    const recorded = given({ type: 'BankEntryRecorded', data: credit });
    expect(() => d.decide({ ...match, allocations: [{ invoiceId: 'a1', amount: 120001 }] }, recorded)).toThrow(expect.objectContaining({ code: 'ALLOCATIONS_EXCEED_ENTRY' }));
    const [m] = d.decide(match, recorded);
    expect(() => d.decide(match, d.evolve(recorded, m as BankEntryEvent))).toThrow(expect.objectContaining({ code: 'BANK_ENTRY_ALREADY_MATCHED' }));
    expect(() => d.decide(match, given({ type: 'BankEntryRecorded', data: { ...credit, direction: 'debit' } }))).toThrow(expect.objectContaining({ code: 'BANK_ENTRY_NOT_A_CREDIT' }));
    expect(() => d.decide({ type: 'RejectSuggestion', entryId: 'e1', reason: 'no', by: 'x' }, recorded)).toThrow(expect.objectContaining({ code: 'NO_SUGGESTION' }));
    expect(() => d.decide(match, given())).toThrow(expect.objectContaining({ code: 'BANK_ENTRY_NOT_FOUND' }));
  });

  it('given a suggestion, when rejected, then BankEntrySuggestionRejected, and a manual match is still possible', () => {
    const cands = [{ customerId: 'acme', allocations: [{ invoiceId: 'a1', number: 'INV-1', amount: 120000 }], unapplied: 0, rule: 'payer_name' as const, confidence: 70, evidence: [], shortfall: 0 }];
    const suggested = given({ type: 'BankEntryRecorded', data: credit }, { type: 'BankEntrySuggested', data: { entryId: 'e1', candidates: cands } });
    const [r] = d.decide({ type: 'RejectSuggestion', entryId: 'e1', reason: 'not ours', by: 'clerk' }, suggested);
    expect(r).toEqual({ type: 'BankEntrySuggestionRejected', data: { entryId: 'e1', reason: 'not ours', by: 'clerk' } });
    expect(d.decide({ ...match, how: 'manual', rule: 'manual' }, d.evolve(suggested, r as BankEntryEvent))[0].type).toBe('BankEntryMatched');
  });

  it('given a returned debit, when the return is applied, then BankEntryReturnApplied once', () => {
    const debit = given({ type: 'BankEntryRecorded', data: { ...credit, entryId: 'e2', direction: 'debit', isReturn: true } });
    const cmd = { type: 'ApplyReturn' as const, entryId: 'e2', returnedEntryId: 'e1', paymentId: 'bank-e1', customerId: 'acme' };
    const [e] = d.decide(cmd, debit);
    expect(e).toMatchObject({ type: 'BankEntryReturnApplied', data: { paymentId: 'bank-e1', bookingDate: '2026-03-10' } });
    expect(d.decide(cmd, d.evolve(debit, e as BankEntryEvent))).toEqual([]);
  });

  it('given an entry matched to acme, when acme is erased, then BankEntryPayerErased once, with the learned IBAN\'s key; the entry stays matched', () => {
    const recorded = given({ type: 'BankEntryRecorded', data: credit });
    const matched = d.evolve(recorded, d.decide(match, recorded)[0]);
    const erase = { type: 'ErasePayer' as const, entryId: 'e1', customerId: 'acme' };
    const [e] = d.decide(erase, matched);
    expect(e).toEqual({ type: 'BankEntryPayerErased', data: { entryId: 'e1', customerId: 'acme', debtorIbanKey: 'h1:key-of-DE89' } });
    const after = d.evolve(matched, e);
    expect(after).toMatchObject({ status: 'matched', customerId: 'acme', paymentId: 'bank-e1', payerErased: true });
    expect(d.decide(erase, after)).toEqual([]);
  });

  it('refuses to erase the payer of an entry that is not bound to that customer (unmatched, or another customer\'s)', () => {
    const recorded = given({ type: 'BankEntryRecorded', data: credit });
    expect(() => d.decide({ type: 'ErasePayer', entryId: 'e1', customerId: 'acme' }, recorded)).toThrow(expect.objectContaining({ code: 'BANK_ENTRY_NOT_BOUND' }));
    const matched = d.evolve(recorded, d.decide(match, recorded)[0]);
    expect(() => d.decide({ type: 'ErasePayer', entryId: 'e1', customerId: 'globex' }, matched)).toThrow(expect.objectContaining({ code: 'BANK_ENTRY_NOT_BOUND' }));
  });

  it('given a return applied for acme\'s receipt, when acme is erased, then the returned debit\'s payer is erased too (no IBAN key: nothing was learned from it)', () => {
    const debit = given({ type: 'BankEntryRecorded', data: { ...credit, entryId: 'e2', direction: 'debit', isReturn: true } });
    const returned = d.evolve(debit, d.decide({ type: 'ApplyReturn', entryId: 'e2', returnedEntryId: 'e1', paymentId: 'bank-e1', customerId: 'acme' }, debit)[0]);
    expect(d.decide({ type: 'ErasePayer', entryId: 'e2', customerId: 'acme' }, returned)).toEqual([{ type: 'BankEntryPayerErased', data: { entryId: 'e2', customerId: 'acme', debtorIbanKey: null } }]);
  });
});
