import type { BankEntry } from '../../libs/domain/cash/bank-entry';
import type { CashEvent } from '../../libs/domain/cash/cash.events';
import type { Candidate } from '../../libs/domain/cash/matching';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';

export type BankEntryStatus = 'unmatched' | 'suggested' | 'matched' | 'rejected' | 'debit' | 'return_applied';

/** One statement line and what became of it (cash application, ADR 0085–0087). */
export type BankEntryView = BankEntry & {
  kind: 'entry';
  status: BankEntryStatus;
  candidates: Candidate[];
  match: { customerId: string; paymentId: string; allocations: Array<{ invoiceId: string; amount: number }>; unapplied: number; rule: string; confidence: number; evidence: string[]; how: string; by: string } | null;
  rejected: { reason: string; by: string } | null;
  returned: { returnedEntryId: string; paymentId: string; customerId: string } | null;
  lastPosition: number;
};

/** A payer's IBAN learned from a matched receipt: the customer it pays for (rule 3 of the matching). */
export type LearnedIban = { kind: 'iban'; iban: string; customerId: string; learnedOn: string; entryId: string };

export type StatementView = { kind: 'statement'; statementId: string; format: string; sourceId: string; account: string; fromDate: string | null; toDate: string | null; recorded: number; importedAt: string };

type Doc = BankEntryView | LearnedIban | StatementView;

const cash = (e: ProjectedEvent) => e as unknown as CashEvent & { position: number; metadata: ProjectedEvent['metadata'] };

export const bankEntriesProjection: Projection<Doc> = {
  name: 'bank-entries',
  version: 1,
  indexes: ['kind', 'status', 'endToEndId', 'bookingDate', 'bankRef'],
  keysOf(event) {
    const e = cash(event);
    switch (e.type) {
      case 'BankStatementImported': return [`statement:${e.data.statementId}`];
      case 'BankEntryRecorded': case 'BankEntrySuggested': case 'BankEntrySuggestionRejected': case 'BankEntryReturnApplied': return [`entry:${e.data.entryId}`];
      case 'BankEntryMatched': return e.data.debtorIban ? [`entry:${e.data.entryId}`, `iban:${e.data.debtorIban}`] : [`entry:${e.data.entryId}`];
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
    if (e.type === 'BankEntryRecorded') {
      if (doc !== null) return doc;
      return { ...e.data, kind: 'entry', status: e.data.direction === 'credit' ? 'unmatched' : 'debit', candidates: [], match: null, rejected: null, returned: null, lastPosition: event.position };
    }
    if (doc === null) {
      // The entry document always exists before its match: a null document here is the IBAN's, learned for the first time.
      if (e.type === 'BankEntryMatched' && e.data.debtorIban) return { kind: 'iban', iban: e.data.debtorIban, customerId: e.data.customerId, learnedOn: e.data.bookingDate, entryId: e.data.entryId };
      return null;
    }
    if (doc.kind !== 'entry' || event.position <= doc.lastPosition) return doc;
    const at = { lastPosition: event.position };
    switch (e.type) {
      case 'BankEntrySuggested': return { ...doc, ...at, status: 'suggested', candidates: e.data.candidates };
      case 'BankEntrySuggestionRejected': return { ...doc, ...at, status: 'rejected', rejected: { reason: e.data.reason, by: e.data.by } };
      case 'BankEntryMatched': {
        const d = e.data;
        return { ...doc, ...at, status: 'matched', match: { customerId: d.customerId, paymentId: d.paymentId, allocations: d.allocations, unapplied: d.unapplied, rule: d.rule, confidence: d.confidence, evidence: d.evidence, how: d.how, by: d.by } };
      }
      case 'BankEntryReturnApplied': return { ...doc, ...at, status: 'return_applied', returned: { returnedEntryId: e.data.returnedEntryId, paymentId: e.data.paymentId, customerId: e.data.customerId } };
      default: return doc;
    }
  },
};
