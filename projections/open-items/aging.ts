import { parseDate, toEpochDay, type CalendarDate } from '../../libs/domain/shared/dates';
import { DomainError, invalid } from '../../libs/domain/shared/errors';
import type { OpenItem } from './open-items.projection';

export { AGING_FIELDS, AGING_INDEX } from './aging-index';

/** What the aging needs of an open item. */
export type AgingItem = Pick<OpenItem, 'customerId' | 'currency' | 'issueDate' | 'dueDate' | 'total' | 'movements'>;

export interface AgingOptions {
  /** Upper bounds (days past due) of the closed buckets, strictly increasing; default [30, 60, 90]. */
  buckets?: readonly number[];
  /** Required when the items hold more than one currency; items of other currencies are left out. */
  currency?: string;
}

/** Amounts per bucket label, in order: "current", "1-30", …, "90+". */
export type AgingBuckets = Record<string, number>;

export interface CustomerAging {
  customerId: string;
  buckets: AgingBuckets;
  total: number;
}

/** Balance âgée: open amounts as of a date, by days past due. Integer minor units of `currency`. */
export interface AgingReport {
  asOf: CalendarDate;
  /** Null only when there are no items and none was asked for. */
  currency: string | null;
  buckets: AgingBuckets;
  total: number;
  customers: CustomerAging[];
}

export const DEFAULT_AGING_BUCKETS: readonly number[] = [30, 60, 90];

/** Read-store filter for the candidates of an aging as of `asOf`: issued by then and not closed by then. */
export function openItemsFilter(asOf: CalendarDate): { issueDate: { $lte: CalendarDate }; closedOn: { $gt: CalendarDate } } {
  return { issueDate: { $lte: asOf }, closedOn: { $gt: asOf } };
}

/** Labels for upper bounds: [30, 60, 90] → current, 1-30, 31-60, 61-90, 90+. */
export function bucketLabels(bounds: readonly number[]): string[] {
  assertBounds(bounds);
  const labels = ['current'];
  bounds.forEach((upper, i) => labels.push(`${(i === 0 ? 0 : bounds[i - 1]) + 1}-${upper}`));
  labels.push(`${bounds[bounds.length - 1]}+`);
  return labels;
}

/** Index into the labels: current when not past due, else the first bucket whose upper bound ≥ age, else the open one. */
export function bucketIndex(age: number, bounds: readonly number[]): number {
  if (age <= 0) return 0;
  for (let i = 0; i < bounds.length; i++) if (age <= bounds[i]) return i + 1;
  return bounds.length + 1;
}

/**
 * Ages `items` as of `asOf`. An item counts when issued on or before `asOf`; its amount is what remained open
 * that day (total less the movements received on or before it), so a partial payment lowers exactly one
 * item's amount once, whether the report is run before or after it was recorded.
 */
export function agingReport(items: readonly AgingItem[], asOf: CalendarDate, options: AgingOptions = {}): AgingReport {
  const aging = new AgingFold(asOf, options);
  for (const it of items) aging.add(it);
  return aging.report();
}

/**
 * `agingReport` one item at a time, so that a report over every open item holds its figures (per currency,
 * bucket and customer), never the items (issue 14: 1M open items took 2 GB as one array). `report()` gives
 * exactly what `agingReport` gives over the same items, errors included: with no currency asked for, each
 * currency is folded apart and the choice (or CURRENCY_REQUIRED) is made at the end, as `agingReport` made it
 * before looking at any amount; a broken invariant is kept and thrown only if its currency is the one reported.
 */
export class AgingFold {
  private readonly bounds: readonly number[];
  private readonly labels: string[];
  private readonly asOfDay: number;
  /** Few distinct due dates among many items: each converted once. */
  private readonly dueDays = new Map<CalendarDate, number>();
  private readonly byCurrency = new Map<string, CurrencyFold>();

  constructor(private readonly asOf: CalendarDate, private readonly options: AgingOptions = {}) {
    parseDate(asOf, 'asOf');
    this.bounds = options.buckets ?? DEFAULT_AGING_BUCKETS;
    this.labels = bucketLabels(this.bounds);
    this.asOfDay = toEpochDay(asOf);
  }

  add(it: AgingItem): void {
    if (this.options.currency !== undefined && it.currency !== this.options.currency) return;
    let fold = this.byCurrency.get(it.currency);
    if (fold === undefined) this.byCurrency.set(it.currency, (fold = { totals: new Array<number>(this.labels.length).fill(0), perCustomer: new Map(), broken: null }));
    if (it.issueDate > this.asOf) return;
    let open = it.total;
    for (const m of it.movements) if (m.on <= this.asOf) open -= m.amount;
    if (open === 0) return;
    if (open < 0) {
      fold.broken ??= `Invariant broken: open item of ${it.customerId} due ${it.dueDate} has ${open} outstanding as of ${this.asOf}`;
      return;
    }
    let dueDay = this.dueDays.get(it.dueDate);
    if (dueDay === undefined) this.dueDays.set(it.dueDate, (dueDay = toEpochDay(it.dueDate)));
    const b = bucketIndex(this.asOfDay - dueDay, this.bounds);
    fold.totals[b] += open;
    let row = fold.perCustomer.get(it.customerId);
    if (row === undefined) fold.perCustomer.set(it.customerId, (row = new Array<number>(this.labels.length).fill(0)));
    row[b] += open;
  }

  report(): AgingReport {
    const currency = this.options.currency ?? singleCurrency([...this.byCurrency.keys()]);
    const fold = currency === null ? undefined : this.byCurrency.get(currency);
    if (fold?.broken) throw new Error(fold.broken);
    const totals = fold?.totals ?? new Array<number>(this.labels.length).fill(0);
    const perCustomer = fold?.perCustomer ?? new Map<string, number[]>();
    const customers = [...perCustomer.keys()]
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((customerId) => {
        const row = perCustomer.get(customerId) as number[];
        return { customerId, buckets: labelled(this.labels, row), total: sum(row) };
      });
    return { asOf: this.asOf, currency, buckets: labelled(this.labels, totals), total: sum(totals), customers };
  }
}

interface CurrencyFold {
  totals: number[];
  perCustomer: Map<string, number[]>;
  /** The first broken invariant seen in this currency: thrown by `report()` if this currency is reported. */
  broken: string | null;
}

function singleCurrency(seen: readonly string[]): string | null {
  const currencies = [...seen].sort();
  if (currencies.length > 1) {
    throw new DomainError('CURRENCY_REQUIRED', `Items are in ${currencies.join(', ')}: choose a currency for the aging`, { currencies }, 'rule');
  }
  return currencies[0] ?? null;
}

function assertBounds(bounds: readonly number[]): void {
  const ok = bounds.length > 0 && bounds.every((b, i) => Number.isSafeInteger(b) && b > 0 && (i === 0 || b > bounds[i - 1]));
  if (!ok) {
    throw invalid('AGING_BUCKETS_INVALID', 'Aging buckets must be strictly increasing positive whole days', 'buckets', { buckets: [...bounds] });
  }
}

function labelled(labels: readonly string[], amounts: readonly number[]): AgingBuckets {
  const out: AgingBuckets = {};
  labels.forEach((label, i) => (out[label] = amounts[i]));
  return out;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
