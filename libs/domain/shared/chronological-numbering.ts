import { isCalendarDate, type CalendarDate } from './dates';
import { DomainError } from './errors';

/** What the next number of a series depends on: how many were taken, and the last one with its document date. */
export interface SeriesTail {
  series: string;
  /** Numbers taken so far (the next is count + 1). */
  count: number;
  last: { number: string; date: CalendarDate } | null;
}

export interface NumberingRequest {
  /** The document's date (invoice or credit-note issue date). */
  date: string;
  primary: SeriesTail;
  /** The series back-dated documents go to, when configured; null: they are refused. */
  backdated: SeriesTail | null;
  /** Stable code of the refusal, e.g. INVOICE_DATE_BEFORE_LAST_NUMBERED. */
  refusalCode: string;
  document: string;
}

/** Number n of a series, gap-free: `INV-000042`. */
export function formatDocumentNumber(series: string, n: number): string {
  return `${series}-${String(n).padStart(6, '0')}`;
}

/**
 * The series and number a dated document takes, so that numbers follow the dates within every series
 * (CGI annex II art. 242 nonies A, I-2°: a unique number from a chronological and continuous sequence; distinct
 * series are allowed when the conditions of the business justify them). A document dated before the last
 * numbered one of the primary series goes to the back-dated series when one is configured (itself
 * chronological), else it is refused with both dates. A malformed date is left to the decider (400).
 */
export function chronologicalNumber(r: NumberingRequest): { series: string; number: string } {
  const fits = (t: SeriesTail) => t.last === null || !isCalendarDate(r.date) || r.date >= t.last.date;
  const take = (t: SeriesTail) => ({ series: t.series, number: formatDocumentNumber(t.series, t.count + 1) });
  if (fits(r.primary)) return take(r.primary);
  if (r.backdated !== null && fits(r.backdated)) return take(r.backdated);
  const blocking = r.backdated ?? r.primary;
  const last = blocking.last as { number: string; date: CalendarDate };
  throw new DomainError(
    r.refusalCode,
    `A ${r.document} dated ${r.date} would be numbered after ${last.number} dated ${last.date} in series ${blocking.series}: numbers must follow the dates` +
      (r.backdated === null ? ' (date it on or after that day, or configure a series for back-dated documents)' : ''),
    {
      field: 'issueDate', issueDate: r.date, series: blocking.series, lastNumber: last.number, lastIssueDate: last.date,
      ...(r.backdated !== null ? { primarySeries: r.primary.series, primaryLastNumber: r.primary.last?.number, primaryLastIssueDate: r.primary.last?.date } : {}),
    },
  );
}
