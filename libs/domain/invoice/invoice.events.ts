import { DomainEvent } from '../shared/decider';
import { CalendarDate } from '../shared/dates';
import { PaymentTerms } from '../shared/payment-terms';
import { INVOICE_COLLECTION_EVENT_TYPES, InvoiceCollectionEvent } from './invoice.collection.events';

/** One invoice line as issued: quantity and taxRate stay decimal strings, money is minor units. */
export interface IssuedLine {
  description: string;
  quantity: string;
  unitPrice: number;
  taxRate: string;
  net: number;
  tax: number;
  gross: number;
}

/** The figures the credit decision used (exposure = outstanding + this invoice's gross). */
export interface CreditDecision {
  decision: 'approved';
  creditLimit: number;
  outstanding: number;
  exposure: number;
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
  lines: IssuedLine[];
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
}>;

/** Follow-on fact: the outstanding reached zero. */
export type InvoiceSettled = DomainEvent<'InvoiceSettled', {
  invoiceId: string;
  customerId: string;
  settledOn: CalendarDate;
}>;

export type InvoiceEvent = InvoiceIssued | PaymentApplied | InvoiceSettled | InvoiceCollectionEvent;
export const INVOICE_EVENT_TYPES = ['InvoiceIssued', 'PaymentApplied', 'InvoiceSettled', ...INVOICE_COLLECTION_EVENT_TYPES] as const;
