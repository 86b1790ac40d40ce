import { enc, get, q } from './api';

/** The shapes of the public API the console reads (see docs/api.md); only the fields it shows. */
export type Buckets = Record<'current' | '1-30' | '31-60' | '61-90' | '90+', string>;
export const BUCKETS: Array<keyof Buckets> = ['current', '1-30', '31-60', '61-90', '90+'];

export interface Aging {
  asOf: string;
  currency: string;
  buckets: Buckets;
  total: string;
  customers: Array<{ customerId: string; buckets: Buckets; total: string }>;
}

export interface AgingInvoice {
  customerId: string;
  invoiceId: string;
  number: string;
  issueDate: string;
  dueDate: string;
  daysPastDue: number;
  bucket: string;
  open: string;
}

export interface Invoice {
  id: string;
  number: string;
  customerId: string;
  currency: string;
  status: string;
  total: string;
  outstanding: string;
  issueDate: string;
  dueDate: string;
  planId: string | null;
  reminders: Array<{ level: number; name: string; action: string; asOf: string }>;
  openDispute: { disputeId: string; amount: string; reason: string; openedOn: string } | null;
  disputes: Array<{ disputeId: string; amount: string; reason: string; openedOn: string; outcome: string | null; resolvedOn: string | null }>;
}

export interface Dunning {
  asOf: string;
  actions: Array<{ invoiceId: string; level: number | null; name: string | null; reason: string }>;
  skipped: Array<{ invoiceId: string; reason: string }>;
}

export interface Balance {
  customerId: string;
  name: string;
  currency: string;
  invoiced: string;
  paid: string;
  outstanding: string;
  unapplied: string;
  creditLimit: string;
  availableCredit: string;
  invoiceCount: number;
  openInvoiceCount: number;
}

export interface Credit {
  customerId: string;
  name: string;
  currency: string;
  creditLimit: string;
  terms: { description: string };
  creditPolicy: { policy: string };
  hold: { onHold: boolean; holds: Array<{ kind: string; reason: string; since: string }> };
  exposure: { openReceivables: string; pendingApproval: string; unappliedCredit: string; exposure: string };
  availableCredit: string;
  utilisationPercent: string;
  pendingInvoices: Array<{ invoiceId: string; total: string }>;
}

export interface Statement {
  currency: string;
  from: string;
  to: string;
  opening: string;
  closing?: string;
  movements: Array<{ date: string; position: number; type: string; pieceRef: string; label: string; debit: string; credit: string; balance: string }>;
}

export interface History {
  state: { name: string; totals: Record<string, string> } | null;
  verification: { verified: boolean; events: number; streams: number; firstBreak: null | { streamId?: string; position?: number; revision?: number; reason?: string } } | null;
  events: Array<{ position: number; streamId: string; type: string; effectiveDate: string; metadata: { actor?: string; recordedAt?: string; reason?: string } ; data: Record<string, unknown> }>;
}

export interface ApprovalRequest {
  requestId: string;
  kind: 'write_off' | 'credit_limit_increase' | string;
  customerId: string;
  invoiceId: string | null;
  currency: string;
  amount?: string;
  newLimit?: string;
  previousLimit?: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
}

export interface PendingApprovals {
  customers: Array<{ customerId: string; name: string; currency: string; creditLimit: string; exposure: string; onHold: boolean; invoices: Array<{ invoiceId: string; total: string; issueDate: string }> }>;
}

export const aging = (asOf: string) => get<Aging>(`/reports/aging${q({ asOf })}`);
export const agingInvoices = (asOf: string) => get<{ invoices: AgingInvoice[] }>(`/reports/aging/invoices${q({ asOf })}`);
export const dunning = (asOf: string) => get<Dunning>(`/reports/dunning${q({ asOf })}`);
export const dso = (from: string, to: string) => get<{ dso: number | null; receivables: string; creditSales: string }>(`/reports/dso${q({ from, to })}`);
export const balance = (id: string) => get<Balance>(`/customers/${enc(id)}/balance`);
export const credit = (id: string) => get<Credit>(`/customers/${enc(id)}/credit`);
export const statement = (id: string, from: string, to: string) => get<Statement>(`/customers/${enc(id)}/statement${q({ from, to })}`);
export const history = (id: string) => get<History>(`/customers/${enc(id)}/history?verify=true`);
export const approvalRequests = () => get<{ requests: ApprovalRequest[] }>('/reports/approval-requests');
export const pendingApprovals = () => get<PendingApprovals>('/reports/pending-approvals');

/** Invoices are read once per page view: the worklist and the disputes queue need each open item's detail. */
const invoiceCache = new Map<string, Promise<Invoice>>();
export function invoice(id: string): Promise<Invoice> {
  let p = invoiceCache.get(id);
  if (!p) {
    p = get<Invoice>(`/invoices/${enc(id)}`);
    p.catch(() => invoiceCache.delete(id));
    invoiceCache.set(id, p);
  }
  return p;
}
export function forgetInvoices(): void {
  invoiceCache.clear();
}

/** Customer names, read from their balance (one call per customer shown, cached). */
const names = new Map<string, Promise<string>>();
export function customerName(id: string): Promise<string> {
  let p = names.get(id);
  if (!p) {
    p = balance(id).then((b) => b.name, () => id);
    names.set(id, p);
  }
  return p;
}

export interface WorkItem extends AgingInvoice {
  name: string;
  detail: Invoice;
  level: number;
  levelName: string;
  nextAction: string;
  nextDate: string | null;
}

/**
 * The collector's worklist as of a date: every open item past due (aging detail), with its dunning level (the
 * last reminder sent), the next action of the dunning engine and its date (the dunning report: due now, or the
 * date its reason names), its open dispute and payment plan (the invoice).
 */
export async function worklist(asOf: string): Promise<WorkItem[]> {
  const [items, plan] = await Promise.all([agingInvoices(asOf), dunning(asOf)]);
  const overdue = items.invoices.filter((i) => i.daysPastDue > 0);
  const actions = new Map(plan.actions.map((a) => [a.invoiceId, a]));
  const skipped = new Map(plan.skipped.map((s) => [s.invoiceId, s]));
  return Promise.all(overdue.map(async (i) => {
    const [detail, name] = await Promise.all([invoice(i.invoiceId), customerName(i.customerId)]);
    const last = detail.reminders.reduce<Invoice['reminders'][number] | null>((m, r) => (m === null || r.level > m.level ? r : m), null);
    const act = actions.get(i.invoiceId);
    const skip = skipped.get(i.invoiceId);
    const dated = skip ? /due on (\d{4}-\d{2}-\d{2})/.exec(skip.reason) : null;
    return {
      ...i,
      name,
      detail,
      level: last?.level ?? 0,
      levelName: last?.name ?? '—',
      nextAction: act ? `Send level ${act.level}: ${act.name}` : skip ? skip.reason : '—',
      nextDate: act ? asOf : dated ? dated[1] : null,
    };
  }));
}
