import { assertNever, Decider } from '../shared/decider';
import { addDays, CalendarDate, parseDate } from '../shared/dates';
import { DomainError, invalid } from '../shared/errors';
import type { BooksEvent } from './books.events';

/** The single books stream of the company (one company per deployment). */
export const BOOKS_STREAM = 'books-periods';

export interface BooksState {
  /** Every business date ≤ this one is closed; null while nothing was ever closed (or all was reopened). */
  closedThrough: CalendarDate | null;
}

/** `today` is the UTC day the command was received (from the edge): a period can be closed only once it has ended. */
export interface ClosePeriod { type: 'ClosePeriod'; through: string; reason: string; actor: string; today: CalendarDate }
export interface ReopenPeriod { type: 'ReopenPeriod'; from: string; reason: string; actor: string }
export type BooksCommand = ClosePeriod | ReopenPeriod;

function requireReason(reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim() === '') throw invalid('REASON_REQUIRED', 'reason must be a non-empty text', 'reason');
  return reason.trim();
}

function close(c: ClosePeriod, s: BooksState): BooksEvent[] {
  const through = parseDate(c.through, 'through');
  const reason = requireReason(c.reason);
  if (through >= c.today) {
    throw new DomainError('PERIOD_NOT_ENDED', `The books can be closed through ${addDays(c.today, -1)} at the latest (today is ${c.today})`, { field: 'through', through, today: c.today });
  }
  if (s.closedThrough !== null && through <= s.closedThrough) {
    // The same closing again is a no-op (a retry with another id); an earlier date would reopen, which needs an admin.
    if (through === s.closedThrough) return [];
    throw new DomainError('PERIOD_ALREADY_CLOSED', `The books are already closed through ${s.closedThrough}`, { field: 'through', through, closedThrough: s.closedThrough });
  }
  return [{ type: 'PeriodClosed', data: { through, previousThrough: s.closedThrough, reason, closedBy: c.actor } }];
}

function reopen(c: ReopenPeriod, s: BooksState): BooksEvent[] {
  const from = parseDate(c.from, 'from');
  const reason = requireReason(c.reason);
  if (s.closedThrough === null || from > s.closedThrough) {
    throw new DomainError('PERIOD_NOT_CLOSED', s.closedThrough === null ? 'No period is closed' : `The books are closed through ${s.closedThrough} only`, { field: 'from', from, closedThrough: s.closedThrough });
  }
  return [{ type: 'PeriodReopened', data: { from, through: addDays(from, -1), previousThrough: s.closedThrough, reason, reopenedBy: c.actor } }];
}

export const booksDecider: Decider<BooksCommand, BooksEvent, BooksState> = {
  initialState: () => ({ closedThrough: null }),
  evolve(state, e) {
    switch (e.type) {
      case 'PeriodClosed': return { closedThrough: e.data.through };
      case 'PeriodReopened': return { closedThrough: e.data.through };
      default: return state;
    }
  },
  decide(c, s) {
    switch (c.type) {
      case 'ClosePeriod': return close(c, s);
      case 'ReopenPeriod': return reopen(c, s);
      default: return assertNever(c);
    }
  },
};

/**
 * The refusal of a fact dated in a closed period: the field that carries the date, the date and the closing.
 * Used by the application layer's command gate for every command (one place), never per handler.
 */
export function assertPeriodOpen(s: BooksState, field: string, date: CalendarDate): void {
  if (s.closedThrough !== null && date <= s.closedThrough) {
    throw new DomainError(
      'PERIOD_CLOSED',
      `${field} ${date} falls in a closed period (the books are closed through ${s.closedThrough}); date the fact or its correction on or after ${addDays(s.closedThrough, 1)}`,
      { field, date, closedThrough: s.closedThrough, firstOpenDate: addDays(s.closedThrough, 1) },
    );
  }
}
