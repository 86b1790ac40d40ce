import type { InvoiceEvent } from './invoice.events';
import { InvoiceIssued } from './invoice.events';
import { IssueInvoice } from './invoice.decider';

/** Test data shared by the invoice specs. */
export const issue: IssueInvoice = {
  type: 'IssueInvoice',
  invoiceId: 'inv-1',
  customerId: 'cust-1',
  number: 'F2024-0001',
  issueDate: '2024-01-31',
  lines: [
    { description: 'Consulting days', quantity: '3', unitPrice: 12_000, taxRate: '0.20' },
    { description: 'Books', quantity: '2.5', unitPrice: 1_999, taxRate: '0.055' },
  ],
  customer: { currency: 'EUR', creditLimit: 100_000, paymentTermsDays: 30 },
  outstanding: 20_000,
};

/**
 * 3 × 120.00 at 20 % and 2.5 × 19.99 at 5.5 %, due 30 days later (across a leap February). VAT per rate
 * (BR-CO-17): 20 %: 360.00 × 0.20 = 72.00; 5.5 %: 2.5 × 19.99 = 49.975 → 49.98; 49.98 × 0.055 = 2.7489 → 2.75.
 */
export const issued: InvoiceIssued = {
  type: 'InvoiceIssued',
  data: {
    invoiceId: 'inv-1',
    customerId: 'cust-1',
    number: 'F2024-0001',
    currency: 'EUR',
    issueDate: '2024-01-31',
    dueDate: '2024-03-01',
    paymentTermsDays: 30,
    terms: { type: 'net', days: 30 },
    lines: [
      { description: 'Consulting days', quantity: '3', unitPrice: 12_000, taxRate: '0.20', net: 36_000 },
      { description: 'Books', quantity: '2.5', unitPrice: 1_999, taxRate: '0.055', net: 4_998 },
    ],
    vatBreakdown: [{ rate: '0.20', base: 36_000, amount: 7_200 }, { rate: '0.055', base: 4_998, amount: 275 }],
    net: 40_998,
    tax: 7_475,
    total: 48_473,
    creditDecision: {
      decision: 'approved', policy: 'reject', policySource: 'global', creditLimit: 100_000, outstanding: 20_000,
      pendingApproval: 0, unappliedCredit: 0, invoiceTotal: 48_473, exposure: 68_473,
    },
  },
};

/** The same invoice as written before VAT per rate (schema v1): per-line tax and gross, no breakdown. */
export const issuedV1: InvoiceIssued = {
  type: 'InvoiceIssued',
  data: {
    ...(({ vatBreakdown: _omit, ...rest }) => rest)(issued.data),
    lines: [
      { description: 'Consulting days', quantity: '3', unitPrice: 12_000, taxRate: '0.20', net: 36_000, tax: 7_200, gross: 43_200 },
      { description: 'Books', quantity: '2.5', unitPrice: 1_999, taxRate: '0.055', net: 4_998, tax: 275, gross: 5_273 },
    ],
  },
};

/** 10 000.00, no VAT, issued 2026-01-01 and due 2026-01-31: the late-charge specs' invoice (interest from 02-01). */
export const dueJan31 = {
  type: 'InvoiceIssued',
  data: {
    invoiceId: 'i1', customerId: 'c1', number: 'F-1', currency: 'EUR', issueDate: '2026-01-01', dueDate: '2026-01-31', paymentTermsDays: 30,
    terms: { type: 'net', days: 30 }, lines: [], net: 1_000_000, tax: 0, total: 1_000_000,
    creditDecision: { decision: 'approved', creditLimit: 0, outstanding: 0, pendingApproval: 0, unapplied: 0, exposure: 0 },
  },
} as unknown as InvoiceEvent;
