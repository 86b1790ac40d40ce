import type { CalendarDate } from '../shared/dates';
import { effectiveBy, type RecordedFact } from './effective-date';

/** One invoice as a replay of the log sees it (integer minor units). */
export interface InvoiceAccountState {
  invoiceId: string;
  number: string;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  total: number;
  /** Payments applied to it (lettrage), net of those taken back. */
  paid: number;
  /** Late-payment interest and compensation assessed onto it. */
  charges: number;
  /** Credit notes applied to it. */
  credited: number;
  /** Early-payment discount (escompte). */
  discounted: number;
  /** Written off, net of what was recovered since. */
  writtenOff: number;
  /** Bank fees written off with a statement receipt (627, ADR 0088), net of those reversed. */
  bankFees: number;
  /** outstanding = total + charges − paid − credited − discounted − written off − bank fees (recoveries excluded). */
  outstanding: number;
  /** Closed by a write-off: `written_off`; closed otherwise: `settled`. */
  status: 'open' | 'settled' | 'written_off';
  settledOn: CalendarDate | null;
}

/**
 * A customer's account folded from its events. balance = what the customer account (411) shows, as the
 * journal books it; outstanding = Σ open invoice amounts; unapplied = customer credit (payments' unapplied
 * cash and credit notes' unapplied credit), so balance = outstanding − unapplied.
 * Invoices submitted for approval or rejected are not receivables: only `InvoiceIssued` creates one.
 */
export interface AccountState {
  customerId: string;
  name: string | null;
  currency: string | null;
  creditLimit: number;
  invoices: Record<string, InvoiceAccountState>;
  totals: {
    invoiced: number; charges: number; received: number; reversed: number; refunded: number; allocated: number; paid: number;
    creditNoted: number; creditApplied: number; discounts: number; writtenOff: number; bankFees: number; outstanding: number; unapplied: number; balance: number;
  };
}

export function emptyAccount(customerId: string): AccountState {
  return {
    customerId, name: null, currency: null, creditLimit: 0, invoices: {},
    totals: {
      invoiced: 0, charges: 0, received: 0, reversed: 0, refunded: 0, allocated: 0, paid: 0,
      creditNoted: 0, creditApplied: 0, discounts: 0, writtenOff: 0, bankFees: 0, outstanding: 0, unapplied: 0, balance: 0,
    },
  };
}

type Fold = (s: AccountState, data: Record<string, any>) => void;
type InvoiceFold = (inv: InvoiceAccountState, s: AccountState, data: Record<string, any>) => void;

/** Folds on the invoice the event names; an invoice the replay does not know (not issued by then) is ignored. */
const onInvoice = (f: InvoiceFold): Fold => (s, d) => {
  const inv = s.invoices[d.invoiceId];
  if (inv) f(inv, s, d);
};

/** After a change that lowers what is owed: the invoice closes on `on` when nothing is left. */
function lowered(inv: InvoiceAccountState, on: CalendarDate, status: 'settled' | 'written_off' = 'settled'): void {
  if (inv.outstanding === 0 && inv.status === 'open') { inv.status = status; inv.settledOn = on; }
}

/** After a change that raises what is owed: a closed invoice reopens. */
function raised(inv: InvoiceAccountState): void {
  if (inv.outstanding > 0) { inv.status = 'open'; inv.settledOn = null; }
}

/** How each event type changes the account; the totals that derive from invoices are recomputed after. */
export const ACCOUNT_FOLDS: Readonly<Record<string, Fold>> = {
  CustomerRegistered: (s, d) => { s.name = d.name; s.currency = d.currency; s.creditLimit = d.creditLimit; },
  CreditLimitChanged: (s, d) => { s.creditLimit = d.newLimit; },
  InvoiceIssued: (s, d) => {
    if (s.invoices[d.invoiceId]) return;
    s.currency ??= d.currency;
    s.invoices[d.invoiceId] = {
      invoiceId: d.invoiceId, number: d.number, issueDate: d.issueDate, dueDate: d.dueDate, total: d.total,
      paid: 0, charges: 0, credited: 0, discounted: 0, writtenOff: 0, bankFees: 0, outstanding: d.total, status: 'open', settledOn: null,
    };
    s.totals.invoiced += d.total;
  },
  PaymentApplied: onInvoice((inv, _s, d) => {
    inv.paid += d.amount;
    inv.outstanding -= d.amount;
    lowered(inv, d.appliedOn ?? d.receivedOn);
  }),
  InvoiceSettled: onInvoice((inv, _s, d) => {
    if (inv.outstanding === 0 && inv.status !== 'written_off') { inv.status = 'settled'; inv.settledOn = inv.settledOn ?? d.settledOn; }
  }),
  /** A payment taken back: its recovered part is written off again, the rest is owed again. */
  PaymentUnapplied: onInvoice((inv, s, d) => {
    const recovery = d.recoveryReversed ?? 0;
    inv.paid -= d.amount - recovery;
    inv.outstanding += d.amount - recovery;
    inv.writtenOff += recovery;
    s.totals.writtenOff += recovery;
    raised(inv);
  }),
  InvoiceWrittenOff: onInvoice((inv, s, d) => {
    inv.writtenOff += d.amount;
    inv.outstanding -= d.amount;
    s.totals.writtenOff += d.amount;
    lowered(inv, d.writtenOffOn, 'written_off');
  }),
  BadDebtRecovered: onInvoice((inv, s, d) => {
    inv.writtenOff -= d.amount;
    s.totals.writtenOff -= d.amount;
  }),
  CreditNoteApplied: onInvoice((inv, s, d) => {
    if (d.amount === 0) return;
    inv.credited += d.amount;
    inv.outstanding -= d.amount;
    s.totals.creditApplied += d.amount;
    lowered(inv, d.on);
  }),
  DiscountApplied: onInvoice((inv, s, d) => {
    inv.discounted += d.amount;
    inv.outstanding -= d.amount;
    s.totals.discounts += d.amount;
    lowered(inv, d.on);
  }),
  /** The discount taken back with the payment that earned it (ADR 0036): owed again. */
  DiscountReversed: onInvoice((inv, s, d) => {
    inv.discounted -= d.amount;
    inv.outstanding += d.amount;
    s.totals.discounts -= d.amount;
    raised(inv);
  }),
  /** Bank fees on a statement receipt (ADR 0088): a charge of the seller that settles the invoice. */
  BankFeesWrittenOff: onInvoice((inv, s, d) => {
    inv.bankFees += d.amount;
    inv.outstanding -= d.amount;
    s.totals.bankFees += d.amount;
    lowered(inv, d.on);
  }),
  /** The fees taken back with their receipt: owed again. */
  BankFeesReversed: onInvoice((inv, s, d) => {
    inv.bankFees -= d.amount;
    inv.outstanding += d.amount;
    s.totals.bankFees -= d.amount;
    raised(inv);
  }),
  LateChargesAssessed: onInvoice((inv, s, d) => {
    inv.charges += d.amount;
    inv.outstanding += d.amount;
    s.totals.charges += d.amount;
    raised(inv);
  }),
  /** Charges deferred during a dispute, owed after all (ADR 0038). */
  LateChargesReinstated: onInvoice((inv, s, d) => {
    inv.charges += d.amount;
    inv.outstanding += d.amount;
    s.totals.charges += d.amount;
    raised(inv);
  }),
  /** Charges cancelled by a back-dated fact (ADR 0037), on the day of the assessment they correct. */
  LateChargesCorrected: onInvoice((inv, s, d) => {
    inv.charges -= d.amount;
    inv.outstanding -= d.amount;
    s.totals.charges -= d.amount;
    lowered(inv, d.cause.on);
  }),
  PaymentReceived: (s, d) => { s.totals.received += d.amount; },
  PaymentAllocated: (s, d) => { s.totals.allocated += d.amount; },
  PaymentDeallocated: (s, d) => { s.totals.allocated -= d.amount; },
  PaymentReversed: (s, d) => { s.totals.reversed += d.amount; },
  PaymentRefunded: (s, d) => { s.totals.refunded += d.amount; },
  CreditNoteIssued: (s, d) => { s.totals.creditNoted += d.total; },
  CreditNoteRefunded: (s, d) => { s.totals.refunded += d.amount; },
};

/**
 * Replays a customer's facts in log order, keeping those that took effect on or before `asOf` (all when
 * absent). Pure: the same facts and date always give the same state.
 */
export function foldAccount(customerId: string, facts: Iterable<RecordedFact>, asOf?: CalendarDate): AccountState {
  const fold = new AccountFold(customerId, asOf);
  for (const f of facts) fold.add(f);
  return fold.state();
}

/**
 * `foldAccount` one fact at a time, for a replay read in pages (ADR 0109): what it holds is the account (its
 * invoices and totals), never the facts.
 */
export class AccountFold {
  private readonly s: AccountState;

  constructor(customerId: string, private readonly asOf?: CalendarDate) {
    this.s = emptyAccount(customerId);
  }

  add(f: RecordedFact): void {
    if (!effectiveBy(f, this.asOf)) return;
    ACCOUNT_FOLDS[f.type]?.(this.s, f.data);
  }

  /** The account after the facts added so far, with the totals derived from the invoices (a copy: adding more leaves it alone). */
  state(): AccountState {
    const s = structuredClone(this.s);
    const t = s.totals;
    const invoices = Object.values(s.invoices);
    t.paid = invoices.reduce((a, i) => a + i.paid, 0);
    t.outstanding = invoices.reduce((a, i) => a + i.outstanding, 0);
    t.unapplied = t.received - t.reversed - t.allocated + t.creditNoted - t.creditApplied - t.refunded;
    t.balance = t.invoiced + t.charges - t.received + t.reversed + t.refunded - t.creditNoted - t.discounts - t.writtenOff - t.bankFees;
    return s;
  }
}
