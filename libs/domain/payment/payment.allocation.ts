import { CalendarDate } from '../shared/dates';
import { DomainError, invalid } from '../shared/errors';
import { formatAmount } from '../shared/money';
import { requireId, requireInteger } from '../shared/validation';
import { PaymentAllocated } from './payment.events';

/** One of the customer's invoices with something still owed, as read by the application layer. */
export interface OpenInvoice {
  invoiceId: string;
  number: string;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  outstanding: number;
  currency: string;
  /** Written off and not yet recovered: an explicit or referenced payment beyond the outstanding recovers it. */
  recoverable?: number;
  /** Under an open dispute (litige): automatic allocation never pays it (ADR 0032). */
  disputed?: number;
}

/** What automatic allocation may put on an invoice: its outstanding less any amount under dispute. */
export const payable = (o: OpenInvoice): number => Math.max(0, o.outstanding - Math.min(o.outstanding, o.disputed ?? 0));

/** A client's explicit lettrage: this much of the payment to that invoice. */
export interface AllocationRequest {
  invoiceId: string;
  amount: number;
}

export type AllocationRule = PaymentAllocated['data']['rule'];

export interface Allocation {
  invoiceId: string;
  amount: number;
  rule: AllocationRule;
}

export interface PaymentToAllocate {
  amount: number;
  currency: string;
  reference: string | null;
}

/** Oldest due date first; ties by issue date, then invoice number, so the order never depends on input order. */
export function byOldestDue(a: OpenInvoice, b: OpenInvoice): number {
  const keys: Array<[string, string]> = [[a.dueDate, b.dueDate], [a.issueDate, b.issueDate], [a.number, b.number], [a.invoiceId, b.invoiceId]];
  for (const [x, y] of keys) if (x !== y) return x < y ? -1 : 1;
  return 0;
}

/**
 * Explicit allocations, checked against the open invoices: each invoice open, in the payment's
 * currency, at most once, within its outstanding; together within the payment.
 */
export function explicitAllocations(
  payment: PaymentToAllocate, open: readonly OpenInvoice[], requested: readonly AllocationRequest[],
): Allocation[] {
  const show = (minor: number | bigint) => formatAmount(Number(minor), payment.currency);
  const seen = new Set<string>();
  let allocated = 0n;
  const allocations = requested.map((request, i): Allocation => {
    const at = `allocations[${i}]`;
    const invoiceId = requireId(request?.invoiceId, `${at}.invoiceId`);
    const amount = requireInteger(request.amount, `${at}.amount`, 'ALLOCATION_AMOUNT_INVALID', 1);
    if (seen.has(invoiceId)) {
      throw invalid('ALLOCATION_DUPLICATE_INVOICE', `Invoice ${invoiceId} is allocated more than once`, `${at}.invoiceId`, { invoiceId });
    }
    seen.add(invoiceId);
    const invoice = open.find((o) => o.invoiceId === invoiceId);
    if (!invoice) {
      throw new DomainError('ALLOCATION_INVOICE_NOT_OPEN', `Invoice ${invoiceId} is not an open invoice of this customer`, { field: `${at}.invoiceId`, invoiceId });
    }
    if (invoice.currency !== payment.currency) {
      throw new DomainError('CURRENCY_MISMATCH', `Invoice ${invoice.number} is in ${invoice.currency}, the payment in ${payment.currency}`, {
        field: `${at}.invoiceId`, invoiceId, invoiceCurrency: invoice.currency, paymentCurrency: payment.currency,
      });
    }
    if (amount > invoice.outstanding + (invoice.recoverable ?? 0)) {
      throw new DomainError('ALLOCATION_EXCEEDS_OUTSTANDING', `${show(amount)} ${payment.currency} exceeds the outstanding of invoice ${invoice.number}`, {
        field: `${at}.amount`, invoiceId, currency: payment.currency,
        amount: show(amount), outstanding: show(invoice.outstanding), excess: show(amount - invoice.outstanding),
      });
    }
    allocated += BigInt(amount);
    return { invoiceId, amount, rule: 'explicit' };
  });
  if (allocated > BigInt(payment.amount)) {
    throw new DomainError('ALLOCATIONS_EXCEED_PAYMENT', `Allocations of ${show(allocated)} ${payment.currency} exceed the payment`, {
      field: 'allocations', currency: payment.currency,
      amount: show(payment.amount), allocated: show(allocated), excess: show(allocated - BigInt(payment.amount)),
    });
  }
  return allocations;
}

/**
 * Automatic lettrage: the open invoice whose number is the payment's reference first, then the oldest
 * due first, never more than an invoice's undisputed outstanding (ADR 0032). Invoices in another currency
 * are never touched; what is left stays unapplied (customer credit). A reference that names no open invoice
 * of this customer allocates nothing (`referenceMatched: false`): the cash waits for a person.
 */
export function automaticLettrage(payment: PaymentToAllocate, open: readonly OpenInvoice[]): { allocations: Allocation[]; referenceMatched: boolean | null } {
  const eligible = open.filter((o) => o.currency === payment.currency && payable(o) > 0);
  const reference = payment.reference?.trim();
  // A written-off invoice named by the reference takes what it still owes and then a recovery.
  const referenced = reference
    ? open.find((o) => o.currency === payment.currency && o.number === reference && o.outstanding + (o.recoverable ?? 0) > 0)
    : undefined;
  if (reference && !referenced) return { allocations: [], referenceMatched: false };
  const queue: Array<[OpenInvoice, AllocationRule]> = [
    ...(referenced ? [[referenced, 'reference'] as [OpenInvoice, AllocationRule]] : []),
    ...eligible.filter((o) => o !== referenced).sort(byOldestDue).map((o): [OpenInvoice, AllocationRule] => [o, 'oldest_due']),
  ];
  const allocations: Allocation[] = [];
  let remaining = payment.amount;
  for (const [invoice, rule] of queue) {
    if (remaining === 0) break;
    const amount = Math.min(remaining, payable(invoice) + (rule === 'reference' ? invoice.recoverable ?? 0 : 0));
    if (amount === 0) continue;
    allocations.push({ invoiceId: invoice.invoiceId, amount, rule });
    remaining -= amount;
  }
  return { allocations, referenceMatched: reference ? true : null };
}

/** The allocations of `automaticLettrage` (apply-credit plans use it with no reference). */
export function automaticAllocations(payment: PaymentToAllocate, open: readonly OpenInvoice[]): Allocation[] {
  return automaticLettrage(payment, open).allocations;
}
