import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '../../domain/shared/errors';
import { parseDate } from '../../domain/shared/dates';
import { AGING_FIELDS, agingReport, openItemsFilter, type AgingItem, type AgingReport, type AuditEntry, type InvoiceView, type OpenBalance } from '../../../projections';
import { ReadModels, type Freshness } from '../read-models';

export interface QueryResult<T> extends Freshness {
  value: T;
}

export class GetBalanceQuery {
  constructor(readonly customerId: string) {}
}
export class GetInvoiceQuery {
  constructor(readonly invoiceId: string) {}
}
export class GetAgingQuery {
  constructor(readonly asOf: string, readonly buckets?: number[], readonly currency?: string) {}
}
export class GetHistoryQuery {
  constructor(readonly customerId: string) {}
}

@QueryHandler(GetBalanceQuery)
export class GetBalanceHandler implements IQueryHandler<GetBalanceQuery, QueryResult<OpenBalance>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(q: GetBalanceQuery): Promise<QueryResult<OpenBalance>> {
    const f = await this.rm.catchUp(['open-balances']);
    const value = await this.rm.get<OpenBalance>('open-balances', q.customerId);
    if (!value || value.currency === '') throw notFound('CUSTOMER_NOT_FOUND', 'Customer', q.customerId);
    return { ...f, value };
  }
}

@QueryHandler(GetInvoiceQuery)
export class GetInvoiceHandler implements IQueryHandler<GetInvoiceQuery, QueryResult<InvoiceView>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(q: GetInvoiceQuery): Promise<QueryResult<InvoiceView>> {
    const f = await this.rm.catchUp(['invoices']);
    const value = await this.rm.get<InvoiceView>('invoices', q.invoiceId);
    if (!value) throw notFound('INVOICE_NOT_FOUND', 'Invoice', q.invoiceId);
    return { ...f, value };
  }
}

/** Aging as of any date is a query over the open-items model (indexed by dates), never a rebuild. */
@QueryHandler(GetAgingQuery)
export class GetAgingHandler implements IQueryHandler<GetAgingQuery, QueryResult<AgingReport>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(q: GetAgingQuery): Promise<QueryResult<AgingReport>> {
    const asOf = parseDate(q.asOf, 'asOf');
    const f = await this.rm.catchUp(['open-items']);
    const items = await this.rm.find<AgingItem>('open-items', openItemsFilter(asOf), { fields: AGING_FIELDS });
    return { ...f, value: agingReport(items, asOf, { buckets: q.buckets, currency: q.currency }) };
  }
}

@QueryHandler(GetHistoryQuery)
export class GetHistoryHandler implements IQueryHandler<GetHistoryQuery, QueryResult<AuditEntry[]>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(q: GetHistoryQuery): Promise<QueryResult<AuditEntry[]>> {
    const f = await this.rm.catchUp(['audit-trail']);
    const value = await this.rm.find<AuditEntry>('audit-trail', { customerId: q.customerId }, { sort: [['position', 1]] });
    if (value.length === 0) throw notFound('CUSTOMER_NOT_FOUND', 'Customer', q.customerId);
    return { ...f, value };
  }
}

function notFound(code: string, what: string, id: string): DomainError {
  return new DomainError(code, `${what} ${id} not found`, { id }, 'not_found');
}
