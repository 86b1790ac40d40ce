import type { CalendarDate } from '../../libs/domain/shared/dates';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';
import { AGING_INDEX } from './aging-index';

/** `closedOn` of an item still open: later than any as-of date, so "open as of D" is `closedOn > D`. */
export const STILL_OPEN: CalendarDate = '9999-12-31';

/** A payment applied to the item, dated by when the money was received (not when it was recorded). */
export interface Movement {
  on: CalendarDate;
  amount: number;
  /** `charge` for late-payment charges (negative: they raise what is owed); absent for everything else. */
  kind?: 'charge';
  /** The event's own date when `on` was moved later (see `lowering`); absent otherwise. */
  valueDate?: CalendarDate;
}

/** What is open on `day`: the total less every movement dated on or before it. */
function openOn(total: number, movements: readonly Movement[], day: CalendarDate): number {
  return movements.reduce((open, m) => (m.on <= day ? open - m.amount : open), total);
}

/**
 * A movement that lowers what is owed, dated on its own day as far as what was owed then (and on every later
 * day) allows; the rest is dated on the next movement that raised what is owed (a payment taken back,
 * charges): money received before an item was reopened or charged cannot have settled that later amount,
 * and the aging never sees a negative open amount. A back-dated receipt that fits what was owed on its day
 * keeps its day (ADR 0037): the aging as of then shows the invoice paid, as the history replay does.
 * `valueDate` keeps the event's date on a part moved later (late-payment interest uses it).
 */
function lowering(total: number, movements: readonly Movement[], on: CalendarDate, amount: number): Movement[] {
  const raises = [...new Set(movements.filter((m) => m.amount < 0 && m.on > on).map((m) => m.on))].sort();
  const days = [on, ...raises];
  const parts: Movement[] = [];
  let left = amount;
  days.forEach((day, i) => {
    if (left === 0) return;
    const all = [...movements, ...parts];
    const later = all.filter((m) => m.on > day).map((m) => m.on);
    const room = Math.max(0, Math.min(...[day, ...later].map((d) => openOn(total, all, d))));
    const take = i === days.length - 1 ? left : Math.min(left, room);
    if (take > 0) parts.push(day === on ? { on, amount: take } : { on: day, amount: take, valueDate: on });
    left -= take;
  });
  return parts;
}

/**
 * An invoice as a dated open item: the source of the aging report (*balance âgée*). Its outstanding
 * as of any date D is `total − Σ movements on ≤ D`; it is open as of D when `issueDate ≤ D < closedOn`.
 */
export type OpenItem = {
  invoiceId: string;
  customerId: string;
  currency: string;
  number: string;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  total: number;
  movements: Movement[];
  outstanding: number;
  closedOn: CalendarDate;
  /** Amount under an open dispute (0 when none): dunning skips the item while it is > 0. */
  disputed?: number;
  /** Last day late charges were assessed for; absent = none. */
  chargedThrough?: CalendarDate;
  /** Highest dunning level sent; absent = none. */
  dunningLevel?: number;
  /** Covered by a payment plan (dunning skips it); absent = no. */
  inPaymentPlan?: boolean;
  /** Dunning resumed on this day after a dispute was resolved, and the level sent by then (ADR 0038); absent = never paused. */
  dunningResumedOn?: CalendarDate;
  dunningResumedAtLevel?: number;
  /** Day the highest level was sent (v2); absent = none. */
  dunningSentOn?: CalendarDate;
  /** Position of the last event folded in: a re-applied batch changes nothing. */
  lastPosition: number;
};

const HANDLED: ReadonlySet<string> = new Set(['InvoiceIssued', 'PaymentApplied', 'InvoiceSettled', 'PaymentUnapplied', 'InvoiceWrittenOff', 'CreditNoteApplied', 'DisputeOpened', 'DisputeResolved', 'DiscountApplied', 'DiscountReversed', 'LateChargesAssessed', 'LateChargesCorrected', 'LateChargesReinstated', 'ReminderSent', 'PaymentPlanAttached', 'PaymentPlanDetached', 'BankFeesWrittenOff', 'BankFeesReversed']);

function item(i: OpenItem): OpenItem {
  return {
    invoiceId: i.invoiceId,
    customerId: i.customerId,
    currency: i.currency,
    number: i.number,
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    total: i.total,
    movements: i.movements,
    outstanding: i.outstanding,
    closedOn: i.closedOn,
    ...(i.disputed ? { disputed: i.disputed } : {}),
    ...(i.chargedThrough ? { chargedThrough: i.chargedThrough } : {}),
    ...(i.dunningLevel ? { dunningLevel: i.dunningLevel } : {}),
    ...(i.dunningSentOn ? { dunningSentOn: i.dunningSentOn } : {}),
    ...(i.inPaymentPlan ? { inPaymentPlan: true } : {}),
    ...(i.dunningResumedOn ? { dunningResumedOn: i.dunningResumedOn, dunningResumedAtLevel: i.dunningResumedAtLevel ?? 0 } : {}),
    lastPosition: i.lastPosition,
  };
}

/**
 * The date from which the item stays at zero: the latest of the settling date and every movement's date.
 * Why not `settledOn` alone: a back-dated payment can settle the invoice while an earlier-recorded partial
 * was received later; as of a date between them the item is still open, and the index must not drop it.
 */
function closingDate(settledOn: CalendarDate, movements: readonly Movement[]): CalendarDate {
  return movements.reduce((latest, m) => (m.on > latest ? m.on : latest), settledOn);
}

function next(doc: OpenItem | null, event: ProjectedEvent): OpenItem | null {
  switch (event.type) {
    case 'InvoiceIssued': {
      if (doc !== null) return doc;
      const d = event.data;
      return item({
        invoiceId: d.invoiceId, customerId: d.customerId, currency: d.currency, number: d.number,
        issueDate: d.issueDate, dueDate: d.dueDate, total: d.total, movements: [], outstanding: d.total,
        closedOn: STILL_OPEN, lastPosition: event.position,
      });
    }
    case 'PaymentApplied': {
      if (doc === null) return null;
      const movements = [...doc.movements, ...lowering(doc.total, doc.movements, event.data.appliedOn ?? event.data.receivedOn, event.data.amount)];
      const closedOn = doc.closedOn === STILL_OPEN ? STILL_OPEN : closingDate(doc.closedOn, movements);
      return item({ ...doc, movements, outstanding: event.data.outstanding, closedOn, lastPosition: event.position });
    }
    case 'InvoiceSettled':
      if (doc === null) return null;
      return item({ ...doc, closedOn: closingDate(event.data.settledOn, doc.movements), lastPosition: event.position });
    case 'PaymentUnapplied': {
      // A payment taken back raises what is owed from that day (a negative movement); a reopened item is open again.
      if (doc === null) return null;
      const raised = event.data.amount - event.data.recoveryReversed;
      const movements = raised === 0 ? doc.movements : [...doc.movements, { on: event.data.on, amount: -raised }];
      const closedOn = event.data.outstanding > 0 ? STILL_OPEN : doc.closedOn === STILL_OPEN ? STILL_OPEN : closingDate(doc.closedOn, movements);
      return item({ ...doc, movements, outstanding: event.data.outstanding, closedOn, lastPosition: event.position });
    }
    case 'DiscountReversed':
    case 'BankFeesReversed': {
      // The discount owed again from the day its payment was taken back (ADR 0036), like the payment itself.
      if (doc === null) return null;
      const movements = [...doc.movements, { on: event.data.on, amount: -event.data.amount }];
      return item({ ...doc, movements, outstanding: event.data.outstanding, closedOn: event.data.outstanding > 0 ? STILL_OPEN : doc.closedOn, lastPosition: event.position });
    }
    case 'DiscountApplied':
    case 'BankFeesWrittenOff':
    case 'CreditNoteApplied': {
      if (doc === null) return null;
      // A credit note whose whole amount became customer credit corrects VAT only: no movement of what is owed.
      if (event.data.amount === 0) return doc;
      const movements = [...doc.movements, ...lowering(doc.total, doc.movements, event.data.on, event.data.amount)];
      const closedOn = doc.closedOn === STILL_OPEN ? STILL_OPEN : closingDate(doc.closedOn, movements);
      return item({ ...doc, movements, outstanding: event.data.outstanding, closedOn, lastPosition: event.position });
    }
    case 'LateChargesAssessed': {
      // Charges stay on the invoice: what is owed rises on the last day they cover; a settled item reopens.
      if (doc === null) return null;
      const movements: Movement[] = [...doc.movements, { on: event.data.through, amount: -event.data.amount, kind: 'charge' }];
      return item({ ...doc, movements, outstanding: event.data.outstanding, closedOn: STILL_OPEN, chargedThrough: event.data.through, lastPosition: event.position });
    }
    case 'LateChargesReinstated': {
      // Deferred charges owed after all from the resolution (ADR 0038): like an assessment on that day.
      if (doc === null) return null;
      const movements: Movement[] = [...doc.movements, { on: event.data.on, amount: -event.data.amount, kind: 'charge' }];
      return item({ ...doc, movements, outstanding: event.data.outstanding, closedOn: STILL_OPEN, lastPosition: event.position });
    }
    case 'LateChargesCorrected': {
      // Charges cancelled on the day of the assessment they correct (ADR 0037): as of then, only what was due.
      if (doc === null) return null;
      const movements: Movement[] = [...doc.movements, { on: event.data.on, amount: event.data.amount, kind: 'charge' }];
      return item({ ...doc, movements, outstanding: event.data.outstanding, lastPosition: event.position });
    }
    case 'PaymentPlanAttached':
      return doc === null ? null : item({ ...doc, inPaymentPlan: true, lastPosition: event.position });
    case 'PaymentPlanDetached':
      return doc === null ? null : item({ ...doc, inPaymentPlan: false, lastPosition: event.position });
    case 'ReminderSent':
      if (doc === null) return null;
      if (event.data.level <= (doc.dunningLevel ?? 0)) return item({ ...doc, lastPosition: event.position });
      return item({ ...doc, dunningLevel: event.data.level, dunningSentOn: event.data.asOf, lastPosition: event.position });
    case 'DisputeOpened':
      return doc === null ? null : item({ ...doc, disputed: event.data.amount, lastPosition: event.position });
    case 'DisputeResolved':
      return doc === null ? null : item({ ...doc, disputed: 0, dunningResumedOn: event.data.resolvedOn, dunningResumedAtLevel: doc.dunningLevel ?? 0, lastPosition: event.position });
    case 'InvoiceWrittenOff': {
      if (doc === null) return null;
      const movements = [...doc.movements, ...lowering(doc.total, doc.movements, event.data.writtenOffOn, event.data.amount)];
      const closedOn = event.data.outstanding === 0 ? closingDate(event.data.writtenOffOn, movements) : doc.closedOn;
      return item({ ...doc, movements, outstanding: event.data.outstanding, closedOn, lastPosition: event.position });
    }
    default:
      return doc;
  }
}

export const openItemsProjection: Projection<OpenItem> = {
  name: 'open-items',
  /**
   * v2: a back-dated lowering movement keeps its day as far as what was owed then allows (ADR 0037); the day
   * dunning resumed after a dispute (ADR 0038). v3: bank fees written off and reversed (ADR 0088).
   */
  version: 3,
  indexes: ['customerId', 'issueDate', 'dueDate', 'closedOn'],
  compoundIndexes: [AGING_INDEX],
  eventTypes: HANDLED,
  keysOf(event) {
    return HANDLED.has(event.type) ? [(event.data as { invoiceId: string }).invoiceId] : [];
  },
  evolve(doc, event) {
    if (doc !== null && event.position <= doc.lastPosition) return doc;
    return next(doc, event);
  },
};
