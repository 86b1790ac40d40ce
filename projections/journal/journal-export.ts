import { convert, EMPTY_FX_RATES, type FxRateTable } from '../../libs/domain/shared/fx-rates';
import type { CalendarDate } from '../../libs/domain/shared/dates';
import { exponentOf } from '../../libs/domain/shared/money';
import type { ChartOfAccounts } from './chart-of-accounts';
import type { JournalEntry } from './journal.projection';
import type { JournalLine } from './journal-rules';
import type { Lettering } from './fec-compliance';

/** The 18 columns of the French Fichier des Écritures Comptables (article A47 A-1 du LPF), in order. */
export const FEC_COLUMNS = [
  'JournalCode', 'JournalLib', 'EcritureNum', 'EcritureDate', 'CompteNum', 'CompteLib', 'CompAuxNum', 'CompAuxLib',
  'PieceRef', 'PieceDate', 'EcritureLib', 'Debit', 'Credit', 'EcritureLet', 'DateLet', 'ValidDate', 'Montantdevise', 'Idevise',
] as const;

/** Columns of the plain CSV journal. */
export const CSV_COLUMNS = [
  'logPosition', 'journal', 'date', 'account', 'accountLabel', 'auxiliaryAccount', 'auxiliaryLabel', 'pieceRef', 'pieceDate',
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
  /** Realised exchange differences booked with this (receipt) entry, in the accounting currency (exchange-differences.ts). */
  exchange?: readonly JournalLine[];
  /** The date whose rates convert the entry when it is not its own: a reversed payment mirrors its receipt (conversionDates). */
  rateDate?: CalendarDate;
}

/** The company's accounting currency and the rates that convert to it (ADR 0052). */
export interface FxContext {
  accountingCurrency: string;
  rates: FxRateTable;
}

export const EUR_ONLY: FxContext = { accountingCurrency: 'EUR', rates: EMPTY_FX_RATES };

/** A journal line in the accounting currency, with its original signed amount when the entry's currency differs. */
export interface AccountingLine {
  debit: number;
  credit: number;
  /** Debit − credit in the entry's currency; null when that is the accounting currency. */
  original: number | null;
}

/**
 * The entry's lines in the accounting currency at the rate of its accounting date (ADR 0052): each line converted
 * and rounded half-up once. A rounding difference between debits and credits (at most a minor unit per line) goes
 * to the largest line other than the customers (411) one, so the entry stays balanced and the 411 line is the exact
 * conversion of the receivable. A line whose value the law fixes in the accounting currency (the EUR 40 of D441-5,
 * ADR 0053) takes that value, and the 411 line of its entry is then the sum of its parts' values (the gap between
 * 40.00 EUR and the day's conversion is no income; the 411 pool carries it to the settlement, ADR 0054). `rateDate`
 * is the entry's date except for a reversed payment, converted at its receipt's rates (conversionDates). Throws
 * 422 FX_RATE_UNKNOWN when no rate is known on or before the date.
 */
export function accountingLines(entry: JournalEntry, currency: string, fx: FxContext, rateDate: CalendarDate = entry.date): AccountingLine[] {
  if (currency === fx.accountingCurrency) return entry.lines.map((l) => ({ debit: l.debit, credit: l.credit, original: null }));
  const isFixed = (l: JournalLine) => l.fixed !== undefined && l.fixed.currency === fx.accountingCurrency;
  const out = entry.lines.map((l) => {
    const fixed = isFixed(l) ? (l.fixed as { amount: number }).amount : null;
    return {
      debit: l.debit === 0 ? 0 : fixed ?? convert(fx.rates, l.debit, currency, fx.accountingCurrency, rateDate),
      credit: l.credit === 0 ? 0 : fixed ?? convert(fx.rates, l.credit, currency, fx.accountingCurrency, rateDate),
      original: l.debit - l.credit,
    };
  });
  const diff = out.reduce((a, l) => a + l.debit - l.credit, 0);
  if (diff !== 0) {
    // With a fixed line the receivable is worth the sum of its parts' values: 411 takes the difference.
    const withFixed = entry.lines.some(isFixed);
    let k = withFixed ? entry.lines.findIndex((l) => l.role === 'customers') : -1;
    for (let i = 0; i < out.length && !withFixed; i++) {
      if (entry.lines[i].role === 'customers') continue;
      if (k < 0 || Math.abs(out[i].debit - out[i].credit) > Math.abs(out[k].debit - out[k].credit)) k = i;
    }
    if (k < 0) k = 0;
    if (out[k].credit > 0) out[k].credit += diff;
    else out[k].debit -= diff;
  }
  return out;
}

/**
 * FEC lines (tab-separated, dates YYYYMMDD, decimal comma), without the line break. EcritureNum is the entry's
 * number in its journal and fiscal year; EcritureLet/DateLet are on the customers (411) line of a settled group.
 * Debit/Credit are in the accounting currency; an entry in another currency carries its signed original amount
 * and currency in Montantdevise/Idevise (LPF art. A47 A-1; ADR 0052).
 */
export function fecLines(entry: JournalEntry, chart: ChartOfAccounts, customers: JournalCustomers, extras: FecEntryExtras, fx: FxContext = EUR_ONLY): string[] {
  const currency = entryCurrency(entry, customers);
  const names = customers.names;
  const amounts = accountingLines(entry, currency, fx, extras.rateDate ?? entry.date);
  const book = fx.accountingCurrency;
  const lines = [
    ...entry.lines.map((l, i) => ({ role: l.role, ...amounts[i] })),
    ...(extras.exchange ?? []).map((l) => ({ role: l.role, debit: l.debit, credit: l.credit, original: null })),
  ];
  return lines.map((a) => {
    const acc = chart.accounts[a.role];
    const aux = a.role === 'customers';
    const letter = aux ? extras.lettering : undefined;
    return [
      entry.journal, field(chart.journals[entry.journal]), String(extras.number), compact(entry.date), acc.number, field(acc.label),
      aux ? entry.customerId : '', aux ? field(names.get(entry.customerId) ?? entry.customerId) : '',
      field(entry.pieceRef), compact(entry.pieceDate), field(entry.label),
      decimal(a.debit, book, ','), decimal(a.credit, book, ','), letter?.code ?? '', letter ? compact(letter.date) : '', compact(entry.recordedOn),
      a.original === null ? '' : decimal(a.original, currency, ','), a.original === null ? '' : currency,
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
