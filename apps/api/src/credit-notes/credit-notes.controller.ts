import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IssueCreditNoteCommand, type IssuedCreditNote } from '../../../../libs/application/commands/credit-note.commands';
import { formatAmount } from '../../../../libs/domain/shared/money';
import { vatBreakdownOf } from '../../../../libs/domain/upcasters';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { vatBreakdownView } from '../http/vat-view';
import { IssueCreditNoteDto } from './credit-notes.dto';
import { Requires } from '../auth/requires.decorator';
import { ApiCommand } from '../http/api-contract';

export function creditNoteBody(r: IssuedCreditNote) {
  const f = (m: number) => formatAmount(m, r.currency);
  return {
    id: r.creditNoteId, number: r.number, customerId: r.customerId, currency: r.currency, invoiceId: r.invoiceId, issueDate: r.issueDate,
    reason: r.reason, net: f(r.net), tax: f(r.tax), total: f(r.total), vatBreakdown: vatBreakdownView(vatBreakdownOf(r), r.currency),
    ...(r.charges ? { charges: f(r.charges) } : {}), appliedToInvoice: f(r.appliedToInvoice), unapplied: f(r.unapplied),
    disputeId: r.disputeId, position: r.position,
  };
}

@ApiTags('credit notes')
@Controller('credit-notes')
export class CreditNotesController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiCommand({ also: [202] })
  @Requires('credit-notes:write')
  @ApiOperation({ summary: 'Issue a credit note (avoir) against an invoice (rate by rate, within what it invoiced; beyond what it owes is customer credit) or standalone (customer credit); own gap-free series CN' })
  async issue(@Body() dto: IssueCreditNoteDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<IssueCreditNoteCommand, IssuedCreditNote>(new IssueCreditNoteCommand(
      dto.id ?? cmd.newId(), dto.customerId, dto.invoiceId ?? null, dto.issueDate, dto.reason, dto.lines, dto.amount, dto.taxRate, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    if (r.pending) {
      // Recorded (the number with the whole note); issuing it or applying it to the invoice follows (ADR 0046).
      res.status(202);
      return { ...creditNoteBody(r), completion: { state: 'pending', reason: r.pending } };
    }
    return creditNoteBody(r);
  }
}
