import type { CalendarDate } from '../shared/dates';

/**
 * One line of a bank statement as the engine keeps it (CAMT.053 `Ntry`, CFONB 120 record 04, a CSV row).
 * Amounts in integer minor units of `currency`, always positive; `direction` says which way the money went.
 */
export type BankEntry = {
  /** Deterministic: the account and the bank's own reference of the entry (or a hash of the CSV line). */
  entryId: string;
  statementId: string;
  /** IBAN (or account number) of the company's account the statement is for. */
  account: string;
  bookingDate: CalendarDate;
  valueDate: CalendarDate | null;
  direction: 'credit' | 'debit';
  amount: number;
  currency: string;
  /** The bank's reference (`AcctSvcrRef`, `NtryRef`, CFONB reference, or the CSV line hash). */
  bankRef: string;
  endToEndId: string | null;
  debtorName: string | null;
  debtorIban: string | null;
  /** Unstructured remittance information (`Ustrd`, CFONB complementary records), joined with spaces. */
  remittance: string;
  /** Structured creditor reference (`Strd/CdtrRefInf/Ref`), when given. */
  structuredRef: string | null;
  /** Bank transaction code as the format gives it (e.g. `PMNT/RCDT/ESCT`, CFONB operation code `05`). */
  transactionCode: string | null;
  /** A returned or reversed payment (`RvslInd`, return codes): the entry it reverses is named in `remittance`/`endToEndId`. */
  isReturn: boolean;
};

/** Key under which an account and a bank reference are remembered, so the same entry is never recorded twice. */
export function bankEntryKey(account: string, bankRef: string): string {
  return `${account.replace(/\s+/g, '').toUpperCase()}|${bankRef.trim()}`;
}
