import { WRITE_OFF_REQUEST_EVENT_TYPES, type WriteOffRequestEvent } from './invoice.write-off-request.events';
import { DomainEvent } from '../shared/decider';
import { CalendarDate } from '../shared/dates';
import { PaymentTerms } from '../shared/payment-terms';
import type { VatRateAmount } from '../shared/vat';
import type { CreditPolicy } from '../credit/credit.events';
import type { ExposureFigures } from '../credit/credit-decision';
import { INVOICE_COLLECTION_EVENT_TYPES, InvoiceCollectionEvent } from './invoice.collection.events';

/**
 * One invoice line as issued: quantity and taxRate stay decimal strings, money is minor units. Since schema v2
 * a line carries its net only (EN 16931 BT-131): VAT is computed per rate, in `vatBreakdown`. Lines of v1
 * events keep the per-line `tax` and `gross` they were issued with.
 */
export interface IssuedLine {
  description: string;
  quantity: string;
  unitPrice: number;
  taxRate: string;
  net: number;
  /** v1 events only: the line's own rounded VAT. */
  tax?: number;
  /** v1 events only: net + tax. */
  gross?: number;
}

/**
 * The figures the credit decision used: exposure = outstanding + pendingApproval + this invoice's gross − unappliedCredit.
 * Events written before credit management carry only decision, creditLimit, outstanding and exposure (= outstanding + gross).
 */
export interface CreditDecision {
  /** `approved` within the limit; `approved_on_review` by a person after the invoice was held for approval. */
  decision: 'approved' | 'approved_on_review';
  creditLimit: number;
  outstanding: number;
  exposure: number;
  policy?: CreditPolicy;
  policySource?: 'customer' | 'global';
  pendingApproval?: number;
  unappliedCredit?: number;
  invoiceTotal?: number;
  /** Present on `approved_on_review`: who submitted and who approved, the reason, and the exposure when the invoice was held. */
  review?: { reason: string; submittedBy: string; approvedBy: string; submittedExposure: number; submittedIssueDate: CalendarDate };
}

/** The credit decision of an invoice held for approval: the figures, and by how much the limit would be exceeded. */
export interface PendingCreditDecision extends ExposureFigures {
  decision: 'pending_approval';
  excess: number;
}

export type InvoiceIssued = DomainEvent<'InvoiceIssued', {
  invoiceId: string;
  customerId: string;
  number: string;
  currency: string;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  paymentTermsDays: number;
  /** The terms the invoice was issued under; absent in events written before terms were named (= net paymentTermsDays). */
  terms?: PaymentTerms;
  /** `invoice` when the invoice overrode the customer's terms; absent = the customer's terms. */
  termsSource?: 'invoice';
  /** true only when terms beyond the legal cap were expressly agreed; absent otherwise. */
  termsAgreedBeyondCap?: boolean;
  lines: IssuedLine[];
  /** v2: VAT by rate (EN 16931 BG-23, BR-CO-17); tax = Σ amounts, net = Σ bases. Absent on v1 events: read them through `upcastInvoiceIssued`. */
  vatBreakdown?: VatRateAmount[];
  /** v2: VAT due on receipt (TVA sur les encaissements, CGI art. 269-2-c, the company option then); absent = due on invoicing. */
  vatDueOn?: 'receipt';
  net: number;
  tax: number;
  total: number;
  creditDecision: CreditDecision;
}>;

/** A payment's allocation applied to the invoice; `outstanding` is what remains after it. */
export type PaymentApplied = DomainEvent<'PaymentApplied', {
  invoiceId: string;
  customerId: string;
  paymentId: string;
  amount: number;
  receivedOn: CalendarDate;
  outstanding: number;
  /** Dedup key of the allocation; absent = paymentId (allocations made when the payment was recorded). */
  allocationId?: string;
  /** Date it lowers the outstanding; absent = receivedOn. */
  appliedOn?: CalendarDate;
  /** v2, on an invoice under VAT on receipt: the VAT of what it settles, moved from 44574 to 44571 (CGI art. 269-2-c). */
  vatReceived?: VatRateAmount[];
}>;

/** Follow-on fact: the outstanding reached zero. */
export type InvoiceSettled = DomainEvent<'InvoiceSettled', {
  invoiceId: string;
  customerId: string;
  settledOn: CalendarDate;
}>;

/** Held for approval (policy hold_for_approval, limit exceeded): no number yet, not a receivable, counts in exposure. */
export type InvoiceSubmittedForApproval = DomainEvent<'InvoiceSubmittedForApproval', {
  invoiceId: string;
  customerId: string;
  currency: string;
  issueDate: CalendarDate;
  terms: PaymentTerms;
  termsSource?: 'invoice';
  termsAgreedBeyondCap?: boolean;
  lines: IssuedLine[];
  /** v2, as on InvoiceIssued (absent on v1: `upcastInvoiceSubmitted`). */
  vatBreakdown?: VatRateAmount[];
  net: number;
  tax: number;
  total: number;
  creditDecision: PendingCreditDecision;
  /** Who submitted it (also in the metadata): the approver must be someone else (four eyes). */
  submittedBy: string;
}>;

/** A held invoice refused by a person: it never becomes a receivable and never takes a number. */
export type InvoiceRejected = DomainEvent<'InvoiceRejected', {
  invoiceId: string;
  customerId: string;
  total: number;
  reason: string;
}>;

export type InvoiceEvent = InvoiceIssued | PaymentApplied | InvoiceSettled | InvoiceSubmittedForApproval | InvoiceRejected | InvoiceCollectionEvent | WriteOffRequestEvent;
export const INVOICE_EVENT_TYPES = ['InvoiceIssued', 'PaymentApplied', 'InvoiceSettled', 'InvoiceSubmittedForApproval', 'InvoiceRejected', ...INVOICE_COLLECTION_EVENT_TYPES, ...WRITE_OFF_REQUEST_EVENT_TYPES] as const;
