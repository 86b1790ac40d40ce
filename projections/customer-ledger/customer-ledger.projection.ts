import type { CalendarDate } from '../../libs/domain/shared/dates';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';
import { positionKey } from '../audit-trail/audit-trail.projection';
import { JOURNAL_EVENT_TYPES, journalEntryOf } from '../journal/journal-rules';

/**
 * The customer account (411 *compte client*): one movement per event that moves it, i.e. the journal lines
 * on the customers role. Keyed `<customerId>|<date>|<position>` (also the indexed field `cd`), so a
 * statement's movements are one index range in date then log order, however long the customer's history.
 */
export type LedgerMovement = {
  cd: string;
  customerId: string;
  date: CalendarDate;
  position: number;
  eventType: string;
  pieceRef: string;
  label: string;
  /** null when the event does not carry it (the customer's currency, ADR 0027). */
  currency: string | null;
  debit: number;
  credit: number;
};

export const ledgerKey = (customerId: string, date: CalendarDate, position: number) => `${customerId}|${date}|${positionKey(position)}`;

/** The customers-role side of the event's journal entry, or null when the event does not move the account. */
export function customerSide(event: Pick<ProjectedEvent, 'type' | 'data'>): { date: CalendarDate; debit: number; credit: number; pieceRef: string; label: string; currency: string | null } | null {
  const e = journalEntryOf(event.type, event.data);
  if (e === null) return null;
  let debit = 0;
  let credit = 0;
  for (const l of e.lines) if (l.role === 'customers') { debit += l.debit; credit += l.credit; }
  if (debit === 0 && credit === 0) return null;
  return { date: e.date, debit, credit, pieceRef: e.pieceRef, label: e.label, currency: e.currency };
}

export const customerLedgerProjection: Projection<LedgerMovement> = {
  name: 'customer-ledger',
  /** v4: bank fees (ADR 0088) move the account. */
  version: 4,
  indexes: ['cd'],
  // customerSide reads the journal entry: none outside the journal's types.
  eventTypes: JOURNAL_EVENT_TYPES,
  // Keyed by the event's position: a document is built from its one event, never read back (ADR 0123).
  keyPerEvent: true,
  keysOf(event) {
    const side = customerSide(event);
    return side === null ? [] : [ledgerKey(event.data.customerId, side.date, event.position)];
  },
  evolve(doc, event) {
    if (doc !== null) return doc;
    const side = customerSide(event);
    if (side === null) return null;
    const customerId = event.data.customerId;
    return {
      cd: ledgerKey(customerId, side.date, event.position), customerId, date: side.date, position: event.position,
      eventType: event.type, pieceRef: side.pieceRef, label: side.label, currency: side.currency, debit: side.debit, credit: side.credit,
    };
  },
};
