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
 *   balance; DateLet = the day it became fully settled (ADR 0055). Partial: no code.
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
 * (a discount: the invoice and the payment) or a standing link ties them (a payment or credit note applied to an
 * invoice and not taken back: a reallocated payment letters with the invoice it settles now, not the one it left).
 * A group is lettered when its 411 lines sum to zero; its code comes from its earliest entry's position (so a
 * settled group keeps its code when later, unrelated facts arrive). DateLet is the day it became fully settled
 * (ADR 0055): the first accounting date from which its 411 balance stays at zero, taking each fact at its effective
 * date — a receipt back-dated before charges that it then cancels settles the invoice on its own date — and no
 * earlier than the latest application that ties the group (customer credit applied after the invoice settles it on
 * the day it is applied). Give only the entries up to the export's last date, and that date as `to`: lettering is
 * the state as of that day, and an application dated after it does not count.
 */
export function lettering(
  entries: ReadonlyArray<Pick<JournalEntry, 'position' | 'date' | 'documents' | 'lines'>>,
  links: ReadonlyArray<Pick<LetteringLink, 'invoice' | 'settledBy' | 'applied' | 'appliedOn'>>,
  to: CalendarDate = '9999-12-31',
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
  // A link taken back entirely (applied 0) ties nothing; v1 links carry no amount and still tie.
  const standing = links.filter((l) => l.applied !== 0 && (l.appliedOn === undefined || l.appliedOn <= to));
  for (const l of standing) union(l.invoice, l.settledBy);

  type Group = { balance: number; byDate: Map<CalendarDate, number>; entries: Array<Pick<JournalEntry, 'position' | 'date'>>; appliedOn: CalendarDate | null };
  const groups = new Map<string, Group>();
  const groupOf = (root: string) => {
    let g = groups.get(root);
    if (!g) { g = { balance: 0, byDate: new Map(), entries: [], appliedOn: null }; groups.set(root, g); }
    return g;
  };
  for (const e of onCustomers) {
    const g = groupOf(find(e.documents[0]));
    for (const l of e.lines) {
      if (l.role !== 'customers') continue;
      g.balance += l.debit - l.credit;
      g.byDate.set(e.date, (g.byDate.get(e.date) ?? 0) + l.debit - l.credit);
    }
    g.entries.push(e);
  }
  for (const l of standing) {
    const g = groups.get(find(l.invoice));
    if (g && l.appliedOn !== undefined && (g.appliedOn === null || l.appliedOn > g.appliedOn)) g.appliedOn = l.appliedOn;
  }
  const result = new Map<number, Lettering>();
  for (const g of groups.values()) {
    if (g.balance !== 0 || g.entries.length < 2) continue;
    const first = Math.min(...g.entries.map((e) => e.position));
    const date = settledOn(g.byDate, g.appliedOn);
    for (const e of g.entries) result.set(e.position, { code: letterCode(first), date });
  }
  return result;
}

/** The first date from which the running balance (by accounting date) stays at zero, not before `notBefore`. */
function settledOn(byDate: ReadonlyMap<CalendarDate, number>, notBefore: CalendarDate | null): CalendarDate {
  let running = 0;
  let since: CalendarDate | null = null;
  for (const date of [...byDate.keys()].sort()) {
    running += byDate.get(date) as number;
    if (running !== 0) since = null;
    else if (since === null) since = date;
  }
  const zero = since as CalendarDate;
  return notBefore !== null && notBefore > zero ? notBefore : zero;
}
