import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ApplyCreditCommand, ApproveWriteOffCommand, ReallocatePaymentCommand, RefundCreditCommand, RejectWriteOffCommand, ReversePaymentCommand, WriteOffInvoiceCommand,
  type CreditMovement, type PaymentChange, type Reallocation, type WrittenOff,
} from '../../../../libs/application/commands/collection.commands';
import { GetCustomerCreditsQuery, GetPaymentsForReviewQuery, type CustomerCreditLine, type PaymentForReview } from '../../../../libs/application/queries/collection.queries';
import type { QueryResult } from '../../../../libs/application/queries/queries';
import { dateOfInstant } from '../../../../libs/domain/shared/dates';
import { formatAmount } from '../../../../libs/domain/shared/money';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { setFreshness } from '../http/freshness';
import { ApplyCreditDto, ReallocatePaymentDto, RefundDto, ReversePaymentDto, WriteOffDecisionDto, WriteOffDto } from './collections.dto';
import { Requires } from '../auth/requires.decorator';
import { ApiCommand, ApiRead } from '../http/api-contract';

const today = (cmd: HttpCommand) => dateOfInstant(cmd.recordedAt);

function paymentBody(r: PaymentChange) {
  const f = (m: number) => formatAmount(m, r.currency);
  return {
    id: r.paymentId, customerId: r.customerId, currency: r.currency, status: r.reversed ? 'reversed' : 'recorded',
    allocations: r.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: f(a.amount) })), unapplied: f(r.unapplied), position: r.position,
  };
}

/** 200 written off (or rejected), 202 waiting for a second principal's approval. */
function writeOffBody(r: WrittenOff, res: Response) {
  if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
  if (r.status === 'pending_approval') res.status(202);
  const f = (m: number) => formatAmount(m, r.currency);
  const request = r.request === null ? null : {
    ...r.request, ...(r.request.approvalAbove !== undefined ? { approvalAbove: f(r.request.approvalAbove) } : {}),
  };
  return {
    invoiceId: r.invoiceId, customerId: r.customerId, currency: r.currency, status: r.status,
    ...(r.status === 'pending_approval' ? { amount: f(r.amount) } : { writtenOff: f(r.amount) }),
    outstanding: f(r.outstanding), request, position: r.position,
  };
}

function creditBody(r: CreditMovement) {
  const f = (m: number) => formatAmount(m, r.currency);
  return {
    id: r.id, customerId: r.customerId, currency: r.currency, amount: f(r.total),
    parts: r.parts.map((p) => ({ paymentId: p.paymentId, ...(p.invoiceId ? { invoiceId: p.invoiceId } : {}), amount: f(p.amount) })),
    remainingCredit: f(r.remainingCredit), position: r.position,
  };
}

/** Collections over HTTP: re-allocation, reversal, customer credit (apply, refund), write-off. */
@ApiTags('collections')
@Controller()
export class CollectionsController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @Post('payments/:id/reallocate')
  @ApiCommand({ status: 200, errors: { 404: ['PAYMENT_NOT_FOUND'] } })
  @Requires('payments:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move an applied amount of a payment to another invoice of the same customer, or back to its credit' })
  async reallocate(@Param('id') id: string, @Body() dto: ReallocatePaymentDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<ReallocatePaymentCommand, Reallocation>(
      new ReallocatePaymentCommand(id, dto.fromInvoiceId, dto.toInvoiceId ?? null, dto.amount, dto.on ?? null, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    // Which date the corrected lettering takes effect on, and why (explicit, receipt, allocation, target_issue_date).
    return { ...paymentBody(r), appliesOn: r.appliesOn, dateRule: r.dateRule };
  }

  @Post('payments/:id/reverse')
  @ApiCommand({ status: 200, errors: { 404: ['PAYMENT_NOT_FOUND'] } })
  @Requires('payments:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reverse a payment (bounced, charge-back): every allocation is undone and the invoices reopen' })
  async reverse(@Param('id') id: string, @Body() dto: ReversePaymentDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<ReversePaymentCommand, PaymentChange>(new ReversePaymentCommand(id, dto.reason, dto.on ?? today(cmd), cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return paymentBody(r);
  }

  @Post('customers/:id/apply-credit')
  @ApiCommand({ status: 200, errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('payments:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply customer credit (unapplied cash, oldest first) to an invoice or to the oldest due invoices' })
  async applyCredit(@Param('id') id: string, @Body() dto: ApplyCreditDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<ApplyCreditCommand, CreditMovement>(
      new ApplyCreditCommand(id, dto.invoiceId ?? null, dto.amount ?? null, dto.on ?? today(cmd), cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return creditBody(r);
  }

  @Post('customers/:id/refunds')
  @ApiCommand({ errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('payments:write')
  @ApiOperation({ summary: 'Pay customer credit back (oldest unapplied cash first)' })
  async refund(@Param('id') id: string, @Body() dto: RefundDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<RefundCreditCommand, CreditMovement>(
      new RefundCreditCommand(id, dto.id ?? cmd.newId(), dto.amount, dto.on ?? today(cmd), dto.method, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return creditBody(r);
  }

  @Post('invoices/:id/write-off')
  @ApiCommand({ also: [202], status: 200, errors: { 404: ['INVOICE_NOT_FOUND'] } })
  @Requires('write-offs:approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Write off all or part of an invoice’s outstanding (reason recorded, approver = the principal); above AR_WRITE_OFF_APPROVAL_ABOVE: 202, a request for a second principal' })
  async writeOff(@Param('id') id: string, @Body() dto: WriteOffDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<WriteOffInvoiceCommand, WrittenOff>(
      new WriteOffInvoiceCommand(id, dto.amount ?? null, dto.reason, dto.approvedBy ?? null, dto.on ?? today(cmd), cmd));
    return writeOffBody(r, res);
  }

  @Post('invoices/:id/write-off/approve')
  @ApiCommand({ status: 200, errors: { 404: ['INVOICE_NOT_FOUND'] } })
  @Requires('write-offs:approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve the write-off request waiting on an invoice (four eyes: not its requester): the invoice is written off' })
  async approveWriteOff(@Param('id') id: string, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    return writeOffBody(await this.commands.execute<ApproveWriteOffCommand, WrittenOff>(new ApproveWriteOffCommand(id, cmd)), res);
  }

  @Post('invoices/:id/write-off/reject')
  @ApiCommand({ status: 200, errors: { 404: ['INVOICE_NOT_FOUND'] } })
  @Requires('write-offs:approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject (or, by its requester, withdraw) the write-off request waiting on an invoice, with a reason' })
  async rejectWriteOff(@Param('id') id: string, @Body() dto: WriteOffDecisionDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    return writeOffBody(await this.commands.execute<RejectWriteOffCommand, WrittenOff>(new RejectWriteOffCommand(id, dto.reason, cmd)), res);
  }

  @Get('reports/customer-credit')
  @ApiRead()
  @Requires('reports:read')
  @ApiOperation({ summary: 'Customer credit (unapplied cash) per customer as of a date' })
  @ApiQuery({ name: 'asOf', example: '2026-12-31' })
  async credits(@Query('asOf') asOf: string, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetCustomerCreditsQuery, QueryResult<CustomerCreditLine[]>>(new GetCustomerCreditsQuery(asOf));
    setFreshness(res, r);
    return { asOf, customers: r.value.map((l) => ({ customerId: l.customerId, currency: l.currency, credit: formatAmount(l.amount, l.currency) })) };
  }

  @Requires('reports:read')
  @Get('reports/payments-for-review')
  @ApiRead()
  @ApiOperation({ summary: 'Payments held unapplied for a person: their reference named no open invoice of the customer' })
  @ApiQuery({ name: 'customerId', required: false })
  async forReview(@Query('customerId') customerId: string | undefined, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetPaymentsForReviewQuery, QueryResult<PaymentForReview[]>>(new GetPaymentsForReviewQuery(customerId ?? null));
    setFreshness(res, r);
    return {
      payments: r.value.map((p) => ({
        paymentId: p.paymentId, customerId: p.customerId, currency: p.currency, reference: p.reference, reason: p.reason, receivedOn: p.receivedOn,
        unapplied: formatAmount(p.unapplied, p.currency),
      })),
    };
  }
}
