import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventMetadata, type EventStore, type StoredEvent } from '../../event-store/event-store.port';
import { DomainError } from '../../domain/shared/errors';
import { parseDate } from '../../domain/shared/dates';
import { AGING_FIELDS, AgingFold, openItemsFilter, type AgingItem, type AgingReport, type AuditEntry, type InvoiceView, type OpenBalance } from '../../../projections';
import { ReadModels, type Freshness } from '../read-models';
import { PersonalData } from '../privacy/personal-data';

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
  constructor(private readonly rm: ReadModels, private readonly pii: PersonalData) {}
  async execute(q: GetBalanceQuery): Promise<QueryResult<OpenBalance>> {
    const f = await this.rm.catchUp(['open-balances']);
    const value = await this.rm.get<OpenBalance>('open-balances', q.customerId);
    if (!value || value.currency === '') throw notFound('CUSTOMER_NOT_FOUND', 'Customer', q.customerId);
    return { ...f, value: { ...value, name: await this.pii.name(value.name) } };
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
    // Folded item by item as the store reads them: memory holds the figures, not the open items (issue 14, ADR 0106).
    const aging = new AgingFold(asOf, { buckets: q.buckets, currency: q.currency });
    await this.rm.forEach<AgingItem>('open-items', openItemsFilter(asOf), { fields: AGING_FIELDS }, (item) => aging.add(item));
    return { ...f, value: aging.report() };
  }
}

/** A customer's fact as recorded: its audit-trail entry and the event's body, read from the log. */
export type AuditedEvent = AuditEntry & { id: string; data: Record<string, unknown>; metadata: EventMetadata };

/**
 * The audit trail lists a customer's facts in log order; their bodies are read from the log, one
 * `readStream` per stream listed (the log is the one copy of every event).
 */
@QueryHandler(GetHistoryQuery)
export class GetHistoryHandler implements IQueryHandler<GetHistoryQuery, QueryResult<AuditedEvent[]>> {
  constructor(private readonly rm: ReadModels, @Inject(EVENT_STORE) private readonly events: EventStore) {}
  async execute(q: GetHistoryQuery): Promise<QueryResult<AuditedEvent[]>> {
    const f = await this.rm.catchUp(['audit-trail']);
    const entries = await this.rm.find<AuditEntry>('audit-trail', { customerId: q.customerId }, { sort: [['position', 1]] });
    if (entries.length === 0) throw notFound('CUSTOMER_NOT_FOUND', 'Customer', q.customerId);
    const streams = new Map<string, Map<number, StoredEvent>>();
    for (const { streamId } of entries) {
      if (!streams.has(streamId)) streams.set(streamId, new Map((await this.events.readStream(streamId)).map((e) => [e.revision, e])));
    }
    const value = entries.map((entry) => {
      const event = streams.get(entry.streamId)?.get(entry.revision);
      if (!event) throw new Error(`Audit trail lists ${entry.streamId}@${entry.revision}, which the log does not hold`);
      return { ...entry, id: event.id, data: event.data, metadata: event.metadata };
    });
    return { ...f, value };
  }
}

function notFound(code: string, what: string, id: string): DomainError {
  return new DomainError(code, `${what} ${id} not found`, { id }, 'not_found');
}
