import type { CalendarDate } from '../../libs/domain/shared/dates';
import type { JournalEntry } from './journal.projection';
import type { LetteringLink } from './lettering-links.projection';

/**
 * What the FEC (LPF art. A47 A-1) needs beyond the journal entries themselves, computed from the projected
 * journal by pure functions (ADR 0050):
 * - EcritureNum: a continuous sequence per journal and fiscal year, in validation order (log order, shown as
 *   ValidDate). Validation order is the one order that never changes when a back-dated fact arrives: the new
 *   entry takes the next number, every earlier number stays. The same journal always gives the same numbers.
 * - EcritureLet / DateLet: the 411 lines of an invoice and of everything that settles it share a code once they
 *   balance; DateLet = the latest of their dates (the day it became fully settled). Partial: no code.
 */

/** The fiscal year of an accounting date: the calendar year (the only one supported, ADR 0050). */
export const fiscalYearOf = (date: CalendarDate): string => date.slice(0, 4);

const sequenceKey = (e: Pick<JournalEntry, 'journal' | 'date'>) => `${e.journal}|${fiscalYearOf(e.date)}`;

/** EcritureNum of every entry, by position: 1, 2, 3… per journal and fiscal year, in log (validation) order. */
export function entryNumbers(entries: Iterable<Pick<JournalEntry, 'journal' | 'date' | 'position'>>): Map<number, number> {
  const byKey = new Map<string, number[]>();
  for (const e of entries) {
    const list = byKey.get(sequenceKey(e)) ?? [];
    list.push(e.position);
    byKey.set(sequenceKey(e), list);
  }
  const numbers = new Map<number, number>();
  for (const positions of byKey.values()) {
    positions.sort((a, b) => a - b);
    positions.forEach((p, i) => numbers.set(p, i + 1));
  }
  return numbers;
}

export interface Lettering {
  code: string;
  date: CalendarDate;
}

/** A lettering code from a number: 0 → A, 25 → Z, 26 → BA… (letters only, stable for a given anchor). */
export function letterCode(n: number): string {
  let code = '';
  let x = n;
  do {
    code = String.fromCharCode(65 + (x % 26)) + code;
    x = Math.floor(x / 26);
  } while (x > 0);
  return code;
}

/**
 * The lettering of every entry's 411 line, by position. Documents are joined when one entry concerns several
 * (a discount: the invoice and the payment) or a link ties them (a payment or credit note applied to an
 * invoice). A group is lettered when its 411 lines sum to zero; its code comes from its earliest entry's
 * position (so a settled group keeps its code when later, unrelated facts arrive) and its date is the latest
 * line's. Give only the entries up to the export's last date: lettering is the state as of that day.
 */
export function lettering(
  entries: ReadonlyArray<Pick<JournalEntry, 'position' | 'date' | 'documents' | 'lines'>>,
  links: ReadonlyArray<Pick<LetteringLink, 'invoice' | 'settledBy'>>,
): Map<number, Lettering> {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  const onCustomers = entries.filter((e) => e.documents.length > 0 && e.lines.some((l) => l.role === 'customers'));
  for (const e of onCustomers) {
    find(e.documents[0]);
    for (const d of e.documents.slice(1)) union(e.documents[0], d);
  }
  for (const l of links) union(l.invoice, l.settledBy);

  const groups = new Map<string, { balance: number; entries: Array<Pick<JournalEntry, 'position' | 'date'>> }>();
  for (const e of onCustomers) {
    const root = find(e.documents[0]);
    const g = groups.get(root) ?? { balance: 0, entries: [] };
    for (const l of e.lines) if (l.role === 'customers') g.balance += l.debit - l.credit;
    g.entries.push(e);
    groups.set(root, g);
  }
  const result = new Map<number, Lettering>();
  for (const g of groups.values()) {
    if (g.balance !== 0 || g.entries.length < 2) continue;
    const first = Math.min(...g.entries.map((e) => e.position));
    const date = g.entries.reduce((max, e) => (e.date > max ? e.date : max), g.entries[0].date);
    for (const e of g.entries) result.set(e.position, { code: letterCode(first), date });
  }
  return result;
}
