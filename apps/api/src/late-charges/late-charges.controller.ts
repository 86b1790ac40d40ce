import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import type { Response } from 'express';
import { AssessLateChargesCommand, GetLateChargesQuery, type AssessedCharges, type LateChargesView } from '../../../../libs/application/commands/late-charges.commands';
import type { QueryResult } from '../../../../libs/application/queries/queries';
import type { LateChargeComputation } from '../../../../libs/domain/collections/late-charges';
import { dateOfInstant } from '../../../../libs/domain/shared/dates';
import { formatAmount } from '../../../../libs/domain/shared/money';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { DATE, DATE_MESSAGE } from '../http/dto-rules';
import { setFreshness } from '../http/freshness';
import { Requires } from '../auth/requires.decorator';
import { ApiCommand, ApiRead } from '../http/api-contract';

export class AssessLateChargesDto {
  @ApiPropertyOptional({ example: '2026-03-31', description: 'Last day of interest; default today (UTC)' })
  @IsOptional() @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  asOf?: string;
}

const pct = (bp: number) => (bp / 100).toFixed(2);

/** How the EUR 40 of a non-EUR invoice was converted (ADR 0053); nothing for EUR invoices or when none is charged. */
function compensationBasisBody(currency: string, b: { eur: number; rate: string; rateDate: string } | null | undefined) {
  return currency === 'EUR' || !b ? {} : { compensationBasis: { eur: formatAmount(b.eur, 'EUR'), rate: b.rate, rateDate: b.rateDate } };
}

function computationBody(c: LateChargeComputation, currency: string) {
  const f = (m: number) => formatAmount(m, currency);
  return {
    from: c.from, through: c.through, dayBasis: c.dayBasis, rateSource: c.rateSource,
    lines: c.lines.map((l) => ({
      from: l.from, to: l.to, days: l.days, principal: f(l.principal), referenceRate: pct(l.referenceRateBp), margin: pct(l.marginBp),
      annualRate: pct(l.annualRateBp), interest: f(l.interest),
    })),
    interest: f(c.interest), compensation: f(c.compensation), ...compensationBasisBody(currency, c.compensationBasis), total: f(c.total),
  };
}

/** Late-payment charges: the computation line by line, and their assessment onto the invoice. */
@ApiTags('late charges')
@Controller('invoices/:id/late-charges')
export class LateChargesController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @Get()
  @ApiRead({ errors: { 404: ['INVOICE_NOT_FOUND'] } })
  @Requires('ledger:read')
  @ApiOperation({ summary: 'Late-payment interest and compensation as of a date, line by line (per half-year and principal)' })
  @ApiQuery({ name: 'asOf', example: '2026-03-31' })
  async get(@Param('id') id: string, @Query('asOf') asOf: string, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetLateChargesQuery, QueryResult<LateChargesView>>(new GetLateChargesQuery(id, asOf));
    setFreshness(res, r);
    const v = r.value;
    return {
      invoiceId: v.invoiceId, customerId: v.customerId, currency: v.currency, country: v.country, dueDate: v.dueDate, asOf: v.asOf,
      ...computationBody(v.computation, v.currency),
      assessedThrough: v.assessedThrough, toAssess: v.toAssess ? computationBody(v.toAssess, v.currency) : null,
    };
  }

  @Post()
  @ApiCommand({ status: 200, errors: { 404: ['INVOICE_NOT_FOUND'] } })
  @Requires('collections:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assess the charges due up to asOf onto the invoice (only days not yet charged; the compensation once; a payment plan in force defers its days to its end, ADR 0051)' })
  async assess(@Param('id') id: string, @Body() dto: AssessLateChargesDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<AssessLateChargesCommand, AssessedCharges>(new AssessLateChargesCommand(id, dto.asOf ?? dateOfInstant(cmd.recordedAt), cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    const f = (m: number) => formatAmount(m, r.currency);
    const a = r.assessed;
    return {
      invoiceId: r.invoiceId, customerId: r.customerId, currency: r.currency,
      assessed: a ? { from: a.from, through: a.through, interest: f(a.interest), compensation: f(a.compensation), ...compensationBasisBody(r.currency, a.compensationBasis), amount: f(a.amount) } : null,
      outstanding: f(r.outstanding), deferredToPlanEnd: r.deferredToPlanEnd, position: r.position,
    };
  }
}
