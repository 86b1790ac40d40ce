import { Controller, Get, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { QueryResult } from '../../../../libs/application/queries/queries';
import { GetDsoQuery, GetEclQuery } from '../../../../libs/application/reporting/reports';
import { formatAmount } from '../../../../libs/domain/shared/money';
import type { DsoReport, EclReport } from '../../../../projections';
import { setFreshness } from '../http/freshness';

@ApiTags('reports')
@Controller('reports')
export class AnalyticsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('dso')
  @ApiOperation({ summary: 'DSO (délai moyen de recouvrement) over a period: simple or countback' })
  @ApiQuery({ name: 'from', example: '2026-01-01' })
  @ApiQuery({ name: 'to', example: '2026-06-30' })
  @ApiQuery({ name: 'method', required: false, enum: ['simple', 'countback'] })
  @ApiQuery({ name: 'currency', required: false, example: 'EUR' })
  async dso(@Query('from') from: string, @Query('to') to: string, @Query('method') method: string | undefined, @Query('currency') currency: string | undefined, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetDsoQuery, QueryResult<DsoReport>>(new GetDsoQuery(from, to, method || 'simple', currency || undefined));
    setFreshness(res, r);
    return dsoView(r.value);
  }

  @Get('ecl')
  @ApiOperation({ summary: 'Expected credit loss (IFRS 9 simplified approach): aging bucket balance × loss rate' })
  @ApiQuery({ name: 'asOf', example: '2026-06-30' })
  @ApiQuery({ name: 'rates', required: false, example: 'current=0.3%,1-30=1.6%,31-60=3.6%,61-90=6.6%,90+=10.6%' })
  @ApiQuery({ name: 'currency', required: false, example: 'EUR' })
  async ecl(@Query('asOf') asOf: string, @Query('rates') rates: string | undefined, @Query('currency') currency: string | undefined, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetEclQuery, QueryResult<EclReport>>(new GetEclQuery(asOf, rates || undefined, currency || undefined));
    setFreshness(res, r);
    return eclView(r.value);
  }
}

export function dsoView(d: DsoReport) {
  const f = (minor: number) => formatAmount(minor, d.currency ?? 'EUR');
  return { from: d.from, to: d.to, method: d.method, currency: d.currency, days: d.days, receivables: f(d.receivables), creditSales: f(d.creditSales), dso: d.dso };
}

export function eclView(e: EclReport) {
  const f = (minor: number) => formatAmount(minor, e.currency ?? 'EUR');
  return {
    asOf: e.asOf, currency: e.currency,
    buckets: e.buckets.map((b) => ({ bucket: b.label, balance: f(b.balance), rate: `${b.ratePercent}%`, loss: f(b.loss) })),
    totalBalance: f(e.totalBalance), totalLoss: f(e.totalLoss),
    customers: e.customers.map((c) => ({ customerId: c.customerId, balance: f(c.balance), loss: f(c.loss) })),
  };
}
