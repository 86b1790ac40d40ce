import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { QueryResult } from '../../../../libs/application/queries/queries';
import { ReplayHistoryQuery, type CustomerHistory } from '../../../../libs/application/reporting/history-replay';
import { GetStatementQuery } from '../../../../libs/application/reporting/reports';
import { historyView, statementView } from '../../../../libs/application/reporting/views';
import type { Statement } from '../../../../projections';
import { invalid } from '../../../../libs/domain/shared/errors';
import { setFreshness } from '../http/freshness';
import { Requires } from '../auth/requires.decorator';
import { ApiRead } from '../http/api-contract';

export function parseFlag(value: string | undefined, field: string): boolean {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw invalid('FLAG_MALFORMED', `${field} must be true or false`, field);
}

@ApiTags('audit')
@Controller('customers')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/history')
  @ApiRead({ errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('audit:read')
  @ApiOperation({ summary: 'Auditor’s replay from the log: every event of the customer’s streams in log order, the account state as of a date, and (verify=true) the hash chains recomputed' })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-03-31' })
  @ApiQuery({ name: 'verify', required: false, example: 'true' })
  async history(@Param('id') id: string, @Query('asOf') asOf: string | undefined, @Query('verify') verify: string | undefined, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<ReplayHistoryQuery, QueryResult<CustomerHistory>>(new ReplayHistoryQuery(id, asOf || undefined, parseFlag(verify, 'verify')));
    setFreshness(res, r);
    if (r.value.verification) res.setHeader('X-Hash-Chain', r.value.verification.verified ? 'verified' : 'broken');
    return historyView(r.value);
  }

  @Get(':id/statement')
  @ApiRead({ errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('ledger:read')
  @ApiOperation({ summary: 'Statement (relevé de compte): opening balance, every movement of the period with the running balance, closing balance' })
  @ApiQuery({ name: 'from', example: '2026-01-01' })
  @ApiQuery({ name: 'to', example: '2026-03-31' })
  async statement(@Param('id') id: string, @Query('from') from: string, @Query('to') to: string, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetStatementQuery, QueryResult<Statement>>(new GetStatementQuery(id, from, to));
    setFreshness(res, r);
    return statementView(r.value);
  }
}
