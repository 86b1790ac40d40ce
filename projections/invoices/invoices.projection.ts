import type { CalendarDate } from '../../libs/domain/shared/dates';
import type { CreditDecision, InvoiceIssued, IssuedLine } from '../../libs/domain/invoice/invoice.events';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';

export type InvoiceStatus = 'issued' | 'partially_paid' | 'paid';

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
  paid: number;
  /** As the domain computed it in the last `PaymentApplied`: projections do not recompute what the domain knew. */
  outstanding: number;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  lines: IssuedLine[];
  payments: InvoicePayment[];
  settledOn: CalendarDate | null;
  creditDecision: CreditDecision;
  /** Position of the last event folded in: a re-applied batch changes nothing. */
  lastPosition: number;
};

const HANDLED: ReadonlySet<string> = new Set(['InvoiceIssued', 'PaymentApplied', 'InvoiceSettled']);

function statusOf(paid: number, outstanding: number, settledOn: CalendarDate | null): InvoiceStatus {
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
    status: statusOf(v.paid, v.outstanding, v.settledOn),
    net: v.net,
    tax: v.tax,
    total: v.total,
    paid: v.paid,
    outstanding: v.outstanding,
    issueDate: v.issueDate,
    dueDate: v.dueDate,
    lines: v.lines,
    payments: v.payments,
    settledOn: v.settledOn,
    creditDecision: v.creditDecision,
    lastPosition: v.lastPosition,
  };
}

function issued(data: InvoiceIssued['data'], position: number): InvoiceView {
  return view({
    invoiceId: data.invoiceId,
    number: data.number,
    customerId: data.customerId,
    currency: data.currency,
    net: data.net,
    tax: data.tax,
    total: data.total,
    paid: 0,
    outstanding: data.total,
    issueDate: data.issueDate,
    dueDate: data.dueDate,
    lines: data.lines.map((l) => ({
      description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, taxRate: l.taxRate,
      net: l.net, tax: l.tax, gross: l.gross,
    })),
    payments: [],
    settledOn: null,
    creditDecision: {
      decision: data.creditDecision.decision,
      creditLimit: data.creditDecision.creditLimit,
      outstanding: data.creditDecision.outstanding,
      exposure: data.creditDecision.exposure,
    },
    lastPosition: position,
  });
}

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
    default:
      return doc;
  }
}

export const invoicesProjection: Projection<InvoiceView> = {
  name: 'invoices',
  version: 1,
  indexes: ['customerId', 'status', 'dueDate', 'issueDate'],
  keysOf(event) {
    return HANDLED.has(event.type) ? [(event.data as { invoiceId: string }).invoiceId] : [];
  },
  evolve(doc, event) {
    if (doc !== null && event.position <= doc.lastPosition) return doc;
    return next(doc, event);
  },
};
