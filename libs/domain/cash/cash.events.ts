import type { DomainEvent } from '../shared/decider';
import type { CalendarDate } from '../shared/dates';
import type { BankEntry } from './bank-entry';
import type { Candidate, MatchRule } from './matching';

/**
 * Cash application (issue 18, ADR 0085–0087). A statement (`bankstatement-<id>`) and each of its entries
 * (`bankentry-<entryId>`) are company facts: an entry concerns a customer only once it is matched, so these
 * events stay out of the per-customer ArEvent union (like the books' closings).
 */
export type BankStatementImported = DomainEvent<'BankStatementImported', {
  statementId: string;
  format: string;
  /** The statement's own id as the bank gave it (CAMT `Stmt/Id`, CFONB dates, CSV content hash). */
  sourceId: string;
  account: string;
  fromDate: CalendarDate | null;
  toDate: CalendarDate | null;
  /** Entries recorded by this import (not those already known from an earlier, overlapping one). */
  recorded: number;
  alreadyKnown: number;
  importedBy: string;
}>;

/** One booked statement line, as the bank gave it (amount positive, `direction` the way it went). */
export type BankEntryRecorded = DomainEvent<'BankEntryRecorded', BankEntry>;

/** The receipt the entry became: the payment recorded for the customer with these allocations, and why. */
export type BankEntryMatched = DomainEvent<'BankEntryMatched', {
  entryId: string;
  customerId: string;
  paymentId: string;
  allocations: Array<{ invoiceId: string; amount: number }>;
  unapplied: number;
  /** `manual`: a clerk's own match (`POST /bank-entries/:id/match`). */
  rule: MatchRule | 'manual';
  confidence: number;
  evidence: string[];
  /** automatic: above the confidence threshold; accepted: a clerk accepted a suggestion (maybe edited); manual. */
  how: 'automatic' | 'accepted' | 'manual';
  by: string;
  /** The payer's IBAN, learned for this customer (null: none given); sealed with the entry's data key (ADR 0090). */
  debtorIban: string | null;
  /**
   * v2: the keyed hash (HMAC) the IBAN is learned under, so the read store never holds it in clear (ADR 0090);
   * null when no IBAN was given, and on v1 (read through `upcastBankEntryMatched`): a v1 match teaches nothing
   * until `ar migrate pii` rewrites it as v2.
   */
  debtorIbanKey: string | null;
  bookingDate: CalendarDate;
  currency: string;
  amount: number;
}>;

/** v1 → v2: no keyed hash (the IBAN of a v1 match is learned only once migrated). Pure; idempotent on v2. */
export function upcastBankEntryMatched(data: Omit<BankEntryMatched['data'], 'debtorIbanKey'> & { debtorIbanKey?: string | null }): BankEntryMatched['data'] {
  return data.debtorIbanKey === undefined ? { ...data, debtorIbanKey: null } : (data as BankEntryMatched['data']);
}

/**
 * The customer the entry was matched to (or whose receipt it returned) was erased (ADR 0090): the entry's data
 * key is destroyed with it, so its payer fields read as erased, and the IBAN learned under `debtorIbanKey` is
 * forgotten. Amounts, the receipt and the journal are unchanged.
 */
export type BankEntryPayerErased = DomainEvent<'BankEntryPayerErased', {
  entryId: string;
  customerId: string;
  debtorIbanKey: string | null;
}>;

/** Candidates below the threshold, waiting for a clerk. */
export type BankEntrySuggested = DomainEvent<'BankEntrySuggested', {
  entryId: string;
  candidates: Candidate[];
}>;

export type BankEntrySuggestionRejected = DomainEvent<'BankEntrySuggestionRejected', {
  entryId: string;
  reason: string;
  by: string;
}>;

/** A returned payment (rejet, retour de virement, impayé de prélèvement): the receipt it names is reversed. */
export type BankEntryReturnApplied = DomainEvent<'BankEntryReturnApplied', {
  entryId: string;
  /** The credited entry whose receipt is reversed, and that receipt. */
  returnedEntryId: string;
  paymentId: string;
  customerId: string;
  bookingDate: CalendarDate;
}>;

/** A saved CSV column mapping (`csvmapping-<name>`): its latest version is the one imports use. */
export type CsvMappingSaved = DomainEvent<'CsvMappingSaved', { name: string; mapping: Record<string, unknown>; savedBy: string }>;

export type CashEvent = BankStatementImported | BankEntryRecorded | BankEntryMatched | BankEntrySuggested | BankEntrySuggestionRejected | BankEntryReturnApplied | BankEntryPayerErased | CsvMappingSaved;
export type CashEventType = CashEvent['type'];
