import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { parseDate } from '../../domain/shared/dates';
import { creditAsOf, type CreditReview, type CustomerCredit } from '../../../projections';
import { ReadModels } from '../read-models';
import type { QueryResult } from './queries';

/** Customer credit (unapplied cash) per customer as of a date: shown beside the aging buckets, never netted into them. */
export class GetCustomerCreditsQuery {
  constructor(readonly asOf: string, readonly currency?: string | null) {}
}

export interface CustomerCreditLine {
  customerId: string;
  currency: string;
  amount: number;
}

@QueryHandler(GetCustomerCreditsQuery)
export class GetCustomerCreditsHandler implements IQueryHandler<GetCustomerCreditsQuery, QueryResult<CustomerCreditLine[]>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(q: GetCustomerCreditsQuery): Promise<QueryResult<CustomerCreditLine[]>> {
    const asOf = parseDate(q.asOf, 'asOf');
    const f = await this.rm.catchUp(['customer-credit']);
    const docs = await this.rm.find<CustomerCredit>('customer-credit', {}, { sort: [['customerId', 1]] });
    const value = docs
      .filter((d) => !q.currency || d.currency === q.currency)
      .map((d) => ({ customerId: d.customerId, currency: d.currency, amount: creditAsOf(d, asOf) }))
      .filter((l) => l.amount !== 0);
    return { ...f, value };
  }
}

/** Payments whose cash waits for a person: their reference named no open invoice of the customer (ADR 0032). */
export class GetPaymentsForReviewQuery {
  constructor(readonly customerId?: string | null) {}
}

export interface PaymentForReview extends CreditReview {
  customerId: string;
  currency: string;
}

@QueryHandler(GetPaymentsForReviewQuery)
export class GetPaymentsForReviewHandler implements IQueryHandler<GetPaymentsForReviewQuery, QueryResult<PaymentForReview[]>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(q: GetPaymentsForReviewQuery): Promise<QueryResult<PaymentForReview[]>> {
    const f = await this.rm.catchUp(['customer-credit']);
    const docs = await this.rm.find<CustomerCredit>('customer-credit', q.customerId ? { customerId: q.customerId } : {}, { sort: [['customerId', 1]] });
    const value = docs.flatMap((d) => (d.review ?? []).map((r) => ({ customerId: d.customerId, currency: d.currency, ...r })))
      .sort((a, b) => (a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : a.paymentId < b.paymentId ? -1 : 1));
    return { ...f, value };
  }
}

export const COLLECTION_QUERY_HANDLERS = [GetCustomerCreditsHandler, GetPaymentsForReviewHandler];
