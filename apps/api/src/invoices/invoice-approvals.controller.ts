import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ApproveInvoiceCommand, RejectInvoiceCommand, type ApprovedInvoice, type RejectedInvoice,
} from '../../../../libs/application/commands/invoice-approval.commands';
import type { IssuedInvoice } from '../../../../libs/application/commands/invoice.commands';
import { termsView } from '../../../../libs/domain/credit/terms-policy';
import type { CreditDecision, PendingCreditDecision } from '../../../../libs/domain/invoice/invoice.events';
import { formatAmount } from '../../../../libs/domain/shared/money';
import { vatBreakdownOf } from '../../../../libs/domain/upcasters';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { vatBreakdownView } from '../http/vat-view';
import { ApproveInvoiceDto, RejectInvoiceDto } from './invoices.dto';
import { Requires } from '../auth/requires.decorator';
import { ApiCommand } from '../http/api-contract';

function decisionView(d: CreditDecision | PendingCreditDecision, currency: string): Record<string, unknown> {
  const f = (minor: number | undefined) => (minor === undefined ? undefined : formatAmount(minor, currency));
  const amounts = ['creditLimit', 'outstanding', 'pendingApproval', 'unappliedCredit', 'invoiceTotal', 'exposure', 'excess'] as const;
  const out: Record<string, unknown> = { ...d };
  for (const k of amounts) if (k in d) out[k] = f((d as unknown as Record<string, number>)[k]);
  if ('review' in d && d.review) out.review = { ...d.review, submittedExposure: f(d.review.submittedExposure) };
  return out;
}

/** The answer to issuing or approving: an issued invoice (numbered) or one held for approval (no number, no due date). */
export function issuedView(r: IssuedInvoice | (ApprovedInvoice & { status?: 'issued' })): Record<string, unknown> {
  const f = (minor: number) => formatAmount(minor, r.currency);
  const issued = r.status !== 'pending_approval';
  return {
    id: r.invoiceId, number: issued ? r.number : null, customerId: r.customerId, currency: r.currency,
    net: f(r.net), tax: f(r.tax), total: f(r.total), vatBreakdown: vatBreakdownView(vatBreakdownOf(r), r.currency), issueDate: r.issueDate, dueDate: issued && 'dueDate' in r ? r.dueDate : null,
    status: issued ? 'issued' : 'pending_approval',
    terms: r.terms ? termsView(r.terms) : undefined,
    creditDecision: decisionView(r.creditDecision, r.currency),
    position: r.position,
  };
}

@ApiTags('invoices')
@Controller('invoices')
export class InvoiceApprovalsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/approve')
  @ApiCommand({ also: [202], status: 200, errors: { 404: ['INVOICE_NOT_FOUND'] } })
  @Requires('invoices:approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve an invoice held for approval, with a reason: it is issued with the next number and becomes a receivable' })
  async approve(@Param('id') id: string, @Body() dto: ApproveInvoiceDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<ApproveInvoiceCommand, ApprovedInvoice>(new ApproveInvoiceCommand(id, dto.reason, dto.issueDate, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    if (r.pending) {
      // The number is reserved with the approved invoice; its InvoiceIssued follows (ADR 0046).
      res.status(202);
      return { ...issuedView(r), status: 'number_reserved', completion: { state: 'pending', reason: r.pending } };
    }
    return issuedView(r);
  }

  @Post(':id/reject')
  @ApiCommand({ status: 200, errors: { 404: ['INVOICE_NOT_FOUND'] } })
  @Requires('invoices:approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject an invoice held for approval, with a reason: it never becomes a receivable and takes no number' })
  async reject(@Param('id') id: string, @Body() dto: RejectInvoiceDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<RejectInvoiceCommand, RejectedInvoice>(new RejectInvoiceCommand(id, dto.reason, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { id: r.invoiceId, customerId: r.customerId, status: 'rejected', reason: r.reason, position: r.position };
  }
}
