import { stringify } from 'csv-stringify/sync';
import { conversionDates, CSV_COLUMNS, entryCurrency, entryNumbers, EUR_ONLY, exchangeDifferences, FEC_COLUMNS, fecLines, fiscalYearOf, journalRows, lettering, type ChartOfAccounts, type FxContext, type JournalEntry } from '../../../projections';
import { parseDate, type CalendarDate } from '../../domain/shared/dates';
import { invalid } from '../../domain/shared/errors';
import type { JournalReader } from './reports';

export type JournalFormat = 'csv' | 'fec';

export interface JournalExportOptions {
  from?: string;
  to?: string;
  format?: string;
  chart: ChartOfAccounts;
  /** Accounting currency and rates (AR_ACCOUNTING_CURRENCY, AR_FX_RATES); EUR with no rates when absent. */
  fx?: FxContext;
}

export interface JournalExportRequest {
  from: CalendarDate;
  to: CalendarDate;
  format: JournalFormat;
  chart: ChartOfAccounts;
  fx: FxContext;
}

/** Validates the request before anything is written (a streamed answer cannot turn into a 400 half-way). */
export function journalExportRequest(o: JournalExportOptions): JournalExportRequest {
  const from = o.from === undefined || o.from === '' ? '0001-01-01' : parseDate(o.from, 'from');
  const to = o.to === undefined || o.to === '' ? '9999-12-31' : parseDate(o.to, 'to');
  if (from > to) throw invalid('PERIOD_INVALID', `from (${from}) is after to (${to})`, 'from', { from, to });
  const format = o.format === undefined || o.format === '' ? 'csv' : o.format;
  if (format !== 'csv' && format !== 'fec') throw invalid('EXPORT_FORMAT_INVALID', 'format must be csv or fec', 'format', { format });
  return { from, to, format, chart: o.chart, fx: o.fx ?? EUR_ONLY };
}

/**
 * One RFC 4180 record (quoted only when needed). Why not csv-stringify here: it costs ~3× more per row,
 * which halves the export rate; the header goes through csv-stringify and a spec compares both outputs.
 */
export function csvLine(fields: readonly string[]): string {
  const out = new Array<string>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    out[i] = NEEDS_QUOTES.test(f) ? '"' + f.replace(/"/g, '""') + '"' : f;
  }
  return out.join(',') + '\n';
}
const NEEDS_QUOTES = /[",\r\n]/;

export interface ExportCounts {
  entries: number;
  lines: number;
}

/**
 * The journal as text chunks (header first, then one chunk per page of entries). CSV: RFC 4180 with a
 * header, decimal point, ISO dates, by accounting date. FEC: see fecChunks.
 */
export async function* journalChunks(reader: JournalReader, r: JournalExportRequest, counts: ExportCounts = { entries: 0, lines: 0 }): AsyncGenerator<string> {
  if (r.format === 'fec') {
    yield* fecChunks(reader, r, counts);
    return;
  }
  const customers = await reader.customers();
  yield stringify([[...CSV_COLUMNS]]);
  for await (const page of reader.entries(r.from, r.to)) {
    counts.entries += page.length;
    const out: string[] = [];
    for (const e of page) for (const row of journalRows(e, r.chart, customers)) out.push(csvLine(row));
    counts.lines += out.length;
    yield out.join('');
  }
}

/**
 * The FEC (LPF art. A47 A-1; ADR 0050): the 18 columns, tab-separated, dates YYYYMMDD, decimal comma; entries of
 * [from, to] in chronological order of validation, EcritureNum continuous per journal and fiscal year in that
 * order; the 411 lines lettered as of `to`. Numbering needs every entry of the fiscal years touched
 * and lettering every entry up to `to`, so the journal is read from its start to the end of `to`'s fiscal year
 * (in memory: the export of one company's years, not a stream of pages).
 */
async function* fecChunks(reader: JournalReader, r: JournalExportRequest, counts: ExportCounts): AsyncGenerator<string> {
  const customers = await reader.customers();
  const links = await reader.links();
  const all: JournalEntry[] = [];
  const lastYear = fiscalYearOf(r.to);
  for await (const page of reader.entries('0001-01-01', `${lastYear}-12-31`)) for (const e of page) all.push(e);
  const firstYear = fiscalYearOf(r.from);
  const numbers = entryNumbers(all.filter((e) => fiscalYearOf(e.date) >= firstYear));
  const letters = lettering(all.filter((e) => e.date <= r.to), links, r.to);
  const exchange = exchangeDifferences(all.filter((e) => e.date <= r.to), links, (e) => entryCurrency(e, customers), r.fx);
  const rateDates = conversionDates(all);
  // In chronological order of validation (log order, ValidDate): each journal's numbers then rise down the file.
  const selected = all.filter((e) => e.date >= r.from && e.date <= r.to).sort((a, b) => a.position - b.position);
  // Every line is converted before the header goes out: a missing rate (422 FX_RATE_UNKNOWN) is then an error
  // answer, not a truncated file (ADR 0052).
  const pages: string[][] = [];
  const PAGE = 5_000;
  for (let i = 0; i < selected.length; i += PAGE) {
    const out: string[] = [];
    for (const e of selected.slice(i, i + PAGE)) {
      for (const l of fecLines(e, r.chart, customers, { number: numbers.get(e.position) as number, lettering: letters.get(e.position), exchange: exchange.get(e.position), rateDate: rateDates.get(e.position) }, r.fx)) out.push(l);
    }
    pages.push(out);
  }
  yield FEC_COLUMNS.join('\t') + '\n';
  for (let p = 0; p < pages.length; p++) {
    counts.entries += Math.min(PAGE, selected.length - p * PAGE);
    counts.lines += pages[p].length;
    yield pages[p].join('\n') + '\n';
  }
}
