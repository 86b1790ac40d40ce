import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import type { Response } from 'express';
import { GetDunningReportQuery, RunDunningCommand, type DunningRunResult } from '../../../../libs/application/dunning/dunning';
import type { QueryResult } from '../../../../libs/application/queries/queries';
import type { DunningDecision } from '../../../../libs/domain/collections/dunning';
import { dateOfInstant } from '../../../../libs/domain/shared/dates';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { DATE, DATE_MESSAGE } from '../http/dto-rules';
import { setFreshness } from '../http/freshness';
import { Requires } from '../auth/requires.decorator';
import { ApiCommand, ApiRead } from '../http/api-contract';

export class RunDunningDto {
  @ApiPropertyOptional({ example: '2026-03-31', description: 'Default today (UTC)' })
  @IsOptional() @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  asOf?: string;
}

/** Dunning: the run, and what the next run would do and why. */
@ApiTags('dunning')
@Controller()
export class DunningController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @Post('dunning/runs')
  @ApiCommand()
  @Requires('collections:write')
  @ApiOperation({ summary: 'Run dunning as of a date: one reminder per invoice and level, anchored on due dates; idempotent' })
  async run(@Body() dto: RunDunningDto, @Command() cmd: HttpCommand) {
    return this.commands.execute<RunDunningCommand, DunningRunResult>(new RunDunningCommand(dto.asOf ?? dateOfInstant(cmd.recordedAt), cmd));
  }

  @Get('reports/dunning')
  @ApiRead()
  @Requires('reports:read')
  @ApiOperation({ summary: 'What the next dunning run as of a date would do, and why' })
  @ApiQuery({ name: 'asOf', example: '2026-03-31' })
  async report(@Query('asOf') asOf: string, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetDunningReportQuery, QueryResult<DunningDecision[]>>(new GetDunningReportQuery(asOf));
    setFreshness(res, r);
    return {
      asOf,
      actions: r.value.filter((d) => d.outcome === 'send').map((d) => ({
        invoiceId: d.invoiceId, customerId: d.customerId, number: d.number, daysPastDue: d.daysPastDue,
        level: d.outcome === 'send' ? d.level.level : null, name: d.outcome === 'send' ? d.level.name : null,
        assessCharges: d.outcome === 'send' ? d.level.assessCharges : false, creditHold: d.outcome === 'send' ? d.level.creditHold : false, reason: d.reason,
      })),
      skipped: r.value.filter((d) => d.outcome === 'skip').map((d) => ({ invoiceId: d.invoiceId, customerId: d.customerId, number: d.number, daysPastDue: d.daysPastDue, reason: d.reason })),
    };
  }
}
