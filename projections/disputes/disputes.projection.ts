import type { CalendarDate } from '../../libs/domain/shared/dates';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';
import { DISPUTE_LIST, sortIndexes } from '../lists/list-spec';

/** `open` until resolved, then its outcome. */
export type DisputeStatus = 'open' | 'accepted' | 'rejected';

/** One dispute (litige) on an invoice (amounts in integer minor units of the invoice's currency). */
export type DisputeView = {
  disputeId: string;
  invoiceId: string;
  customerId: string;
  amount: number;
  reason: string;
  openedOn: CalendarDate;
  status: DisputeStatus;
  agreedAmount: number;
  resolvedOn: CalendarDate | null;
  note: string;
  creditNoteId: string | null;
  lastPosition: number;
};

function next(doc: DisputeView | null, event: ProjectedEvent): DisputeView | null {
  switch (event.type) {
    case 'DisputeOpened': {
      if (doc !== null) return doc;
      const d = event.data;
      return {
        disputeId: d.disputeId, invoiceId: d.invoiceId, customerId: d.customerId, amount: d.amount, reason: d.reason, openedOn: d.openedOn,
        status: 'open', agreedAmount: 0, resolvedOn: null, note: '', creditNoteId: null, lastPosition: event.position,
      };
    }
    case 'DisputeResolved': {
      if (doc === null) return null;
      const d = event.data;
      return { ...doc, status: d.outcome, agreedAmount: d.agreedAmount, resolvedOn: d.resolvedOn, note: d.note, creditNoteId: d.creditNoteId, lastPosition: event.position };
    }
    default:
      return doc;
  }
}

const TYPES: ReadonlySet<string> = new Set(['DisputeOpened', 'DisputeResolved']);

/** Disputes, one document each, for the back-office list and `GET /disputes/:id`. */
export const disputesProjection: Projection<DisputeView> = {
  name: 'disputes',
  version: 1,
  indexes: ['customerId', 'invoiceId', 'status', 'openedOn'],
  compoundIndexes: sortIndexes(DISPUTE_LIST),
  eventTypes: TYPES,
  keysOf(event) {
    return TYPES.has(event.type) ? [(event.data as { disputeId: string }).disputeId] : [];
  },
  evolve(doc, event) {
    if (doc !== null && event.position <= doc.lastPosition) return doc;
    return next(doc, event);
  },
};
