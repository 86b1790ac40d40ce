import { addDays, CalendarDate, daysBetween } from '../shared/dates';
import { invalid } from '../shared/errors';

/**
 * Dunning (*relance*): configured levels, each anchored on the invoice's due date, never on when the
 * last run happened. Pure planning: what a run as of a date would do for each open item, and why.
 */
export type DunningAction = 'reminder' | 'formal_notice' | 'collection_agency';

export interface DunningLevel {
  level: number;
  name: string;
  /** Days after the due date from which this level is due. */
  daysAfterDue: number;
  action: DunningAction;
  /** Template name (`reminder-1`, …), rendered in the customer's language. */
  template: string;
  /** Assess late-payment charges onto the invoice first. */
  assessCharges: boolean;
  /** Ask for a credit hold on the customer. */
  creditHold: boolean;
  /** Hand the invoice to a collection agency. */
  collectionAgency: boolean;
}

/** Reminder at due + 7, second at + 21, formal notice with charges at + 35, agency and credit hold at + 60. */
export const DEFAULT_DUNNING_LEVELS: readonly DunningLevel[] = [
  { level: 1, name: 'First reminder', daysAfterDue: 7, action: 'reminder', template: 'reminder-1', assessCharges: false, creditHold: false, collectionAgency: false },
  { level: 2, name: 'Second reminder', daysAfterDue: 21, action: 'reminder', template: 'reminder-2', assessCharges: false, creditHold: false, collectionAgency: false },
  { level: 3, name: 'Formal notice', daysAfterDue: 35, action: 'formal_notice', template: 'formal-notice', assessCharges: true, creditHold: false, collectionAgency: false },
  { level: 4, name: 'Collection agency', daysAfterDue: 60, action: 'collection_agency', template: 'collection-agency', assessCharges: true, creditHold: true, collectionAgency: true },
];

export function validateLevels(levels: readonly DunningLevel[]): readonly DunningLevel[] {
  const ok = levels.length > 0 && levels.every((l, i) => l.level === i + 1 && Number.isSafeInteger(l.daysAfterDue) && l.daysAfterDue >= 0
    && (i === 0 || l.daysAfterDue > levels[i - 1].daysAfterDue));
  if (!ok) throw invalid('DUNNING_LEVELS_INVALID', 'levels must be numbered 1, 2, … with strictly increasing daysAfterDue', 'levels');
  return levels;
}

/** What the planner needs of an open item (from the open-items read model). */
export interface DunnableItem {
  invoiceId: string;
  customerId: string;
  number: string;
  currency: string;
  dueDate: CalendarDate;
  /** Owed as of the run's date. */
  outstanding: number;
  disputed: number;
  inPaymentPlan: boolean;
  /** Highest level already sent (0 = none). */
  dunningLevel: number;
  /** Dunning resumed on this day after a pause (a dispute rejected; ADR 0038); absent = never paused. */
  resumedOn?: CalendarDate;
  /** The level already sent when it resumed. */
  resumedAtLevel?: number;
  /** Day the last level was sent; absent = none. */
  lastSentOn?: CalendarDate;
}

/**
 * The next level to send and the day it is due (ADR 0038, 0039). Letters go in ladder order, never skipping
 * one: a formal notice always follows the reminders it refers to. Level b + 1 is due on its due-date anchor;
 * after a pause (a dispute resolved) on the later of that anchor and the resumption day; and never before the
 * ladder's interval has passed since the previous letter was sent (a late run spaces the letters out, and a
 * run repeated for the same date sends nothing). Null when every level was sent.
 */
export function nextLevelDueOn(i: DunnableItem, levels: readonly DunningLevel[]): { level: DunningLevel; dueOn: CalendarDate } | null {
  const next = levels[i.dunningLevel];
  if (next === undefined) return null;
  let dueOn = addDays(i.dueDate, next.daysAfterDue);
  if (i.resumedOn !== undefined) {
    // Restart at the first level not yet sent when dunning resumed; the later ones follow at the ladder's intervals.
    const first = levels[i.resumedAtLevel ?? 0] ?? next;
    const anchored = addDays(i.dueDate, first.daysAfterDue);
    const restart = anchored > i.resumedOn ? anchored : i.resumedOn;
    dueOn = addDays(restart, next.daysAfterDue - first.daysAfterDue);
  }
  const sent = levels[i.dunningLevel - 1];
  if (sent !== undefined && i.lastSentOn !== undefined) {
    const spaced = addDays(i.lastSentOn, Math.max(1, next.daysAfterDue - sent.daysAfterDue));
    if (spaced > dueOn) dueOn = spaced;
  }
  return { level: next, dueOn };
}

/** Kept for ADR 0038's callers: the next level of an item dunning resumed on; null when never paused. */
export function resumedLevelDueOn(i: DunnableItem, levels: readonly DunningLevel[]): { level: DunningLevel; dueOn: CalendarDate } | null {
  return i.resumedOn === undefined ? null : nextLevelDueOn(i, levels);
}

export type DunningDecision =
  | { invoiceId: string; customerId: string; number: string; outcome: 'send'; level: DunningLevel; daysPastDue: number; outstanding: number; reason: string }
  | { invoiceId: string; customerId: string; number: string; outcome: 'skip'; daysPastDue: number; outstanding: number; reason: string };

/**
 * For each item: the next level not yet sent, when it is due as of `asOf` (`nextLevelDueOn`) — one message per
 * invoice and level, whatever how often the run executes, in ladder order. Skipped: nothing owed, not yet due,
 * disputed, under a payment plan, customer's balance covered by its unapplied credit, every level sent.
 */
export function planDunning(
  items: readonly DunnableItem[],
  asOf: CalendarDate,
  levels: readonly DunningLevel[],
  creditByCustomer: ReadonlyMap<string, number>,
): DunningDecision[] {
  const owedByCustomer = new Map<string, number>();
  for (const i of items) owedByCustomer.set(i.customerId, (owedByCustomer.get(i.customerId) ?? 0) + Math.max(0, i.outstanding));
  const decisions: DunningDecision[] = [];
  const sorted = [...items].sort((a, b) => (a.customerId !== b.customerId ? (a.customerId < b.customerId ? -1 : 1) : a.dueDate !== b.dueDate ? (a.dueDate < b.dueDate ? -1 : 1) : a.invoiceId < b.invoiceId ? -1 : 1));
  for (const i of sorted) {
    const daysPastDue = daysBetween(i.dueDate, asOf);
    const base = { invoiceId: i.invoiceId, customerId: i.customerId, number: i.number, daysPastDue, outstanding: i.outstanding };
    const skip = (reason: string) => decisions.push({ ...base, outcome: 'skip', reason });
    if (i.outstanding <= 0) { skip('nothing owed'); continue; }
    const next = nextLevelDueOn(i, levels);
    if (next === null) { skip(`level ${i.dunningLevel} already sent; no level above it`); continue; }
    if (next.dueOn > asOf) {
      const why = i.resumedOn !== undefined ? `dunning resumed on ${i.resumedOn}: ` : i.dunningLevel > 0 ? `level ${i.dunningLevel} sent${i.lastSentOn ? ` on ${i.lastSentOn}` : ''}: ` : '';
      const first = i.dunningLevel === 0 && i.resumedOn === undefined;
      skip(daysPastDue <= 0 ? 'not yet due' : first ? `${daysPastDue} days past due, first level at ${next.level.daysAfterDue}` : `${why}level ${next.level.level} is due on ${next.dueOn}`);
      continue;
    }
    const due = next.level;
    if (i.disputed > 0) { skip('disputed: dunning paused until the dispute is resolved'); continue; }
    if (i.inPaymentPlan) { skip('under a payment plan'); continue; }
    const credit = creditByCustomer.get(i.customerId) ?? 0;
    const owed = owedByCustomer.get(i.customerId) ?? 0;
    if (credit > 0 && credit >= owed) { skip(`customer's unapplied credit covers its balance`); continue; }
    decisions.push({ ...base, outcome: 'send', level: due, reason: `${daysPastDue} days past due ≥ ${due.daysAfterDue}${next.dueOn > addDays(i.dueDate, due.daysAfterDue) ? `, due on ${next.dueOn}` : ''}: ${due.name}` });
  }
  return decisions;
}
