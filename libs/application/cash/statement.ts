import type { BankEntry } from '../../domain/cash/bank-entry';
import { bankEntryKey } from '../../domain/cash/bank-entry';
import { DomainError } from '../../domain/shared/errors';
import { deterministicUuid } from '../../domain/shared/ids';

/** A parsed statement: its identity, the account, and its entries in file order. */
export interface ParsedStatement {
  /** Deterministic from the account and the statement's own id (or its dates for CFONB): the same file maps to the same id. */
  statementId: string;
  format: 'camt.053.001.02' | 'camt.053.001.08' | 'camt.053' | 'cfonb120' | 'csv';
  /** The statement's own identifier as the bank gave it. */
  sourceId: string;
  account: string;
  fromDate: string | null;
  toDate: string | null;
  entries: BankEntry[];
}

/** A malformed file: 400, with the line or the element at fault; nothing is written. */
export function malformed(message: string, where: { line?: number; element?: string }): DomainError {
  return new DomainError('STATEMENT_MALFORMED', message, { field: 'body', ...where }, 'invalid');
}

export function statementIdOf(account: string, sourceId: string): string {
  return deterministicUuid(`bank-statement|${bankEntryKey(account, sourceId)}`);
}

export function entryIdOf(account: string, bankRef: string): string {
  return deterministicUuid(`bank-entry|${bankEntryKey(account, bankRef)}`);
}
