import type { DomainEvent } from '../shared/decider';
import type { CalendarDate } from '../shared/dates';

/**
 * The books of the company (stream `books-periods`): which business dates are closed (clôture de période).
 * A closed period refuses every new fact dated in it; corrections are then dated in the open period.
 * These facts concern no customer: `customerId` is absent (per-customer reads never see them).
 */
export type PeriodClosed = DomainEvent<'PeriodClosed', {
  /** Last closed business date: every date ≤ this one is closed. */
  through: CalendarDate;
  /** The date the books were closed through before this closing (null: none). */
  previousThrough: CalendarDate | null;
  reason: string;
  closedBy: string;
}>;

/** An admin reopens the books from `from`: the closed-through date goes back to `through` (= from − 1 day). */
export type PeriodReopened = DomainEvent<'PeriodReopened', {
  from: CalendarDate;
  /** The closed-through date after the reopening. */
  through: CalendarDate;
  previousThrough: CalendarDate;
  reason: string;
  reopenedBy: string;
}>;

export type BooksEvent = PeriodClosed | PeriodReopened;
