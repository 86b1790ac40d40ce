import type { DsoReport, EclReport, Statement } from '../../../projections';
import type { AccountState } from '../../domain/reporting/account-state';
import { formatAmount } from '../../domain/shared/money';
import type { CustomerHistory, HistoryEvent } from './history-replay';
import type { HistorySummary } from './history-stream';

// The edge's view of the reports, shared by HTTP and the CLI: amounts as decimal strings of their currency.

/** The account state at the edge: amounts as decimal strings of the customer's currency. */
export function accountStateView(s: AccountState) {
  const cur = s.currency ?? 'EUR';
  const f = (minor: number) => formatAmount(minor, cur);
  return {
    customerId: s.customerId, name: s.name, currency: s.currency, creditLimit: f(s.creditLimit),
    totals: {
      invoiced: f(s.totals.invoiced), charges: f(s.totals.charges), received: f(s.totals.received), reversed: f(s.totals.reversed),
      refunded: f(s.totals.refunded), allocated: f(s.totals.allocated), paid: f(s.totals.paid), creditNoted: f(s.totals.creditNoted),
      creditApplied: f(s.totals.creditApplied), discounts: f(s.totals.discounts), writtenOff: f(s.totals.writtenOff), bankFees: f(s.totals.bankFees),
      outstanding: f(s.totals.outstanding), unapplied: f(s.totals.unapplied), balance: f(s.totals.balance),
    },
    invoices: Object.values(s.invoices).map((i) => ({
      invoiceId: i.invoiceId, number: i.number, issueDate: i.issueDate, dueDate: i.dueDate, total: f(i.total), charges: f(i.charges),
      paid: f(i.paid), credited: f(i.credited), discounted: f(i.discounted), writtenOff: f(i.writtenOff), bankFees: f(i.bankFees),
      outstanding: f(i.outstanding), status: i.status, settledOn: i.settledOn,
    })),
  };
}

/** Events as stored (data in minor units, metadata with the hashes), state as of the date, verification. */
export function historyView(h: Omit<CustomerHistory, 'events'> & { events: readonly HistoryEvent[] }) {
  return {
    customerId: h.customerId,
    asOf: h.asOf,
    verification: h.verification,
    state: accountStateView(h.state),
    events: h.events.map(historyEventView),
  };
}

export function historyEventView(e: HistoryEvent) {
  return { position: e.position, streamId: e.streamId, revision: e.revision, id: e.id, type: e.type, effectiveDate: e.effectiveDate, data: e.data, metadata: e.metadata };
}

/**
 * `JSON.stringify(historyView(h), null, indent)`, byte for byte, written as the pages of events come (ADR 0109):
 * first everything but the events, then one chunk per page. `indent` 0 is the compact form HTTP sends.
 */
export async function* historyJson(h: HistorySummary, pages: AsyncIterable<readonly HistoryEvent[]>, indent = 0): AsyncGenerator<string> {
  const head = JSON.stringify(historyView({ ...h, events: [] }), null, indent);
  const empty = indent === 0 ? '[]}' : '[]\n}';
  if (!head.endsWith(empty)) throw new Error('historyView must end with its events');
  yield head.slice(0, -empty.length) + '[';
  const pad = ' '.repeat(2 * indent);
  let first = true;
  for await (const page of pages) {
    let out = '';
    for (const e of page) {
      const json = JSON.stringify(historyEventView(e), null, indent);
      // Inside the events array: on its own line, two levels in (a JSON text has no raw newline but its own).
      out += indent === 0 ? (first ? json : ',' + json) : (first ? '\n' : ',\n') + pad + json.replace(/\n/g, '\n' + pad);
      first = false;
    }
    yield out;
  }
  yield indent === 0 ? ']}' : first ? ']\n}' : `\n${' '.repeat(indent)}]\n}`;
}

export function statementView(s: Statement) {
  const f = (minor: number) => formatAmount(minor, s.currency ?? 'EUR');
  return {
    customerId: s.customerId, currency: s.currency, from: s.from, to: s.to, opening: f(s.opening),
    movements: s.movements.map((m) => ({ date: m.date, position: m.position, type: m.eventType, pieceRef: m.pieceRef, label: m.label, debit: f(m.debit), credit: f(m.credit), balance: f(m.balance) })),
    totalDebit: f(s.totalDebit), totalCredit: f(s.totalCredit), closing: f(s.closing),
  };
}

export function dsoView(d: DsoReport) {
  const f = (minor: number) => formatAmount(minor, d.currency ?? 'EUR');
  return { from: d.from, to: d.to, method: d.method, currency: d.currency, days: d.days, receivables: f(d.receivables), creditSales: f(d.creditSales), dso: d.dso };
}

export function eclView(e: EclReport) {
  const f = (minor: number) => formatAmount(minor, e.currency ?? 'EUR');
  return {
    asOf: e.asOf, currency: e.currency,
    buckets: e.buckets.map((b) => ({ bucket: b.label, balance: f(b.balance), rate: `${b.ratePercent}%`, loss: f(b.loss) })),
    totalBalance: f(e.totalBalance), totalLoss: f(e.totalLoss),
    customers: e.customers.map((c) => ({ customerId: c.customerId, balance: f(c.balance), loss: f(c.loss) })),
  };
}
