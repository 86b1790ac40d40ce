import { formatAmount } from '../../../../libs/domain/shared/money';
import type { DisputeListItem, InvoiceListItem } from '../../../../libs/application/queries/lists/list.queries';
import type { CreditNoteView, OpenBalance, PaymentPlanView, PaymentView } from '../../../../projections';

/** The HTTP shapes of the back-office lists: amounts as decimal strings in the record's currency. */
export function invoiceItem(x: InvoiceListItem) {
  const v = x.invoice;
  const f = (m: number) => formatAmount(m, v.currency);
  return {
    id: v.invoiceId, number: v.number, customerId: v.customerId, customerName: x.customerName, issueDate: v.issueDate, dueDate: v.dueDate,
    currency: v.currency, total: f(v.total), outstanding: f(v.outstanding), status: x.status, daysPastDue: x.daysPastDue,
    dunningLevel: x.dunningLevel, disputed: (v.openDispute ?? null) !== null, planId: v.planId ?? null, inCollection: v.inCollection ?? false,
    lastReminder: (v.reminders ?? []).length > 0 ? { level: v.reminders[v.reminders.length - 1].level, asOf: v.reminders[v.reminders.length - 1].asOf } : null,
  };
}

export function customerItem(c: OpenBalance) {
  const f = (m: number) => formatAmount(m, c.currency);
  return {
    id: c.customerId, name: c.name, currency: c.currency, country: c.country, creditLimit: f(c.creditLimit), outstanding: f(c.outstanding),
    unapplied: f(c.unapplied), availableCredit: f(c.availableCredit), invoiceCount: c.invoiceCount, openInvoiceCount: c.openInvoiceCount,
  };
}

export function paymentItem(p: PaymentView) {
  const f = (m: number) => formatAmount(m, p.currency);
  return {
    id: p.paymentId, customerId: p.customerId, currency: p.currency, amount: f(p.amount), receivedOn: p.receivedOn, method: p.method,
    reference: p.reference === '' ? null : p.reference, status: p.status, allocated: f(p.allocated), unapplied: f(p.unapplied), refunded: f(p.refunded),
    heldForReview: p.heldForReview, reversedOn: p.reversedOn,
  };
}

/** A payment with its allocations (and deallocations, negative) in log order. */
export function paymentDetail(p: PaymentView) {
  const f = (m: number) => formatAmount(m, p.currency);
  return { ...paymentItem(p), allocations: p.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: f(a.amount), on: a.on, rule: a.rule })) };
}

export function creditNoteItem(c: CreditNoteView) {
  const f = (m: number) => formatAmount(m, c.currency);
  return {
    id: c.creditNoteId, number: c.number, customerId: c.customerId, currency: c.currency, issueDate: c.issueDate,
    invoiceId: c.invoiceId === '' ? null : c.invoiceId, reason: c.reason, net: f(c.net), tax: f(c.tax), total: f(c.total),
    appliedToInvoice: f(c.appliedToInvoice), allocated: f(c.allocated), refunded: f(c.refunded), unapplied: f(c.unapplied), status: c.status, disputeId: c.disputeId,
  };
}

export function disputeItem(x: DisputeListItem) {
  const d = x.dispute;
  // In the invoice's currency (a dispute is always opened on an invoice; the fallback only keeps the view total).
  const f = (m: number) => formatAmount(m, x.currency ?? 'EUR');
  return {
    id: d.disputeId, invoiceId: d.invoiceId, invoiceNumber: x.invoiceNumber, customerId: d.customerId, currency: x.currency, amount: f(d.amount),
    reason: d.reason, openedOn: d.openedOn, status: d.status, agreedAmount: f(d.agreedAmount), resolvedOn: d.resolvedOn, note: d.note, creditNoteId: d.creditNoteId,
  };
}

export function paymentPlanItem(p: PaymentPlanView) {
  const f = (m: number) => formatAmount(m, p.currency);
  return {
    id: p.planId, customerId: p.customerId, currency: p.currency, total: f(p.total), invoiceIds: p.invoiceIds, instalmentCount: p.instalments.length,
    endsOn: p.endsOn, agreedOn: p.agreedOn, interest: p.interest, status: p.status, brokenOn: p.brokenOn, completedOn: p.completedOn,
  };
}
