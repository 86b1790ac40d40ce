import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { daysBetween, type CalendarDate } from '../../../domain/shared/dates';
import { DomainError } from '../../../domain/shared/errors';
import type { Filter } from '../../../read-store/read-store.port';
import {
  CREDIT_NOTE_LIST, CUSTOMER_LIST, DISPUTE_LIST, INVOICE_LIST, PAYMENT_LIST, PAYMENT_PLAN_LIST, displayStatus,
  type CreditNoteView, type DisputeView, type InvoiceStatus, type InvoiceView, type OpenBalance, type PaymentPlanView, type PaymentView,
} from '../../../../projections';
import { ReadModels } from '../../read-models';
import type { QueryResult } from '../queries';
import { compact, ListFilterReader, type ListParams } from './list-filters';
import { pageRequest, type Page } from './list-page';
import { PersonalData } from '../../privacy/personal-data';
import { invalid } from '../../../domain/shared/errors';
import { createHash } from 'node:crypto';

/** Case and accents folded: how names are compared by a text search ("société" finds "SOCIÉTÉ"). */
const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/**
 * Customers' names are sealed in the read store (crypto-shredding, ADR 0082): a text search and a sort by name
 * open them through the one decrypting view (names cached once opened) and work in memory; the store filters
 * and sorts every other field (ADR 0069).
 */
async function customerNames(rm: ReadModels, personal: PersonalData, filter: Filter = {}): Promise<Array<OpenBalance & { name: string }>> {
  const docs = await rm.find<OpenBalance>('open-balances', { currency: { $ne: '' }, ...filter });
  const opened = await personal.names(new Map(docs.map((d) => [d.customerId, d.name ?? ''])));
  return docs.map((d) => ({ ...d, name: opened.get(d.customerId) ?? '' }));
}

async function customersNamed(rm: ReadModels, personal: PersonalData, q: string): Promise<string[]> {
  const needle = fold(q);
  return (await customerNames(rm, personal)).filter((c) => fold(c.name).includes(needle)).map((c) => c.customerId).sort().slice(0, NAME_MATCH_CAP);
}

/** At most this many customers whose name matches `q` widen an invoice search to their invoices. */
export const NAME_MATCH_CAP = 1000;

export class ListInvoicesQuery {
  constructor(readonly params: ListParams) {}
}
export class ListCustomersQuery {
  constructor(readonly params: ListParams) {}
}
export class ListPaymentsQuery {
  constructor(readonly params: ListParams) {}
}
export class ListCreditNotesQuery {
  constructor(readonly params: ListParams) {}
}
export class ListDisputesQuery {
  constructor(readonly params: ListParams) {}
}
export class ListPaymentPlansQuery {
  constructor(readonly params: ListParams) {}
}
export class GetPaymentQuery {
  constructor(readonly paymentId: string) {}
}
export class GetCreditNoteQuery {
  constructor(readonly creditNoteId: string) {}
}
export class GetDisputeQuery {
  constructor(readonly disputeId: string) {}
}

/** An invoice as listed: the read model plus what the list derives (customer's name; days past due as of a date). */
export interface InvoiceListItem {
  invoice: InvoiceView;
  customerName: string | null;
  /** Shown status: `overdue` when past due as of `overdueAsOf`. */
  status: InvoiceStatus;
  daysPastDue: number | null;
  dunningLevel: number;
}

export interface DisputeListItem {
  dispute: DisputeView;
  invoiceNumber: string | null;
  currency: string | null;
}

const STORED_INVOICE_STATUSES = ['issued', 'partially_paid', 'paid', 'disputed', 'in_payment_plan', 'in_collection', 'written_off', 'cancelled'] as const;
const INVOICE_STATUS_FILTERS = [...STORED_INVOICE_STATUSES, 'open', 'overdue'] as const;

/** Status filters: stored ones, `open` (still owes something), `overdue` (open, not paused, past due as of `overdueAsOf`). */
function invoiceStatusFilter(statuses: readonly string[] | undefined, asOf: CalendarDate | undefined): Filter | undefined {
  if (statuses === undefined) return undefined;
  const branches: Filter[] = statuses.map((s) => {
    if (s === 'open') return { outstanding: { $gt: 0 } };
    if (s === 'overdue') {
      if (asOf === undefined) throw new DomainError('QUERY_PARAMETER_REQUIRED', 'status=overdue needs overdueAsOf (YYYY-MM-DD)', { field: 'overdueAsOf' }, 'invalid');
      return { status: { $in: ['issued', 'partially_paid'] }, dueDate: { $lt: asOf }, outstanding: { $gt: 0 } };
    }
    return { status: s };
  });
  return branches.length === 1 ? branches[0] : { $or: branches };
}

function inOne(values: readonly string[] | undefined) {
  return values === undefined ? undefined : values.length === 1 ? values[0] : { $in: [...values] };
}

@QueryHandler(ListInvoicesQuery)
export class ListInvoicesHandler implements IQueryHandler<ListInvoicesQuery, QueryResult<Page<InvoiceListItem>>> {
  constructor(private readonly rm: ReadModels, private readonly personal: PersonalData) {}
  async execute(query: ListInvoicesQuery): Promise<QueryResult<Page<InvoiceListItem>>> {
    const r = new ListFilterReader(query.params, [
      'customerId', 'status', 'currency', 'dueBefore', 'dueAfter', 'from', 'to', 'overdueAsOf', 'minAmount', 'maxAmount', 'minOutstanding', 'maxOutstanding', 'disputed', 'q',
    ]);
    const request = pageRequest(INVOICE_LIST, query.params);
    const currency = r.currency();
    const asOf = r.date('overdueAsOf');
    const dueBefore = r.date('dueBefore');
    const dueAfter = r.date('dueAfter');
    const due: Record<string, string> = {};
    if (dueBefore !== undefined) due.$lt = dueBefore;
    if (dueAfter !== undefined) due.$gt = dueAfter;
    const disputed = r.bool('disputed');
    const statusFilter = invoiceStatusFilter(r.oneOf('status', INVOICE_STATUS_FILTERS), asOf);
    const q = r.text('q');
    // Every parameter is read before waiting for the read models: a 400 never waits.
    const base = {
      customerId: r.text('customerId'),
      currency,
      dueDate: Object.keys(due).length > 0 ? due : undefined,
      issueDate: r.dateRange('from', 'to'),
      total: r.amountRange('minAmount', 'maxAmount', currency),
      outstanding: r.amountRange('minOutstanding', 'maxOutstanding', currency),
      openDispute: disputed === undefined ? undefined : disputed ? { $ne: null } : null,
    };
    const and: Filter[] = [];
    if (statusFilter) and.push(statusFilter);
    // Overdue as of D: still owing, due before D (disputed and planned invoices too: the worklist flags them).
    if (asOf !== undefined) and.push({ outstanding: { $gt: 0 }, dueDate: { $lt: asOf } });
    const f = await this.rm.catchUp(['invoices', 'open-balances']);
    if (q !== undefined) {
      // Text on the invoice number, or on the customer's name (the customers it names, up to NAME_MATCH_CAP).
      const ids = await customersNamed(this.rm, this.personal, q);
      and.push(ids.length > 0 ? { $or: [{ number: { $contains: q } }, { customerId: { $in: ids } }] } : { number: { $contains: q } });
    }
    const filter = compact({ ...base, $and: and.length > 0 ? and : undefined });
    // The cursor is bound to the parameters, not to the customers `q` named: one registered between two pages
    // must not invalidate the cursor (its invoices show on later pages when they sort after it).
    const { cursor: _cursor, limit: _limit, ...bindTo } = query.params;
    const page = await this.rm.page<InvoiceView>('invoices', INVOICE_LIST, filter, request, bindTo);
    const customers = await this.rm.getMany<OpenBalance>('open-balances', [...new Set(page.items.map((i) => i.customerId))]);
    const names = await this.personal.names(new Map([...customers].map(([id, c]) => [id, c.name ?? ''])));
    const items = page.items.map((invoice): InvoiceListItem => ({
      invoice,
      customerName: names.get(invoice.customerId) || null,
      status: displayStatus(invoice, asOf),
      daysPastDue: asOf === undefined ? null : daysBetween(invoice.dueDate, asOf),
      dunningLevel: (invoice.reminders ?? []).reduce((m, x) => Math.max(m, x.level), 0),
    }));
    return { ...f, value: { ...page, items } };
  }
}

@QueryHandler(ListCustomersQuery)
export class ListCustomersHandler implements IQueryHandler<ListCustomersQuery, QueryResult<Page<OpenBalance>>> {
  constructor(private readonly rm: ReadModels, private readonly personal: PersonalData) {}
  async execute(query: ListCustomersQuery): Promise<QueryResult<Page<OpenBalance>>> {
    const r = new ListFilterReader(query.params, ['q', 'currency', 'country', 'minAmount', 'maxAmount']);
    const request = pageRequest(CUSTOMER_LIST, query.params);
    const currency = r.currency();
    const country = r.text('country', 2);
    const q = r.text('q');
    const filter = compact({
      // A balance document exists for events seen before the customer's registration: not a customer yet.
      currency: currency ?? { $ne: '' },
      country: country?.toUpperCase(),
      outstanding: r.amountRange('minAmount', 'maxAmount', currency),
    });
    const f = await this.rm.catchUp(['open-balances']);
    if (q !== undefined) filter.customerId = { $in: await customersNamed(this.rm, this.personal, q) };
    if (request.sort.replace(/^-/, '') === 'name') return { ...f, value: await this.byName(filter, request, query.params) };
    const page = await this.rm.page<OpenBalance>('open-balances', CUSTOMER_LIST, filter, request);
    const names = await this.personal.names(new Map(page.items.map((c) => [c.customerId, c.name ?? ''])));
    return { ...f, value: { ...page, items: page.items.map((c) => ({ ...c, name: names.get(c.customerId) ?? '' })) } };
  }

  /** Sorted by the opened name (then the id), in memory; the cursor carries the last (name, id) and the parameters' digest. */
  private async byName(filter: Filter, request: { limit: number; sort: string; cursor: string | null }, params: Record<string, unknown>): Promise<Page<OpenBalance>> {
    const desc = request.sort.startsWith('-');
    const all = (await customerNames(this.rm, this.personal, filter)).map((c) => ({ c, k: fold(c.name) }));
    all.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.c.customerId < b.c.customerId ? -1 : a.c.customerId > b.c.customerId ? 1 : 0) * (desc ? -1 : 1));
    const { cursor: _c, limit: _l, ...bound } = params;
    const digest = createHash('sha256').update(JSON.stringify(Object.entries(bound).sort())).digest('base64url').slice(0, 16);
    let start = 0;
    if (request.cursor !== null) {
      let at: { d?: string; k?: string; id?: string };
      try { at = JSON.parse(Buffer.from(request.cursor, 'base64url').toString('utf8')); } catch { at = {}; }
      if (at.d !== digest || typeof at.k !== 'string' || typeof at.id !== 'string') throw invalid('CURSOR_INVALID', 'cursor was made for another sort or other filters: start again without a cursor', 'cursor');
      const after = (x: { c: OpenBalance; k: string }) => {
        const cmp = x.k < at.k! ? -1 : x.k > at.k! ? 1 : x.c.customerId < at.id! ? -1 : x.c.customerId > at.id! ? 1 : 0;
        return desc ? cmp < 0 : cmp > 0;
      };
      start = all.findIndex(after);
      if (start < 0) start = all.length;
    }
    const slice = all.slice(start, start + request.limit);
    const last = slice[slice.length - 1];
    const next = start + request.limit < all.length && last ? Buffer.from(JSON.stringify({ d: digest, k: last.k, id: last.c.customerId }), 'utf8').toString('base64url') : null;
    return { items: slice.map((x) => x.c), next, total: all.length };
  }
}

@QueryHandler(ListPaymentsQuery)
export class ListPaymentsHandler implements IQueryHandler<ListPaymentsQuery, QueryResult<Page<PaymentView>>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(query: ListPaymentsQuery): Promise<QueryResult<Page<PaymentView>>> {
    const r = new ListFilterReader(query.params, ['customerId', 'status', 'currency', 'from', 'to', 'minAmount', 'maxAmount', 'heldForReview', 'q']);
    const request = pageRequest(PAYMENT_LIST, query.params);
    const currency = r.currency();
    const q = r.text('q');
    const filter = compact({
      customerId: r.text('customerId'),
      status: inOne(r.oneOf('status', ['unapplied', 'partially_applied', 'applied', 'refunded', 'reversed'] as const)),
      currency,
      receivedOn: r.dateRange(),
      amount: r.amountRange('minAmount', 'maxAmount', currency),
      heldForReview: r.bool('heldForReview'),
      $and: q === undefined ? undefined : [{ $or: [{ reference: { $contains: q } }, { paymentId: { $contains: q } }] }],
    });
    const f = await this.rm.catchUp(['payments']);
    return { ...f, value: await this.rm.page<PaymentView>('payments', PAYMENT_LIST, filter, request) };
  }
}

@QueryHandler(ListCreditNotesQuery)
export class ListCreditNotesHandler implements IQueryHandler<ListCreditNotesQuery, QueryResult<Page<CreditNoteView>>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(query: ListCreditNotesQuery): Promise<QueryResult<Page<CreditNoteView>>> {
    const r = new ListFilterReader(query.params, ['customerId', 'invoiceId', 'status', 'currency', 'from', 'to', 'minAmount', 'maxAmount', 'q']);
    const request = pageRequest(CREDIT_NOTE_LIST, query.params);
    const currency = r.currency();
    const q = r.text('q');
    const filter = compact({
      customerId: r.text('customerId'),
      invoiceId: r.text('invoiceId'),
      status: inOne(r.oneOf('status', ['open', 'used'] as const)),
      currency,
      issueDate: r.dateRange(),
      total: r.amountRange('minAmount', 'maxAmount', currency),
      number: q === undefined ? undefined : { $contains: q },
    });
    const f = await this.rm.catchUp(['credit-notes']);
    return { ...f, value: await this.rm.page<CreditNoteView>('credit-notes', CREDIT_NOTE_LIST, filter, request) };
  }
}

@QueryHandler(ListDisputesQuery)
export class ListDisputesHandler implements IQueryHandler<ListDisputesQuery, QueryResult<Page<DisputeListItem>>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(query: ListDisputesQuery): Promise<QueryResult<Page<DisputeListItem>>> {
    const r = new ListFilterReader(query.params, ['customerId', 'invoiceId', 'status', 'from', 'to', 'q']);
    const request = pageRequest(DISPUTE_LIST, query.params);
    const q = r.text('q');
    const filter = compact({
      customerId: r.text('customerId'),
      invoiceId: r.text('invoiceId'),
      status: inOne(r.oneOf('status', ['open', 'accepted', 'rejected'] as const)),
      openedOn: r.dateRange(),
      reason: q === undefined ? undefined : { $contains: q },
    });
    const f = await this.rm.catchUp(['disputes', 'invoices']);
    const page = await this.rm.page<DisputeView>('disputes', DISPUTE_LIST, filter, request);
    return { ...f, value: { ...page, items: await disputeItems(this.rm, page.items) } };
  }
}

/** A dispute carries no currency: its invoice's, with the invoice's number. */
async function disputeItems(rm: ReadModels, disputes: readonly DisputeView[]): Promise<DisputeListItem[]> {
  const invoices = await rm.getMany<InvoiceView>('invoices', [...new Set(disputes.map((d) => d.invoiceId))]);
  return disputes.map((dispute) => ({ dispute, invoiceNumber: invoices.get(dispute.invoiceId)?.number ?? null, currency: invoices.get(dispute.invoiceId)?.currency ?? null }));
}

@QueryHandler(ListPaymentPlansQuery)
export class ListPaymentPlansHandler implements IQueryHandler<ListPaymentPlansQuery, QueryResult<Page<PaymentPlanView>>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(query: ListPaymentPlansQuery): Promise<QueryResult<Page<PaymentPlanView>>> {
    const r = new ListFilterReader(query.params, ['customerId', 'status', 'currency', 'from', 'to', 'minAmount', 'maxAmount']);
    const request = pageRequest(PAYMENT_PLAN_LIST, query.params);
    const currency = r.currency();
    const filter = compact({
      customerId: r.text('customerId'),
      status: inOne(r.oneOf('status', ['active', 'broken', 'completed'] as const)),
      currency,
      agreedOn: r.dateRange(),
      total: r.amountRange('minAmount', 'maxAmount', currency),
    });
    const f = await this.rm.catchUp(['payment-plans']);
    return { ...f, value: await this.rm.page<PaymentPlanView>('payment-plans', PAYMENT_PLAN_LIST, filter, request) };
  }
}

function notFound(code: string, what: string, id: string): DomainError {
  return new DomainError(code, `${what} ${id} not found`, { id }, 'not_found');
}

@QueryHandler(GetPaymentQuery)
export class GetPaymentHandler implements IQueryHandler<GetPaymentQuery, QueryResult<PaymentView>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(q: GetPaymentQuery): Promise<QueryResult<PaymentView>> {
    const f = await this.rm.catchUp(['payments']);
    const value = await this.rm.get<PaymentView>('payments', q.paymentId);
    if (!value) throw notFound('PAYMENT_NOT_FOUND', 'Payment', q.paymentId);
    return { ...f, value };
  }
}

@QueryHandler(GetCreditNoteQuery)
export class GetCreditNoteHandler implements IQueryHandler<GetCreditNoteQuery, QueryResult<CreditNoteView>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(q: GetCreditNoteQuery): Promise<QueryResult<CreditNoteView>> {
    const f = await this.rm.catchUp(['credit-notes']);
    const value = await this.rm.get<CreditNoteView>('credit-notes', q.creditNoteId);
    if (!value) throw notFound('CREDIT_NOTE_NOT_FOUND', 'Credit note', q.creditNoteId);
    return { ...f, value };
  }
}

@QueryHandler(GetDisputeQuery)
export class GetDisputeHandler implements IQueryHandler<GetDisputeQuery, QueryResult<DisputeListItem>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(q: GetDisputeQuery): Promise<QueryResult<DisputeListItem>> {
    const f = await this.rm.catchUp(['disputes', 'invoices']);
    const value = await this.rm.get<DisputeView>('disputes', q.disputeId);
    if (!value) throw notFound('DISPUTE_NOT_FOUND', 'Dispute', q.disputeId);
    return { ...f, value: (await disputeItems(this.rm, [value]))[0] };
  }
}

export const LIST_QUERY_HANDLERS = [
  ListInvoicesHandler, ListCustomersHandler, ListPaymentsHandler, ListCreditNotesHandler, ListDisputesHandler, ListPaymentPlansHandler,
  GetPaymentHandler, GetCreditNoteHandler, GetDisputeHandler,
];
