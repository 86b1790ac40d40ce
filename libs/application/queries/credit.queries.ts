import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '../../domain/shared/errors';
import type { CreditExposure } from '../../../projections/credit-exposure/credit-exposure.projection';
import type { ApprovalRequest } from '../../../projections/approval-requests/approval-requests.projection';
import { PersonalData } from '../privacy/personal-data';
import { ReadModels } from '../read-models';
import type { QueryResult } from './queries';

export class GetCustomerCreditQuery {
  constructor(readonly customerId: string) {}
}

/** Customers whose utilisation is above `overBp` basis points of their limit (limit 0 with exposure: unbounded, listed). */
export class GetCreditExposureReportQuery {
  constructor(readonly overBp: number) {}
}

/** Customers with invoices held for approval: the approvers' queue. */
export class GetPendingApprovalsQuery {}

/** Four-eyes requests (large write-offs, credit-limit increases) in a status, oldest first (ADR 0042). */
export class GetApprovalRequestsQuery {
  constructor(readonly status: ApprovalRequest['status']) {}
}

@QueryHandler(GetApprovalRequestsQuery)
export class GetApprovalRequestsHandler implements IQueryHandler<GetApprovalRequestsQuery, QueryResult<ApprovalRequest[]>> {
  constructor(private readonly rm: ReadModels) {}
  async execute(q: GetApprovalRequestsQuery): Promise<QueryResult<ApprovalRequest[]>> {
    const f = await this.rm.catchUp(['approval-requests']);
    const value = await this.rm.find<ApprovalRequest>('approval-requests', { status: q.status });
    value.sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : a.requestId < b.requestId ? -1 : 1));
    return { ...f, value };
  }
}

@QueryHandler(GetPendingApprovalsQuery)
export class GetPendingApprovalsHandler implements IQueryHandler<GetPendingApprovalsQuery, QueryResult<CreditExposure[]>> {
  constructor(private readonly rm: ReadModels, private readonly pii: PersonalData) {}
  async execute(): Promise<QueryResult<CreditExposure[]>> {
    const f = await this.rm.catchUp(['credit-exposure']);
    const value = await this.rm.find<CreditExposure>('credit-exposure', { pendingApproval: { $gt: 0 } }, { sort: [['customerId', 1]] });
    return { ...f, value: await withNames(this.pii, value) };
  }
}

@QueryHandler(GetCustomerCreditQuery)
export class GetCustomerCreditHandler implements IQueryHandler<GetCustomerCreditQuery, QueryResult<CreditExposure>> {
  constructor(private readonly rm: ReadModels, private readonly pii: PersonalData) {}
  async execute(q: GetCustomerCreditQuery): Promise<QueryResult<CreditExposure>> {
    const f = await this.rm.catchUp(['credit-exposure']);
    const value = await this.rm.get<CreditExposure>('credit-exposure', q.customerId);
    if (!value || value.currency === '') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${q.customerId} not found`, { id: q.customerId }, 'not_found');
    return { ...f, value: { ...value, name: await this.pii.name(value.name) } };
  }
}

@QueryHandler(GetCreditExposureReportQuery)
export class GetCreditExposureReportHandler implements IQueryHandler<GetCreditExposureReportQuery, QueryResult<CreditExposure[]>> {
  constructor(private readonly rm: ReadModels, private readonly pii: PersonalData) {}
  async execute(q: GetCreditExposureReportQuery): Promise<QueryResult<CreditExposure[]>> {
    const f = await this.rm.catchUp(['credit-exposure']);
    const [over, unbounded] = await Promise.all([
      this.rm.find<CreditExposure>('credit-exposure', { utilisationBp: { $gt: q.overBp } }),
      this.rm.find<CreditExposure>('credit-exposure', { utilisationBp: null }),
    ]);
    const rows = [...unbounded.filter((d) => d.currency !== ''), ...over];
    // Highest utilisation first (unbounded first), then by id: a stable order for the same data.
    rows.sort((a, b) => (b.utilisationBp ?? Infinity) - (a.utilisationBp ?? Infinity) || (a.customerId < b.customerId ? -1 : 1));
    return { ...f, value: await withNames(this.pii, rows) };
  }
}

/** Names opened through the decrypting view (ADR 0082). */
async function withNames<T extends { name: string }>(pii: PersonalData, rows: T[]): Promise<T[]> {
  return Promise.all(rows.map(async (r) => ({ ...r, name: await pii.name(r.name) })));
}
