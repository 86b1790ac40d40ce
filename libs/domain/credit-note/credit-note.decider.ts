import { CalendarDate, parseDate } from '../shared/dates';
import { assertNever, Decider } from '../shared/decider';
import { DomainError, invalid } from '../shared/errors';
import { divideHalfUp, formatAmount, parseScaled } from '../shared/money';
import { requireId, requireInteger, requireText } from '../shared/validation';
import { computeInvoiceTotals, InvoiceLineInput } from '../invoice/invoice.totals';
import { explicitAllocations, AllocationRequest, OpenInvoice } from '../payment/payment.allocation';
import { CreditNoteAllocated, CreditNoteEvent, CreditNoteIssued, CreditNoteRefunded } from './credit-note.events';

/** The invoice a credit note is issued against, as the application layer read it from its stream. */
export interface CreditedInvoice {
  invoiceId: string;
  customerId: string;
  number: string;
  currency: string;
  issueDate: CalendarDate;
  total: number;
  tax: number;
  outstanding: number;
}

export interface IssueCreditNote {
  type: 'IssueCreditNote';
  creditNoteId: string;
  customerId: string;
  number: string;
  issueDate: CalendarDate;
  reason: string;
  /** The customer's currency; null when the customer is not registered. */
  currency: string | null;
  /** Null: standalone (all of it becomes customer credit). */
  invoice: CreditedInvoice | null;
  /** Exactly one of lines or amount (gross, minor units). */
  lines?: InvoiceLineInput[];
  amount?: number;
  /** With an amount: the tax rate it includes; absent against an invoice = the invoice's tax share. */
  taxRate?: string;
  /** An accepted dispute may credit more than is still owed (the customer paid meanwhile): the excess is credit. */
  excessAsCredit?: boolean;
  disputeId?: string | null;
}

export interface AllocateCreditNote {
  type: 'AllocateCreditNote';
  creditNoteId: string;
  allocations: AllocationRequest[];
  on: CalendarDate;
  openInvoices: OpenInvoice[];
}

export interface RefundCreditNote {
  type: 'RefundCreditNote';
  creditNoteId: string;
  refundId: string;
  amount: number;
  on: CalendarDate;
  method: string;
}

export type CreditNoteCommand = IssueCreditNote | AllocateCreditNote | RefundCreditNote;

export type CreditNoteState =
  | { status: 'none' }
  | {
      status: 'issued';
      creditNoteId: string;
      customerId: string;
      number: string;
      currency: string;
      issueDate: CalendarDate;
      total: number;
      unapplied: number;
      allocationCount: number;
      refundIds: string[];
    };

const SCALE = 10_000n;

/** Gross → net + tax for a rate ("0.20"): net = half-up(gross / (1 + rate)), tax = gross − net. */
export function splitGross(gross: number, taxRate: string, field = 'taxRate'): { net: number; tax: number } {
  const rate = parseScaled(taxRate, 4, field);
  if (rate > SCALE) throw invalid('TAX_RATE_OUT_OF_RANGE', `${field} must be between 0 and 1`, field);
  const net = Number(divideHalfUp(BigInt(gross) * SCALE, SCALE + rate));
  return { net, tax: gross - net };
}

function issueCreditNote(c: IssueCreditNote, state: CreditNoteState): CreditNoteIssued[] {
  const creditNoteId = requireId(c.creditNoteId, 'creditNoteId');
  const customerId = requireId(c.customerId, 'customerId');
  const number = requireText(c.number, 'number', 'CREDIT_NOTE_NUMBER', 50);
  const issueDate = parseDate(c.issueDate, 'issueDate');
  const reason = requireText(c.reason, 'reason', 'REASON', 500);
  if (state.status !== 'none') {
    throw new DomainError('CREDIT_NOTE_ALREADY_EXISTS', `Credit note ${creditNoteId} already exists`, { creditNoteId, number: state.number }, 'conflict');
  }
  if (c.currency === null) throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} is not registered`, { customerId }, 'not_found');
  const currency = c.currency;
  const hasLines = Array.isArray(c.lines) && c.lines.length > 0;
  const hasAmount = c.amount !== undefined && c.amount !== null;
  if (hasLines === hasAmount) throw invalid('CREDIT_NOTE_LINES_OR_AMOUNT', 'give either lines or an amount', 'amount');
  const inv = c.invoice;
  if (inv !== null) {
    if (inv.customerId !== customerId) {
      throw new DomainError('INVOICE_OF_ANOTHER_CUSTOMER', `Invoice ${inv.number} belongs to customer ${inv.customerId}`, { field: 'invoiceId', invoiceId: inv.invoiceId });
    }
    if (issueDate < inv.issueDate) throw invalid('DATE_BEFORE_ISSUE', `Invoice ${inv.number} was issued on ${inv.issueDate}`, 'issueDate', { issueDate: inv.issueDate });
  }
  let lines: CreditNoteIssued['data']['lines'] = [];
  let net: number;
  let tax: number;
  let total: number;
  if (hasLines) {
    const t = computeInvoiceTotals(c.lines as InvoiceLineInput[]);
    ({ lines, net, tax, total } = t);
  } else {
    total = requireInteger(c.amount, 'amount', 'AMOUNT_NOT_POSITIVE', 1);
    if (c.taxRate !== undefined) ({ net, tax } = splitGross(total, c.taxRate));
    else if (inv !== null) {
      // The invoice's own tax share, so the VAT reversed matches what was invoiced.
      tax = inv.total === 0 ? 0 : Number(divideHalfUp(BigInt(total) * BigInt(inv.tax), BigInt(inv.total)));
      net = total - tax;
    } else throw invalid('TAX_RATE_REQUIRED', 'a standalone credit note for an amount needs its taxRate', 'taxRate');
  }
  const show = (m: number) => formatAmount(m, currency);
  let appliedToInvoice = 0;
  if (inv !== null) {
    if (!c.excessAsCredit && inv.outstanding === 0) {
      throw new DomainError('INVOICE_NOT_OPEN', `Invoice ${inv.number} owes nothing`, { field: 'invoiceId', invoiceId: inv.invoiceId });
    }
    if (!c.excessAsCredit && total > inv.outstanding) {
      throw new DomainError('CREDIT_NOTE_EXCEEDS_OUTSTANDING', `${show(total)} ${currency} exceeds the outstanding of invoice ${inv.number}`, {
        field: 'amount', invoiceId: inv.invoiceId, currency, amount: show(total), outstanding: show(inv.outstanding), excess: show(total - inv.outstanding),
      });
    }
    appliedToInvoice = Math.min(total, inv.outstanding);
  }
  return [{
    type: 'CreditNoteIssued',
    data: {
      creditNoteId, customerId, number, currency, issueDate, invoiceId: inv?.invoiceId ?? null, reason, lines, net, tax, total,
      appliedToInvoice, unapplied: total - appliedToInvoice, disputeId: c.disputeId ?? null,
    },
  }];
}

function issued(id: string, state: CreditNoteState, on: CalendarDate): Extract<CreditNoteState, { status: 'issued' }> {
  if (state.status === 'none') throw new DomainError('CREDIT_NOTE_NOT_FOUND', `Credit note ${id} does not exist`, { creditNoteId: id }, 'not_found');
  if (on < state.issueDate) throw invalid('DATE_BEFORE_ISSUE', `Credit note ${state.number} was issued on ${state.issueDate}`, 'on');
  return state;
}

function allocateCreditNote(c: AllocateCreditNote, state: CreditNoteState): CreditNoteAllocated[] {
  const creditNoteId = requireId(c.creditNoteId, 'creditNoteId');
  const on = parseDate(c.on, 'on');
  if (!Array.isArray(c.allocations) || c.allocations.length === 0) throw invalid('ALLOCATIONS_REQUIRED', 'allocations must be a non-empty list', 'allocations');
  const s = issued(creditNoteId, state, on);
  const allocations = explicitAllocations({ amount: s.unapplied, currency: s.currency, reference: null }, c.openInvoices, c.allocations);
  for (const a of allocations) {
    // Credit cannot pay an invoice before it exists (issue 10 item 9, ADR 0032).
    const invoice = c.openInvoices.find((o) => o.invoiceId === a.invoiceId);
    if (invoice && on < invoice.issueDate) {
      throw new DomainError('DATE_BEFORE_INVOICE', `Invoice ${invoice.number} was issued on ${invoice.issueDate}; nothing can be put on it on ${on}`, {
        field: 'on', on, invoiceId: invoice.invoiceId, issueDate: invoice.issueDate,
      });
    }
  }
  let unapplied = s.unapplied;
  return allocations.map((a, i) => {
    unapplied -= a.amount;
    return { type: 'CreditNoteAllocated', data: { creditNoteId, customerId: s.customerId, invoiceId: a.invoiceId, amount: a.amount, on, allocationId: `${creditNoteId}/${s.allocationCount + 1 + i}`, unapplied } };
  });
}

function refundCreditNote(c: RefundCreditNote, state: CreditNoteState): CreditNoteRefunded[] {
  const creditNoteId = requireId(c.creditNoteId, 'creditNoteId');
  const refundId = requireId(c.refundId, 'refundId');
  const amount = requireInteger(c.amount, 'amount', 'AMOUNT_NOT_POSITIVE', 1);
  const on = parseDate(c.on, 'on');
  const method = requireText(c.method, 'method', 'METHOD', 50);
  const s = issued(creditNoteId, state, on);
  if (s.refundIds.includes(refundId)) return [];
  if (amount > s.unapplied) {
    const show = (m: number) => formatAmount(m, s.currency);
    throw new DomainError('REFUND_EXCEEDS_CREDIT', `${show(amount)} ${s.currency} exceeds the unapplied ${show(s.unapplied)} ${s.currency} of credit note ${s.number}`, {
      field: 'amount', creditNoteId, currency: s.currency, amount: show(amount), unapplied: show(s.unapplied),
    });
  }
  return [{ type: 'CreditNoteRefunded', data: { creditNoteId, customerId: s.customerId, refundId, amount, refundedOn: on, method, unapplied: s.unapplied - amount } }];
}

function decide(command: CreditNoteCommand, state: CreditNoteState): CreditNoteEvent[] {
  switch (command.type) {
    case 'IssueCreditNote':
      return issueCreditNote(command, state);
    case 'AllocateCreditNote':
      return allocateCreditNote(command, state);
    case 'RefundCreditNote':
      return refundCreditNote(command, state);
    default:
      return assertNever(command);
  }
}

function evolve(state: CreditNoteState, event: CreditNoteEvent): CreditNoteState {
  switch (event.type) {
    case 'CreditNoteIssued': {
      const d = event.data;
      return { status: 'issued', creditNoteId: d.creditNoteId, customerId: d.customerId, number: d.number, currency: d.currency, issueDate: d.issueDate, total: d.total, unapplied: d.unapplied, allocationCount: 0, refundIds: [] };
    }
    case 'CreditNoteAllocated':
      return state.status === 'none' ? state : { ...state, unapplied: event.data.unapplied, allocationCount: state.allocationCount + 1 };
    case 'CreditNoteRefunded':
      return state.status === 'none' ? state : { ...state, unapplied: event.data.unapplied, refundIds: [...state.refundIds, event.data.refundId] };
    default:
      return assertNever(event);
  }
}

export const initialCreditNoteState = (): CreditNoteState => ({ status: 'none' });

/** A credit note (avoir): issued once, then its unapplied part used as customer credit or refunded. */
export const creditNoteDecider: Decider<CreditNoteCommand, CreditNoteEvent, CreditNoteState> = {
  initialState: initialCreditNoteState,
  evolve,
  decide,
};
