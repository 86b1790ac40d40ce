import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IssueInvoiceCommand, type IssuedInvoice } from '../../../../libs/application/commands/invoice.commands';
import { GetInvoiceQuery, type QueryResult } from '../../../../libs/application/queries/queries';
import { formatAmount } from '../../../../libs/domain/shared/money';
import type { InvoiceView } from '../../../../projections';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { setFreshness } from '../http/freshness';
import { issuedView } from './invoice-approvals.controller';
import { IssueInvoiceDto } from './invoices.dto';

@ApiTags('invoices')
@Controller('invoices')
export class InvoicesController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @Post()
  @ApiOperation({ summary: 'Issue an invoice (credit decision, gap-free number, due date from the customer’s terms)' })
  async issue(@Body() dto: IssueInvoiceDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<IssueInvoiceCommand, IssuedInvoice>(
      new IssueInvoiceCommand(dto.id ?? cmd.newId(), dto.customerId, dto.issueDate, dto.lines, cmd, dto.terms, dto.termsAgreedBeyondCap));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return issuedView(r);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One invoice with its status, totals and what is still owed' })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetInvoiceQuery, QueryResult<InvoiceView>>(new GetInvoiceQuery(id));
    setFreshness(res, r);
    const v = r.value;
    const f = (minor: number) => formatAmount(minor, v.currency);
    return {
      id: v.invoiceId, number: v.number, customerId: v.customerId, currency: v.currency, status: v.status,
      net: f(v.net), tax: f(v.tax), total: f(v.total), paid: f(v.paid), outstanding: f(v.outstanding),
      issueDate: v.issueDate, dueDate: v.dueDate, settledOn: v.settledOn,
      lines: v.lines.map((l) => ({ description: l.description, quantity: l.quantity, unitPrice: f(l.unitPrice), taxRate: l.taxRate, net: f(l.net), tax: f(l.tax), total: f(l.gross) })),
      payments: v.payments.map((p) => ({ paymentId: p.paymentId, amount: f(p.amount), receivedOn: p.receivedOn })),
    };
  }
}
