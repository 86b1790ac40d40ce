import { addDays, parseDate, type CalendarDate } from '../../libs/domain/shared/dates';
import { invalid } from '../../libs/domain/shared/errors';
import type { LedgerMovement } from './customer-ledger.projection';
import type { LedgerMonth } from './customer-months.projection';

export interface StatementLine {
  date: CalendarDate;
  position: number;
  eventType: string;
  pieceRef: string;
  label: string;
  debit: number;
  credit: number;
  /** Running balance after the line (positive: the customer owes). */
  balance: number;
}

/** Relevé de compte: opening balance the day before `from`, every movement of the period, closing balance at `to`. */
export interface Statement {
  customerId: string;
  currency: string | null;
  from: CalendarDate;
  to: CalendarDate;
  opening: number;
  movements: StatementLine[];
  totalDebit: number;
  totalCredit: number;
  closing: number;
}

export function checkPeriod(from: unknown, to: unknown): { from: CalendarDate; to: CalendarDate } {
  const f = parseDate(from, 'from');
  const t = parseDate(to, 'to');
  if (f > t) throw invalid('PERIOD_INVALID', `from (${f}) is after to (${t})`, 'from', { from: f, to: t });
  return { from: f, to: t };
}

/** First day of the month of `date`: movements are read from there, month totals before it. */
export function monthStart(date: CalendarDate): CalendarDate {
  return `${date.slice(0, 7)}-01`;
}

/**
 * Builds the statement from the month totals before `from`'s month and the movements from the first day of
 * `from`'s month to `to` (in date then log order). Amounts are integer minor units.
 */
export function buildStatement(
  customerId: string,
  period: { from: CalendarDate; to: CalendarDate },
  monthsBefore: readonly LedgerMonth[],
  movementsFromMonthStart: readonly LedgerMovement[],
  currency: string | null,
): Statement {
  let opening = 0;
  for (const m of monthsBefore) opening += m.debit - m.credit;
  const lines: StatementLine[] = [];
  let totalDebit = 0;
  let totalCredit = 0;
  let balance = 0;
  for (const m of movementsFromMonthStart) {
    if (m.date < period.from) { opening += m.debit - m.credit; continue; }
    if (m.date > period.to) continue;
    if (lines.length === 0) balance = opening;
    balance += m.debit - m.credit;
    totalDebit += m.debit;
    totalCredit += m.credit;
    lines.push({ date: m.date, position: m.position, eventType: m.eventType, pieceRef: m.pieceRef, label: m.label, debit: m.debit, credit: m.credit, balance });
  }
  return {
    customerId, currency: currency ?? movementsFromMonthStart[0]?.currency ?? monthsBefore[0]?.currency ?? null,
    from: period.from, to: period.to, opening, movements: lines, totalDebit, totalCredit, closing: opening + totalDebit - totalCredit,
  };
}

/** The day before `date` (for "opening balance as of"). */
export const dayBefore = (date: CalendarDate) => addDays(date, -1);
