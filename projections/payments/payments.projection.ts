import type { CalendarDate } from '../../libs/domain/shared/dates';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';
import { PAYMENT_LIST, sortIndexes } from '../lists/list-spec';

/**
 * Status of a payment's cash: `unapplied` (none on an invoice), `partially_applied`, `applied` (all on
 * invoices), `refunded` (what was not applied paid back), `reversed` (bounced or charged back).
 */
export type PaymentStatus = 'unapplied' | 'partially_applied' | 'applied' | 'refunded' | 'reversed';

/** One payment as listed (amounts in integer minor units of `currency`). */
export type PaymentView = {
  paymentId: string;
  customerId: string;
  currency: string;
  amount: number;
  receivedOn: CalendarDate;
  method: string;
  /** Empty string when the payer gave none (sortable, searchable). */
  reference: string;
  status: PaymentStatus;
  /** On invoices now (allocations less deallocations). */
  allocated: number;
  unapplied: number;
  refunded: number;
  /** Held for a person to place: its reference named no open invoice (ADR 0032). */
  heldForReview: boolean;
  allocations: Array<{ invoiceId: string; amount: number; on: CalendarDate; rule: string }>;
  reversedOn: CalendarDate | null;
  lastPosition: number;
};

const HANDLED: ReadonlySet<string> = new Set(['PaymentReceived', 'PaymentAllocated', 'PaymentDeallocated', 'PaymentReversed', 'PaymentRefunded', 'PaymentHeldForReview']);

function statusOf(v: Omit<PaymentView, 'status'>): PaymentStatus {
  if (v.reversedOn !== null) return 'reversed';
  if (v.unapplied === 0 && v.refunded > 0) return 'refunded';
  if (v.allocated === 0 && v.unapplied > 0) return 'unapplied';
  return v.unapplied > 0 ? 'partially_applied' : 'applied';
}

/** Fixed key order, so a rebuild gives byte-identical documents. */
function view(v: Omit<PaymentView, 'status'>): PaymentView {
  return {
    paymentId: v.paymentId, customerId: v.customerId, currency: v.currency, amount: v.amount, receivedOn: v.receivedOn,
    method: v.method, reference: v.reference, status: statusOf(v), allocated: v.allocated, unapplied: v.unapplied,
    refunded: v.refunded, heldForReview: v.heldForReview, allocations: v.allocations, reversedOn: v.reversedOn, lastPosition: v.lastPosition,
  };
}

function next(doc: PaymentView | null, event: ProjectedEvent): PaymentView | null {
  const at = event.position;
  switch (event.type) {
    case 'PaymentReceived': {
      if (doc !== null) return doc;
      const d = event.data;
      return view({
        paymentId: d.paymentId, customerId: d.customerId, currency: d.currency, amount: d.amount, receivedOn: d.receivedOn, method: d.method,
        reference: d.reference ?? '', allocated: 0, unapplied: d.amount, refunded: 0, heldForReview: false, allocations: [], reversedOn: null, lastPosition: at,
      });
    }
    case 'PaymentAllocated': {
      if (doc === null) return null;
      const d = event.data;
      return view({
        ...doc, allocated: doc.allocated + d.amount, unapplied: d.unapplied,
        allocations: [...doc.allocations, { invoiceId: d.invoiceId, amount: d.amount, on: d.appliedOn ?? d.receivedOn, rule: d.rule }],
        heldForReview: doc.heldForReview && d.unapplied > 0, lastPosition: at,
      });
    }
    case 'PaymentDeallocated': {
      if (doc === null) return null;
      const d = event.data;
      return view({
        ...doc, allocated: doc.allocated - d.amount, unapplied: d.unapplied,
        allocations: [...doc.allocations, { invoiceId: d.invoiceId, amount: -d.amount, on: d.on, rule: d.reason }], lastPosition: at,
      });
    }
    case 'PaymentReversed':
      return doc === null ? null : view({ ...doc, unapplied: 0, heldForReview: false, reversedOn: event.data.reversedOn, lastPosition: at });
    case 'PaymentRefunded': {
      if (doc === null) return null;
      const d = event.data;
      return view({ ...doc, refunded: doc.refunded + d.amount, unapplied: d.unapplied, heldForReview: doc.heldForReview && d.unapplied > 0, lastPosition: at });
    }
    case 'PaymentHeldForReview':
      return doc === null ? null : view({ ...doc, heldForReview: true, lastPosition: at });
    default:
      return doc;
  }
}

/** Payments, one document each, for the back-office list and `GET /payments/:id`. */
export const paymentsProjection: Projection<PaymentView> = {
  name: 'payments',
  version: 1,
  indexes: ['customerId', 'status', 'currency', 'receivedOn'],
  compoundIndexes: sortIndexes(PAYMENT_LIST),
  eventTypes: HANDLED,
  keysOf(event) {
    return HANDLED.has(event.type) ? [(event.data as { paymentId: string }).paymentId] : [];
  },
  evolve(doc, event) {
    if (doc !== null && event.position <= doc.lastPosition) return doc;
    return next(doc, event);
  },
};
