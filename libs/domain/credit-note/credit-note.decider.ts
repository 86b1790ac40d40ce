import { CalendarDate, parseDate } from '../shared/dates';
import { assertNever, Decider } from '../shared/decider';
import { DomainError, invalid } from '../shared/errors';
import { formatAmount } from '../shared/money';
import { requireId, requireInteger, requireText } from '../shared/validation';
import { baseTotal, combine, grossTotal, sameRate, splitGrossAcross, splitGrossAtRate, vatTotal, type VatRateAmount } from '../shared/vat';
import { computeInvoiceTotals, InvoiceLineInput } from '../invoice/invoice.totals';
import { fromWaiting } from '../invoice/vat-on-receipt';
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
  /** VAT by rate as invoiced. */
  vatBreakdown: VatRateAmount[];
  /** Base and VAT already taken off, rate by rate, by earlier credit notes, discounts and write-offs. */
  vatCorrected: VatRateAmount[];
  /** Late-payment charges assessed on the invoice and not yet credited (outside the scope of VAT); absent = 0. */
  chargesOpen?: number;
  /** Under VAT on receipt (CGI art. 269-2-c): its VAT still waiting on 44574, by rate; absent = VAT due on invoicing. */
  vatWaiting?: VatRateAmount[];
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
  /** With an amount: the tax rate it includes; absent against an invoice = split across the invoice's open rates. */
  taxRate?: string;
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

/** Gross → net + tax for a rate ("0.20"): net = half-up(gross / (1 + rate)), tax = gross − net. */
export function splitGross(gross: number, taxRate: string, field = 'taxRate'): { net: number; tax: number } {
  const e = splitGrossAtRate(gross, taxRate, field);
  return { net: e.base, tax: e.amount };
}

/** What of the invoice may still be credited at each rate: as invoiced, less what earlier corrections took. */
export function openByRate(inv: Pick<CreditedInvoice, 'vatBreakdown' | 'vatCorrected'>): VatRateAmount[] {
  return combine(inv.vatBreakdown, inv.vatCorrected, -1);
}

/**
 * A credit note against an invoice corrects it rate by rate (CGI art. 272-1 and 283-3): at each rate its base
 * and its VAT may not exceed what is still open there, and a rate the invoice never had is refused. An amount
 * with no rate is split across the open rates in proportion (largest remainder, ADR 0034).
 */
function correctionOf(inv: CreditedInvoice, total: number, own: VatRateAmount[] | null, taxRate: string | undefined, currency: string): { vat: VatRateAmount[]; charges: number } {
  const show = (m: number) => formatAmount(m, currency);
  const open = openByRate(inv);
  let b: VatRateAmount[];
  if (own !== null) b = own;
  else if (taxRate !== undefined) {
    const split = splitGrossAtRate(total, taxRate);
    const at = open.find((e) => sameRate(e.rate, split.rate));
    // Crediting all that is open at the rate takes exactly its base and VAT (no rounding left behind).
    b = [at !== undefined && at.base + at.amount === total ? { ...at } : split];
  } else {
    // The price first (VAT-bearing, in proportion across the rates), then late charges (outside VAT's scope).
    const openGross = grossTotal(open);
    const creditable = openGross + (inv.chargesOpen ?? 0);
    if (total > creditable) {
      throw new DomainError('CREDIT_NOTE_EXCEEDS_INVOICED', `${show(total)} ${currency} exceeds the ${show(creditable)} ${currency} of invoice ${inv.number} still open to credit`, {
        field: 'amount', invoiceId: inv.invoiceId, currency, amount: show(total), creditable: show(creditable), excess: show(total - creditable),
      });
    }
    const price = Math.min(total, openGross);
    return { vat: splitGrossAcross(price, open), charges: total - price };
  }
  for (const e of b) {
    const invoiced = inv.vatBreakdown.find((x) => sameRate(x.rate, e.rate));
    if (invoiced === undefined) {
      throw new DomainError('CREDIT_NOTE_RATE_NOT_ON_INVOICE', `Invoice ${inv.number} has no VAT at rate ${e.rate}`, {
        field: own !== null ? 'lines' : 'taxRate', invoiceId: inv.invoiceId, rate: e.rate, invoiceRates: inv.vatBreakdown.map((x) => x.rate),
      });
    }
    const at = open.find((x) => sameRate(x.rate, e.rate)) ?? { rate: e.rate, base: 0, amount: 0 };
    if (e.base > at.base || e.amount > at.amount) {
      throw new DomainError('CREDIT_NOTE_EXCEEDS_INVOICED_AT_RATE', `At rate ${e.rate}, the credit note's base ${show(e.base)} and VAT ${show(e.amount)} exceed what invoice ${inv.number} still has open: base ${show(at.base)}, VAT ${show(at.amount)}`, {
        field: own !== null ? 'lines' : 'amount', invoiceId: inv.invoiceId, currency, rate: e.rate,
        base: show(e.base), vat: show(e.amount), openBase: show(at.base), openVat: show(at.amount),
      });
    }
  }
  return { vat: b, charges: 0 };
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
  let own: VatRateAmount[] | null = null;
  let total: number;
  if (hasLines) {
    const t = computeInvoiceTotals(c.lines as InvoiceLineInput[]);
    ({ lines, total } = t);
    own = t.vatBreakdown;
  } else {
    total = requireInteger(c.amount, 'amount', 'AMOUNT_NOT_POSITIVE', 1);
    if (inv === null && c.taxRate === undefined) throw invalid('TAX_RATE_REQUIRED', 'a standalone credit note for an amount needs its taxRate', 'taxRate');
  }
  const { vat: vatBreakdown, charges } = inv !== null
    ? correctionOf(inv, total, own, c.taxRate, currency)
    : { vat: own ?? [splitGrossAtRate(total, c.taxRate as string)], charges: 0 };
  // Against an invoice, what exceeds what it still owes (paid meanwhile) is customer credit (issue 10 item 5).
  const appliedToInvoice = inv === null ? 0 : Math.min(total, inv.outstanding);
  // Under VAT on receipt the note cancels VAT still waiting first; the rest reverses VAT already due.
  const vatToCollect = inv?.vatWaiting !== undefined ? fromWaiting(vatBreakdown, inv.vatWaiting) : [];
  return [{
    type: 'CreditNoteIssued',
    data: {
      creditNoteId, customerId, number, currency, issueDate, invoiceId: inv?.invoiceId ?? null, reason, lines, vatBreakdown, ...(charges > 0 ? { charges } : {}),
      ...(vatToCollect.length > 0 ? { vatToCollect } : {}),
      net: baseTotal(vatBreakdown) + charges, tax: vatTotal(vatBreakdown), total, appliedToInvoice, unapplied: total - appliedToInvoice, disputeId: c.disputeId ?? null,
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
