import type { CalendarDate } from '../../libs/domain/shared/dates';
import { vatByRateAsIssued, type VatRateAmount } from '../../libs/domain/shared/vat';

/**
 * What an account is for, independently of its number in a chart: the journal stores roles, the export maps
 * them to account numbers (French chart by default, configurable), so a new mapping needs no rebuild.
 */
export const ACCOUNT_ROLES = ['customers', 'revenue', 'vatCollected', 'bank', 'discountsAllowed', 'badDebts', 'interestIncome', 'badDebtRecoveries', 'vatToCollect', 'recoveryCompensation', 'exchangeLoss', 'exchangeGain', 'suspense', 'bankCharges'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** Journals: VT sales (ventes), BQ bank (banque), OD miscellaneous (opérations diverses). */
export const JOURNAL_CODES = ['VT', 'BQ', 'OD'] as const;
export type JournalCode = (typeof JOURNAL_CODES)[number];

/** One side of an entry, integer minor units; exactly one of debit/credit is non-zero. */
export interface JournalLine {
  role: AccountRole;
  debit: number;
  credit: number;
  /** VAT lines: the rate they book (one line per rate); absent on other lines and on v1 amount-only credit notes. */
  vatRate?: string;
  /**
   * The line's value fixed in another currency by law: the EUR 40 recovery compensation (D441-5) of a non-EUR
   * invoice is 40.00 EUR whatever the rate on the entry's date; the export books that value when it is the
   * accounting currency (ADR 0053). Absent on other lines.
   */
  fixed?: { currency: string; amount: number };
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

/** The compensation line, with its euro value when the event records it (v3 assessments, v2 reinstatements and corrections). */
function compensationLine(side: 'debit' | 'credit', amount: number, eur: number | undefined): JournalLine {
  const line = side === 'debit' ? debit('recoveryCompensation', amount) : credit('recoveryCompensation', amount);
  return eur === undefined || amount === 0 ? line : { ...line, fixed: { currency: 'EUR', amount: eur } };
}

/** One VAT line per rate, on the debit or the credit side. */
function vatLines(breakdown: readonly VatRateAmount[], side: 'debit' | 'credit', role: AccountRole = 'vatCollected'): JournalLine[] {
  return breakdown.map((e) => ({ ...(side === 'debit' ? debit(role, e.amount) : credit(role, e.amount)), vatRate: e.rate }));
}

const vatOf = (b: readonly VatRateAmount[]) => b.reduce((s, e) => s + e.amount, 0);

/**
 * VAT on services is due on receipt (TVA sur les encaissements, CGI art. 269-2-c) when the invoice says so:
 * its VAT waits on 44574 until paid, and every correction of it takes VAT back from there (ADR 0035).
 */
const vatRoleOf = (d: Record<string, any>): AccountRole => (d.vatDueOn === 'receipt' ? 'vatToCollect' : 'vatCollected');

/** The sale: D 411 gross / C 706 net / C 44571 (or 44574 on receipt) per rate; v1 invoices by their per-line figures grouped by rate. */
function invoiceEntryLines(d: Record<string, any>): JournalLine[] {
  const breakdown: VatRateAmount[] = d.vatBreakdown ?? vatByRateAsIssued(d.lines ?? []);
  return [debit('customers', d.total), credit('revenue', d.net), ...vatLines(breakdown, 'credit', vatRoleOf(d))];
}

/**
 * Avoir: D 706 base / D 44571 per rate / C 411 gross; the part crediting late charges (no VAT) reverses 763.
 * Under VAT on receipt the VAT still waiting is taken from 44574 first (`vatToCollect`). A v1 note for an
 * amount has no rates: one VAT line.
 */
function creditNoteEntryLines(d: Record<string, any>): JournalLine[] {
  const breakdown: VatRateAmount[] = d.vatBreakdown ?? vatByRateAsIssued(d.lines ?? []);
  const waiting: VatRateAmount[] = d.vatToCollect ?? [];
  const due = breakdown.map((e) => ({ ...e, amount: e.amount - (waiting.find((w) => w.rate === e.rate)?.amount ?? 0) }));
  const vat = breakdown.length > 0 || d.tax === 0
    ? [...vatLines(waiting, 'debit', 'vatToCollect'), ...vatLines(due, 'debit')]
    : [debit('vatCollected', d.tax)];
  const charges = d.charges ?? 0;
  return [debit('revenue', d.net - charges), debit('interestIncome', charges), ...vat, credit('customers', d.total)];
}

/**
 * Escompte (CGI art. 267 II-1°): the discount lowers the taxable base and the VAT of each rate in proportion:
 * D 665 base / D 44571 VAT per rate / C 411 gross. v1 events (no split) stay as booked: gross to 665.
 */
function discountEntryLines(d: Record<string, any>): JournalLine[] {
  const breakdown: VatRateAmount[] = d.vatBreakdown ?? [];
  const vat = vatOf(breakdown);
  return [debit('discountsAllowed', d.amount - vat), ...vatLines(breakdown, 'debit', vatRoleOf(d)), credit('customers', d.amount)];
}

/** VAT on receipt: a payment moves the VAT of what it settles from 44574 to 44571 (CGI art. 269-2-c). */
function vatReceivedEntryLines(d: Record<string, any>): JournalLine[] {
  const moved: VatRateAmount[] = d.vatReceived ?? [];
  return [...vatLines(moved, 'debit', 'vatToCollect'), ...vatLines(moved, 'credit')];
}

/** A payment taken back moves that VAT back to 44574. */
function vatReturnedEntryLines(d: Record<string, any>): JournalLine[] {
  const back: VatRateAmount[] = d.vatReturned ?? [];
  return [...vatLines(back, 'debit'), ...vatLines(back, 'credit', 'vatToCollect')];
}

/** Recovery of a written-off receivable: D 411 / C 7714 net + C 44571 the VAT due again per rate (CGI art. 272-1). */
function recoveryEntryLines(d: Record<string, any>): JournalLine[] {
  const breakdown: VatRateAmount[] = d.vatBreakdown ?? [];
  return [debit('customers', d.amount), credit('badDebtRecoveries', d.amount - vatOf(breakdown)), ...vatLines(breakdown, 'credit', vatRoleOf(d))];
}

/** The recovery taken back with its payment: the mirror of its entry. */
function recoveryReversalEntryLines(d: Record<string, any>): JournalLine[] {
  const amount = d.recoveryReversed ?? 0;
  const breakdown: VatRateAmount[] = d.vatBreakdown ?? [];
  return [debit('badDebtRecoveries', amount - vatOf(breakdown)), ...vatLines(breakdown, 'debit', vatRoleOf(d)), credit('customers', amount)];
}

/**
 * Definitively irrecoverable receivable (CGI art. 272-1): its VAT is regularised: D 654 net + D 4457x VAT per
 * rate / C 411 gross. v1 events (no split) stay as booked: gross to 654.
 */
function writeOffEntryLines(d: Record<string, any>): JournalLine[] {
  const breakdown: VatRateAmount[] = d.vatBreakdown ?? [];
  const vat = vatOf(breakdown);
  return [debit('badDebts', d.amount - vat), ...vatLines(breakdown, 'debit', vatRoleOf(d)), credit('customers', d.amount)];
}

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
    lines: invoiceEntryLines(d).filter(nonZero),
  }),
  /**
   * A receipt. From a bank statement line (ADR 0087), the cash is already on 512 against the suspense account
   * (471) since the import: the receipt clears the suspense (D 471 / C 411) instead of booking the bank again.
   */
  PaymentReceived: (d) => (d.bankEntryId !== undefined ? {
    journal: 'OD', date: d.receivedOn, pieceRef: d.reference ?? d.paymentId, pieceDate: d.receivedOn, currency: d.currency,
    label: `Lettrage encaissement ${d.reference ?? d.paymentId} → ${d.customerId}`,
    lines: [debit('suspense', d.amount), credit('customers', d.amount)].filter(nonZero),
  } : {
    journal: 'BQ', date: d.receivedOn, pieceRef: d.reference ?? d.paymentId, pieceDate: d.receivedOn, currency: d.currency,
    label: `Règlement ${d.method} ${d.paymentId}`,
    lines: [debit('bank', d.amount), credit('customers', d.amount)].filter(nonZero),
  }),
  /** Money credited on the bank statement, not yet known as whose: on the suspense account until matched (ADR 0087). */
  BankEntryRecorded: (d) => (d.direction !== 'credit' ? null : {
    journal: 'BQ', date: d.bookingDate, pieceRef: d.bankRef, pieceDate: d.bookingDate, currency: d.currency,
    label: `Encaissement à identifier ${d.bankRef}`,
    lines: [debit('bank', d.amount), credit('suspense', d.amount)].filter(nonZero),
  }),
  /** Avoir, against an invoice or standalone: the mirror of a sale, rate by rate (ADR 0034). */
  CreditNoteIssued: (d) => ({
    journal: 'VT', date: d.issueDate, pieceRef: d.number, pieceDate: d.issueDate, currency: d.currency,
    label: `Avoir ${d.number}`,
    lines: creditNoteEntryLines(d).filter(nonZero),
  }),
  DiscountApplied: (d) => ({
    journal: 'OD', date: d.on, pieceRef: d.paymentId, pieceDate: d.on, currency: currencyOf(d),
    label: `Escompte ${d.invoiceId}`,
    lines: discountEntryLines(d).filter(nonZero),
  }),
  /** Escompte taken back with the payment that earned it (ADR 0036): the mirror of its DiscountApplied entry. */
  DiscountReversed: (d) => discountReversalEntry(d),
  /**
   * Bank fees deducted from a receipt (ADR 0088): a charge of the seller, D 627 (services bancaires et assimilés,
   * PCG) / C 411, with no VAT line (the base stays the agreed price, CGI art. 266-1-a). Under VAT on receipt the
   * VAT still waiting becomes due with them (44574 → 44571, CGI art. 269-2-c).
   */
  BankFeesWrittenOff: (d) => ({
    journal: 'OD', date: d.on, pieceRef: d.paymentId, pieceDate: d.on, currency: currencyOf(d),
    label: `Frais bancaires ${d.invoiceId}`,
    lines: [debit('bankCharges', d.amount), credit('customers', d.amount), ...vatReceivedEntryLines(d)].filter(nonZero),
  }),
  /** The fees taken back with their receipt: the mirror of their entry, dated on the reversal. */
  BankFeesReversed: (d) => {
    const original = JOURNAL_RULES.BankFeesWrittenOff({ ...d.fees, on: d.on });
    return original === null ? null : {
      ...original, label: `Annulation frais bancaires ${d.invoiceId}`,
      lines: original.lines.map((l) => ({ ...l, debit: l.credit, credit: l.debit })),
    };
  },
  InvoiceWrittenOff: (d) => ({
    journal: 'OD', date: d.writtenOffOn, pieceRef: d.invoiceId, pieceDate: d.writtenOffOn, currency: currencyOf(d),
    label: `Perte sur créance ${d.invoiceId}`,
    lines: writeOffEntryLines(d).filter(nonZero),
  }),
  /**
   * The cash of a recovery is already booked by its PaymentReceived (D 512 / C 411); the recovery turns that
   * credit on 411 into income (7714 rentrées sur créances amorties), so 411 nets to what is owed.
   */
  BadDebtRecovered: (d) => ({
    journal: 'OD', date: d.receivedOn, pieceRef: d.paymentId, pieceDate: d.receivedOn, currency: currencyOf(d),
    label: `Recouvrement créance amortie ${d.invoiceId}`,
    lines: recoveryEntryLines(d).filter(nonZero),
  }),
  /** Only the recovered part taken back with a payment books: it undoes that BadDebtRecovered entry. */
  PaymentUnapplied: (d) => ({
    journal: 'OD', date: d.on, pieceRef: d.paymentId, pieceDate: d.on, currency: currencyOf(d),
    label: `Annulation recouvrement ${d.invoiceId}`,
    lines: [...recoveryReversalEntryLines(d), ...vatReturnedEntryLines(d)].filter(nonZero),
  }),
  /** Under VAT on receipt only: the VAT the payment makes due (otherwise lettrage, which books nothing). */
  PaymentApplied: (d) => ({
    journal: 'OD', date: d.appliedOn ?? d.receivedOn, pieceRef: d.paymentId, pieceDate: d.appliedOn ?? d.receivedOn, currency: currencyOf(d),
    label: `TVA sur encaissement ${d.invoiceId}`,
    lines: vatReceivedEntryLines(d).filter(nonZero),
  }),
  /**
   * Interest to 763 (revenus des autres créances); the fixed EUR 40 recovery compensation (indemnité forfaitaire,
   * Code de commerce D441-5) to its own role, 7588 by default (ADR 0050).
   */
  LateChargesAssessed: (d) => ({
    journal: 'OD', date: d.through, pieceRef: d.invoiceId, pieceDate: d.through, currency: currencyOf(d),
    label: `Pénalités de retard ${d.invoiceId} ${d.from}–${d.through}`,
    lines: [debit('customers', d.amount), credit('interestIncome', d.interest), compensationLine('credit', d.compensation, d.compensationBasis?.eur)].filter(nonZero),
  }),
  /** Charges deferred during a dispute and owed after all (ADR 0038), booked on the resolution. */
  LateChargesReinstated: (d) => ({
    journal: 'OD', date: d.on, pieceRef: d.invoiceId, pieceDate: d.on, currency: currencyOf(d),
    label: `Pénalités de retard ${d.invoiceId} (litige ${d.disputeId} clos)`,
    lines: [debit('customers', d.amount), credit('interestIncome', d.interest), compensationLine('credit', d.compensation, d.compensationEur)].filter(nonZero),
  }),
  /** Charges cancelled by a back-dated fact (ADR 0037): the reverse of their assessment, on its date. */
  LateChargesCorrected: (d) => ({
    journal: 'OD', date: d.on, pieceRef: d.invoiceId, pieceDate: d.on, currency: currencyOf(d),
    label: `Annulation pénalités de retard ${d.invoiceId} (${d.cause.type} ${d.cause.on})`,
    lines: [debit('interestIncome', d.interest), compensationLine('debit', d.compensation, d.compensationEur), credit('customers', d.amount)].filter(nonZero),
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

/** The event types with an entry in JOURNAL_RULES: `journalEntryOf` gives null for any other (ADR 0108). */
export const JOURNAL_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(JOURNAL_RULES));

/**
 * The last event's entry: keysOf and evolve of the journal and of the customer ledger both need it, and the runtime
 * calls them back to back for each event (ADR 0123). Keyed by the payload object itself, never mutated (events are
 * immutable): a cache of a pure function, not state. The entry is shared: callers only read it.
 */
let memo: { type: string; data: Record<string, unknown>; entry: JournalEntryDraft | null } | null = null;

/** The entry an event produces, or null; throws if a rule ever produces an unbalanced entry. */
export function journalEntryOf(type: string, data: Record<string, unknown>): JournalEntryDraft | null {
  if (!JOURNAL_EVENT_TYPES.has(type)) return null;
  if (memo !== null && memo.data === data && memo.type === type) return memo.entry;
  const entry = entryOf(type, data);
  memo = { type, data, entry };
  return entry;
}

function entryOf(type: string, data: Record<string, unknown>): JournalEntryDraft | null {
  const rule = JOURNAL_RULES[type];
  const entry = rule(data);
  if (entry === null || entry.lines.length === 0) return null;
  let d = 0;
  let c = 0;
  for (const l of entry.lines) { d += l.debit; c += l.credit; }
  if (d !== c) throw new Error(`Unbalanced journal entry for ${type}: debit ${d}, credit ${c}`);
  return entry;
}
