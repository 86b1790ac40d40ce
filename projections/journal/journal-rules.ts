import type { CalendarDate } from '../../libs/domain/shared/dates';

/**
 * What an account is for, independently of its number in a chart: the journal stores roles, the export maps
 * them to account numbers (French chart by default, configurable), so a new mapping needs no rebuild.
 */
export const ACCOUNT_ROLES = ['customers', 'revenue', 'vatCollected', 'bank', 'discountsAllowed', 'badDebts', 'interestIncome', 'badDebtRecoveries'] as const;
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
export type JournalEntryDraft = {
  journal: JournalCode;
  /** Accounting date: the event's business date. */
  date: CalendarDate;
  /** The document: invoice number, payment reference or id. */
  pieceRef: string;
  pieceDate: CalendarDate;
  label: string;
  /** null: the event does not carry it; the export takes the customer's currency (ADR 0027). */
  currency: string | null;
  lines: JournalLine[];
};

export const debit = (role: AccountRole, amount: number): JournalLine => ({ role, debit: amount, credit: 0 });
export const credit = (role: AccountRole, amount: number): JournalLine => ({ role, debit: 0, credit: amount });

type Rule = (data: Record<string, any>) => JournalEntryDraft | null;

/**
 * Write-offs, discounts, charges, recoveries, reversals and refunds do not carry the currency: they are in
 * the customer's currency, fixed at registration. A projection evolves one document from one event, so the
 * entry records null and the export resolves it from the customer (ADR 0027) — never a default currency.
 */
const currencyOf = (d: Record<string, any>): string | null => (typeof d.currency === 'string' ? d.currency : null);

/**
 * The accounting of each event type (ADR 0020). Events absent from this table (registrations, limits,
 * allocations and applications — lettrage matches amounts already booked) produce no entry.
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
  /** Avoir, against an invoice or standalone: the mirror of a sale, with the note's own tax split. */
  CreditNoteIssued: (d) => ({
    journal: 'VT', date: d.issueDate, pieceRef: d.number, pieceDate: d.issueDate, currency: d.currency,
    label: `Avoir ${d.number}`,
    lines: [debit('revenue', d.net), debit('vatCollected', d.tax), credit('customers', d.total)].filter(nonZero),
  }),
  /** Escompte: gross amount to 665; no VAT regularisation (the event has no tax split, ADR 0020 addendum). */
  DiscountApplied: (d) => ({
    journal: 'OD', date: d.on, pieceRef: d.paymentId, pieceDate: d.on, currency: currencyOf(d),
    label: `Escompte ${d.invoiceId}`,
    lines: [debit('discountsAllowed', d.amount), credit('customers', d.amount)].filter(nonZero),
  }),
  /** Escompte taken back with the payment that earned it (ADR 0036): the mirror of its DiscountApplied entry. */
  DiscountReversed: (d) => discountReversalEntry(d),
  InvoiceWrittenOff: (d) => ({
    journal: 'OD', date: d.writtenOffOn, pieceRef: d.invoiceId, pieceDate: d.writtenOffOn, currency: currencyOf(d),
    label: `Perte sur créance ${d.invoiceId}`,
    lines: [debit('badDebts', d.amount), credit('customers', d.amount)].filter(nonZero),
  }),
  /**
   * The cash of a recovery is already booked by its PaymentReceived (D 512 / C 411); the recovery turns that
   * credit on 411 into income (7714 rentrées sur créances amorties), so 411 nets to what is owed.
   */
  BadDebtRecovered: (d) => ({
    journal: 'OD', date: d.receivedOn, pieceRef: d.paymentId, pieceDate: d.receivedOn, currency: currencyOf(d),
    label: `Recouvrement créance amortie ${d.invoiceId}`,
    lines: [debit('customers', d.amount), credit('badDebtRecoveries', d.amount)].filter(nonZero),
  }),
  /** Only the recovered part taken back with a payment books: it undoes that BadDebtRecovered entry. */
  PaymentUnapplied: (d) => ({
    journal: 'OD', date: d.on, pieceRef: d.paymentId, pieceDate: d.on, currency: currencyOf(d),
    label: `Annulation recouvrement ${d.invoiceId}`,
    lines: [debit('badDebtRecoveries', d.recoveryReversed ?? 0), credit('customers', d.recoveryReversed ?? 0)].filter(nonZero),
  }),
  /** Interest and the fixed EUR 40 compensation (indemnité forfaitaire) both to 763 by default. */
  LateChargesAssessed: (d) => ({
    journal: 'OD', date: d.through, pieceRef: d.invoiceId, pieceDate: d.through, currency: currencyOf(d),
    label: `Pénalités de retard ${d.invoiceId} ${d.from}–${d.through}`,
    lines: [debit('customers', d.amount), credit('interestIncome', d.interest), credit('interestIncome', d.compensation)].filter(nonZero),
  }),
  /** Charges deferred during a dispute and owed after all (ADR 0038), booked on the resolution. */
  LateChargesReinstated: (d) => ({
    journal: 'OD', date: d.on, pieceRef: d.invoiceId, pieceDate: d.on, currency: currencyOf(d),
    label: `Pénalités de retard ${d.invoiceId} (litige ${d.disputeId} clos)`,
    lines: [debit('customers', d.amount), credit('interestIncome', d.interest), credit('interestIncome', d.compensation)].filter(nonZero),
  }),
  /** Charges cancelled by a back-dated fact (ADR 0037): the reverse of their assessment, on its date. */
  LateChargesCorrected: (d) => ({
    journal: 'OD', date: d.on, pieceRef: d.invoiceId, pieceDate: d.on, currency: currencyOf(d),
    label: `Annulation pénalités de retard ${d.invoiceId} (${d.cause.type} ${d.cause.on})`,
    lines: [debit('interestIncome', d.interest), debit('interestIncome', d.compensation), credit('customers', d.amount)].filter(nonZero),
  }),
  /** Bounced or charged back: the exact mirror of the receipt's entry (D 512 / C 411). */
  PaymentReversed: (d) => ({
    journal: 'BQ', date: d.reversedOn, pieceRef: d.paymentId, pieceDate: d.reversedOn, currency: currencyOf(d),
    label: `Rejet règlement ${d.paymentId}`,
    lines: [debit('customers', d.amount), credit('bank', d.amount)].filter(nonZero),
  }),
  PaymentRefunded: (d) => ({
    journal: 'BQ', date: d.refundedOn, pieceRef: d.refundId, pieceDate: d.refundedOn, currency: currencyOf(d),
    label: `Remboursement ${d.method} ${d.paymentId}`,
    lines: [debit('customers', d.amount), credit('bank', d.amount)].filter(nonZero),
  }),
  CreditNoteRefunded: (d) => ({
    journal: 'BQ', date: d.refundedOn, pieceRef: d.refundId, pieceDate: d.refundedOn, currency: currencyOf(d),
    label: `Remboursement avoir ${d.creditNoteId}`,
    lines: [debit('customers', d.amount), credit('bank', d.amount)].filter(nonZero),
  }),
};

/**
 * The entry of a reversed discount: whatever the DiscountApplied rule booked for the discount it reverses,
 * debit and credit swapped, dated on the reversal (so a VAT split of the discount is reversed with it).
 */
function discountReversalEntry(d: Record<string, any>): JournalEntryDraft | null {
  const original = JOURNAL_RULES.DiscountApplied({ ...d.discount, on: d.on });
  if (original === null) return null;
  return {
    ...original, date: d.on, pieceDate: d.on, label: `Annulation escompte ${d.invoiceId}`,
    lines: original.lines.map((l) => ({ role: l.role, debit: l.credit, credit: l.debit })),
  };
}

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
