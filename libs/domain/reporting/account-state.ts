import type { CalendarDate } from '../shared/dates';
import { effectiveBy, type RecordedFact } from './effective-date';

/** One invoice as a replay of the log sees it (integer minor units). */
export interface InvoiceAccountState {
  invoiceId: string;
  number: string;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  total: number;
  /** Payments applied to it (lettrage). */
  paid: number;
  outstanding: number;
  status: 'open' | 'settled';
  settledOn: CalendarDate | null;
}

/**
 * A customer's account folded from its events. balance = invoiced − received: what the customer account
 * (411) shows; outstanding = Σ open invoice amounts; unapplied = received − allocated (customer credit).
 */
export interface AccountState {
  customerId: string;
  name: string | null;
  currency: string | null;
  creditLimit: number;
  invoices: Record<string, InvoiceAccountState>;
  totals: { invoiced: number; received: number; allocated: number; paid: number; outstanding: number; unapplied: number; balance: number };
}

export function emptyAccount(customerId: string): AccountState {
  return {
    customerId, name: null, currency: null, creditLimit: 0, invoices: {},
    totals: { invoiced: 0, received: 0, allocated: 0, paid: 0, outstanding: 0, unapplied: 0, balance: 0 },
  };
}

type Fold = (s: AccountState, data: Record<string, any>) => void;

/**
 * How each event type changes the account. New event types that move money (credit notes, write-offs,
 * discounts, late charges, reversals, refunds…) add one line here; the totals are recomputed after each fold.
 */
export const ACCOUNT_FOLDS: Readonly<Record<string, Fold>> = {
  CustomerRegistered: (s, d) => { s.name = d.name; s.currency = d.currency; s.creditLimit = d.creditLimit; },
  CreditLimitChanged: (s, d) => { s.creditLimit = d.newLimit; },
  InvoiceIssued: (s, d) => {
    if (s.invoices[d.invoiceId]) return;
    s.currency ??= d.currency;
    s.invoices[d.invoiceId] = {
      invoiceId: d.invoiceId, number: d.number, issueDate: d.issueDate, dueDate: d.dueDate, total: d.total,
      paid: 0, outstanding: d.total, status: 'open', settledOn: null,
    };
    s.totals.invoiced += d.total;
  },
  PaymentApplied: (s, d) => {
    const inv = s.invoices[d.invoiceId];
    if (!inv) return;
    inv.paid += d.amount;
    inv.outstanding -= d.amount;
    if (inv.outstanding === 0) { inv.status = 'settled'; inv.settledOn = d.receivedOn; }
  },
  InvoiceSettled: (s, d) => {
    const inv = s.invoices[d.invoiceId];
    if (inv && inv.outstanding === 0) { inv.status = 'settled'; inv.settledOn = inv.settledOn ?? d.settledOn; }
  },
  PaymentReceived: (s, d) => { s.totals.received += d.amount; },
  PaymentAllocated: (s, d) => { s.totals.allocated += d.amount; },
};

/**
 * Replays a customer's facts in log order, keeping those that took effect on or before `asOf` (all when
 * absent). Pure: the same facts and date always give the same state.
 */
export function foldAccount(customerId: string, facts: Iterable<RecordedFact>, asOf?: CalendarDate): AccountState {
  const s = emptyAccount(customerId);
  for (const f of facts) {
    if (!effectiveBy(f, asOf)) continue;
    ACCOUNT_FOLDS[f.type]?.(s, f.data);
  }
  const invoices = Object.values(s.invoices);
  s.totals.paid = invoices.reduce((a, i) => a + i.paid, 0);
  s.totals.outstanding = invoices.reduce((a, i) => a + i.outstanding, 0);
  s.totals.unapplied = s.totals.received - s.totals.allocated;
  s.totals.balance = s.totals.invoiced - s.totals.received;
  return s;
}
