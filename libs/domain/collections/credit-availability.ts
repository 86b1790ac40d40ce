import type { CalendarDate } from '../shared/dates';

/** A dated change of a customer's credit: + credit appears (cash received, credit note), − it is used, refunded, reversed. */
export interface CreditMovement {
  on: CalendarDate;
  amount: number;
}

/**
 * The most credit a movement dated `on` may take without the customer's credit going negative on any date
 * (ADR 0013's invariant, ADR 0031): min over every date t ≥ on of the credit as of t (Σ movements dated ≤ t).
 * Checking at `on` and at each later movement date is enough: the running sum only changes there.
 */
export function creditAvailableFrom(movements: readonly CreditMovement[], on: CalendarDate): number {
  let running = 0;
  for (const m of movements) if (m.on <= on) running += m.amount;
  let least = running;
  const later = movements.filter((m) => m.on > on).sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  for (const m of later) {
    running += m.amount;
    least = Math.min(least, running);
  }
  return Math.max(0, least);
}

/** Sources that existed on `on`: credit cannot be drawn from cash received (or a credit note issued) after it. */
export function sourcesExistingOn<S extends { date: CalendarDate }>(sources: readonly S[], on: CalendarDate): S[] {
  return sources.filter((s) => s.date <= on);
}

/**
 * The least an invoice is open from `on` onward (Σ over its dated movements; charges raise it, payments and
 * credits lower it): what an allocation dated `on` may take without the invoice showing a negative open amount
 * on any later date — e.g. charges assessed after `on` are not yet owed on `on` (ADR 0032).
 */
export function leastOpenFrom(item: { total: number; movements: readonly CreditMovement[] }, on: CalendarDate): number {
  return creditAvailableFrom([{ on: '0000-01-01', amount: item.total }, ...item.movements.map((m) => ({ on: m.on, amount: -m.amount }))], on);
}
