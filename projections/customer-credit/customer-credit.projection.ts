import type { CalendarDate } from '../../libs/domain/shared/dates';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';
import type { Movement } from '../open-items/open-items.projection';

/** Where a customer's credit comes from: one payment's unapplied cash, or what a credit note did not put on an invoice. */
export interface CreditSource {
  kind: 'payment' | 'credit_note';
  id: string;
  date: CalendarDate;
  unapplied: number;
}

/** Credit put on an invoice, with the command that did it (a retried apply-credit answers from here). */
export interface CreditApplication {
  commandId: string;
  sourceId: string;
  invoiceId: string;
  amount: number;
  on: CalendarDate;
}

export interface CreditRefund {
  refundId: string;
  sourceId: string;
  amount: number;
  on: CalendarDate;
}

/** Cash held unapplied for a person to place: its reference named no open invoice of the customer (ADR 0032). */
export interface CreditReview {
  paymentId: string;
  reference: string;
  reason: 'reference_not_open';
  receivedOn: CalendarDate;
  /** Still unapplied; the item leaves the list when this reaches 0 (applied, refunded) or the payment is reversed. */
  unapplied: number;
}

/**
 * Customer credit (*avoir client, paiement non affecté*): money of the customer the engine holds and has not
 * put on an invoice. Shown beside the aging buckets, never netted into them. `movements` are dated
 * (+ credit appears, − it is used, refunded or reversed), one per date, so the credit as of D is
 * `Σ amount on ≤ D`. `sources` are what apply-credit and refunds draw from, oldest first.
 */
export type CustomerCredit = {
  customerId: string;
  currency: string;
  balance: number;
  movements: Movement[];
  sources: CreditSource[];
  refunds: CreditRefund[];
  applications: CreditApplication[];
  /** Payments held for review (v2). */
  review: CreditReview[];
  lastPosition: number;
};

const HANDLED: ReadonlySet<string> = new Set([
  'PaymentReceived', 'PaymentAllocated', 'PaymentDeallocated', 'PaymentReversed', 'PaymentRefunded', 'PaymentHeldForReview', 'CreditNoteIssued', 'CreditNoteAllocated', 'CreditNoteRefunded',
]);

/** Adds `amount` on `on`, keeping one movement per date in date order and dropping those that net to zero. */
function move(movements: readonly Movement[], on: CalendarDate, amount: number): Movement[] {
  if (amount === 0) return [...movements];
  const existing = movements.find((m) => m.on === on);
  const next = existing
    ? movements.map((m) => (m.on === on ? { on, amount: m.amount + amount } : m))
    : [...movements, { on, amount }];
  return next.filter((m) => m.amount !== 0).sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

function withSource(sources: readonly CreditSource[], source: CreditSource): CreditSource[] {
  const others = sources.filter((s) => !(s.kind === source.kind && s.id === source.id));
  const next = source.unapplied > 0 ? [...others, source] : others;
  return next.sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function doc(d: CustomerCredit): CustomerCredit {
  return {
    customerId: d.customerId, currency: d.currency, balance: d.balance, movements: d.movements, sources: d.sources,
    refunds: d.refunds, applications: d.applications, review: d.review, lastPosition: d.lastPosition,
  };
}

/** The review item of a payment follows its unapplied cash; it goes when nothing is left to place. */
function reviewed(review: readonly CreditReview[], paymentId: string, unapplied: number): CreditReview[] {
  return review.flatMap((r) => (r.paymentId !== paymentId ? [r] : unapplied > 0 ? [{ ...r, unapplied }] : []));
}

function next(current: CustomerCredit, event: ProjectedEvent): CustomerCredit {
  const at = { lastPosition: event.position };
  const sourceDate = (id: string) => current.sources.find((s) => s.id === id)?.date;
  switch (event.type) {
    case 'PaymentReceived': {
      const d = event.data;
      return doc({
        ...current, ...at, currency: current.currency || d.currency, balance: current.balance + d.amount,
        movements: move(current.movements, d.receivedOn, d.amount),
        sources: withSource(current.sources, { kind: 'payment', id: d.paymentId, date: d.receivedOn, unapplied: d.amount }),
      });
    }
    case 'PaymentAllocated': {
      const d = event.data;
      return doc({
        ...current, ...at, balance: current.balance - d.amount,
        movements: move(current.movements, d.appliedOn ?? d.receivedOn, -d.amount),
        sources: withSource(current.sources, { kind: 'payment', id: d.paymentId, date: sourceDate(d.paymentId) ?? d.receivedOn, unapplied: d.unapplied }),
        applications: d.rule === 'credit'
          ? [...current.applications, { commandId: event.metadata.commandId, sourceId: d.paymentId, invoiceId: d.invoiceId, amount: d.amount, on: d.appliedOn ?? d.receivedOn }]
          : current.applications,
        review: reviewed(current.review, d.paymentId, d.unapplied),
      });
    }
    case 'PaymentHeldForReview': {
      const d = event.data;
      return doc({
        ...current, ...at,
        review: [...current.review.filter((r) => r.paymentId !== d.paymentId), { paymentId: d.paymentId, reference: d.reference, reason: d.reason, receivedOn: d.receivedOn, unapplied: d.amount }],
      });
    }
    case 'PaymentDeallocated': {
      const d = event.data;
      return doc({
        ...current, ...at, balance: current.balance + d.amount,
        movements: move(current.movements, d.on, d.amount),
        sources: withSource(current.sources, { kind: 'payment', id: d.paymentId, date: sourceDate(d.paymentId) ?? d.on, unapplied: d.unapplied }),
      });
    }
    case 'PaymentReversed': {
      const d = event.data;
      return doc({
        ...current, ...at, balance: current.balance - d.creditRemoved,
        movements: move(current.movements, d.reversedOn, -d.creditRemoved),
        sources: current.sources.filter((s) => s.id !== d.paymentId),
        review: reviewed(current.review, d.paymentId, 0),
      });
    }
    case 'PaymentRefunded': {
      const d = event.data;
      return doc({
        ...current, ...at, balance: current.balance - d.amount,
        movements: move(current.movements, d.refundedOn, -d.amount),
        sources: withSource(current.sources, { kind: 'payment', id: d.paymentId, date: sourceDate(d.paymentId) ?? d.refundedOn, unapplied: d.unapplied }),
        refunds: [...current.refunds, { refundId: d.refundId, sourceId: d.paymentId, amount: d.amount, on: d.refundedOn }],
        review: reviewed(current.review, d.paymentId, d.unapplied),
      });
    }
    case 'CreditNoteIssued': {
      const d = event.data;
      if (d.unapplied === 0) return doc({ ...current, ...at, currency: current.currency || d.currency });
      return doc({
        ...current, ...at, currency: current.currency || d.currency, balance: current.balance + d.unapplied,
        movements: move(current.movements, d.issueDate, d.unapplied),
        sources: withSource(current.sources, { kind: 'credit_note', id: d.creditNoteId, date: d.issueDate, unapplied: d.unapplied }),
      });
    }
    case 'CreditNoteAllocated': {
      const d = event.data;
      return doc({
        ...current, ...at, balance: current.balance - d.amount,
        movements: move(current.movements, d.on, -d.amount),
        sources: withSource(current.sources, { kind: 'credit_note', id: d.creditNoteId, date: sourceDate(d.creditNoteId) ?? d.on, unapplied: d.unapplied }),
        applications: [...current.applications, { commandId: event.metadata.commandId, sourceId: d.creditNoteId, invoiceId: d.invoiceId, amount: d.amount, on: d.on }],
      });
    }
    case 'CreditNoteRefunded': {
      const d = event.data;
      return doc({
        ...current, ...at, balance: current.balance - d.amount,
        movements: move(current.movements, d.refundedOn, -d.amount),
        sources: withSource(current.sources, { kind: 'credit_note', id: d.creditNoteId, date: sourceDate(d.creditNoteId) ?? d.refundedOn, unapplied: d.unapplied }),
        refunds: [...current.refunds, { refundId: d.refundId, sourceId: d.creditNoteId, amount: d.amount, on: d.refundedOn }],
      });
    }
    default:
      return current;
  }
}

/** Credit as of a date: Σ movements on or before it. */
export function creditAsOf(c: Pick<CustomerCredit, 'movements'>, asOf: CalendarDate): number {
  return c.movements.reduce((sum, m) => (m.on <= asOf ? sum + m.amount : sum), 0);
}

export const customerCreditProjection: Projection<CustomerCredit> = {
  name: 'customer-credit',
  // v2: `review` (payments held for review, ADR 0032).
  version: 2,
  indexes: ['customerId'],
  eventTypes: HANDLED,
  keysOf(event) {
    return HANDLED.has(event.type) ? [event.data.customerId] : [];
  },
  evolve(current, event) {
    const base = current ?? { customerId: event.data.customerId, currency: '', balance: 0, movements: [], sources: [], refunds: [], applications: [], review: [], lastPosition: -1 };
    if (event.position <= base.lastPosition) return current;
    return next(base, event);
  },
};
