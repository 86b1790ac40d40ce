import { exponentOf } from '../../libs/domain/shared/money';
import type { ChartOfAccounts } from './chart-of-accounts';
import type { JournalEntry } from './journal.projection';
import type { Lettering } from './fec-compliance';

/** The 18 columns of the French Fichier des Écritures Comptables (article A47 A-1 du LPF), in order. */
export const FEC_COLUMNS = [
  'JournalCode', 'JournalLib', 'EcritureNum', 'EcritureDate', 'CompteNum', 'CompteLib', 'CompAuxNum', 'CompAuxLib',
  'PieceRef', 'PieceDate', 'EcritureLib', 'Debit', 'Credit', 'EcritureLet', 'DateLet', 'ValidDate', 'Montantdevise', 'Idevise',
] as const;

/** Columns of the plain CSV journal. */
export const CSV_COLUMNS = [
  'entryNumber', 'journal', 'date', 'account', 'accountLabel', 'auxiliaryAccount', 'auxiliaryLabel', 'pieceRef', 'pieceDate',
  'label', 'debit', 'credit', 'currency', 'eventType', 'recordedOn',
] as const;

/** Minor units as a decimal with `separator` ("1234,50" for FEC). */
export function decimal(minor: number, currency: string, separator: '.' | ','): string {
  const exp = exponentOf(currency);
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  const int = digits.slice(0, digits.length - exp);
  return (minor < 0 ? '-' : '') + int + (exp > 0 ? separator + digits.slice(digits.length - exp) : '');
}

const compact = (date: string) => date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10);
/** FEC fields may not hold the separator or line breaks. */
const field = (text: string) => text.replace(/[\t\r\n|]/g, ' ');

/** The customers the export names (auxiliary accounts), and their currencies. */
export interface JournalCustomers {
  names: ReadonlyMap<string, string>;
  currencies: ReadonlyMap<string, string>;
}

/**
 * The entry's currency: its event's, else its customer's (ADR 0027). An entry whose customer is unknown is an
 * error, never a guessed currency.
 */
export function entryCurrency(entry: JournalEntry, customers: JournalCustomers): string {
  const currency = entry.currency ?? customers.currencies.get(entry.customerId);
  if (currency === undefined || currency === '') {
    throw new Error(`Journal entry ${entry.position} (${entry.eventType}): no currency known for customer ${entry.customerId}`);
  }
  return currency;
}

/**
 * One row per journal line. The entry number is the event's log position: stable from one export to the
 * next and shared by the lines of one entry. The customers line carries the customer as auxiliary account.
 */
export function journalRows(entry: JournalEntry, chart: ChartOfAccounts, customers: JournalCustomers): string[][] {
  const currency = entryCurrency(entry, customers);
  const names = customers.names;
  return entry.lines.map((l) => {
    const acc = chart.accounts[l.role];
    const aux = l.role === 'customers';
    return [
      String(entry.position), entry.journal, entry.date, acc.number, acc.label,
      aux ? entry.customerId : '', aux ? names.get(entry.customerId) ?? entry.customerId : '',
      entry.pieceRef, entry.pieceDate, entry.label,
      decimal(l.debit, currency, '.'), decimal(l.credit, currency, '.'), currency, entry.eventType, entry.recordedOn,
    ];
  });
}

/** What the FEC adds to an entry (fec-compliance.ts): its number in its journal, and its lettering if settled. */
export interface FecEntryExtras {
  number: number;
  lettering: Lettering | undefined;
}

/**
 * FEC lines (tab-separated, dates YYYYMMDD, decimal comma), without the line break. EcritureNum is the entry's
 * number in its journal and fiscal year; EcritureLet/DateLet are on the customers (411) line of a settled group.
 */
export function fecLines(entry: JournalEntry, chart: ChartOfAccounts, customers: JournalCustomers, extras: FecEntryExtras): string[] {
  const currency = entryCurrency(entry, customers);
  const names = customers.names;
  return entry.lines.map((l) => {
    const acc = chart.accounts[l.role];
    const aux = l.role === 'customers';
    const signed = l.debit - l.credit;
    const letter = aux ? extras.lettering : undefined;
    return [
      entry.journal, field(chart.journals[entry.journal]), String(extras.number), compact(entry.date), acc.number, field(acc.label),
      aux ? entry.customerId : '', aux ? field(names.get(entry.customerId) ?? entry.customerId) : '',
      field(entry.pieceRef), compact(entry.pieceDate), field(entry.label),
      decimal(l.debit, currency, ','), decimal(l.credit, currency, ','), letter?.code ?? '', letter ? compact(letter.date) : '', compact(entry.recordedOn),
      currency === 'EUR' ? '' : decimal(signed, currency, ','), currency === 'EUR' ? '' : currency,
    ].join('\t');
  });
}

/**
 * The FEC's file name (LPF art. A47 A-1): `<SIREN>FEC<closing date YYYYMMDD>.txt`; without a configured SIREN,
 * `FEC<date>.txt` (the file then needs renaming before it is handed over).
 */
export function fecFileName(siren: string | null, closingDate: string): string {
  return `${siren ?? ''}FEC${compact(closingDate)}.txt`;
}
