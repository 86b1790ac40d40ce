import type { CalendarDate } from '../../libs/domain/shared/dates';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';
import { positionKey } from '../audit-trail/audit-trail.projection';
import { JOURNAL_EVENT_TYPES, journalEntryOf, type JournalEntryDraft } from './journal-rules';
import { letteringDocuments } from './lettering-documents';

/**
 * One journal entry (écriture) per money-moving event, keyed `<date>|<position>` so that key order is the
 * export order: by accounting date, then log order.
 */
export type JournalEntry = JournalEntryDraft & {
  sortKey: string;
  position: number;
  customerId: string;
  eventType: string;
  /** Day the fact was recorded (FEC ValidDate). */
  recordedOn: CalendarDate;
  /** The AR documents its 411 line concerns, for lettering (`invoice:<id>`, `payment:<id>`, `creditnote:<id>`). */
  documents: string[];
};

export function journalKey(date: CalendarDate, position: number): string {
  return `${date}|${positionKey(position)}`;
}

export const journalProjection: Projection<JournalEntry> = {
  name: 'journal',
  /** v5: VAT lines per rate; VAT corrected on credit notes, discounts and write-offs (ADR 0033–0035); `documents` for lettering and the EUR 40 recovery compensation on its own role (7588, ADR 0050). v6: the compensation's euro value on its line (`fixed`, ADR 0053). v7: bank statement lines through the suspense account (471, ADR 0087). v8: bank fees written off to 627 (ADR 0088). */
  version: 8,
  indexes: ['sortKey', 'customerId'],
  eventTypes: JOURNAL_EVENT_TYPES,
  // Keyed by the event's position: a document is built from its one event, never read back (ADR 0123).
  keyPerEvent: true,
  keysOf(event) {
    const e = journalEntryOf(event.type, event.data);
    return e === null ? [] : [journalKey(e.date, event.position)];
  },
  evolve(doc, event: ProjectedEvent) {
    if (doc !== null) return doc;
    const e = journalEntryOf(event.type, event.data);
    if (e === null) return null;
    return {
      sortKey: journalKey(e.date, event.position),
      position: event.position,
      customerId: (event.data as { customerId?: string }).customerId ?? '',
      eventType: event.type,
      journal: e.journal,
      date: e.date,
      pieceRef: e.pieceRef,
      pieceDate: e.pieceDate,
      label: e.label,
      currency: e.currency,
      recordedOn: event.metadata.recordedAt.slice(0, 10),
      lines: e.lines.map((l) => ({ role: l.role, debit: l.debit, credit: l.credit, ...(l.vatRate !== undefined ? { vatRate: l.vatRate } : {}), ...(l.fixed !== undefined ? { fixed: l.fixed } : {}) })),
      documents: letteringDocuments(event.type, event.data),
    };
  },
};
