import { Controller, Get, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { QueryResult } from '../../../../libs/application/queries/queries';
import { GetAgingByInvoiceQuery, GetDsoQuery, GetEclQuery } from '../../../../libs/application/reporting/reports';
import { formatAmount } from '../../../../libs/domain/shared/money';
import { dsoView, eclView } from '../../../../libs/application/reporting/views';
import type { DsoReport, EclReport, InvoiceAgingRow } from '../../../../projections';
import { invalid } from '../../../../libs/domain/shared/errors';
import { setFreshness } from '../http/freshness';
import { pageOfRows } from '../../../../libs/application/queries/lists/list-page';
import { Requires } from '../auth/requires.decorator';
import { ApiRead } from '../http/api-contract';

@ApiTags('reports')
@Controller('reports')
export class AnalyticsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('aging/invoices')
  @ApiRead()
  @Requires('reports:read')
  @ApiOperation({ summary: 'The aging’s detail: each invoice open as of the date, with days past due and bucket' })
  @ApiQuery({ name: 'asOf', example: '2026-06-30' })
  @ApiQuery({ name: 'buckets', required: false, example: '30,60,90' })
  @ApiQuery({ name: 'currency', required: false, example: 'EUR' })
  @ApiQuery({ name: 'limit', required: false, example: 100, description: 'Rows per page, 1–500 (default 100)' })
  @ApiQuery({ name: 'cursor', required: false, description: 'The `next` of the previous page' })
  async agingByInvoice(
    @Query('asOf') asOf: string, @Query('buckets') buckets: string | undefined, @Query('currency') currency: string | undefined,
    @Query('limit') limit: string | undefined, @Query('cursor') cursor: string | undefined, @Res({ passthrough: true }) res: Response,
  ) {
    if (buckets !== undefined && buckets !== '' && !/^\d{1,5}(,\d{1,5})*$/.test(buckets)) {
      throw invalid('AGING_BUCKETS_INVALID', 'buckets must be increasing day counts such as 30,60,90', 'buckets');
    }
    const bounds = buckets ? buckets.split(',').map(Number) : undefined;
    const r = await this.queries.execute<GetAgingByInvoiceQuery, QueryResult<{ asOf: string; currency: string | null; rows: InvoiceAgingRow[] }>>(new GetAgingByInvoiceQuery(asOf, bounds, currency || undefined));
    setFreshness(res, r);
    const cur = r.value.currency ?? 'EUR';
    // Rows in the report's order (customer, due date, number); pages as the lists do (ADR 0069), the rows keep their name.
    const page = pageOfRows(r.value.rows, (x) => [x.customerId, x.dueDate, x.number, x.invoiceId], { asOf: r.value.asOf, buckets: bounds ?? null, currency: r.value.currency }, { limit, cursor });
    return { asOf: r.value.asOf, currency: r.value.currency, invoices: page.items.map((x) => ({ ...x, open: formatAmount(x.open, cur) })), next: page.next, total: page.total };
  }

  @Get('dso')
  @ApiRead()
  @Requires('reports:read')
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
  @ApiRead()
  @Requires('reports:read')
  // An unencoded '+' in a query string arrives as a space ("90 =10%"); a space is never valid in rates.
  @ApiOperation({ summary: 'Expected credit loss (IFRS 9 simplified approach): aging bucket balance × loss rate' })
  @ApiQuery({ name: 'asOf', example: '2026-06-30' })
  @ApiQuery({ name: 'rates', required: false, example: 'current=0.3%,1-30=1.6%,31-60=3.6%,61-90=6.6%,90+=10.6%' })
  @ApiQuery({ name: 'currency', required: false, example: 'EUR' })
  async ecl(@Query('asOf') asOf: string, @Query('rates') rates: string | undefined, @Query('currency') currency: string | undefined, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetEclQuery, QueryResult<EclReport>>(new GetEclQuery(asOf, rates ? rates.replace(/ /g, '+') : undefined, currency || undefined));
    setFreshness(res, r);
    return eclView(r.value);
  }
}
