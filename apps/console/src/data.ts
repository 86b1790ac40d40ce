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

/** An item of `GET /invoices` (the back-office list, ADR 0069). */
export interface InvoiceItem {
  id: string;
  number: string;
  customerId: string;
  customerName: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  total: string;
  outstanding: string;
  status: string;
  daysPastDue?: number;
  dunningLevel: number;
  disputed: boolean;
  planId: string | null;
  inCollection: boolean;
  lastReminder: { level: number; asOf: string } | null;
}

export interface DisputeItem {
  id: string;
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  currency: string;
  amount: string;
  reason: string;
  openedOn: string;
  status: string;
}

export interface CustomerItem {
  id: string;
  name: string;
  currency: string;
  outstanding: string;
}

/** Rows the console reads for one screen at most: past it, the screen says so and asks for a narrower filter. */
export const MAX_ROWS = 2500;

/**
 * Every page of a paged read (`limit` 500, `cursor` = the previous `next`), up to MAX_ROWS rows; `total` is the
 * API's count of every match.
 */
export async function pages<T>(path: string, params: Record<string, string | undefined>, key: 'items' | 'invoices' = 'items'): Promise<{ rows: T[]; total: number }> {
  const rows: T[] = [];
  let cursor: string | undefined;
  let total = 0;
  do {
    const page = await get<Record<string, unknown> & { next: string | null; total?: number }>(`${path}${q({ ...params, limit: '500', cursor })}`);
    rows.push(...(page[key] as T[]));
    total = page.total ?? rows.length;
    cursor = page.next ?? undefined;
  } while (cursor && rows.length < MAX_ROWS);
  return { rows, total };
}

export const aging = (asOf: string) => get<Aging>(`/reports/aging${q({ asOf })}`);
export const agingInvoices = async (asOf: string) => (await pages<AgingInvoice>('/reports/aging/invoices', { asOf }, 'invoices')).rows;
export const dunning = (asOf: string) => get<Dunning>(`/reports/dunning${q({ asOf })}`);
export const dso = (from: string, to: string) => get<{ dso: number | null; receivables: string; creditSales: string }>(`/reports/dso${q({ from, to })}`);
export const balance = (id: string) => get<Balance>(`/customers/${enc(id)}/balance`);
export const credit = (id: string) => get<Credit>(`/customers/${enc(id)}/credit`);
export const statement = (id: string, from: string, to: string) => get<Statement>(`/customers/${enc(id)}/statement${q({ from, to })}`);
export const history = (id: string) => get<History>(`/customers/${enc(id)}/history?verify=true`);
export const approvalRequests = () => get<{ requests: ApprovalRequest[] }>('/reports/approval-requests');
export const pendingApprovals = () => get<PendingApprovals>('/reports/pending-approvals');
export const openDisputes = () => pages<DisputeItem>('/disputes', { status: 'open', sort: 'openedOn' });

/** Customer names by id, from `GET /customers` (read once per page view). */
let names: Promise<Map<string, string>> | null = null;
export function customerNames(): Promise<Map<string, string>> {
  if (!names) {
    names = pages<CustomerItem>('/customers', {}).then((r) => new Map(r.rows.map((c) => [c.id, c.name])));
    names.catch(() => { names = null; });
  }
  return names;
}

export interface WorkItem extends InvoiceItem {
  daysPastDue: number;
  nextAction: string;
  nextDate: string | null;
}

/**
 * The collector's worklist as of a date: `GET /invoices?overdueAsOf=` (still owing, due before the date, with its
 * days past due, dunning level, dispute and plan), and for each the dunning engine's next action and its date
 * (`GET /reports/dunning`: due now, or the date its reason names).
 */
export async function worklist(asOf: string): Promise<{ rows: WorkItem[]; total: number }> {
  const [list, plan] = await Promise.all([pages<InvoiceItem>('/invoices', { overdueAsOf: asOf, sort: 'dueDate' }), dunning(asOf)]);
  const actions = new Map(plan.actions.map((a) => [a.invoiceId, a]));
  const skipped = new Map(plan.skipped.map((s) => [s.invoiceId, s]));
  const rows = list.rows.map((i) => {
    const act = actions.get(i.id);
    const skip = skipped.get(i.id);
    const dated = skip ? /due on (\d{4}-\d{2}-\d{2})/.exec(skip.reason) : null;
    return {
      ...i,
      daysPastDue: i.daysPastDue ?? 0,
      nextAction: act ? `Send level ${act.level}: ${act.name}` : skip ? skip.reason : '—',
      nextDate: act ? asOf : dated ? dated[1] : null,
    };
  });
  return { rows, total: list.total };
}
