import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/errors';
import type { BankEntry } from './bank-entry';
import type { BankEntryMatched, BankEntryPayerErased, BankEntryRecorded, BankEntryReturnApplied, BankEntrySuggested, BankEntrySuggestionRejected } from './cash.events';
import type { Candidate } from './matching';

export type BankEntryEvent = BankEntryRecorded | BankEntryMatched | BankEntrySuggested | BankEntrySuggestionRejected | BankEntryReturnApplied | BankEntryPayerErased;

/** `payerErased`: the payer's data went with the erased customer's (ADR 0090); the entry's life goes on. */
export type BankEntryState =
  | { status: 'none' }
  | { status: 'recorded' | 'suggested' | 'rejected'; entry: BankEntry; candidates: Candidate[]; payerErased?: true }
  | { status: 'matched'; entry: BankEntry; customerId: string; paymentId: string; debtorIbanKey: string | null; payerErased?: true }
  | { status: 'return_applied'; entry: BankEntry; paymentId: string; customerId: string; payerErased?: true };

export type BankEntryCommand =
  | { type: 'RecordBankEntry'; entry: BankEntry }
  | { type: 'MatchBankEntry'; entryId: string; customerId: string; paymentId: string; allocations: Array<{ invoiceId: string; amount: number }>;
      rule: BankEntryMatched['data']['rule']; confidence: number; evidence: string[]; how: BankEntryMatched['data']['how']; by: string;
      /** The keyed hash of the entry's IBAN (computed by the caller, which holds the secret; null: no IBAN). */
      debtorIbanKey: string | null }
  | { type: 'SuggestBankEntry'; entryId: string; candidates: Candidate[] }
  | { type: 'RejectSuggestion'; entryId: string; reason: string; by: string }
  | { type: 'ApplyReturn'; entryId: string; returnedEntryId: string; paymentId: string; customerId: string }
  /** The customer `customerId` was erased: so is the payer of its matched (or returned) entry. */
  | { type: 'ErasePayer'; entryId: string; customerId: string };

const notFound = (entryId: string) => new DomainError('BANK_ENTRY_NOT_FOUND', `No bank entry ${entryId}`, { entryId }, 'not_found');

/** A bank entry's life: recorded, then matched (once), suggested, rejected, or — for a return — applied. */
export const bankEntryDecider: Decider<BankEntryCommand, BankEntryEvent, BankEntryState> = {
  initialState: () => ({ status: 'none' }),
  decide(c, s) {
    if (c.type === 'RecordBankEntry') return s.status === 'none' ? [{ type: 'BankEntryRecorded', data: c.entry }] : [];
    if (s.status === 'none') throw notFound(c.entryId);
    const entry = s.entry;
    switch (c.type) {
      case 'MatchBankEntry': {
        if (s.status === 'matched' || s.status === 'return_applied') {
          throw new DomainError('BANK_ENTRY_ALREADY_MATCHED', `Bank entry ${c.entryId} is already matched`, { entryId: c.entryId, field: 'entryId', ...(s.status === 'matched' ? { paymentId: s.paymentId, customerId: s.customerId } : {}) }, 'conflict');
        }
        if (entry.direction !== 'credit') throw new DomainError('BANK_ENTRY_NOT_A_CREDIT', 'Only money received is matched to invoices', { entryId: c.entryId, field: 'entryId' });
        const allocated = c.allocations.reduce((sum, a) => sum + a.amount, 0);
        if (allocated > entry.amount) {
          throw new DomainError('ALLOCATIONS_EXCEED_ENTRY', `Allocations total ${allocated} minor units; the entry brought ${entry.amount}`, { field: 'allocations', allocated, amount: entry.amount });
        }
        return [{ type: 'BankEntryMatched', data: {
          entryId: c.entryId, customerId: c.customerId, paymentId: c.paymentId, allocations: c.allocations, unapplied: entry.amount - allocated,
          rule: c.rule, confidence: c.confidence, evidence: c.evidence, how: c.how, by: c.by, debtorIban: entry.debtorIban,
          debtorIbanKey: entry.debtorIban === null ? null : c.debtorIbanKey, bookingDate: entry.bookingDate, currency: entry.currency, amount: entry.amount,
        } }];
      }
      case 'SuggestBankEntry':
        if (s.status !== 'recorded') return [];
        return c.candidates.length === 0 ? [] : [{ type: 'BankEntrySuggested', data: { entryId: c.entryId, candidates: c.candidates } }];
      case 'RejectSuggestion':
        if (s.status !== 'suggested') throw new DomainError('NO_SUGGESTION', `Bank entry ${c.entryId} has no suggestion waiting`, { entryId: c.entryId, status: s.status }, 'conflict');
        return [{ type: 'BankEntrySuggestionRejected', data: { entryId: c.entryId, reason: c.reason, by: c.by } }];
      case 'ApplyReturn':
        if (s.status === 'return_applied') return [];
        if (entry.direction !== 'debit') throw new DomainError('BANK_ENTRY_NOT_A_RETURN', 'Only a debit returns a receipt', { entryId: c.entryId });
        return [{ type: 'BankEntryReturnApplied', data: { entryId: c.entryId, returnedEntryId: c.returnedEntryId, paymentId: c.paymentId, customerId: c.customerId, bookingDate: entry.bookingDate } }];
      case 'ErasePayer': {
        const boundTo = s.status === 'matched' || s.status === 'return_applied' ? s.customerId : null;
        if (boundTo !== c.customerId) {
          throw new DomainError('BANK_ENTRY_NOT_BOUND', `Bank entry ${c.entryId} is not matched to customer ${c.customerId}: its payer is not theirs to erase`, { entryId: c.entryId, customerId: c.customerId, status: s.status }, 'conflict');
        }
        if (s.payerErased) return [];
        return [{ type: 'BankEntryPayerErased', data: { entryId: c.entryId, customerId: c.customerId, debtorIbanKey: s.status === 'matched' ? s.debtorIbanKey : null } }];
      }
    }
  },
  evolve(s, e) {
    switch (e.type) {
      case 'BankEntryRecorded': return { status: 'recorded', entry: e.data, candidates: [] };
      case 'BankEntryMatched': return s.status === 'none' ? s : { status: 'matched', entry: s.entry, customerId: e.data.customerId, paymentId: e.data.paymentId, debtorIbanKey: e.data.debtorIbanKey ?? null };
      case 'BankEntrySuggested': return s.status === 'none' ? s : { status: 'suggested', entry: s.entry, candidates: e.data.candidates };
      case 'BankEntrySuggestionRejected': return s.status === 'none' ? s : { status: 'rejected', entry: s.entry, candidates: [] };
      case 'BankEntryReturnApplied': return s.status === 'none' ? s : { status: 'return_applied', entry: s.entry, paymentId: e.data.paymentId, customerId: e.data.customerId };
      case 'BankEntryPayerErased': return s.status === 'none' ? s : { ...s, payerErased: true };
    }
  },
};
