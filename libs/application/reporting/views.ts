import type { DsoReport, EclReport, Statement } from '../../../projections';
import type { AccountState } from '../../domain/reporting/account-state';
import { formatAmount } from '../../domain/shared/money';
import type { CustomerHistory } from './history-replay';

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
export function historyView(h: CustomerHistory) {
  return {
    customerId: h.customerId,
    asOf: h.asOf,
    verification: h.verification,
    state: accountStateView(h.state),
    events: h.events.map((e) => ({ position: e.position, streamId: e.streamId, revision: e.revision, id: e.id, type: e.type, effectiveDate: e.effectiveDate, data: e.data, metadata: e.metadata })),
  };
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
