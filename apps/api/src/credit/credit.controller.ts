import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CreditHoldPolicy } from '../../../../libs/application/credit-hold-policy';
import { GetApprovalRequestsQuery, GetCreditExposureReportQuery, GetPendingApprovalsQuery } from '../../../../libs/application/queries/credit.queries';
import type { QueryResult } from '../../../../libs/application/queries/queries';
import { dateOfInstant } from '../../../../libs/domain/shared/dates';
import { invalid } from '../../../../libs/domain/shared/errors';
import { formatAmount } from '../../../../libs/domain/shared/money';
import type { ApprovalRequest, CreditExposure } from '../../../../projections';
import { HoldPolicyRunDto } from '../customers/credit.dto';
import { utilisationView } from '../customers/credit.view';
import { identityOf } from '../../../../libs/application/command-context';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { setFreshness } from '../http/freshness';
import { Requires } from '../auth/requires.decorator';
import { ApiCommand, ApiRead } from '../http/api-contract';

/** `over` as a fraction of the limit ("0.8" = 80 %), at most 4 decimals → basis points. */
function parseOver(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  const m = /^(\d{1,4})(?:\.(\d{1,4}))?$/.exec(text);
  if (!m) throw invalid('UTILISATION_INVALID', 'over must be a utilisation fraction such as 0.8 (80 %)', 'over');
  return Number(m[1]) * 10_000 + Number((m[2] ?? '').padEnd(4, '0'));
}

@ApiTags('credit')
@Controller()
export class CreditController {
  constructor(private readonly queries: QueryBus, private readonly policy: CreditHoldPolicy) {}

  @Get('reports/credit-exposure')
  @ApiRead()
  @Requires('reports:read')
  @ApiOperation({ summary: 'Customers above a utilisation of their credit limit: limit, exposure, available credit, utilisation, hold, rating' })
  @ApiQuery({ name: 'over', required: false, example: '0.8', description: 'fraction of the limit; default 0 (every customer with exposure)' })
  async exposure(@Query('over') over: string | undefined, @Res({ passthrough: true }) res: Response) {
    const overBp = parseOver(over);
    const r = await this.queries.execute<GetCreditExposureReportQuery, QueryResult<CreditExposure[]>>(new GetCreditExposureReportQuery(overBp));
    setFreshness(res, r);
    return {
      over: (overBp / 10_000).toFixed(4),
      customers: r.value.map((d) => {
        const f = (minor: number) => formatAmount(minor, d.currency);
        return {
          customerId: d.customerId, name: d.name, currency: d.currency, creditLimit: f(d.creditLimit), exposure: f(d.exposure),
          availableCredit: f(d.availableCredit), ...utilisationView(d.utilisationBp), onHold: d.onHold, rating: d.rating,
        };
      }),
    };
  }

  @Get('reports/pending-approvals')
  @ApiRead()
  @Requires('reports:read')
  @ApiOperation({ summary: 'Invoices held for approval, by customer, with the customer’s limit and exposure' })
  async pendingApprovals(@Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetPendingApprovalsQuery, QueryResult<CreditExposure[]>>(new GetPendingApprovalsQuery());
    setFreshness(res, r);
    return {
      customers: r.value.map((d) => {
        const f = (minor: number) => formatAmount(minor, d.currency);
        return {
          customerId: d.customerId, name: d.name, currency: d.currency, creditLimit: f(d.creditLimit), exposure: f(d.exposure), onHold: d.onHold,
          invoices: Object.entries(d.pendingInvoices).map(([invoiceId, p]) => ({ invoiceId, total: f(p.total), issueDate: p.issueDate })),
        };
      }),
    };
  }

  @Get('reports/approval-requests')
  @ApiRead()
  @Requires('reports:read')
  @ApiOperation({ summary: 'Four-eyes requests (write-offs, credit-limit increases above the thresholds) in a status, oldest first: the second approvers\' queue' })
  @ApiQuery({ name: 'status', required: false, enum: ['pending', 'approved', 'rejected'], description: 'default pending' })
  async approvalRequests(@Query('status') status: string | undefined, @Res({ passthrough: true }) res: Response) {
    const wanted = status ?? 'pending';
    if (wanted !== 'pending' && wanted !== 'approved' && wanted !== 'rejected') {
      throw invalid('STATUS_INVALID', 'status must be pending, approved or rejected', 'status');
    }
    const r = await this.queries.execute<GetApprovalRequestsQuery, QueryResult<ApprovalRequest[]>>(new GetApprovalRequestsQuery(wanted));
    setFreshness(res, r);
    return {
      status: wanted,
      requests: r.value.map((d) => {
        const f = (minor: number) => formatAmount(minor, d.currency);
        return {
          requestId: d.requestId, kind: d.kind, status: d.status, customerId: d.customerId, invoiceId: d.invoiceId, currency: d.currency,
          ...(d.kind === 'write_off' ? { amount: f(d.amount), on: d.on } : { newLimit: f(d.amount), previousLimit: f(d.previousLimit ?? 0) }),
          reason: d.reason, approvalAbove: f(d.approvalAbove), requestedBy: d.requestedBy, requestedAt: d.requestedAt,
          decidedBy: d.decidedBy, decidedAt: d.decidedAt, rejectionReason: d.rejectionReason,
        };
      }),
    };
  }

  @Post('credit-holds/policy-run')
  @ApiCommand({ status: 200 })
  @Requires('credit:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run the credit-hold policy as of a date: hold customers with an invoice more than N days past due, release (if automatic) those without' })
  async runPolicy(@Body() dto: HoldPolicyRunDto, @Command() cmd: HttpCommand) {
    const asOf = dto.asOf ?? dateOfInstant(cmd.recordedAt);
    return this.policy.run(asOf, { ...identityOf(cmd), recordedAt: cmd.recordedAt, correlationId: cmd.correlationId });
  }
}
