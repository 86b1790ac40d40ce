import type { CustomerHistory } from '../../../../libs/application/reporting/history-replay';
import type { AccountState } from '../../../../libs/domain/reporting/account-state';
import { formatAmount } from '../../../../libs/domain/shared/money';

/** The account state at the edge: amounts as decimal strings of the customer's currency. */
export function accountStateView(s: AccountState) {
  const cur = s.currency ?? 'EUR';
  const f = (minor: number) => formatAmount(minor, cur);
  return {
    customerId: s.customerId, name: s.name, currency: s.currency, creditLimit: f(s.creditLimit),
    totals: {
      invoiced: f(s.totals.invoiced), received: f(s.totals.received), allocated: f(s.totals.allocated), paid: f(s.totals.paid),
      outstanding: f(s.totals.outstanding), unapplied: f(s.totals.unapplied), balance: f(s.totals.balance),
    },
    invoices: Object.values(s.invoices).map((i) => ({
      invoiceId: i.invoiceId, number: i.number, issueDate: i.issueDate, dueDate: i.dueDate, total: f(i.total), paid: f(i.paid),
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
