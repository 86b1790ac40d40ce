import { Injectable } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  agingByInvoice, AgingFold, AGING_FIELDS, buildStatement, checkPeriod, dsoReport, eclReport, ledgerKey, monthKey, monthStart, openItemsFilter, parseLossRates,
  DEFAULT_ECL_RATES, type AgingItem, type DsoMethod, type InvoiceAgingRow, type DsoReport, type EclReport, type JournalEntry, type JournalCustomers, type LedgerMonth,
  type LedgerMovement, type LetteringLink, type OpenBalance, type Statement,
} from '../../../projections';
import { parseDate, type CalendarDate } from '../../domain/shared/dates';
import { DomainError, invalid } from '../../domain/shared/errors';
import { PersonalData } from '../privacy/personal-data';
import { ReadModels } from '../read-models';
import type { QueryResult } from '../queries/queries';

export class GetStatementQuery {
  constructor(readonly customerId: string, readonly from: string, readonly to: string) {}
}
export class GetDsoQuery {
  constructor(readonly from: string, readonly to: string, readonly method: string = 'simple', readonly currency?: string) {}
}
export class GetAgingByInvoiceQuery {
  constructor(readonly asOf: string, readonly buckets?: number[], readonly currency?: string) {}
}
export class GetEclQuery {
  constructor(readonly asOf: string, readonly rates: string = DEFAULT_ECL_RATES, readonly currency?: string) {}
}

/** Statement (relevé de compte) from the customer-ledger and customer-months read models. */
@QueryHandler(GetStatementQuery)
export class GetStatementHandler implements IQueryHandler<GetStatementQuery, QueryResult<Statement>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(q: GetStatementQuery): Promise<QueryResult<Statement>> {
    const period = checkPeriod(q.from, q.to);
    const f = await this.rm.catchUp(['customer-ledger', 'customer-months', 'open-balances']);
    const customer = await this.rm.get<OpenBalance>('open-balances', q.customerId);
    if (!customer || customer.currency === '') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${q.customerId} not found`, { id: q.customerId }, 'not_found');
    const start = monthStart(period.from);
    const months = await this.rm.find<LedgerMonth>('customer-months', { cm: { $gte: monthKey(q.customerId, '0000-00'), $lt: monthKey(q.customerId, start.slice(0, 7)) } });
    const movements = await this.rm.find<LedgerMovement>(
      'customer-ledger',
      { cd: { $gte: ledgerKey(q.customerId, start, 0), $lte: ledgerKey(q.customerId, period.to, Number.MAX_SAFE_INTEGER) } },
      { sort: [['cd', 1]] },
    );
    return { ...f, value: buildStatement(q.customerId, period, months, movements, customer.currency) };
  }
}

@QueryHandler(GetDsoQuery)
export class GetDsoHandler implements IQueryHandler<GetDsoQuery, QueryResult<DsoReport>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(q: GetDsoQuery): Promise<QueryResult<DsoReport>> {
    const period = checkPeriod(q.from, q.to);
    if (q.method !== 'simple' && q.method !== 'countback') throw invalid('DSO_METHOD_INVALID', 'method must be simple or countback', 'method', { method: q.method });
    const f = await this.rm.catchUp(['open-items']);
    const open = await this.rm.find<AgingItem & { invoiceId: string }>('open-items', openItemsFilter(period.to));
    const sold = await this.rm.find<AgingItem & { invoiceId: string }>('open-items', { issueDate: { $gte: period.from, $lte: period.to } });
    const byId = new Map<string, AgingItem>();
    for (const i of [...open, ...sold]) byId.set(i.invoiceId, i);
    const items = [...byId.values()];
    const currency = q.currency ?? singleCurrency(items);
    return { ...f, value: dsoReport(items, period, q.method as DsoMethod, currency) };
  }
}

@QueryHandler(GetEclQuery)
export class GetEclHandler implements IQueryHandler<GetEclQuery, QueryResult<EclReport>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(q: GetEclQuery): Promise<QueryResult<EclReport>> {
    const asOf = parseDate(q.asOf, 'asOf');
    const { rates, bounds } = parseLossRates(q.rates);
    const f = await this.rm.catchUp(['open-items']);
    const aging = new AgingFold(asOf, { buckets: bounds, currency: q.currency });
    await this.rm.forEach<AgingItem>('open-items', openItemsFilter(asOf), { fields: AGING_FIELDS }, (item) => aging.add(item));
    return { ...f, value: eclReport(aging.report(), rates) };
  }
}

/** The aging's detail lines, one per invoice open as of the date. */
@QueryHandler(GetAgingByInvoiceQuery)
export class GetAgingByInvoiceHandler implements IQueryHandler<GetAgingByInvoiceQuery, QueryResult<{ asOf: CalendarDate; currency: string | null; rows: InvoiceAgingRow[] }>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(q: GetAgingByInvoiceQuery) {
    const asOf = parseDate(q.asOf, 'asOf');
    const f = await this.rm.catchUp(['open-items']);
    const items = await this.rm.find<AgingItem & { invoiceId: string; number: string }>('open-items', openItemsFilter(asOf));
    const currency = q.currency ?? singleCurrency(items);
    return { ...f, value: { asOf, currency, rows: agingByInvoice(items, asOf, { buckets: q.buckets, currency }) } };
  }
}

function singleCurrency(items: readonly AgingItem[]): string | null {
  const currencies = [...new Set(items.map((i) => i.currency))].sort();
  if (currencies.length > 1) {
    throw new DomainError('CURRENCY_REQUIRED', `Items are in ${currencies.join(', ')}: choose a currency`, { currencies }, 'rule');
  }
  return currencies[0] ?? null;
}

/**
 * The journal of a period, page by page from the journal read model (key order = accounting date, then
 * log order), so an export of any size streams in constant memory.
 */
@Injectable()
export class JournalReader {
  constructor(private readonly rm: ReadModels, private readonly pii: PersonalData) {}

  async *entries(from: CalendarDate, to: CalendarDate, pageSize = 5_000): AsyncGenerator<JournalEntry[]> {
    // Keys are `<date>|<16 digits>`: '~' sorts after every digit.
    const upper = `${to}|~`;
    let after = `${from}|`;
    for (;;) {
      const page = await this.rm.find<JournalEntry>('journal', { sortKey: { $gt: after, $lt: upper } }, { sort: [['sortKey', 1]], limit: pageSize });
      if (page.length === 0) return;
      yield page;
      if (page.length < pageSize) return;
      after = page[page.length - 1].sortKey;
    }
  }

  /** Customer names for the auxiliary accounts, and currencies for entries whose event carries none. */
  async customers(): Promise<JournalCustomers> {
    const all = await this.rm.find<OpenBalance>('open-balances', {}, { fields: ['customerId', 'name', 'currency'] });
    // Opened through the decrypting view: an erased customer keeps its account number (CompAuxNum), its label is the marker.
    return { names: await this.pii.names(new Map(all.map((b) => [b.customerId, b.name]))), currencies: new Map(all.map((b) => [b.customerId, b.currency])) };
  }

  /** Every invoice ↔ payment / credit-note link (lettering, ADR 0050). */
  links(): Promise<LetteringLink[]> {
    return this.rm.find<LetteringLink>('lettering-links', {});
  }

  catchUp() {
    return this.rm.catchUp(['journal', 'open-balances', 'lettering-links']);
  }
}
