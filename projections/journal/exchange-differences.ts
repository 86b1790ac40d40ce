import type { CalendarDate } from '../../libs/domain/shared/dates';
import { convert } from '../../libs/domain/shared/fx-rates';
import { divideHalfUp } from '../../libs/domain/shared/money';
import type { JournalLine } from './journal-rules';
import { accountingLines, type FxContext } from './journal-export';
import type { JournalEntry } from './journal.projection';
import type { LetteringLink } from './lettering-links.projection';

/**
 * Realised exchange differences (écarts de change réalisés, PCG art. 420-5; ADR 0052, 0054). A foreign-currency
 * document (invoice, payment, credit note) sits on 411 at the rates of the entries that raised it; whatever
 * settles it — a receipt or credit note applied to it, a discount, a write-off, a charge correction, a refund or
 * a reversal of a payment's credit — takes its share off 411 at the document's own (historical) value, and the
 * difference with the settlement's conversion at its own date is realised: a loss D 666 / C 411, a gain
 * D 411 / C 766. The historical value of a share is the pro rata of what the document still carries in both
 * currencies (a weighted average of its rates), and the share that empties it takes all that is left, so a fully
 * settled document's 411 lines net to exactly zero in the accounting currency, with no cent of rounding left.
 *
 * Where the lines go: a settlement booked in its own entry (discount, write-off, credit note against the invoice,
 * correction, refund) carries its difference in that entry; an application of a receipt or credit note to an
 * invoice (a lettering link, which books nothing) carries it in the receipt's or the note's entry, so no new entry
 * is numbered (ADR 0052). In the accounting currency, with no original amount.
 */

/** What a document still carries on 411: signed (debit − credit) in its currency and in the accounting currency. */
interface Pool {
  foreign: number;
  booked: number;
}

/**
 * Moves `foreign` (signed) on the pool, `converted` being its value at the moving entry's own rate; returns the
 * value the move takes in the accounting currency. Raising the balance (same sign, or from zero) books at the
 * entry's rate; lowering it takes the pro rata of what the pool carries, all of it when it empties the pool; a
 * move past zero empties the pool and raises the rest at the entry's rate.
 */
function move(pool: Pool, foreign: number, converted: number): number {
  if (foreign === 0) return 0;
  if (pool.foreign === 0 || Math.sign(foreign) === Math.sign(pool.foreign)) {
    pool.foreign += foreign;
    pool.booked += converted;
    return converted;
  }
  if (Math.abs(foreign) <= Math.abs(pool.foreign)) {
    const value = Math.abs(foreign) === Math.abs(pool.foreign)
      ? -pool.booked
      : Number(divideHalfUp(BigInt(pool.booked) * BigInt(foreign) * BigInt(Math.sign(pool.foreign)), BigInt(Math.abs(pool.foreign))));
    pool.foreign += foreign;
    pool.booked += value;
    return value;
  }
  const emptied = -pool.booked;
  const rest = foreign + pool.foreign;
  const restConverted = converted - Number(divideHalfUp(BigInt(converted) * BigInt(Math.abs(pool.foreign)), BigInt(Math.abs(foreign))));
  pool.foreign = rest;
  pool.booked = restConverted;
  return emptied + restConverted;
}

/** The pair of lines that books `delta` on 411 (positive: a debit, the counterpart a gain on 766; negative: a loss on 666). */
function differenceLines(delta: number): JournalLine[] {
  if (delta === 0) return [];
  return delta > 0
    ? [{ role: 'customers', debit: delta, credit: 0 }, { role: 'exchangeGain', debit: 0, credit: delta }]
    : [{ role: 'exchangeLoss', debit: -delta, credit: 0 }, { role: 'customers', debit: 0, credit: -delta }];
}

/** The document whose 411 balance an entry's customers line moves: a recovery and its reversal use the payment's credit. */
function poolDocument(e: JournalEntry): string {
  return (e.eventType === 'BadDebtRecovered' || e.eventType === 'PaymentUnapplied') && e.documents.length > 1 ? e.documents[1] : e.documents[0];
}

/**
 * Entries converted at another date's rates than their own: a payment reversed (bounced, charged back) is the
 * exact mirror of its receipt (ADR 0020), so its 512 and 411 lines take the receipt's rates and cancel it in the
 * accounting currency too, realising nothing (ADR 0054). By position; the others convert at their own date.
 */
export function conversionDates(entries: readonly JournalEntry[]): Map<number, CalendarDate> {
  const receipts = new Map<string, CalendarDate>();
  for (const e of entries) if (e.eventType === 'PaymentReceived' && e.documents.length > 0) receipts.set(e.documents[0], e.date);
  const out = new Map<number, CalendarDate>();
  for (const e of entries) {
    const receivedOn = e.eventType === 'PaymentReversed' && e.documents.length > 0 ? receipts.get(e.documents[0]) : undefined;
    if (receivedOn !== undefined) out.set(e.position, receivedOn);
  }
  return out;
}

export function exchangeDifferences(
  entries: readonly JournalEntry[],
  links: ReadonlyArray<Pick<LetteringLink, 'invoice' | 'settledBy' | 'applied' | 'lastPosition'>>,
  currencyOf: (e: JournalEntry) => string,
  fx: FxContext,
): Map<number, JournalLine[]> {
  const out = new Map<number, JournalLine[]>();
  const add = (position: number, lines: JournalLine[]) => { if (lines.length > 0) out.set(position, [...(out.get(position) ?? []), ...lines]); };
  const rateDates = conversionDates(entries);
  const foreign = [...entries].filter((e) => e.documents.length > 0 && currencyOf(e) !== fx.accountingCurrency).sort((a, b) => a.position - b.position);
  if (foreign.length === 0) return out;

  // The first entry of each document: its currency, and where the differences of its applications are booked.
  const opening = new Map<string, JournalEntry>();
  for (const e of foreign) if (!opening.has(e.documents[0])) opening.set(e.documents[0], e);
  const pools = new Map<string, Pool>();
  const pool = (doc: string) => { let p = pools.get(doc); if (!p) { p = { foreign: 0, booked: 0 }; pools.set(doc, p); } return p; };

  type Step = { at: number; order: number; entry?: JournalEntry; link?: (typeof links)[number] };
  const steps: Step[] = foreign.map((entry) => ({ at: entry.position, order: 0, entry }));
  for (const link of links) {
    const invoice = opening.get(link.invoice);
    const settler = opening.get(link.settledBy);
    if ((link.applied ?? 0) === 0 || !invoice || !settler || currencyOf(invoice) !== currencyOf(settler)) continue;
    // An application happens after both documents exist; links recorded before v2 carry no position.
    const at = Math.max(link.lastPosition ?? 0, invoice.position, settler.position);
    steps.push({ at, order: 1, link });
  }
  steps.sort((a, b) => a.at - b.at || a.order - b.order);

  for (const s of steps) {
    if (s.entry) {
      const e = s.entry;
      const currency = currencyOf(e);
      const converted = accountingLines(e, currency, fx, rateDates.get(e.position) ?? e.date);
      const p = pool(poolDocument(e));
      let delta = 0;
      e.lines.forEach((l, i) => {
        if (l.role !== 'customers') return;
        const value = converted[i].debit - converted[i].credit;
        delta += move(p, l.debit - l.credit, value) - value;
      });
      add(e.position, differenceLines(delta));
    } else if (s.link) {
      const l = s.link;
      const settler = opening.get(l.settledBy) as JournalEntry;
      const x = l.applied as number;
      // The share's value at the settler's rate, for a pool that has nothing of it to give (a move past zero).
      const atSettler = convert(fx.rates, x, currencyOf(settler), fx.accountingCurrency, settler.date);
      const fromInvoice = move(pool(l.invoice), -x, -atSettler);
      const fromSettler = move(pool(l.settledBy), x, atSettler);
      add(settler.position, differenceLines(fromInvoice + fromSettler));
    }
  }
  return out;
}
