import { DomainEvent } from '../shared/decider';
import { CalendarDate } from '../shared/dates';
import type { VatRateAmount } from '../shared/vat';

/**
 * Part of a payment taken back from the invoice (re-allocation or reversal of the payment): the invoice
 * owes it again. `recoveryReversed` is the part that had been a bad-debt recovery (it does not raise the
 * outstanding: the amount is written off again); `outstanding` is what is owed after; `reopened` says the
 * invoice was closed (outstanding 0) before.
 */
export type PaymentUnapplied = DomainEvent<'PaymentUnapplied', {
  invoiceId: string;
  customerId: string;
  paymentId: string;
  amount: number;
  on: CalendarDate;
  reason: 'reallocation' | 'reversal';
  recoveryReversed: number;
  outstanding: number;
  reopened: boolean;
  /** v2, when the recovery taken back had VAT due again: that VAT, regularised again (CGI art. 272-1, ADR 0035). */
  vatBreakdown?: VatRateAmount[];
  /** v2, under VAT on receipt: the VAT the payment had moved to 44571 for this part, moved back to 44574. */
  vatReturned?: VatRateAmount[];
}>;

/** Passage en perte: part or all of the outstanding given up, with a reason and who approved it. */
export type InvoiceWrittenOff = DomainEvent<'InvoiceWrittenOff', {
  invoiceId: string;
  customerId: string;
  amount: number;
  reason: string;
  approvedBy: string;
  writtenOffOn: CalendarDate;
  /** What is still owed after the write-off (0 = fully written off, the item is closed). */
  outstanding: number;
  /**
   * v2: the VAT-bearing part of the amount (the price still owed, charges excluded), split across the invoice's
   * open rates in proportion: the VAT regularised when the receivable is definitively irrecoverable (CGI art.
   * 272-1, ADR 0035). Absent on v1 events (booked then with no VAT regularisation).
   */
  vatBreakdown?: VatRateAmount[];
  /** v2: the invoice's VAT is due on receipt: the VAT cancelled was still waiting on 44574 (never due). */
  vatDueOn?: 'receipt';
}>;

/**
 * Money received on an invoice after (part of) it was written off, beyond what is still owed: a recovery
 * of bad debt, not an over-payment. `recoverable` is what of the write-off may still be recovered after.
 */
export type BadDebtRecovered = DomainEvent<'BadDebtRecovered', {
  invoiceId: string;
  customerId: string;
  paymentId: string;
  amount: number;
  receivedOn: CalendarDate;
  recoverable: number;
  /**
   * v2: the VAT due again on the money recovered, by rate: the recovery's share of the VAT that v2 write-offs
   * regularised (CGI art. 272-1: VAT recovered on an irrecoverable receivable is due again if it is paid).
   * Absent when none (v1 events, or write-offs that regularised no VAT).
   */
  vatBreakdown?: VatRateAmount[];
}>;

/** A credit note (avoir) lowered the invoice's outstanding. */
export type CreditNoteApplied = DomainEvent<'CreditNoteApplied', {
  invoiceId: string;
  customerId: string;
  creditNoteId: string;
  amount: number;
  on: CalendarDate;
  /** Dedup key: absent = the credit note issued against this invoice; `<creditNoteId>/<n>` when its credit was applied later. */
  allocationId?: string;
  outstanding: number;
  /**
   * v2, on the note issued against this invoice: what it corrects, rate by rate (its whole base and VAT, even
   * the part beyond what was still owed, which became customer credit — then `amount` may be 0). Absent on
   * later allocations of credit and on v1 events (read as the amount split across the open rates).
   */
  vatBreakdown?: VatRateAmount[];
  /** v2, with `vatBreakdown`: the note's part that credits late charges (no VAT); absent = 0. */
  charges?: number;
  /** v2, under VAT on receipt: the part of the note's VAT taken from 44574 (the rest reverses VAT already due). */
  vatToCollect?: VatRateAmount[];
}>;

/** Litige: the customer contests `amount` of the invoice; dunning pauses for it until resolved. */
export type DisputeOpened = DomainEvent<'DisputeOpened', {
  invoiceId: string;
  customerId: string;
  disputeId: string;
  amount: number;
  reason: string;
  openedOn: CalendarDate;
}>;

/**
 * The dispute closed. Accepted: a credit note for `agreedAmount` follows automatically (id `creditNoteId`);
 * rejected: nothing is credited and dunning resumes from where the due date puts it.
 */
export type DisputeResolved = DomainEvent<'DisputeResolved', {
  invoiceId: string;
  customerId: string;
  disputeId: string;
  outcome: 'accepted' | 'rejected';
  agreedAmount: number;
  resolvedOn: CalendarDate;
  note: string;
  creditNoteId: string | null;
}>;

/**
 * Escompte: a payment received within the discount window left at most the discount unpaid; the discount
 * (at most half-up(gross × discountBp / 10 000)) settles the remainder. Written with that PaymentApplied.
 */
export type DiscountApplied = DomainEvent<'DiscountApplied', {
  invoiceId: string;
  customerId: string;
  paymentId: string;
  amount: number;
  discountBp: number;
  on: CalendarDate;
  outstanding: number;
  /** v2: the discount's base and VAT at each of the invoice's open rates, in proportion (CGI art. 267 II-1°). Absent on v1 events. */
  vatBreakdown?: VatRateAmount[];
  /** v2: the invoice's VAT is due on receipt: the discount's VAT was still waiting on 44574. */
  vatDueOn?: 'receipt';
}>;

/**
 * Escompte taken back: the payment that earned the discount was taken back from the invoice (bounced,
 * charged back, or moved to another invoice), so the condition of the discount — paid within the window —
 * no longer holds (ADR 0036). The invoice owes the discount again; `discount` is the `DiscountApplied`
 * payload being reversed (the journal books its mirror). Written with the `PaymentUnapplied` that causes it.
 */
export type DiscountReversed = DomainEvent<'DiscountReversed', {
  invoiceId: string;
  customerId: string;
  paymentId: string;
  amount: number;
  on: CalendarDate;
  reason: 'reallocation' | 'reversal';
  discount: DiscountApplied['data'];
  outstanding: number;
}>;

/**
 * Bank fees (frais bancaires) written off: a bank statement receipt settled the invoice but for a small
 * difference the banks kept on the way (at most `AR_CASH_FEE_TOLERANCE`), accepted by a clerk (ADR 0088). The
 * difference is a charge of the seller, booked D 627 (services bancaires et assimilés, PCG) / C 411: not a bad
 * debt and not a price reduction, so the VAT stays due on the full price (CGI art. 266-1-a and 267: the taxable
 * base is everything the buyer owes; art. 267 II-1° lowers it only for discounts and rebates granted to him).
 * Written with the receipt's `PaymentApplied`, in the same append, with the `InvoiceSettled` it completes.
 */
export type BankFeesWrittenOff = DomainEvent<'BankFeesWrittenOff', {
  invoiceId: string;
  customerId: string;
  /** The receipt the fees were deducted from, and its bank statement line. */
  paymentId: string;
  bankEntryId: string;
  amount: number;
  on: CalendarDate;
  /** What is still owed after (always 0: the fees settle the invoice). */
  outstanding: number;
  /** Under VAT on receipt: the VAT still waiting on 44574, due now that the price is received (CGI art. 269-2-c). */
  vatReceived?: VatRateAmount[];
}>;

/**
 * Bank fees written off taken back with the receipt they came with (bounced, returned, charged back, moved to
 * another invoice): the invoice owes them again (ADR 0088). `fees` is the `BankFeesWrittenOff` payload reversed;
 * the journal books the mirror of its entry. Written with the `PaymentUnapplied` that causes it.
 */
export type BankFeesReversed = DomainEvent<'BankFeesReversed', {
  invoiceId: string;
  customerId: string;
  paymentId: string;
  amount: number;
  on: CalendarDate;
  reason: 'reallocation' | 'reversal';
  fees: BankFeesWrittenOff['data'];
  outstanding: number;
}>;

/**
 * Late-payment interest (and, the first time, the fixed compensation) for the days `from`…`through`,
 * assessed onto the invoice itself — never a separate invoice, never twice for the same days.
 */
export type LateChargesAssessed = DomainEvent<'LateChargesAssessed', {
  invoiceId: string;
  customerId: string;
  from: CalendarDate;
  through: CalendarDate;
  interest: number;
  compensation: number;
  amount: number;
  dayBasis: number;
  rateSource: string;
  lines: Array<{ from: CalendarDate; to: CalendarDate; days: number; principal: number; referenceRateBp: number; marginBp: number; annualRateBp: number }>;
  outstanding: number;
  reopened: boolean;
  /** v2: days inside the period that bore no interest, a kept `waive` plan's (ADR 0051); absent = none (and on v1). */
  waived?: Array<{ planId: string; from: CalendarDate; to: CalendarDate }>;
  /**
   * v3, with a compensation: the EUR 40 of D441-5 (`eur`, euro cents) converted into the invoice currency at `rate`
   * (units per 1 EUR) of `rateDate`, the due date's or the latest before it (ADR 0053). Absent on v1/v2, which
   * charged EUR 40 on EUR invoices only.
   */
  compensationBasis?: CompensationRecord;
}>;

/** How a compensation in the invoice currency was derived from the EUR 40 (ADR 0053). */
export interface CompensationRecord {
  eur: number;
  rate: string;
  rateDate: CalendarDate;
}

/**
 * Late charges already assessed, cancelled in part or whole because a fact recorded since lowers the principal
 * on days they covered (a receipt received before but recorded after the assessment, a back-dated credit
 * note or write-off): interest is due only up to the actual payment date (L441-10; ADR 0037). One event per
 * assessment corrected, dated `on` = that assessment's `through`, written with the fact that causes it.
 * `interest` + `compensation` = `amount` cancelled (the EUR 40 only when no day is late any more).
 */
export type LateChargesCorrected = DomainEvent<'LateChargesCorrected', {
  invoiceId: string;
  customerId: string;
  on: CalendarDate;
  interest: number;
  compensation: number;
  amount: number;
  /** The fact that lowers the principal: its type, its id (payment, credit note) and its effective date. */
  cause: { type: string; reference: string; on: CalendarDate };
  /** Interest and compensation for due date + 1 … `on` as recomputed with the fact (what stays charged by then). */
  recomputed: { interest: number; compensation: number };
  outstanding: number;
  /** v2, with a compensation cancelled: its value in euro cents as assessed (ADR 0053); absent on v1. */
  compensationEur?: number;
}>;

/**
 * Interest (and the compensation, if first due) on an amount under an open dispute, held back from an
 * assessment: not owed while the dispute is open (ADR 0038). Written with the `LateChargesAssessed` of the same
 * days (or alone when everything owed is disputed); changes nothing owed. `principal` is the disputed amount.
 */
export type LateChargesDeferred = DomainEvent<'LateChargesDeferred', {
  invoiceId: string;
  customerId: string;
  disputeId: string;
  from: CalendarDate;
  through: CalendarDate;
  principal: number;
  interest: number;
  compensation: number;
  amount: number;
  /** v2, with a compensation: the EUR 40 and its conversion (ADR 0053); absent on v1. */
  compensationBasis?: CompensationRecord;
}>;

/**
 * Deferred charges owed after all, from the original due date: the dispute was rejected (all of them) or
 * accepted for less than was disputed (the share not credited). Dated on the resolution; written with the
 * `DisputeResolved` (ADR 0038).
 */
export type LateChargesReinstated = DomainEvent<'LateChargesReinstated', {
  invoiceId: string;
  customerId: string;
  disputeId: string;
  on: CalendarDate;
  /** The periods whose deferred charges are reinstated. */
  periods: Array<{ from: CalendarDate; through: CalendarDate }>;
  interest: number;
  compensation: number;
  amount: number;
  outstanding: number;
  reopened: boolean;
  /** v2, with a compensation reinstated: its value in euro cents (ADR 0053); absent on v1. */
  compensationEur?: number;
}>;

/**
 * A dunning level reached for the invoice (relance, mise en demeure): at most one per invoice and level.
 * `creditHold` says the level asks for a credit hold on the customer (applied by the credit aggregate).
 */
export type ReminderSent = DomainEvent<'ReminderSent', {
  invoiceId: string;
  customerId: string;
  level: number;
  name: string;
  action: 'reminder' | 'formal_notice' | 'collection_agency';
  template: string;
  language: string;
  asOf: CalendarDate;
  daysPastDue: number;
  outstanding: number;
  creditHold: boolean;
}>;

/** The invoice is handed to a collection agency (recouvrement): status `in_collection`. */
export type HandedToCollectionAgency = DomainEvent<'HandedToCollectionAgency', {
  invoiceId: string;
  customerId: string;
  level: number;
  asOf: CalendarDate;
  outstanding: number;
}>;

/** The invoice is covered by a payment plan (échéancier): status `in_payment_plan`, dunning skips it. */
export type PaymentPlanAttached = DomainEvent<'PaymentPlanAttached', {
  invoiceId: string;
  customerId: string;
  planId: string;
}>;

/** The plan ended (broken or completed): dunning resumes from where the due date puts it. */
export type PaymentPlanDetached = DomainEvent<'PaymentPlanDetached', {
  invoiceId: string;
  customerId: string;
  planId: string;
  reason: 'broken' | 'completed';
}>;

export type InvoiceCollectionEvent = BankFeesWrittenOff | BankFeesReversed | LateChargesDeferred | LateChargesReinstated | LateChargesCorrected | DiscountReversed | PaymentPlanAttached | PaymentPlanDetached | ReminderSent | HandedToCollectionAgency | LateChargesAssessed | DiscountApplied | PaymentUnapplied | InvoiceWrittenOff | BadDebtRecovered | CreditNoteApplied | DisputeOpened | DisputeResolved;
export const INVOICE_COLLECTION_EVENT_TYPES = [
  'PaymentUnapplied', 'InvoiceWrittenOff', 'BadDebtRecovered', 'CreditNoteApplied', 'DisputeOpened', 'DisputeResolved', 'DiscountApplied', 'LateChargesAssessed', 'ReminderSent', 'HandedToCollectionAgency', 'PaymentPlanAttached', 'PaymentPlanDetached', 'DiscountReversed', 'LateChargesCorrected', 'LateChargesDeferred', 'LateChargesReinstated', 'BankFeesWrittenOff', 'BankFeesReversed',
] as const;
