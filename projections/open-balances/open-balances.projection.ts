import type { ArEvent } from '../../libs/domain/events';
import { CUSTOMER_LIST, sortIndexes } from '../lists/list-spec';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';

/**
 * A customer's balances, in integer minor units of its currency.
 * outstanding = invoiced − paid (paid = what payments settled on invoices);
 * unapplied = received − allocated (customer credit, *paiement non affecté*);
 * availableCredit = creditLimit − outstanding, negative when the limit is overrun (shown, not hidden).
 */
export type OpenBalance = {
  customerId: string;
  name: string;
  currency: string;
  /** ISO 3166-1 alpha-2 (FR when registered without one): sets the late-payment margin. */
  country: string;
  creditLimit: number;
  invoiced: number;
  received: number;
  paid: number;
  outstanding: number;
  unapplied: number;
  /** Written off and not recovered since. */
  writtenOff: number;
  /** Unapplied cash paid back to the customer. */
  refunded: number;
  /** Lowered from invoices by credit notes. */
  creditNoted: number;
  /** Early-payment discounts granted. */
  discounts: number;
  /** Late-payment charges assessed onto invoices. */
  charges: number;
  /** v2: bank fees written off with statement receipts (627, ADR 0088); absent = none. */
  bankFees?: number;
  availableCredit: number;
  invoiceCount: number;
  openInvoiceCount: number;
  /** Position of the last event folded in: a re-applied batch changes nothing. */
  lastPosition: number;
};

const HANDLED: ReadonlySet<string> = new Set<ArEvent['type']>([
  'CustomerRegistered',
  'CreditLimitChanged',
  'InvoiceIssued',
  'PaymentApplied',
  'InvoiceSettled',
  'PaymentReceived',
  'PaymentAllocated',
  'PaymentUnapplied',
  'InvoiceWrittenOff',
  'BadDebtRecovered',
  'PaymentDeallocated',
  'PaymentReversed',
  'PaymentRefunded',
  'CreditNoteApplied',
  'CreditNoteIssued',
  'CreditNoteAllocated',
  'CreditNoteRefunded',
  'DiscountApplied',
  'DiscountReversed',
  'LateChargesAssessed',
  'LateChargesCorrected',
  'LateChargesReinstated',
  'BankFeesWrittenOff',
  'BankFeesReversed',
]);

type Figures = Omit<OpenBalance, 'outstanding' | 'availableCredit'>;

/** Builds the document with a fixed key order and the derived figures, so equal inputs give equal JSON. */
function balance(f: Figures): OpenBalance {
  // outstanding = invoiced − allocated payments (incl. recoveries) − write-offs net of recoveries (DOMAIN.md)
  const outstanding = f.invoiced + f.charges - f.paid - f.writtenOff - f.creditNoted - f.discounts - (f.bankFees ?? 0);
  return {
    customerId: f.customerId,
    name: f.name,
    currency: f.currency,
    country: f.country ?? 'FR',
    creditLimit: f.creditLimit,
    invoiced: f.invoiced,
    received: f.received,
    paid: f.paid,
    outstanding,
    unapplied: f.unapplied,
    writtenOff: f.writtenOff,
    refunded: f.refunded,
    creditNoted: f.creditNoted,
    discounts: f.discounts,
    charges: f.charges,
    ...(f.bankFees ? { bankFees: f.bankFees } : {}),
    availableCredit: f.creditLimit - outstanding,
    invoiceCount: f.invoiceCount,
    openInvoiceCount: f.openInvoiceCount,
    lastPosition: f.lastPosition,
  };
}

/** Before `CustomerRegistered` is seen (it always comes first in practice), counters start from zero. */
function empty(customerId: string): OpenBalance {
  return balance({
    customerId, name: '', currency: '', country: 'FR', creditLimit: 0, invoiced: 0, received: 0, paid: 0, unapplied: 0, writtenOff: 0, refunded: 0, creditNoted: 0, discounts: 0, charges: 0,
    invoiceCount: 0, openInvoiceCount: 0, lastPosition: -1,
  });
}

function next(doc: OpenBalance, event: ProjectedEvent): OpenBalance {
  const f: Figures = { ...doc, writtenOff: doc.writtenOff ?? 0, refunded: doc.refunded ?? 0, creditNoted: doc.creditNoted ?? 0, discounts: doc.discounts ?? 0, charges: doc.charges ?? 0, lastPosition: event.position };
  switch (event.type) {
    case 'CustomerRegistered':
      return balance({ ...f, name: event.data.name, currency: event.data.currency, country: event.data.country ?? 'FR', creditLimit: event.data.creditLimit });
    case 'CreditLimitChanged':
      return balance({ ...f, creditLimit: event.data.newLimit });
    case 'InvoiceIssued':
      return balance({
        ...f,
        currency: f.currency || event.data.currency,
        invoiced: f.invoiced + event.data.total,
        invoiceCount: f.invoiceCount + 1,
        openInvoiceCount: f.openInvoiceCount + 1,
      });
    case 'PaymentApplied':
      return balance({ ...f, paid: f.paid + event.data.amount });
    case 'InvoiceSettled':
      return balance({ ...f, openInvoiceCount: f.openInvoiceCount - 1 });
    case 'PaymentReceived':
      return balance({
        ...f,
        currency: f.currency || event.data.currency,
        received: f.received + event.data.amount,
        unapplied: f.unapplied + event.data.amount,
      });
    case 'PaymentAllocated':
      return balance({ ...f, unapplied: f.unapplied - event.data.amount });
    case 'PaymentUnapplied': {
      const d = event.data;
      return balance({ ...f, paid: f.paid - d.amount, writtenOff: f.writtenOff + d.recoveryReversed, openInvoiceCount: f.openInvoiceCount + (d.reopened ? 1 : 0) });
    }
    case 'InvoiceWrittenOff':
      return balance({ ...f, writtenOff: f.writtenOff + event.data.amount, openInvoiceCount: f.openInvoiceCount - (event.data.outstanding === 0 ? 1 : 0) });
    case 'BadDebtRecovered':
      return balance({ ...f, paid: f.paid + event.data.amount, writtenOff: f.writtenOff - event.data.amount });
    case 'PaymentDeallocated':
      return balance({ ...f, unapplied: f.unapplied + event.data.amount });
    case 'PaymentReversed':
      return balance({ ...f, received: f.received - event.data.amount, unapplied: f.unapplied - event.data.creditRemoved });
    case 'DiscountApplied':
      return balance({ ...f, discounts: f.discounts + event.data.amount });
    case 'DiscountReversed':
      return balance({ ...f, discounts: f.discounts - event.data.amount });
    case 'BankFeesWrittenOff':
      return balance({ ...f, bankFees: (f.bankFees ?? 0) + event.data.amount });
    case 'BankFeesReversed':
      return balance({ ...f, bankFees: (f.bankFees ?? 0) - event.data.amount });
    case 'LateChargesAssessed':
      return balance({ ...f, charges: f.charges + event.data.amount, openInvoiceCount: f.openInvoiceCount + (event.data.reopened ? 1 : 0) });
    case 'LateChargesReinstated':
      return balance({ ...f, charges: f.charges + event.data.amount, openInvoiceCount: f.openInvoiceCount + (event.data.reopened ? 1 : 0) });
    case 'LateChargesCorrected':
      return balance({ ...f, charges: f.charges - event.data.amount });
    case 'CreditNoteApplied':
      return balance({ ...f, creditNoted: f.creditNoted + event.data.amount });
    case 'CreditNoteIssued':
      // What the note does not put on its invoice is customer credit, like unapplied cash.
      return balance({ ...f, unapplied: f.unapplied + event.data.unapplied });
    case 'CreditNoteAllocated':
      return balance({ ...f, unapplied: f.unapplied - event.data.amount });
    case 'CreditNoteRefunded':
      return balance({ ...f, unapplied: f.unapplied - event.data.amount, refunded: f.refunded + event.data.amount });
    case 'PaymentRefunded':
      return balance({ ...f, unapplied: f.unapplied - event.data.amount, refunded: f.refunded + event.data.amount });
    default:
      return doc;
  }
}

/** What one event moves on a customer's balance: its open receivables and its customer credit, in minor units. */
export interface BalanceMovement {
  outstanding: number;
  unapplied: number;
}

const ZERO = empty('');

/**
 * What `event` moves on its customer's `outstanding` and `unapplied`, by this projection's own fold: the event folded
 * onto a zero balance. Every figure of the fold is a sum of amounts the events state (none depends on the balance it
 * is added to), so this is what the event adds to any balance. Null for an event this projection does not take, or
 * one that moves neither figure. Other read models that need the customer's open receivables without a map of its
 * every open invoice take them from here (credit-exposure, ADR 0120), so the two cannot disagree.
 */
export function balanceMovement(event: ProjectedEvent): BalanceMovement | null {
  if (!HANDLED.has(event.type)) return null;
  const moved = next(ZERO, event);
  const outstanding = moved.outstanding - ZERO.outstanding;
  const unapplied = moved.unapplied - ZERO.unapplied;
  return outstanding === 0 && unapplied === 0 ? null : { outstanding, unapplied };
}

export const openBalancesProjection: Projection<OpenBalance> = {
  name: 'open-balances',
  /** v2: bank fees written off (ADR 0088). */
  version: 2,
  /** The customer list (ADR 0069): filters on currency, a (sort field, id) index per sort. */
  indexes: ['currency'],
  compoundIndexes: sortIndexes(CUSTOMER_LIST),
  eventTypes: HANDLED,
  keysOf(event) {
    return HANDLED.has(event.type) ? [event.data.customerId] : [];
  },
  evolve(doc, event) {
    const current = doc ?? empty(event.data.customerId);
    if (!HANDLED.has(event.type) || event.position <= current.lastPosition) return doc;
    return next(current, event);
  },
};
