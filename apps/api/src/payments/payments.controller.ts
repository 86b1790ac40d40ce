import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RecordPaymentCommand, type RecordedPayment } from '../../../../libs/application/commands/payment.commands';
import { formatAmount } from '../../../../libs/domain/shared/money';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { RecordPaymentDto } from './payments.dto';
import { Requires } from '../auth/requires.decorator';
import { ApiCommand } from '../http/api-contract';

@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiCommand({ also: [202] })
  @Requires('payments:write')
  @ApiOperation({ summary: 'Record a payment and allocate it; what is not allocated stays as customer credit' })
  async record(@Body() dto: RecordPaymentDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<RecordPaymentCommand, RecordedPayment>(new RecordPaymentCommand(
      dto.id ?? cmd.newId(), dto.customerId, dto.amount, dto.receivedOn, dto.method, dto.reference ?? null, dto.allocations, cmd, dto.currency));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    const f = (minor: number) => formatAmount(minor, r.currency);
    const body = {
      id: r.paymentId, customerId: r.customerId, currency: r.currency, amount: f(r.amount),
      allocations: r.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: f(a.amount), rule: a.rule })),
      unapplied: f(r.unapplied), review: r.review, position: r.position,
    };
    if (r.pending.length === 0) return body;
    // Recorded and allocated; applying some allocations to their invoices follows (process manager, or a retry).
    res.status(202);
    return { ...body, completion: { state: 'pending', steps: r.pending.map((p) => ({ invoiceId: p.invoiceId, amount: f(p.amount), reason: p.reason })) } };
  }
}
