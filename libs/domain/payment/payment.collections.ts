import { CalendarDate, parseDate } from '../shared/dates';
import { DomainError, invalid } from '../shared/errors';
import { formatAmount } from '../shared/money';
import { requireId, requireInteger, requireText } from '../shared/validation';
import { explicitAllocations, AllocationRequest, OpenInvoice } from './payment.allocation';
import { PaymentDeallocated, PaymentHeldForReview, PaymentRefunded, PaymentReversed } from './payment.collection.events';
import type { PaymentAllocated } from './payment.events';

/** What collections add to a recorded payment's state. */
export interface PaymentCollectionState {
  /** PaymentAllocated events so far: numbers the later allocations' keys. */
  allocationCount: number;
  refunded: number;
  refundIds: string[];
  reversed: boolean;
  /** Held for review: its reference named no open invoice of the customer (ADR 0032). */
  review: { reference: string; reason: 'reference_not_open' } | null;
  /** Per invoice, the date the latest allocation to it took effect: a re-allocation cannot undo it earlier (ADR 0032). */
  allocatedOn: Record<string, CalendarDate>;
}

export const paymentCollectionDefaults = (): PaymentCollectionState => ({ allocationCount: 0, refunded: 0, refundIds: [], reversed: false, review: null, allocatedOn: {} });

export interface RecordedPaymentState extends PaymentCollectionState {
  paymentId: string;
  customerId: string;
  currency: string;
  amount: number;
  receivedOn: CalendarDate;
  /** Net amount per invoice (after re-allocations and reversals). */
  allocations: AllocationRequest[];
  unapplied: number;
}

/** Customer credit (unapplied cash of this payment) put on open invoices. */
export interface AllocatePayment {
  type: 'AllocatePayment';
  paymentId: string;
  allocations: AllocationRequest[];
  on: CalendarDate;
  openInvoices: OpenInvoice[];
}

/**
 * Moves an applied amount from one invoice to another of the same customer (or back to credit when `toInvoiceId`
 * is null). `on` null: the lettering is corrected as of the allocation it undoes — the receipt, for an allocation
 * made when the payment was recorded (Code civil art. 1342-10: the debtor's choice applies at payment) — and
 * never before the target invoice was issued (ADR 0032).
 */
export interface ReallocatePayment {
  type: 'ReallocatePayment';
  paymentId: string;
  fromInvoiceId: string;
  toInvoiceId: string | null;
  amount: number;
  on: CalendarDate | null;
  openInvoices: OpenInvoice[];
}

/** Which date a re-allocation takes effect on, and why (the response says it). */
export type ReallocationDateRule = 'explicit' | 'receipt' | 'allocation' | 'target_issue_date';

/** The date a re-allocation takes effect: the explicit one, or the allocation it undoes (not before the target's issue). */
export function reallocationDate(
  s: Pick<RecordedPaymentState, 'receivedOn' | 'allocatedOn'>, fromInvoiceId: string, target: Pick<OpenInvoice, 'issueDate'> | null, on: CalendarDate | null,
): { on: CalendarDate; rule: ReallocationDateRule } {
  if (on !== null) return { on, rule: 'explicit' };
  const undone = s.allocatedOn[fromInvoiceId] ?? s.receivedOn;
  if (target && target.issueDate > undone) return { on: target.issueDate, rule: 'target_issue_date' };
  return { on: undone, rule: undone === s.receivedOn ? 'receipt' : 'allocation' };
}

/** An allocation cannot take effect on an invoice before the invoice exists (issue 10 item 9). */
function notBeforeIssue(on: CalendarDate, invoice: OpenInvoice | undefined, field: string): void {
  if (invoice && on < invoice.issueDate) {
    throw new DomainError('DATE_BEFORE_INVOICE', `Invoice ${invoice.number} was issued on ${invoice.issueDate}; nothing can be put on it on ${on}`, {
      field, on, invoiceId: invoice.invoiceId, issueDate: invoice.issueDate,
    });
  }
}

/** The payment bounced or was charged back. */
export interface ReversePayment {
  type: 'ReversePayment';
  paymentId: string;
  reason: string;
  on: CalendarDate;
}

/** Pays back part of the unapplied cash. */
export interface RefundPayment {
  type: 'RefundPayment';
  paymentId: string;
  refundId: string;
  amount: number;
  on: CalendarDate;
  method: string;
}

export type PaymentCollectionCommand = AllocatePayment | ReallocatePayment | ReversePayment | RefundPayment;

function recorded(paymentId: string, state: RecordedPaymentState | null, on: CalendarDate): RecordedPaymentState {
  if (state === null) throw new DomainError('PAYMENT_NOT_FOUND', `Payment ${paymentId} does not exist`, { paymentId }, 'not_found');
  if (state.reversed) throw new DomainError('PAYMENT_REVERSED', `Payment ${paymentId} was reversed`, { paymentId });
  if (on < state.receivedOn) {
    throw invalid('DATE_BEFORE_RECEIPT', `Payment ${paymentId} was received on ${state.receivedOn}`, 'on', { paymentId, receivedOn: state.receivedOn });
  }
  return state;
}

const nextKey = (s: RecordedPaymentState, i: number) => `${s.paymentId}/${s.allocationCount + 1 + i}`;

export function allocatePayment(command: AllocatePayment, state: RecordedPaymentState | null): PaymentAllocated[] {
  const paymentId = requireId(command.paymentId, 'paymentId');
  const on = parseDate(command.on, 'on');
  if (!Array.isArray(command.allocations) || command.allocations.length === 0) {
    throw invalid('ALLOCATIONS_REQUIRED', 'allocations must be a non-empty list', 'allocations');
  }
  const s = recorded(paymentId, state, on);
  const allocations = explicitAllocations({ amount: s.unapplied, currency: s.currency, reference: null }, command.openInvoices, command.allocations);
  for (const a of allocations) notBeforeIssue(on, command.openInvoices.find((o) => o.invoiceId === a.invoiceId), 'on');
  let unapplied = s.unapplied;
  return allocations.map((a, i) => {
    unapplied -= a.amount;
    return {
      type: 'PaymentAllocated',
      data: { paymentId, customerId: s.customerId, invoiceId: a.invoiceId, amount: a.amount, receivedOn: s.receivedOn, rule: 'credit', unapplied, allocationId: nextKey(s, i), appliedOn: on },
    };
  });
}

export function reallocatePayment(command: ReallocatePayment, state: RecordedPaymentState | null): Array<PaymentDeallocated | PaymentAllocated> {
  const paymentId = requireId(command.paymentId, 'paymentId');
  const from = requireId(command.fromInvoiceId, 'fromInvoiceId');
  const to = command.toInvoiceId === null || command.toInvoiceId === undefined ? null : requireId(command.toInvoiceId, 'toInvoiceId');
  const amount = requireInteger(command.amount, 'amount', 'AMOUNT_NOT_POSITIVE', 1);
  const explicit = command.on === null || command.on === undefined ? null : parseDate(command.on, 'on');
  if (to === from) throw invalid('REALLOCATION_SAME_INVOICE', 'fromInvoiceId and toInvoiceId must differ', 'toInvoiceId', { invoiceId: to });
  const target = to === null ? null : command.openInvoices.find((o) => o.invoiceId === to) ?? null;
  const s = recorded(paymentId, state, explicit ?? state?.receivedOn ?? '0000-01-01');
  const { on } = reallocationDate(s, from, target, explicit);
  const show = (m: number) => formatAmount(m, s.currency);
  const onFrom = s.allocations.find((a) => a.invoiceId === from)?.amount ?? 0;
  if (amount > onFrom) {
    throw new DomainError('REALLOCATION_EXCEEDS_ALLOCATION', `Payment ${paymentId} put ${show(onFrom)} ${s.currency} on invoice ${from}`, {
      field: 'amount', paymentId, invoiceId: from, currency: s.currency, amount: show(amount), allocated: show(onFrom),
    });
  }
  // Not before what it moves: the allocation it undoes (else the invoice would show more open than it was ever owed).
  const undone = s.allocatedOn[from] ?? s.receivedOn;
  if (on < undone) {
    throw new DomainError('DATE_BEFORE_ALLOCATION', `The allocation to invoice ${from} took effect on ${undone}; it cannot be undone on ${on}`, {
      field: 'on', on, invoiceId: from, allocatedOn: undone,
    });
  }
  const unapplied = s.unapplied + amount;
  const events: Array<PaymentDeallocated | PaymentAllocated> = [{
    type: 'PaymentDeallocated',
    data: { paymentId, customerId: s.customerId, invoiceId: from, amount, on, reason: 'reallocation', unapplied },
  }];
  if (to === null) return events;
  const [a] = explicitAllocations({ amount, currency: s.currency, reference: null }, command.openInvoices, [{ invoiceId: to, amount }]);
  notBeforeIssue(on, target ?? undefined, 'on');
  events.push({
    type: 'PaymentAllocated',
    data: { paymentId, customerId: s.customerId, invoiceId: a.invoiceId, amount, receivedOn: s.receivedOn, rule: 'reallocation', unapplied: unapplied - amount, allocationId: nextKey(s, 0), appliedOn: on },
  });
  return events;
}

export function reversePayment(command: ReversePayment, state: RecordedPaymentState | null): Array<PaymentDeallocated | PaymentReversed> {
  const paymentId = requireId(command.paymentId, 'paymentId');
  const reason = requireText(command.reason, 'reason', 'REASON', 500);
  const on = parseDate(command.on, 'on');
  if (state !== null && state.reversed) {
    throw new DomainError('PAYMENT_ALREADY_REVERSED', `Payment ${paymentId} is already reversed`, { paymentId }, 'conflict');
  }
  const s = recorded(paymentId, state, on);
  if (s.refunded > 0) {
    // The customer already got that cash back: reversing would owe them nothing on any invoice.
    throw new DomainError('PAYMENT_REFUNDED', `Part of payment ${paymentId} was refunded; reverse the refund first`, {
      paymentId, currency: s.currency, refunded: formatAmount(s.refunded, s.currency),
    });
  }
  // A reversal takes back every allocation: it cannot be dated before one of them took effect (ADR 0032).
  const latest = s.allocations.map((a) => ({ invoiceId: a.invoiceId, on: s.allocatedOn[a.invoiceId] ?? s.receivedOn })).find((a) => a.on > on);
  if (latest) {
    throw new DomainError('DATE_BEFORE_ALLOCATION', `The allocation to invoice ${latest.invoiceId} took effect on ${latest.on}; the payment cannot be reversed on ${on}`, {
      field: 'on', on, invoiceId: latest.invoiceId, allocatedOn: latest.on,
    });
  }
  let unapplied = s.unapplied;
  const events: Array<PaymentDeallocated | PaymentReversed> = s.allocations.map((a) => {
    unapplied += a.amount;
    return { type: 'PaymentDeallocated', data: { paymentId, customerId: s.customerId, invoiceId: a.invoiceId, amount: a.amount, on, reason: 'reversal', unapplied } };
  });
  events.push({ type: 'PaymentReversed', data: { paymentId, customerId: s.customerId, amount: s.amount, reason, reversedOn: on, creditRemoved: unapplied } });
  return events;
}

export function refundPayment(command: RefundPayment, state: RecordedPaymentState | null): PaymentRefunded[] {
  const paymentId = requireId(command.paymentId, 'paymentId');
  const refundId = requireId(command.refundId, 'refundId');
  const amount = requireInteger(command.amount, 'amount', 'AMOUNT_NOT_POSITIVE', 1);
  const on = parseDate(command.on, 'on');
  const method = requireText(command.method, 'method', 'METHOD', 50);
  const s = recorded(paymentId, state, on);
  if (s.refundIds.includes(refundId)) return [];
  if (amount > s.unapplied) {
    const show = (m: number) => formatAmount(m, s.currency);
    throw new DomainError('REFUND_EXCEEDS_CREDIT', `${show(amount)} ${s.currency} exceeds the unapplied ${show(s.unapplied)} ${s.currency} of payment ${paymentId}`, {
      field: 'amount', paymentId, currency: s.currency, amount: show(amount), unapplied: show(s.unapplied),
    });
  }
  return [{ type: 'PaymentRefunded', data: { paymentId, customerId: s.customerId, refundId, amount, refundedOn: on, method, unapplied: s.unapplied - amount } }];
}

export function evolvePaymentCollection<S extends RecordedPaymentState>(state: S, event: PaymentDeallocated | PaymentReversed | PaymentRefunded | PaymentHeldForReview): S {
  switch (event.type) {
    case 'PaymentHeldForReview':
      return { ...state, review: { reference: event.data.reference, reason: event.data.reason } };
    case 'PaymentDeallocated': {
      const allocations = state.allocations
        .map((a) => (a.invoiceId === event.data.invoiceId ? { invoiceId: a.invoiceId, amount: a.amount - event.data.amount } : a))
        .filter((a) => a.amount > 0);
      return { ...state, allocations, unapplied: event.data.unapplied };
    }
    case 'PaymentReversed':
      return { ...state, reversed: true, unapplied: 0 };
    case 'PaymentRefunded':
      return { ...state, refunded: state.refunded + event.data.amount, refundIds: [...state.refundIds, event.data.refundId], unapplied: event.data.unapplied };
  }
}

/** Net allocations after one more PaymentAllocated (an invoice allocated twice keeps one line). */
export function addAllocation(allocations: readonly AllocationRequest[], invoiceId: string, amount: number): AllocationRequest[] {
  const existing = allocations.find((a) => a.invoiceId === invoiceId);
  if (!existing) return [...allocations, { invoiceId, amount }];
  return allocations.map((a) => (a.invoiceId === invoiceId ? { invoiceId, amount: a.amount + amount } : a));
}
