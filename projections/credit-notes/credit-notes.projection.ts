import type { CalendarDate } from '../../libs/domain/shared/dates';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';
import { CREDIT_NOTE_LIST, sortIndexes } from '../lists/list-spec';

/** `open`: part of the note is still customer credit; `used`: all of it is on invoices or refunded. */
export type CreditNoteStatus = 'open' | 'used';

/** One credit note (avoir) as listed (amounts in integer minor units of `currency`). */
export type CreditNoteView = {
  creditNoteId: string;
  number: string;
  customerId: string;
  currency: string;
  issueDate: CalendarDate;
  /** Empty string for a standalone note (sortable, filterable). */
  invoiceId: string;
  reason: string;
  net: number;
  tax: number;
  total: number;
  appliedToInvoice: number;
  /** Applied later to other invoices (apply-credit). */
  allocated: number;
  refunded: number;
  unapplied: number;
  status: CreditNoteStatus;
  disputeId: string | null;
  lastPosition: number;
};

const HANDLED: ReadonlySet<string> = new Set(['CreditNoteIssued', 'CreditNoteAllocated', 'CreditNoteRefunded']);

function view(v: Omit<CreditNoteView, 'status'>): CreditNoteView {
  return {
    creditNoteId: v.creditNoteId, number: v.number, customerId: v.customerId, currency: v.currency, issueDate: v.issueDate,
    invoiceId: v.invoiceId, reason: v.reason, net: v.net, tax: v.tax, total: v.total, appliedToInvoice: v.appliedToInvoice,
    allocated: v.allocated, refunded: v.refunded, unapplied: v.unapplied, status: v.unapplied > 0 ? 'open' : 'used',
    disputeId: v.disputeId, lastPosition: v.lastPosition,
  };
}

function next(doc: CreditNoteView | null, event: ProjectedEvent): CreditNoteView | null {
  switch (event.type) {
    case 'CreditNoteIssued': {
      if (doc !== null) return doc;
      const d = event.data;
      return view({
        creditNoteId: d.creditNoteId, number: d.number, customerId: d.customerId, currency: d.currency, issueDate: d.issueDate,
        invoiceId: d.invoiceId ?? '', reason: d.reason, net: d.net, tax: d.tax, total: d.total, appliedToInvoice: d.appliedToInvoice,
        allocated: 0, refunded: 0, unapplied: d.unapplied, disputeId: d.disputeId, lastPosition: event.position,
      });
    }
    case 'CreditNoteAllocated':
      return doc === null ? null : view({ ...doc, allocated: doc.allocated + event.data.amount, unapplied: event.data.unapplied, lastPosition: event.position });
    case 'CreditNoteRefunded':
      return doc === null ? null : view({ ...doc, refunded: doc.refunded + event.data.amount, unapplied: event.data.unapplied, lastPosition: event.position });
    default:
      return doc;
  }
}

/** Credit notes, one document each, for the back-office list and `GET /credit-notes/:id`. */
export const creditNotesProjection: Projection<CreditNoteView> = {
  name: 'credit-notes',
  version: 1,
  indexes: ['customerId', 'status', 'currency', 'invoiceId', 'issueDate'],
  compoundIndexes: sortIndexes(CREDIT_NOTE_LIST),
  eventTypes: HANDLED,
  keysOf(event) {
    return HANDLED.has(event.type) ? [(event.data as { creditNoteId: string }).creditNoteId] : [];
  },
  evolve(doc, event) {
    if (doc !== null && event.position <= doc.lastPosition) return doc;
    return next(doc, event);
  },
};
