import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import type { Response } from 'express';
import { AgreePaymentPlanCommand, CheckPaymentPlanCommand, GetPaymentPlanQuery, type PlanResult } from '../../../../libs/application/commands/payment-plan.commands';
import { PLAN_INTEREST_RULES, type PlanInterest } from '../../../../libs/domain/payment-plan/payment-plan.events';
import { dateOfInstant } from '../../../../libs/domain/shared/dates';
import { formatAmount } from '../../../../libs/domain/shared/money';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { AMOUNT, AMOUNT_MESSAGE, DATE, DATE_MESSAGE, ID, ID_MESSAGE } from '../http/dto-rules';
import { Requires } from '../auth/requires.decorator';
import { ApiCommand, ApiRead } from '../http/api-contract';

export class InstalmentDto {
  @ApiProperty({ example: '2026-04-30' })
  @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  dueDate!: string;

  @ApiProperty({ example: '600.00' })
  @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  amount!: string;
}

export class AgreePaymentPlanDto {
  @ApiPropertyOptional({ example: 'plan-001' })
  @IsOptional() @IsString() @Matches(ID, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({ example: 'acme' })
  @IsString() @Matches(ID, { message: ID_MESSAGE })
  customerId!: string;

  @ApiProperty({ example: ['inv-2026-001'] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsString({ each: true }) @Matches(ID, { each: true, message: ID_MESSAGE })
  invoiceIds!: string[];

  @ApiProperty({ type: [InstalmentDto], description: 'Dated instalments summing to what the invoices owe' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(120) @ValidateNested({ each: true }) @Type(() => InstalmentDto)
  instalments!: InstalmentDto[];

  @ApiPropertyOptional({ example: 10, description: 'An instalment unpaid this many days after its date breaks the plan (default 10)' })
  @IsOptional() @IsInt() @Min(0) @Max(365)
  graceDays?: number;

  @ApiPropertyOptional({ example: '2026-03-20' })
  @IsOptional() @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  agreedOn?: string;

  @ApiPropertyOptional({
    enum: PLAN_INTEREST_RULES, default: 'accrue',
    description: 'Late-payment interest during the plan (ADR 0051): accrue = it keeps running on the original due dates and is assessed once the plan ends; '
      + 'waive = none for the days the plan is in force if it is kept (a broken plan loses the waiver). The EUR 40 compensation is due either way.',
  })
  @IsOptional() @IsIn(PLAN_INTEREST_RULES as unknown as string[], { message: `interest must be one of ${PLAN_INTEREST_RULES.join(', ')}` })
  interest?: PlanInterest;
}

export class CheckPaymentPlanDto {
  @ApiPropertyOptional({ example: '2026-05-15' })
  @IsOptional() @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  asOf?: string;
}

export const DEFAULT_GRACE_DAYS = 10;
export const DEFAULT_PLAN_INTEREST: PlanInterest = 'accrue';

function body(r: PlanResult) {
  const f = (m: number) => formatAmount(m, r.currency);
  return {
    id: r.planId, customerId: r.customerId, currency: r.currency, status: r.status, total: f(r.total), instalments: r.instalments.map((x) => ({ dueDate: x.dueDate, amount: f(x.amount) })),
    interest: r.interest, agreedOn: r.agreedOn, endedOn: r.endedOn, events: r.events, position: r.position,
  };
}

/** Payment plans (échéanciers): dunning pauses for their invoices; a missed instalment breaks the plan. */
@ApiTags('payment plans')
@Controller('payment-plans')
export class PaymentPlansController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @Post()
  @ApiCommand()
  @Requires('collections:write')
  @ApiOperation({ summary: 'Agree a payment plan over chosen invoices: dated instalments summing to what they owe' })
  async agree(@Body() dto: AgreePaymentPlanDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<AgreePaymentPlanCommand, PlanResult>(new AgreePaymentPlanCommand(
      dto.id ?? cmd.newId(), dto.customerId, dto.invoiceIds, dto.instalments, dto.graceDays ?? DEFAULT_GRACE_DAYS, dto.agreedOn ?? dateOfInstant(cmd.recordedAt), cmd, dto.interest ?? DEFAULT_PLAN_INTEREST));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return body(r);
  }

  @Get(':id')
  @ApiRead({ errors: { 404: ['PAYMENT_PLAN_NOT_FOUND'] }, freshness: false })
  @Requires('ledger:read')
  @ApiOperation({ summary: 'One plan: its instalments, interest rule and status' })
  async get(@Param('id') id: string) {
    return body(await this.queries.execute<GetPaymentPlanQuery, PlanResult>(new GetPaymentPlanQuery(id)));
  }

  @Post(':id/check')
  @ApiCommand({ status: 200, errors: { 404: ['PAYMENT_PLAN_NOT_FOUND'] } })
  @Requires('collections:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check a plan as of a date (also done by every dunning run): broken or completed ends it' })
  async check(@Param('id') id: string, @Body() dto: CheckPaymentPlanDto, @Command() cmd: HttpCommand) {
    return body(await this.commands.execute<CheckPaymentPlanCommand, PlanResult>(new CheckPaymentPlanCommand(id, dto.asOf ?? dateOfInstant(cmd.recordedAt), cmd)));
  }
}
