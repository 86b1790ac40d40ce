import { combine, vatShareFromPool, type VatRateAmount } from '../shared/vat';
import type { InvoiceCollectionEvent } from './invoice.collection.events';
import type { InvoiceEvent, PaymentApplied } from './invoice.events';

/** The part of an issued invoice's state these rules read (structural: no import of the collections module). */
export interface ReceiptInvoice {
  outstanding: number;
  charged: number;
  byPayment: Record<string, { applied: number; recovered: number }>;
  vatBreakdown: VatRateAmount[];
  vatCorrected?: VatRateAmount[];
  vatDueOn?: 'receipt';
  vatReceived?: VatRateAmount[];
  vatMovedByPayment?: Record<string, VatRateAmount[]>;
}

/**
 * TVA sur les encaissements (CGI art. 269-2-c): for services, VAT is due when the price is received, not when
 * it is invoiced. An invoice issued under that option (`vatDueOn: 'receipt'`, a company option recorded on the
 * invoice) books its VAT to 44574 "VAT to collect"; each payment moves the VAT of what it settles to 44571, a
 * payment taken back moves it back, and discounts and write-offs cancel VAT that was never due (ADR 0035).
 */

/** VAT of the invoice still waiting on 44574, by rate: open VAT (as issued less corrections) less what payments moved. */
export function waitingVat(state: Pick<ReceiptInvoice, 'vatBreakdown' | 'vatCorrected' | 'vatReceived'>): VatRateAmount[] {
  const open = combine(state.vatBreakdown, state.vatCorrected ?? [], -1);
  return combine(open, state.vatReceived ?? [], -1).filter((e) => e.amount > 0 || e.base > 0);
}

/** The part of a credit note's VAT (by rate) taken from 44574: at each rate, at most what is still waiting there. */
export function fromWaiting(note: readonly VatRateAmount[], waiting: readonly VatRateAmount[]): VatRateAmount[] {
  return note.map((e) => {
    const w = waiting.find((x) => x.rate === e.rate) ?? { base: 0, amount: 0 };
    return { rate: e.rate, base: Math.min(e.base, Math.max(0, w.base)), amount: Math.min(e.amount, Math.max(0, w.amount)) };
  }).filter((e) => e.base !== 0 || e.amount !== 0);
}

/** What a payment moves from 44574 to 44571: all that waits when it settles the invoice, else its share of what is owed. */
function movedBy(amount: number, settles: boolean, state: ReceiptInvoice): VatRateAmount[] {
  const waiting = waitingVat(state);
  return settles ? waiting : vatShareFromPool(amount, waiting, state.outstanding);
}

/**
 * Adds the VAT-on-receipt facts to the events an invoice decided, each against the state the events before it
 * in the same append left (`evolve` folds them). Invoices under the default (VAT due on invoicing) are left as they are.
 */
export function withVatOnReceipt<E extends InvoiceEvent, S extends ReceiptInvoice>(events: E[], state: S, evolve: (s: S, e: InvoiceCollectionEvent | PaymentApplied) => S): E[] {
  if (state.vatDueOn !== 'receipt') return events;
  let s = state;
  return events.map((e) => {
    const out = annotate(e, s) as E;
    if (out.type !== 'InvoiceIssued' && out.type !== 'InvoiceSettled' && out.type !== 'InvoiceSubmittedForApproval' && out.type !== 'InvoiceRejected') {
      s = evolve(s, out as unknown as InvoiceCollectionEvent | PaymentApplied);
    }
    return out;
  });
}

function annotate(e: InvoiceEvent, s: ReceiptInvoice): InvoiceEvent {
  switch (e.type) {
    case 'PaymentApplied': {
      const moved = movedBy(e.data.amount, e.data.outstanding === 0, s);
      return moved.length === 0 ? e : { ...e, data: { ...e.data, vatReceived: moved } };
    }
    case 'DiscountApplied':
    case 'InvoiceWrittenOff': {
      // VAT never due: cancelled from 44574, all that waits when it closes the invoice, else its share of what is owed.
      const closes = e.data.outstanding === 0;
      const vatable = e.type === 'InvoiceWrittenOff' ? Math.min(e.data.amount, Math.max(0, s.outstanding - (s.charged ?? 0))) : e.data.amount;
      const share = closes ? waitingVat(s) : vatShareFromPool(vatable, waitingVat(s), s.outstanding);
      return { ...e, data: { ...e.data, vatBreakdown: share, vatDueOn: 'receipt' } } as InvoiceEvent;
    }
    case 'BankFeesWrittenOff': {
      // The bank's charge is the seller's: the price is received in full, so all the VAT still waiting is due (ADR 0088).
      const moved = waitingVat(s);
      return moved.length === 0 ? e : { ...e, data: { ...e.data, vatReceived: moved } };
    }
    case 'PaymentUnapplied': {
      const moved = s.vatMovedByPayment?.[e.data.paymentId] ?? [];
      const applied = (s.byPayment[e.data.paymentId]?.applied ?? 0);
      const back = e.data.amount - e.data.recoveryReversed;
      const returned = back <= 0 ? [] : back >= applied ? moved : vatShareFromPool(back, moved, applied);
      return returned.length === 0 ? e : { ...e, data: { ...e.data, vatReturned: returned } };
    }
    default:
      return e;
  }
}

/** The receipt bookkeeping of one event on an invoice under VAT on receipt (what moved, per payment). */
export function evolveVatOnReceipt<S extends ReceiptInvoice>(before: S, next: S, event: InvoiceCollectionEvent | PaymentApplied): S {
  if (before.vatDueOn !== 'receipt') return next;
  const received = before.vatReceived ?? [];
  switch (event.type) {
    case 'PaymentApplied': {
      const moved = event.data.vatReceived ?? [];
      if (moved.length === 0) return next;
      const pid = event.data.paymentId;
      return { ...next, vatReceived: combine(received, moved), vatMovedByPayment: { ...(before.vatMovedByPayment ?? {}), [pid]: combine(before.vatMovedByPayment?.[pid] ?? [], moved) } };
    }
    case 'PaymentUnapplied': {
      const back = event.data.vatReturned ?? [];
      const regularised = event.data.vatBreakdown ?? [];
      const pid = event.data.paymentId;
      return {
        ...next, vatReceived: combine(combine(received, back, -1), regularised, -1),
        vatMovedByPayment: { ...(before.vatMovedByPayment ?? {}), [pid]: combine(before.vatMovedByPayment?.[pid] ?? [], back, -1) },
      };
    }
    case 'BankFeesWrittenOff':
      return { ...next, vatReceived: combine(received, event.data.vatReceived ?? []) };
    case 'BankFeesReversed':
      return { ...next, vatReceived: combine(received, event.data.fees.vatReceived ?? [], -1) };
    case 'BadDebtRecovered':
      // VAT due again on money received is due now: on 44571, not waiting.
      return { ...next, vatReceived: combine(received, event.data.vatBreakdown ?? []) };
    case 'CreditNoteApplied': {
      // The part of the note's VAT not taken from 44574 reverses VAT already due (moved by payments).
      const note = event.data.vatBreakdown ?? [];
      const waitingPart = event.data.vatToCollect ?? [];
      return { ...next, vatReceived: combine(received, combine(note, waitingPart, -1), -1) };
    }
    default:
      return next;
  }
}
