import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { BankEntry } from '../../domain/cash/bank-entry';
import { DomainError, invalid } from '../../domain/shared/errors';
import { isCalendarDate } from '../../domain/shared/dates';
import { isCurrency, parseAmount } from '../../domain/shared/money';
import { entryIdOf, malformed, statementIdOf, type ParsedStatement } from './statement';

/** How the columns of a bank's CSV export map to an entry; saved once under a name, then named at each import. */
export interface CsvMapping {
  name: string;
  /** The company's account the exports are for (IBAN). */
  account: string;
  /** Currency of the amounts when no column gives it. */
  currency: string;
  delimiter: ',' | ';' | '\t';
  /** Columns named by the header row (true) or by 1-based position (false). */
  header: boolean;
  dateFormat: 'YYYY-MM-DD' | 'DD/MM/YYYY' | 'MM/DD/YYYY';
  decimalSeparator: '.' | ',';
  columns: {
    bookingDate: string;
    /** A signed amount column, or separate credit and debit columns. */
    amount?: string; credit?: string; debit?: string;
    valueDate?: string; currency?: string; debtorName?: string; debtorIban?: string; remittance?: string; reference?: string;
  };
}

const COLUMN_KEYS = ['bookingDate', 'amount', 'credit', 'debit', 'valueDate', 'currency', 'debtorName', 'debtorIban', 'remittance', 'reference'] as const;

/** Validates a mapping as posted (400 naming the field); returns it normalised. */
export function validateCsvMapping(name: string, raw: unknown): CsvMapping {
  const o = (raw ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('CSV_MAPPING_INVALID', 'The mapping must be a JSON object', 'body');
  const str = (k: string) => { const v = o[k]; if (typeof v !== 'string' || v.trim() === '') throw invalid('CSV_MAPPING_INVALID', `${k} is required`, k); return v; };
  const oneOf = <T extends string>(k: string, values: readonly T[], def: T): T => {
    const v = o[k] ?? def;
    if (!values.includes(v as T)) throw invalid('CSV_MAPPING_INVALID', `${k} must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, k);
    return v as T;
  };
  const currency = str('currency');
  if (!isCurrency(currency)) throw invalid('CSV_MAPPING_INVALID', 'currency must be an ISO 4217 code', 'currency');
  const cols = o.columns as Record<string, unknown> | undefined;
  if (typeof cols !== 'object' || cols === null) throw invalid('CSV_MAPPING_INVALID', 'columns is required', 'columns');
  for (const k of Object.keys(cols)) {
    if (!(COLUMN_KEYS as readonly string[]).includes(k)) throw invalid('CSV_MAPPING_INVALID', `Unknown column role ${k} (${COLUMN_KEYS.join(', ')})`, `columns.${k}`);
    if (typeof cols[k] !== 'string' || (cols[k] as string).trim() === '') throw invalid('CSV_MAPPING_INVALID', `columns.${k} must name a column`, `columns.${k}`);
  }
  if (cols.bookingDate === undefined) throw invalid('CSV_MAPPING_INVALID', 'columns.bookingDate is required', 'columns.bookingDate');
  if (cols.amount === undefined && cols.credit === undefined) throw invalid('CSV_MAPPING_INVALID', 'columns.amount (signed) or columns.credit/debit is required', 'columns.amount');
  const header = o.header === undefined ? true : o.header;
  if (typeof header !== 'boolean') throw invalid('CSV_MAPPING_INVALID', 'header must be a boolean', 'header');
  if (!header && Object.values(cols).some((v) => !/^[1-9][0-9]*$/.test(String(v)))) throw invalid('CSV_MAPPING_INVALID', 'Without a header row, columns are 1-based positions', 'columns');
  return {
    name, account: str('account').replace(/\s+/g, '').toUpperCase(), currency, header,
    delimiter: oneOf('delimiter', [',', ';', '\t'] as const, ','),
    dateFormat: oneOf('dateFormat', ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY'] as const, 'YYYY-MM-DD'),
    decimalSeparator: oneOf('decimalSeparator', ['.', ','] as const, '.'),
    columns: cols as CsvMapping['columns'],
  };
}

function dateIn(raw: string, format: CsvMapping['dateFormat'], where: { line: number; element: string }): string {
  const t = raw.trim();
  const m = format === 'YYYY-MM-DD' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(t) : /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(t);
  const d = m === null ? null : format === 'YYYY-MM-DD' ? `${m[1]}-${m[2]}-${m[3]}` : format === 'DD/MM/YYYY' ? `${m[3]}-${m[2]}-${m[1]}` : `${m[3]}-${m[1]}-${m[2]}`;
  if (d === null || !isCalendarDate(d)) throw malformed(`"${raw}" is not a date in ${format}`, where);
  return d;
}

/**
 * A bank's CSV export read through a saved mapping. Lines carry no bank reference, so each entry is known by a hash
 * of its line and the number of identical lines before it in the file (two equal transfers the same day stay two):
 * an overlapping export, read again, records nothing twice (ADR 0086).
 */
export function parseCsvStatement(content: string, mapping: CsvMapping): ParsedStatement {
  let rows: string[][];
  try {
    rows = parse(content, { delimiter: mapping.delimiter, relax_column_count: true, skip_empty_lines: true, bom: true, trim: false });
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw malformed(`The CSV cannot be read: ${e.message}`, { line: e.lines ?? 1 });
  }
  const rawLines = content.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const headerRow = mapping.header ? rows.shift() : undefined;
  const indexOf = (name: string | undefined): number | null => {
    if (name === undefined) return null;
    if (!mapping.header) return Number(name) - 1;
    const k = headerRow!.findIndex((h) => h.trim().toLowerCase() === name.trim().toLowerCase());
    if (k < 0) throw malformed(`Column "${name}" is not in the header row (${headerRow!.join(', ')})`, { line: 1, element: name });
    return k;
  };
  const col = Object.fromEntries(COLUMN_KEYS.map((k) => [k, indexOf(mapping.columns[k])])) as Record<(typeof COLUMN_KEYS)[number], number | null>;
  const seen = new Map<string, number>();
  const entries: BankEntry[] = [];
  let from: string | null = null;
  let to: string | null = null;
  rows.forEach((row, i) => {
    const line = i + 1 + (mapping.header ? 1 : 0);
    const get = (k: (typeof COLUMN_KEYS)[number]) => { const c = col[k]; return c === null ? '' : (row[c] ?? '').trim(); };
    const currency = get('currency') || mapping.currency;
    if (!isCurrency(currency)) throw malformed(`Currency "${currency}" is not an ISO 4217 code`, { line, element: mapping.columns.currency ?? 'currency' });
    const money = (raw: string, element: string) => {
      const txt = raw.replace(/[\s\u00a0']/g, '').replace(mapping.decimalSeparator === ',' ? ',' : /(?!)/, '.');
      try { return parseAmount(txt, currency, element); } catch (err) {
        if (err instanceof DomainError) throw malformed(`"${raw}" is not an amount in ${currency}`, { line, element });
        throw err;
      }
    };
    let signed: number;
    if (col.amount !== null) signed = money(get('amount'), mapping.columns.amount!);
    else {
      const c = get('credit');
      const d = get('debit');
      signed = c !== '' ? money(c, mapping.columns.credit!) : d !== '' ? -Math.abs(money(d, mapping.columns.debit!)) : 0;
    }
    if (signed === 0) throw malformed('A line with no amount', { line, element: mapping.columns.amount ?? mapping.columns.credit });
    const booking = dateIn(get('bookingDate'), mapping.dateFormat, { line, element: mapping.columns.bookingDate });
    if (from === null || booking < from) from = booking;
    if (to === null || booking > to) to = booking;
    const text = rawLines[line - 1] ?? row.join(mapping.delimiter);
    const k = seen.get(text) ?? 0;
    seen.set(text, k + 1);
    const bankRef = get('reference') || `csv:${createHash('sha256').update(`${text}#${k}`).digest('hex').slice(0, 24)}`;
    const iban = get('debtorIban').replace(/\s+/g, '').toUpperCase();
    const value = get('valueDate');
    entries.push({
      entryId: entryIdOf(mapping.account, bankRef), statementId: '', account: mapping.account, bookingDate: booking,
      valueDate: value === '' ? null : dateIn(value, mapping.dateFormat, { line, element: mapping.columns.valueDate! }),
      direction: signed > 0 ? 'credit' : 'debit', amount: Math.abs(signed), currency, bankRef, endToEndId: null,
      debtorName: get('debtorName') || null, debtorIban: iban || null, remittance: get('remittance'), structuredRef: null,
      transactionCode: null, isReturn: false,
    });
  });
  if (entries.length === 0) throw malformed('The CSV has no entry', { line: 1 });
  // A CSV has no statement id: the file's content is its identity (the same file imported twice is the same statement).
  const sourceId = `csv:${createHash('sha256').update(content).digest('hex').slice(0, 24)}`;
  const statementId = statementIdOf(mapping.account, sourceId);
  return { statementId, format: 'csv', sourceId, account: mapping.account, fromDate: from, toDate: to, entries: entries.map((e) => ({ ...e, statementId })) };
}
