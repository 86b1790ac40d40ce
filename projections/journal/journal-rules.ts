import type { CalendarDate } from '../../libs/domain/shared/dates';

/**
 * What an account is for, independently of its number in a chart: the journal stores roles, the export maps
 * them to account numbers (French chart by default, configurable), so a new mapping needs no rebuild.
 */
export const ACCOUNT_ROLES = ['customers', 'revenue', 'vatCollected', 'bank', 'discountsAllowed', 'badDebts', 'interestIncome'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** Journals: VT sales (ventes), BQ bank (banque), OD miscellaneous (opérations diverses). */
export const JOURNAL_CODES = ['VT', 'BQ', 'OD'] as const;
export type JournalCode = (typeof JOURNAL_CODES)[number];

/** One side of an entry, integer minor units; exactly one of debit/credit is non-zero. */
export interface JournalLine {
  role: AccountRole;
  debit: number;
  credit: number;
}

/** A balanced double-entry record derived from one event. */
export interface JournalEntryDraft {
  journal: JournalCode;
  /** Accounting date: the event's business date. */
  date: CalendarDate;
  /** The document: invoice number, payment reference or id. */
  pieceRef: string;
  pieceDate: CalendarDate;
  label: string;
  currency: string;
  lines: JournalLine[];
}

export const debit = (role: AccountRole, amount: number): JournalLine => ({ role, debit: amount, credit: 0 });
export const credit = (role: AccountRole, amount: number): JournalLine => ({ role, debit: 0, credit: amount });

type Rule = (data: Record<string, any>) => JournalEntryDraft | null;

/**
 * The accounting of each event type. Events absent from this table (registrations, limits, allocations —
 * lettrage matches amounts already booked) produce no entry. New money-moving events add one rule, e.g.:
 * credit note D revenue + D vatCollected / C customers; write-off D badDebts / C customers; discount
 * D discountsAllowed / C customers; late charge D customers / C interestIncome; refund or reversal
 * D customers / C bank.
 */
export const JOURNAL_RULES: Readonly<Record<string, Rule>> = {
  InvoiceIssued: (d) => ({
    journal: 'VT', date: d.issueDate, pieceRef: d.number, pieceDate: d.issueDate, currency: d.currency,
    label: `Facture ${d.number}`,
    lines: [debit('customers', d.total), credit('revenue', d.net), credit('vatCollected', d.tax)].filter(nonZero),
  }),
  PaymentReceived: (d) => ({
    journal: 'BQ', date: d.receivedOn, pieceRef: d.reference ?? d.paymentId, pieceDate: d.receivedOn, currency: d.currency,
    label: `Règlement ${d.method} ${d.paymentId}`,
    lines: [debit('bank', d.amount), credit('customers', d.amount)].filter(nonZero),
  }),
};

function nonZero(l: JournalLine): boolean {
  return l.debit !== 0 || l.credit !== 0;
}

/** The entry an event produces, or null; throws if a rule ever produces an unbalanced entry. */
export function journalEntryOf(type: string, data: Record<string, unknown>): JournalEntryDraft | null {
  const rule = JOURNAL_RULES[type];
  if (rule === undefined) return null;
  const entry = rule(data);
  if (entry === null || entry.lines.length === 0) return null;
  let d = 0;
  let c = 0;
  for (const l of entry.lines) { d += l.debit; c += l.credit; }
  if (d !== c) throw new Error(`Unbalanced journal entry for ${type}: debit ${d}, credit ${c}`);
  return entry;
}
