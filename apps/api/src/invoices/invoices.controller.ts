import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IssueInvoiceCommand, type IssuedInvoice } from '../../../../libs/application/commands/invoice.commands';
import { GetInvoiceQuery, type QueryResult } from '../../../../libs/application/queries/queries';
import { formatAmount } from '../../../../libs/domain/shared/money';
import { displayStatus, type InvoiceView } from '../../../../projections';
import { parseDate } from '../../../../libs/domain/shared/dates';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { setFreshness } from '../http/freshness';
import { vatBreakdownView } from '../http/vat-view';
import { combine } from '../../../../libs/domain/shared/vat';
import { issuedView } from './invoice-approvals.controller';
import { IssueInvoiceDto } from './invoices.dto';
import { Requires } from '../auth/requires.decorator';
import { ApiCommand, ApiRead } from '../http/api-contract';

@ApiTags('invoices')
@Controller('invoices')
export class InvoicesController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @Post()
  @ApiCommand({ also: [202] })
  @Requires('invoices:write')
  @ApiOperation({ summary: 'Issue an invoice (credit decision, gap-free number, due date from the customer’s terms)' })
  async issue(@Body() dto: IssueInvoiceDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<IssueInvoiceCommand, IssuedInvoice>(
      new IssueInvoiceCommand(dto.id ?? cmd.newId(), dto.customerId, dto.issueDate, dto.lines, cmd, dto.terms, dto.termsAgreedBeyondCap));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    if (r.status === 'issued' && r.pending) {
      // The number is reserved with the whole invoice; its InvoiceIssued follows (process manager, or a retry of this request).
      res.status(202);
      return { ...issuedView(r), status: 'number_reserved', completion: { state: 'pending', reason: r.pending } };
    }
    return issuedView(r);
  }

  @Get(':id')
  @ApiRead({ errors: { 404: ['INVOICE_NOT_FOUND'] } })
  @Requires('ledger:read')
  @ApiOperation({ summary: 'One invoice with its status, totals and what is still owed' })
  async get(@Param('id') id: string, @Query('asOf') asOf: string | undefined, @Res({ passthrough: true }) res: Response) {
    const on = asOf === undefined || asOf === '' ? undefined : parseDate(asOf, 'asOf');
    const r = await this.queries.execute<GetInvoiceQuery, QueryResult<InvoiceView>>(new GetInvoiceQuery(id));
    setFreshness(res, r);
    const v = r.value;
    const f = (minor: number) => formatAmount(minor, v.currency);
    return {
      id: v.invoiceId, number: v.number, customerId: v.customerId, currency: v.currency, status: displayStatus(v, on),
      net: f(v.net), tax: f(v.tax), total: f(v.total), vatBreakdown: vatBreakdownView(v.vatBreakdown, v.currency),
      // What may still be credited at each rate: as issued, less credit notes, discounts and write-offs (ADR 0034).
      vatOpen: vatBreakdownView(combine(v.vatBreakdown, v.vatCorrected ?? [], -1), v.currency), paid: f(v.paid), outstanding: f(v.outstanding),
      issueDate: v.issueDate, dueDate: v.dueDate, settledOn: v.settledOn,
      // A line's own VAT exists only on invoices issued before VAT per rate (ADR 0033).
      lines: v.lines.map((l) => ({
        description: l.description, quantity: l.quantity, unitPrice: f(l.unitPrice), taxRate: l.taxRate, net: f(l.net),
        ...(l.tax !== undefined && l.gross !== undefined ? { tax: f(l.tax), total: f(l.gross) } : {}),
      })),
      payments: v.payments.map((p) => ({ paymentId: p.paymentId, amount: f(p.amount), receivedOn: p.receivedOn })),
      writtenOff: f(v.writtenOff ?? 0), recovered: f(v.recovered ?? 0), creditNoted: f(v.creditNoted ?? 0), discounted: f(v.discounted ?? 0), bankFees: f(v.bankFees ?? 0), charges: f(v.charges ?? 0), chargedThrough: v.chargedThrough ?? null,
      planId: v.planId ?? null,
      reminders: (v.reminders ?? []).map((r) => ({ ...r, outstanding: f(r.outstanding) })),
      openDispute: v.openDispute ? { ...v.openDispute, amount: f(v.openDispute.amount) } : null,
      disputes: (v.disputes ?? []).map((d) => ({ ...d, amount: f(d.amount), agreedAmount: f(d.agreedAmount) })),
      adjustments: (v.adjustments ?? []).map((a) => ({ ...a, amount: f(a.amount) })),
    };
  }
}
