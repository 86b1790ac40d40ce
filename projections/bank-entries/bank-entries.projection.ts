import type { BankEntry } from '../../libs/domain/cash/bank-entry';
import { upcastBankEntryMatched, type CashEvent } from '../../libs/domain/cash/cash.events';
import type { Candidate } from '../../libs/domain/cash/matching';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';

export type BankEntryStatus = 'unmatched' | 'suggested' | 'matched' | 'rejected' | 'debit' | 'return_applied';

/**
 * One statement line and what became of it (cash application, ADR 0085–0087). The payer's fields (`debtorName`,
 * `debtorIban`, `remittance`) are held as the log holds them, sealed with the entry's data key (ADR 0090): readers
 * open them through PersonalData. `customerId`: the customer the entry is bound to (matched, or whose receipt it
 * returned); `payerErased`: that customer was erased, and the payer's data with it.
 */
export type BankEntryView = BankEntry & {
  kind: 'entry';
  status: BankEntryStatus;
  customerId: string | null;
  payerErased: boolean;
  candidates: Candidate[];
  match: { customerId: string; paymentId: string; allocations: Array<{ invoiceId: string; amount: number }>; unapplied: number; rule: string; confidence: number; evidence: string[]; how: string; by: string } | null;
  rejected: { reason: string; by: string } | null;
  returned: { returnedEntryId: string; paymentId: string; customerId: string } | null;
  lastPosition: number;
};

/**
 * A payer's IBAN learned from a matched receipt: the customer it pays for (rule 3 of the matching). Keyed by the
 * IBAN's keyed hash (HMAC, ADR 0090), never the IBAN; forgotten when that customer is erased.
 */
export type LearnedIban = { kind: 'iban'; ibanKey: string; customerId: string; learnedOn: string; entryId: string };

export type StatementView = { kind: 'statement'; statementId: string; format: string; sourceId: string; account: string; fromDate: string | null; toDate: string | null; recorded: number; importedAt: string };

type Doc = BankEntryView | LearnedIban | StatementView;

const cash = (e: ProjectedEvent) => e as unknown as CashEvent & { position: number; metadata: ProjectedEvent['metadata'] };

/** The statement and entry events `keysOf` names documents for; none for any other type. */
const TYPES: ReadonlySet<string> = new Set(['BankStatementImported', 'BankEntryRecorded', 'BankEntrySuggested', 'BankEntrySuggestionRejected', 'BankEntryReturnApplied', 'BankEntryMatched', 'BankEntryPayerErased']);

export const bankEntriesProjection: Projection<Doc> = {
  name: 'bank-entries',
  // v2 (ADR 0090): learned IBANs under their keyed hash, forgotten on erasure; entries bound to a customer.
  version: 2,
  indexes: ['kind', 'status', 'endToEndId', 'bookingDate', 'bankRef', 'customerId'],
  eventTypes: TYPES,
  keysOf(event) {
    if (!TYPES.has(event.type)) return [];
    const e = cash(event);
    switch (e.type) {
      case 'BankStatementImported': return [`statement:${e.data.statementId}`];
      case 'BankEntryRecorded': case 'BankEntrySuggested': case 'BankEntrySuggestionRejected': case 'BankEntryReturnApplied': return [`entry:${e.data.entryId}`];
      case 'BankEntryMatched': case 'BankEntryPayerErased': {
        const key = e.type === 'BankEntryMatched' ? upcastBankEntryMatched(e.data).debtorIbanKey : e.data.debtorIbanKey;
        return key ? [`entry:${e.data.entryId}`, `iban:${key}`] : [`entry:${e.data.entryId}`];
      }
      default: return [];
    }
  },
  evolve(doc, event) {
    const e = cash(event);
    if (e.type === 'BankStatementImported') {
      const d = e.data;
      return { kind: 'statement', statementId: d.statementId, format: d.format, sourceId: d.sourceId, account: d.account, fromDate: d.fromDate, toDate: d.toDate, recorded: d.recorded, importedAt: e.metadata.recordedAt };
    }
    if (e.type === 'BankEntryMatched' && doc !== null && doc.kind === 'iban') {
      return { ...doc, customerId: e.data.customerId, learnedOn: e.data.bookingDate, entryId: e.data.entryId };
    }
    // The erased customer's IBAN is forgotten, unless another customer has been paying from it since.
    if (e.type === 'BankEntryPayerErased' && doc !== null && doc.kind === 'iban') return doc.customerId === e.data.customerId ? null : doc;
    if (e.type === 'BankEntryRecorded') {
      if (doc !== null) return doc;
      return { ...e.data, kind: 'entry', status: e.data.direction === 'credit' ? 'unmatched' : 'debit', customerId: null, payerErased: false, candidates: [], match: null, rejected: null, returned: null, lastPosition: event.position };
    }
    if (doc === null) {
      // The entry document always exists before its match: a null document here is the IBAN's, learned for the first time.
      if (e.type === 'BankEntryMatched') {
        const key = upcastBankEntryMatched(e.data).debtorIbanKey;
        return key ? { kind: 'iban', ibanKey: key, customerId: e.data.customerId, learnedOn: e.data.bookingDate, entryId: e.data.entryId } : null;
      }
      return null;
    }
    if (doc.kind !== 'entry' || event.position <= doc.lastPosition) return doc;
    const at = { lastPosition: event.position };
    switch (e.type) {
      case 'BankEntrySuggested': return { ...doc, ...at, status: 'suggested', candidates: e.data.candidates };
      case 'BankEntrySuggestionRejected': return { ...doc, ...at, status: 'rejected', rejected: { reason: e.data.reason, by: e.data.by } };
      case 'BankEntryMatched': {
        const d = e.data;
        return { ...doc, ...at, status: 'matched', customerId: d.customerId, match: { customerId: d.customerId, paymentId: d.paymentId, allocations: d.allocations, unapplied: d.unapplied, rule: d.rule, confidence: d.confidence, evidence: d.evidence, how: d.how, by: d.by } };
      }
      case 'BankEntryPayerErased': return { ...doc, ...at, payerErased: true };
      case 'BankEntryReturnApplied': return { ...doc, ...at, status: 'return_applied', customerId: e.data.customerId, returned: { returnedEntryId: e.data.returnedEntryId, paymentId: e.data.paymentId, customerId: e.data.customerId } };
      default: return doc;
    }
  },
};
