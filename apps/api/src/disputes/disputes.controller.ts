import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { OpenDisputeCommand, ResolveDisputeCommand, type DisputeChange } from '../../../../libs/application/commands/credit-note.commands';
import { dateOfInstant } from '../../../../libs/domain/shared/dates';
import { formatAmount } from '../../../../libs/domain/shared/money';
import { creditNoteBody } from '../credit-notes/credit-notes.controller';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { AMOUNT, AMOUNT_MESSAGE, DATE, DATE_MESSAGE, ID, ID_MESSAGE } from '../http/dto-rules';
import { Requires } from '../auth/requires.decorator';
import { ApiCommand } from '../http/api-contract';

export class OpenDisputeDto {
  @ApiPropertyOptional({ example: 'd-001' })
  @IsOptional() @IsString() @Matches(ID, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({ example: '200.00', description: 'Contested amount, ≤ the outstanding' })
  @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  amount!: string;

  @ApiProperty({ example: 'Two items damaged' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;

  @ApiPropertyOptional({ example: '2026-03-01' })
  @IsOptional() @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  on?: string;
}

export class ResolveDisputeDto {
  @ApiProperty({ enum: ['accepted', 'rejected'] })
  @IsIn(['accepted', 'rejected'])
  outcome!: 'accepted' | 'rejected';

  @ApiPropertyOptional({ example: '150.00', description: 'Accepted: amount credited (default: the disputed amount)' })
  @IsOptional() @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  agreedAmount?: string;

  @ApiPropertyOptional({ example: 'Agreed with the buyer' })
  @IsOptional() @IsString() @MaxLength(500)
  note?: string;

  @ApiPropertyOptional({ example: '2026-03-10' })
  @IsOptional() @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  on?: string;
}

function body(r: DisputeChange) {
  const d = r.event?.data as Record<string, unknown> | undefined;
  const f = (m: unknown) => (typeof m === 'number' ? formatAmount(m, r.currency) : m);
  return {
    invoiceId: r.invoiceId, customerId: r.customerId, currency: r.currency,
    ...(d ? { disputeId: d.disputeId, amount: f(d.amount), agreedAmount: f(d.agreedAmount), outcome: d.outcome ?? 'open' } : {}),
    creditNote: r.creditNote ? creditNoteBody(r.creditNote) : null,
    position: r.position,
  };
}

/** Disputes (litiges) on an invoice: dunning pauses while one is open. */
@ApiTags('disputes')
@Controller('invoices/:id/disputes')
export class DisputesController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiCommand({ errors: { 404: ['INVOICE_NOT_FOUND'] } })
  @Requires('collections:write')
  @ApiOperation({ summary: 'Open a dispute on (part of) an invoice; dunning pauses for it' })
  async open(@Param('id') id: string, @Body() dto: OpenDisputeDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<OpenDisputeCommand, DisputeChange>(
      new OpenDisputeCommand(id, dto.id ?? cmd.newId(), dto.amount, dto.reason, dto.on ?? dateOfInstant(cmd.recordedAt), cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return body(r);
  }

  @Post(':disputeId/resolve')
  @ApiCommand({ status: 200, errors: { 404: ['INVOICE_NOT_FOUND'] } })
  @Requires('collections:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve a dispute: accepted issues a credit note for the agreed amount; rejected resumes dunning' })
  async resolve(@Param('id') id: string, @Param('disputeId') disputeId: string, @Body() dto: ResolveDisputeDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<ResolveDisputeCommand, DisputeChange>(
      new ResolveDisputeCommand(id, disputeId, dto.outcome, dto.agreedAmount ?? null, dto.note ?? '', dto.on ?? dateOfInstant(cmd.recordedAt), cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return body(r);
  }
}
