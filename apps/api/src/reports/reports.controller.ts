import { Controller, Get, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { GetAgingQuery, type QueryResult } from '../../../../libs/application/queries/queries';
import { GetCustomerCreditsQuery, type CustomerCreditLine } from '../../../../libs/application/queries/collection.queries';
import { invalid } from '../../../../libs/domain/shared/errors';
import { formatAmount } from '../../../../libs/domain/shared/money';
import type { AgingBuckets, AgingReport } from '../../../../projections';
import { setFreshness } from '../http/freshness';
import { Requires } from '../auth/requires.decorator';
import { ApiRead } from '../http/api-contract';

function parseBuckets(text: string | undefined): number[] | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d{1,5}(,\d{1,5})*$/.test(text)) throw invalid('AGING_BUCKETS_INVALID', 'buckets must be increasing day counts such as 30,60,90', 'buckets');
  return text.split(',').map(Number);
}

@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(private readonly queries: QueryBus) {}

  private async creditBeside(asOf: string, currency: string) {
    const r = await this.queries.execute<GetCustomerCreditsQuery, QueryResult<CustomerCreditLine[]>>(new GetCustomerCreditsQuery(asOf, currency));
    const total = r.value.reduce((s, l) => s + l.amount, 0);
    return { total: formatAmount(total, currency), customers: r.value.map((l) => ({ customerId: l.customerId, credit: formatAmount(l.amount, currency) })) };
  }

  @Get('aging')
  @ApiRead()
  @Requires('reports:read')
  @ApiOperation({ summary: 'Aging (balance âgée) as of any date: open amounts by days past due' })
  @ApiQuery({ name: 'asOf', example: '2026-12-31' })
  @ApiQuery({ name: 'buckets', required: false, example: '30,60,90' })
  @ApiQuery({ name: 'currency', required: false, example: 'EUR' })
  async aging(@Query('asOf') asOf: string, @Query('buckets') buckets: string | undefined, @Query('currency') currency: string | undefined, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetAgingQuery, QueryResult<AgingReport>>(new GetAgingQuery(asOf, parseBuckets(buckets), currency || undefined));
    setFreshness(res, r);
    const a = r.value;
    const cur = a.currency ?? currency ?? 'EUR';
    const f = (minor: number) => formatAmount(minor, cur);
    const fb = (b: AgingBuckets) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, f(v)]));
    return {
      asOf: a.asOf, currency: a.currency, buckets: fb(a.buckets), total: f(a.total),
      customers: a.customers.map((c) => ({ customerId: c.customerId, buckets: fb(c.buckets), total: f(c.total) })),
      // Unapplied cash beside the buckets, never netted into them.
      customerCredit: await this.creditBeside(a.asOf, cur),
    };
  }
}
