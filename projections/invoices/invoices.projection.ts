import { discountWindow } from '../../libs/domain/shared/payment-terms';
import { divideHalfUp } from '../../libs/domain/shared/money';
import type { CalendarDate } from '../../libs/domain/shared/dates';
import type { CreditDecision, InvoiceIssued, IssuedLine } from '../../libs/domain/invoice/invoice.events';
import { INVOICE_LIST, sortIndexes } from '../lists/list-spec';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';
import type { VatRateAmount } from '../../libs/domain/shared/vat';
import { upcastInvoiceIssued } from '../../libs/domain/upcasters';
import { combine } from '../../libs/domain/shared/vat';
import { vatShareOf } from '../../libs/domain/invoice/invoice.collections';

/**
 * Stored statuses. `overdue` is never stored: it depends on the as-of date and is derived at read time
 * (`displayStatus`). `disputed`, `in_payment_plan`, `in_collection` and `cancelled` are reserved for the
 * collection steps that set them.
 */
export type InvoiceStatus = 'issued' | 'partially_paid' | 'paid' | 'overdue' | 'disputed' | 'in_payment_plan' | 'in_collection' | 'written_off' | 'cancelled';

/** Everything other than a payment that changed what is owed, in log order (amount > 0 lowers the outstanding). */
export interface InvoiceAdjustment {
  type: 'write_off' | 'payment_unapplied' | 'bad_debt_recovered' | 'credit_note' | 'discount' | 'discount_reversed' | 'late_charges' | 'late_charges_corrected' | 'bank_fees' | 'bank_fees_reversed';
  amount: number;
  on: CalendarDate;
  reference: string;
  note: string;
}

export interface InvoicePayment {
  paymentId: string;
  amount: number;
  receivedOn: CalendarDate;
}

/** One invoice as listed (amounts in integer minor units of `currency`). */
export type InvoiceView = {
  invoiceId: string;
  number: string;
  customerId: string;
  currency: string;
  status: InvoiceStatus;
  net: number;
  tax: number;
  total: number;
  /** VAT by rate as issued (EN 16931 BG-23); v1 invoices: grouped from their per-line figures. */
  vatBreakdown: VatRateAmount[];
  /**
   * Base and VAT taken off by credit notes, discounts and write-offs (less recoveries), by rate, as the invoice
   * decided them (v1 events read as split in proportion, like the decider): what is open to credit is the difference.
   */
  vatCorrected: VatRateAmount[];
  paid: number;
  /** As the domain computed it in the last `PaymentApplied`: projections do not recompute what the domain knew. */
  outstanding: number;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  lines: IssuedLine[];
  payments: InvoicePayment[];
  settledOn: CalendarDate | null;
  creditDecision: CreditDecision;
  /** Written off and not recovered since (minor units). */
  writtenOff: number;
  /** Received after a write-off (bad-debt recovery): not part of `paid`, does not lower the outstanding. */
  recovered: number;
  adjustments: InvoiceAdjustment[];
  /** Lowered by credit notes (minor units). */
  creditNoted: number;
  /** Early-payment discount granted (escompte). */
  discounted: number;
  /** v4: bank fees written off with a statement receipt (627, ADR 0088); absent = none. */
  bankFees?: number;
  /** Late-payment charges assessed onto the invoice (interest + compensation). */
  charges: number;
  chargedThrough: CalendarDate | null;
  /** Dunning levels reached, in order (relances). */
  /** The payment plan covering it (status `in_payment_plan` while it owes something). */
  planId: string | null;
  reminders: Array<{ level: number; name: string; action: string; asOf: CalendarDate; daysPastDue: number; outstanding: number }>;
  inCollection: boolean;
  /** The open dispute (litige), if any: the invoice shows `disputed` and dunning skips it. */
  openDispute: { disputeId: string; amount: number; reason: string; openedOn: CalendarDate } | null;
  disputes: Array<{ disputeId: string; amount: number; reason: string; openedOn: CalendarDate; outcome: 'accepted' | 'rejected' | null; agreedAmount: number; resolvedOn: CalendarDate | null; creditNoteId: string | null }>;
  /** The early-payment discount of its terms (escompte, ADR 0015): the most taken off if paid by `until` (cash matching, ADR 0085). */
  earlyDiscount: { until: CalendarDate; discountBp: number; maxAmount: number } | null;
  /** Position of the last event folded in: a re-applied batch changes nothing. */
  lastPosition: number;
};

const HANDLED: ReadonlySet<string> = new Set([
  'InvoiceIssued', 'PaymentApplied', 'InvoiceSettled', 'PaymentUnapplied', 'InvoiceWrittenOff', 'BadDebtRecovered', 'CreditNoteApplied', 'DisputeOpened', 'DisputeResolved', 'DiscountApplied', 'DiscountReversed', 'LateChargesAssessed', 'LateChargesCorrected', 'LateChargesReinstated', 'ReminderSent', 'HandedToCollectionAgency', 'PaymentPlanAttached', 'PaymentPlanDetached',
  'BankFeesWrittenOff', 'BankFeesReversed',
]);

/** Collection states that take over while the invoice still owes something (dispute first: it pauses everything). */
function overlay(base: InvoiceStatus, v: Pick<InvoiceView, 'outstanding' | 'openDispute' | 'inCollection' | 'planId'>): InvoiceStatus {
  if (v.outstanding > 0 && (v.openDispute ?? null) !== null) return 'disputed';
  if (v.outstanding > 0 && v.planId) return 'in_payment_plan';
  if (v.outstanding > 0 && v.inCollection) return 'in_collection';
  return base;
}

function statusOf(paid: number, outstanding: number, settledOn: CalendarDate | null, writtenOff = 0): InvoiceStatus {
  if (outstanding === 0 && settledOn === null && writtenOff > 0) return 'written_off';
  if (settledOn !== null || outstanding === 0) return 'paid';
  return paid > 0 ? 'partially_paid' : 'issued';
}

/** Builds the document with a fixed key order (nested values too), so equal inputs give equal JSON. */
function view(v: Omit<InvoiceView, 'status'>): InvoiceView {
  return {
    invoiceId: v.invoiceId,
    number: v.number,
    customerId: v.customerId,
    currency: v.currency,
    status: overlay(statusOf(v.paid + (v.creditNoted ?? 0), v.outstanding, v.settledOn, v.writtenOff), v),
    net: v.net,
    tax: v.tax,
    total: v.total,
    vatBreakdown: v.vatBreakdown,
    vatCorrected: v.vatCorrected ?? [],
    paid: v.paid,
    outstanding: v.outstanding,
    issueDate: v.issueDate,
    dueDate: v.dueDate,
    lines: v.lines,
    payments: v.payments,
    settledOn: v.settledOn,
    creditDecision: v.creditDecision,
    writtenOff: v.writtenOff,
    recovered: v.recovered,
    adjustments: v.adjustments,
    creditNoted: v.creditNoted ?? 0,
    discounted: v.discounted ?? 0,
    ...(v.bankFees ? { bankFees: v.bankFees } : {}),
    charges: v.charges ?? 0,
    chargedThrough: v.chargedThrough ?? null,
    planId: v.planId ?? null,
    reminders: v.reminders ?? [],
    inCollection: v.inCollection ?? false,
    openDispute: v.openDispute ?? null,
    disputes: v.disputes ?? [],
    earlyDiscount: v.earlyDiscount ?? null,
    lastPosition: v.lastPosition,
  };
}

/** The discount window of the invoice's terms and its largest discount (half-up on the gross, as the invoice decider computes it). */
function earlyDiscountOf(data: InvoiceIssued['data']): InvoiceView['earlyDiscount'] {
  const w = data.terms ? discountWindow(data.terms, data.issueDate) : null;
  return w === null ? null : { until: w.until, discountBp: w.discountBp, maxAmount: Number(divideHalfUp(BigInt(data.total) * BigInt(w.discountBp), 10_000n)) };
}

function issued(raw: InvoiceIssued['data'], position: number): InvoiceView {
  const data = upcastInvoiceIssued(raw);
  return view({
    invoiceId: data.invoiceId,
    number: data.number,
    customerId: data.customerId,
    currency: data.currency,
    net: data.net,
    tax: data.tax,
    total: data.total,
    vatBreakdown: data.vatBreakdown.map((e) => ({ rate: e.rate, base: e.base, amount: e.amount })),
    vatCorrected: [],
    paid: 0,
    outstanding: data.total,
    issueDate: data.issueDate,
    dueDate: data.dueDate,
    lines: data.lines.map((l) => ({
      description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, taxRate: l.taxRate, net: l.net,
      ...(l.tax !== undefined ? { tax: l.tax } : {}), ...(l.gross !== undefined ? { gross: l.gross } : {}),
    })),
    payments: [],
    settledOn: null,
    creditDecision: {
      decision: data.creditDecision.decision,
      creditLimit: data.creditDecision.creditLimit,
      outstanding: data.creditDecision.outstanding,
      exposure: data.creditDecision.exposure,
    },
    writtenOff: 0,
    recovered: 0,
    adjustments: [],
    creditNoted: 0,
    discounted: 0,
    charges: 0,
    chargedThrough: null,
    planId: null,
    reminders: [],
    inCollection: false,
    openDispute: null,
    disputes: [],
    earlyDiscount: earlyDiscountOf(data),
    lastPosition: position,
  });
}

/** The decider's reading of corrections, so the read model and the credit-note checks agree (ADR 0034). */
const withVat = (doc: InvoiceView) => ({ vatBreakdown: doc.vatBreakdown ?? [], vatCorrected: doc.vatCorrected ?? [] });
const corrected = (doc: InvoiceView, by: readonly VatRateAmount[], sign: 1 | -1 = 1): VatRateAmount[] =>
  (by.length === 0 ? doc.vatCorrected ?? [] : combine(doc.vatCorrected ?? [], by, sign));

function next(doc: InvoiceView | null, event: ProjectedEvent): InvoiceView | null {
  switch (event.type) {
    case 'InvoiceIssued':
      return doc ?? issued(event.data, event.position);
    case 'PaymentApplied': {
      if (doc === null) return null;
      const { paymentId, amount, receivedOn, outstanding } = event.data;
      return view({
        ...doc,
        paid: doc.paid + amount,
        outstanding,
        payments: [...doc.payments, { paymentId, amount, receivedOn }],
        lastPosition: event.position,
      });
    }
    case 'InvoiceSettled':
      return doc === null ? null : view({ ...doc, settledOn: event.data.settledOn, lastPosition: event.position });
    case 'PaymentUnapplied': {
      if (doc === null) return null;
      const d = event.data;
      const fromPaid = d.amount - d.recoveryReversed;
      return view({
        ...doc, paid: doc.paid - fromPaid, recovered: doc.recovered - d.recoveryReversed, writtenOff: doc.writtenOff + d.recoveryReversed,
        outstanding: d.outstanding, settledOn: d.outstanding > 0 ? null : doc.settledOn, vatCorrected: corrected(doc, d.vatBreakdown ?? []),
        adjustments: [...doc.adjustments, { type: 'payment_unapplied', amount: -d.amount, on: d.on, reference: d.paymentId, note: d.reason }],
        lastPosition: event.position,
      });
    }
    case 'InvoiceWrittenOff': {
      if (doc === null) return null;
      const d = event.data;
      return view({
        ...doc, writtenOff: doc.writtenOff + d.amount, outstanding: d.outstanding,
        vatCorrected: corrected(doc, d.vatBreakdown ?? vatShareOf(Math.min(d.amount, Math.max(0, doc.outstanding - (doc.charges ?? 0))), withVat(doc))),
        adjustments: [...doc.adjustments, { type: 'write_off', amount: d.amount, on: d.writtenOffOn, reference: d.approvedBy, note: d.reason }],
        lastPosition: event.position,
      });
    }
    case 'CreditNoteApplied': {
      if (doc === null) return null;
      const d = event.data;
      const correction = d.allocationId !== undefined ? [] : d.vatBreakdown ?? vatShareOf(d.amount, withVat(doc));
      if (d.amount === 0) return view({ ...doc, vatCorrected: corrected(doc, correction), lastPosition: event.position });
      return view({
        ...doc, creditNoted: (doc.creditNoted ?? 0) + d.amount, outstanding: d.outstanding, vatCorrected: corrected(doc, correction),
        adjustments: [...doc.adjustments, { type: 'credit_note', amount: d.amount, on: d.on, reference: d.creditNoteId, note: d.allocationId ?? '' }],
        lastPosition: event.position,
      });
    }
    case 'ReminderSent': {
      if (doc === null) return null;
      const d = event.data;
      return view({ ...doc, reminders: [...(doc.reminders ?? []), { level: d.level, name: d.name, action: d.action, asOf: d.asOf, daysPastDue: d.daysPastDue, outstanding: d.outstanding }], lastPosition: event.position });
    }
    case 'HandedToCollectionAgency':
      return doc === null ? null : view({ ...doc, inCollection: true, lastPosition: event.position });
    case 'PaymentPlanAttached':
      return doc === null ? null : view({ ...doc, planId: event.data.planId, lastPosition: event.position });
    case 'PaymentPlanDetached':
      return doc === null ? null : view({ ...doc, planId: null, lastPosition: event.position });
    case 'LateChargesAssessed': {
      if (doc === null) return null;
      const d = event.data;
      return view({
        ...doc, charges: (doc.charges ?? 0) + d.amount, chargedThrough: d.through, outstanding: d.outstanding, settledOn: null,
        adjustments: [...doc.adjustments, { type: 'late_charges', amount: -d.amount, on: d.through, reference: `${d.from}..${d.through}`, note: `interest ${d.interest} + compensation ${d.compensation}` }],
        lastPosition: event.position,
      });
    }
    case 'LateChargesReinstated': {
      if (doc === null) return null;
      const d = event.data;
      return view({
        ...doc, charges: (doc.charges ?? 0) + d.amount, outstanding: d.outstanding, settledOn: null,
        adjustments: [...doc.adjustments, { type: 'late_charges', amount: -d.amount, on: d.on, reference: d.periods.map((p) => `${p.from}..${p.through}`).join(','), note: `deferred during dispute ${d.disputeId}: interest ${d.interest} + compensation ${d.compensation}` }],
        lastPosition: event.position,
      });
    }
    case 'LateChargesCorrected': {
      if (doc === null) return null;
      const d = event.data;
      return view({
        ...doc, charges: (doc.charges ?? 0) - d.amount, outstanding: d.outstanding,
        adjustments: [...doc.adjustments, { type: 'late_charges_corrected', amount: d.amount, on: d.on, reference: d.cause.reference, note: `${d.cause.type} on ${d.cause.on}: interest ${d.interest} + compensation ${d.compensation} cancelled` }],
        lastPosition: event.position,
      });
    }
    case 'DiscountApplied': {
      if (doc === null) return null;
      const d = event.data;
      return view({
        ...doc, discounted: (doc.discounted ?? 0) + d.amount, outstanding: d.outstanding, vatCorrected: corrected(doc, d.vatBreakdown ?? vatShareOf(d.amount, withVat(doc))),
        adjustments: [...doc.adjustments, { type: 'discount', amount: d.amount, on: d.on, reference: d.paymentId, note: `${d.discountBp} bp` }],
        lastPosition: event.position,
      });
    }
    case 'DiscountReversed': {
      if (doc === null) return null;
      const d = event.data;
      return view({
        ...doc, discounted: (doc.discounted ?? 0) - d.amount, outstanding: d.outstanding, settledOn: d.outstanding > 0 ? null : doc.settledOn,
        adjustments: [...doc.adjustments, { type: 'discount_reversed', amount: -d.amount, on: d.on, reference: d.paymentId, note: d.reason }],
        lastPosition: event.position,
      });
    }
    case 'BankFeesWrittenOff': {
      if (doc === null) return null;
      const d = event.data;
      return view({
        ...doc, bankFees: (doc.bankFees ?? 0) + d.amount, outstanding: d.outstanding,
        adjustments: [...doc.adjustments, { type: 'bank_fees', amount: d.amount, on: d.on, reference: d.paymentId, note: `bank entry ${d.bankEntryId}` }],
        lastPosition: event.position,
      });
    }
    case 'BankFeesReversed': {
      if (doc === null) return null;
      const d = event.data;
      return view({
        ...doc, bankFees: (doc.bankFees ?? 0) - d.amount, outstanding: d.outstanding, settledOn: d.outstanding > 0 ? null : doc.settledOn,
        adjustments: [...doc.adjustments, { type: 'bank_fees_reversed', amount: -d.amount, on: d.on, reference: d.paymentId, note: d.reason }],
        lastPosition: event.position,
      });
    }
    case 'DisputeOpened': {
      if (doc === null) return null;
      const d = event.data;
      const open = { disputeId: d.disputeId, amount: d.amount, reason: d.reason, openedOn: d.openedOn };
      return view({
        ...doc, openDispute: open,
        disputes: [...(doc.disputes ?? []), { ...open, outcome: null, agreedAmount: 0, resolvedOn: null, creditNoteId: null }],
        lastPosition: event.position,
      });
    }
    case 'DisputeResolved': {
      if (doc === null) return null;
      const d = event.data;
      return view({
        ...doc, openDispute: null,
        disputes: (doc.disputes ?? []).map((x) => (x.disputeId === d.disputeId
          ? { ...x, outcome: d.outcome, agreedAmount: d.agreedAmount, resolvedOn: d.resolvedOn, creditNoteId: d.creditNoteId } : x)),
        lastPosition: event.position,
      });
    }
    case 'BadDebtRecovered': {
      if (doc === null) return null;
      const d = event.data;
      return view({
        ...doc, writtenOff: doc.writtenOff - d.amount, recovered: doc.recovered + d.amount, vatCorrected: corrected(doc, d.vatBreakdown ?? [], -1),
        adjustments: [...doc.adjustments, { type: 'bad_debt_recovered', amount: d.amount, on: d.receivedOn, reference: d.paymentId, note: 'recovery' }],
        lastPosition: event.position,
      });
    }
    default:
      return doc;
  }
}

/** The status shown for a date: an open invoice past its due date is `overdue` as of that date. */
export function displayStatus(v: Pick<InvoiceView, 'status' | 'dueDate' | 'outstanding'>, asOf?: CalendarDate): InvoiceStatus {
  if (asOf === undefined || v.outstanding === 0) return v.status;
  const open = v.status === 'issued' || v.status === 'partially_paid';
  return open && v.dueDate < asOf ? 'overdue' : v.status;
}

export const invoicesProjection: Projection<InvoiceView> = {
  name: 'invoices',
  /** v2: the VAT breakdown by rate (ADR 0033); v3: the early-payment discount window, for cash matching (ADR 0085), and the list indexes (ADR 0069); v4: bank fees written off (ADR 0088). */
  version: 4,
  indexes: ['customerId', 'status', 'dueDate', 'issueDate', 'currency', 'outstanding'],
  /** The invoice list (ADR 0069): a (sort field, id) index per sort. */
  compoundIndexes: [
    ...sortIndexes(INVOICE_LIST),
    // The worklist's filter (still owing, due before a date): its count is read from this index alone.
    { fields: ['dueDate', 'outstanding'] },
    // A payment's automatic lettrage: one customer's invoices of one status, oldest due first, a page at a time (ADR 0121).
    { fields: ['customerId', 'status', 'dueDate', 'issueDate', 'number', 'invoiceId'] },
  ],
  eventTypes: HANDLED,
  keysOf(event) {
    return HANDLED.has(event.type) ? [(event.data as { invoiceId: string }).invoiceId] : [];
  },
  evolve(doc, event) {
    if (doc !== null && event.position <= doc.lastPosition) return doc;
    return next(doc, event);
  },
};
