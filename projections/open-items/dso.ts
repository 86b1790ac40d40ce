import { daysBetween, daysInMonth, type CalendarDate } from '../../libs/domain/shared/dates';
import type { AgingItem } from './aging';

export type DsoMethod = 'simple' | 'countback';

/** Délai moyen de recouvrement over a period, for one currency. */
export interface DsoReport {
  from: CalendarDate;
  to: CalendarDate;
  method: DsoMethod;
  currency: string | null;
  days: number;
  /** Receivables open at the end of the period (minor units). */
  receivables: number;
  /** Credit sales (invoice totals) issued within the period (minor units). */
  creditSales: number;
  /** Null when there were no credit sales to divide by (simple) or to count back through (countback). */
  dso: number | null;
}

function openAt(item: AgingItem, date: CalendarDate): number {
  if (item.issueDate > date) return 0;
  let open = item.total;
  for (const m of item.movements) if (m.on <= date) open -= m.amount;
  return open;
}

/**
 * simple: receivables at `to` ÷ credit sales of the period × days of the period.
 * countback: from `to` back, month by month (the partial months at each end counted by their days in the
 * period), whole months whose sales the receivables still exceed add all their days; the month where they
 * run out adds its share. DSO rounded to 0.1 day.
 */
export function dsoReport(
  items: readonly AgingItem[],
  period: { from: CalendarDate; to: CalendarDate },
  method: DsoMethod,
  currency: string | null,
): DsoReport {
  const { from, to } = period;
  const inCurrency = items.filter((i) => currency === null || i.currency === currency);
  const cur = currency ?? inCurrency[0]?.currency ?? null;
  const days = daysBetween(from, to) + 1;
  let receivables = 0;
  let creditSales = 0;
  for (const i of inCurrency) {
    receivables += openAt(i, to);
    if (i.issueDate >= from && i.issueDate <= to) creditSales += i.total;
  }
  let dso: number | null = null;
  if (method === 'simple') {
    dso = creditSales === 0 ? null : round1((receivables / creditSales) * days);
  } else if (creditSales > 0) {
    dso = round1(countback(inCurrency, from, to, receivables));
  }
  return { from, to, method, currency: cur, days, receivables, creditSales, dso };
}

function countback(items: readonly AgingItem[], from: CalendarDate, to: CalendarDate, receivables: number): number {
  let remaining = receivables;
  let total = 0;
  let end = to;
  while (end >= from && remaining > 0) {
    const [y, m] = end.split('-').map(Number);
    const first = `${end.slice(0, 7)}-01`;
    const start = first < from ? from : first;
    let sales = 0;
    for (const i of items) if (i.issueDate >= start && i.issueDate <= end) sales += i.total;
    const span = daysBetween(start, end) + 1;
    if (sales > 0 && remaining <= sales) return total + (remaining / sales) * span;
    total += span;
    remaining -= sales;
    const prevMonth = m === 1 ? [y - 1, 12] : [y, m - 1];
    end = `${String(prevMonth[0]).padStart(4, '0')}-${String(prevMonth[1]).padStart(2, '0')}-${String(daysInMonth(prevMonth[0], prevMonth[1])).padStart(2, '0')}`;
  }
  return total;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
