import { DomainEvent } from '../shared/decider';
import { InvoiceIssued } from './invoice.events';

/**
 * A gap-free number taken from a series (stream `invoicenumbers-<series>`, number = revision + 1).
 * It carries the whole decided `InvoiceIssued` payload so that, if the process stops between
 * reserving the number and writing the invoice, recovery can finish the invoice: no gap remains.
 */
export type InvoiceNumberReserved = DomainEvent<'InvoiceNumberReserved', {
  series: string;
  number: string;
  invoiceId: string;
  customerId: string;
  invoice: InvoiceIssued['data'];
}>;
