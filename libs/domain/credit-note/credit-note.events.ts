import { DomainEvent } from '../shared/decider';
import { CalendarDate } from '../shared/dates';
import type { IssuedLine } from '../invoice/invoice.events';
import type { VatRateAmount } from '../shared/vat';

/**
 * Avoir: a document reducing what the customer owes, numbered in its own gap-free series (`CN-000001`).
 * Against an invoice, `appliedToInvoice` lowers that invoice's outstanding (the invoice records
 * `CreditNoteApplied`); whatever is not applied (`unapplied`, all of a standalone note) is customer credit.
 */
export type CreditNoteIssued = DomainEvent<'CreditNoteIssued', {
  creditNoteId: string;
  customerId: string;
  number: string;
  currency: string;
  issueDate: CalendarDate;
  invoiceId: string | null;
  reason: string;
  /** Lines when issued with lines; empty when issued for an amount. */
  lines: IssuedLine[];
  /**
   * v2: what the note corrects, rate by rate (base and VAT; CGI annex II art. 242 nonies A). Lines: VAT per
   * rate as on an invoice; an amount against an invoice: split across the invoice's open rates in proportion
   * (ADR 0034). Absent on v1 events: read them through `upcastCreditNoteIssued`.
   */
  vatBreakdown?: VatRateAmount[];
  /**
   * v2, when present: the part of an amount-only note beyond the invoice's price still open, taken from its
   * late-payment charges (interest and compensation, outside the scope of VAT); included in `net`.
   */
  charges?: number;
  /** v2, against an invoice under VAT on receipt: the part of the note's VAT taken from 44574 (still waiting), by rate. */
  vatToCollect?: VatRateAmount[];
  net: number;
  tax: number;
  total: number;
  appliedToInvoice: number;
  unapplied: number;
  /** The dispute whose accepted resolution issued it, if any. */
  disputeId: string | null;
}>;

/** Customer credit of a credit note put on an invoice (`POST /customers/:id/apply-credit`). */
export type CreditNoteAllocated = DomainEvent<'CreditNoteAllocated', {
  creditNoteId: string;
  customerId: string;
  invoiceId: string;
  amount: number;
  on: CalendarDate;
  allocationId: string;
  unapplied: number;
}>;

/** Customer credit of a credit note paid back. */
export type CreditNoteRefunded = DomainEvent<'CreditNoteRefunded', {
  creditNoteId: string;
  customerId: string;
  refundId: string;
  amount: number;
  refundedOn: CalendarDate;
  method: string;
  unapplied: number;
}>;

/** A gap-free number of series `CN` reserved with the whole decided credit note (recovery finishes it). */
export type CreditNoteNumberReserved = DomainEvent<'CreditNoteNumberReserved', {
  series: string;
  number: string;
  creditNoteId: string;
  customerId: string;
  creditNote: CreditNoteIssued['data'];
}>;

export type CreditNoteEvent = CreditNoteIssued | CreditNoteAllocated | CreditNoteRefunded;
export const CREDIT_NOTE_EVENT_TYPES = ['CreditNoteIssued', 'CreditNoteAllocated', 'CreditNoteRefunded'] as const;
