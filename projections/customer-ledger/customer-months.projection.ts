import type { Projection } from '../../libs/projection-runtime/projection';
import { JOURNAL_EVENT_TYPES } from '../journal/journal-rules';
import { customerSide } from './customer-ledger.projection';

/**
 * Debits and credits of each customer account per calendar month (by accounting date): a statement's
 * opening balance is the sum of the months before its start plus the start month's movements before it.
 * Keyed `<customerId>|<YYYY-MM>` (indexed field `cm`).
 */
export type LedgerMonth = {
  cm: string;
  customerId: string;
  month: string;
  /** The customer's currency once a movement of the month carries it (ADR 0027). */
  currency: string | null;
  debit: number;
  credit: number;
  /** Position of the last event added: a re-applied batch adds nothing twice. */
  lastPosition: number;
};

export const monthKey = (customerId: string, month: string) => `${customerId}|${month}`;

export const customerMonthsProjection: Projection<LedgerMonth> = {
  name: 'customer-months',
  /** v4: bank fees (ADR 0088) move the account. */
  version: 4,
  indexes: ['cm'],
  eventTypes: JOURNAL_EVENT_TYPES,
  keysOf(event) {
    const side = customerSide(event);
    return side === null ? [] : [monthKey(event.data.customerId, side.date.slice(0, 7))];
  },
  evolve(doc, event) {
    if (doc !== null && event.position <= doc.lastPosition) return doc;
    const side = customerSide(event);
    if (side === null) return doc;
    const customerId = event.data.customerId;
    const month = side.date.slice(0, 7);
    return {
      cm: monthKey(customerId, month), customerId, month, currency: doc?.currency ?? side.currency,
      debit: (doc?.debit ?? 0) + side.debit, credit: (doc?.credit ?? 0) + side.credit, lastPosition: event.position,
    };
  },
};
