import { upcastBankEntryMatched } from './cash/cash.events';
import type { CreditNoteIssued, CreditNoteNumberReserved } from './credit-note/credit-note.events';
import { upcastPaymentPlanAgreed } from './payment-plan/payment-plan.events';
import type { InvoiceIssued, InvoiceSubmittedForApproval } from './invoice/invoice.events';
import { vatByRateAsIssued, type VatRateAmount } from './shared/vat';

/**
 * Upcasters: old events read in today's shape, never rewritten (the log and its hashes stay as written).
 * Schema v1 → v2 of InvoiceIssued, InvoiceSubmittedForApproval, CreditNoteIssued and CreditNoteNumberReserved
 * (VAT per rate, ADR 0033): the breakdown of a v1 document is grouped from the per-line figures it was issued
 * with, so its tax and total never change. A v1 credit note issued for an amount has no rate: its breakdown
 * is empty (unknown), and its `net`/`tax` stay the figures of record. Pure; idempotent on v2 data.
 */
type WithBreakdown = { lines: Array<{ net: number; tax?: number; taxRate: string }>; vatBreakdown?: unknown };

function withBreakdown<D extends WithBreakdown>(data: D): D {
  if (Array.isArray(data.vatBreakdown)) return data;
  return { ...data, vatBreakdown: vatByRateAsIssued(data.lines ?? []) };
}

type Current<D extends { vatBreakdown?: VatRateAmount[] }> = D & { vatBreakdown: VatRateAmount[] };

export function upcastInvoiceIssued(data: InvoiceIssued['data']): Current<InvoiceIssued['data']> {
  return withBreakdown(data) as Current<InvoiceIssued['data']>;
}

export function upcastInvoiceSubmitted(data: InvoiceSubmittedForApproval['data']): Current<InvoiceSubmittedForApproval['data']> {
  return withBreakdown(data) as Current<InvoiceSubmittedForApproval['data']>;
}

export function upcastCreditNoteIssued(data: CreditNoteIssued['data']): Current<CreditNoteIssued['data']> {
  return withBreakdown(data) as Current<CreditNoteIssued['data']>;
}

export function upcastCreditNoteReserved(data: CreditNoteNumberReserved['data']): CreditNoteNumberReserved['data'] {
  return Array.isArray(data.creditNote?.vatBreakdown) ? data : { ...data, creditNote: upcastCreditNoteIssued(data.creditNote) };
}

/** The VAT breakdown of an invoice, a held invoice or a credit note of any schema version. */
export function vatBreakdownOf(data: WithBreakdown): VatRateAmount[] {
  return withBreakdown(data).vatBreakdown as VatRateAmount[];
}

const UPCASTERS: Readonly<Record<string, (data: any) => any>> = {
  InvoiceIssued: upcastInvoiceIssued,
  InvoiceSubmittedForApproval: upcastInvoiceSubmitted,
  CreditNoteIssued: upcastCreditNoteIssued,
  CreditNoteNumberReserved: upcastCreditNoteReserved,
  PaymentPlanAgreed: upcastPaymentPlanAgreed,
  BankEntryMatched: upcastBankEntryMatched,
};

/** The data of any event in its current shape (unchanged for types with one schema version). */
export function upcastEventData<T>(type: string, data: T): T {
  const up = UPCASTERS[type];
  return up === undefined ? data : up(data);
}
