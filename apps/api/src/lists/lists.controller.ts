import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { QueryResult } from '../../../../libs/application/queries/queries';
import type { Page } from '../../../../libs/application/queries/lists/list-page';
import {
  GetCreditNoteQuery, GetDisputeQuery, GetPaymentQuery, ListCreditNotesQuery, ListCustomersQuery, ListDisputesQuery, ListInvoicesQuery,
  ListPaymentPlansQuery, ListPaymentsQuery, type DisputeListItem, type InvoiceListItem,
} from '../../../../libs/application/queries/lists/list.queries';
import type { ListParams } from '../../../../libs/application/queries/lists/list-filters';
import type { CreditNoteView, OpenBalance, PaymentPlanView, PaymentView } from '../../../../projections';
import { Requires } from '../auth/requires.decorator';
import { ApiList, ApiRead } from '../http/api-contract';
import { setFreshness } from '../http/freshness';
import { creditNoteItem, customerItem, disputeItem, invoiceItem, paymentDetail, paymentItem, paymentPlanItem } from './list-views';

function pageBody<T, U>(page: Page<T>, view: (t: T) => U) {
  return { items: page.items.map(view), next: page.next, total: page.total };
}

/**
 * The back-office lists (ADR 0069): filters, a sort on an indexed field, cursor pagination
 * (`limit` ≤ 500, `cursor`, `next`), the total of matches; read-your-writes as every read.
 */
@Controller()
export class ListsController {
  constructor(private readonly queries: QueryBus) {}

  private async run<T, U>(query: object, res: Response, view: (t: T) => U) {
    const r = await this.queries.execute<object, QueryResult<Page<T>>>(query);
    setFreshness(res, r);
    return pageBody(r.value, view);
  }

  @Get('customers')
  @ApiTags('customers')
  @Requires('ledger:read')
  @ApiOperation({ summary: 'List customers with their balances: text on the name, currency, country, outstanding range; sort by name or outstanding' })
  @ApiList({ sorts: ['name', 'outstanding', 'id'], filters: { q: 'Text in the name (case-insensitive)', currency: 'ISO 4217', country: 'ISO 3166-1 alpha-2', minAmount: 'Outstanding ≥ (decimal string; needs currency)', maxAmount: 'Outstanding ≤ (decimal string; needs currency)' } })
  async customers(@Query() params: ListParams, @Res({ passthrough: true }) res: Response) {
    return this.run<OpenBalance, ReturnType<typeof customerItem>>(new ListCustomersQuery(params), res, customerItem);
  }

  @Get('invoices')
  @ApiTags('invoices')
  @Requires('ledger:read')
  @ApiOperation({ summary: 'List invoices (the collectors’ worklist): customer, status, due and issue dates, overdue as of a date, amount ranges, currency, text on number or customer name' })
  @ApiList({ sorts: ['dueDate', 'issueDate', 'number', 'amount', 'outstanding', 'customerId', 'id'], filters: { customerId: 'One customer', status: 'Comma-separated: issued, partially_paid, paid, disputed, in_payment_plan, in_collection, written_off, cancelled, open, overdue (needs overdueAsOf)', currency: 'ISO 4217', dueBefore: 'Due date < (YYYY-MM-DD)', dueAfter: 'Due date > (YYYY-MM-DD)', from: 'Issue date ≥', to: 'Issue date ≤', overdueAsOf: 'Still owing and due before this date (adds daysPastDue)', minAmount: 'Total ≥ (needs currency)', maxAmount: 'Total ≤ (needs currency)', minOutstanding: 'Open amount ≥ (needs currency)', maxOutstanding: 'Open amount ≤ (needs currency)', disputed: 'true | false', q: 'Text in the number or the customer name' } })
  async invoices(@Query() params: ListParams, @Res({ passthrough: true }) res: Response) {
    return this.run<InvoiceListItem, ReturnType<typeof invoiceItem>>(new ListInvoicesQuery(params), res, invoiceItem);
  }

  @Get('payments')
  @ApiTags('payments')
  @Requires('ledger:read')
  @ApiOperation({ summary: 'List payments: customer, status of their cash, received dates, amount range, held for review, text on reference' })
  @ApiList({ sorts: ['receivedOn', 'amount', 'unapplied', 'id'], filters: { customerId: 'One customer', status: 'Comma-separated: unapplied, partially_applied, applied, refunded, reversed', currency: 'ISO 4217', from: 'Received ≥', to: 'Received ≤', minAmount: 'Amount ≥ (needs currency)', maxAmount: 'Amount ≤ (needs currency)', heldForReview: 'true | false', q: 'Text in the reference or id' } })
  async payments(@Query() params: ListParams, @Res({ passthrough: true }) res: Response) {
    return this.run<PaymentView, ReturnType<typeof paymentItem>>(new ListPaymentsQuery(params), res, paymentItem);
  }

  @Get('payments/:id')
  @ApiTags('payments')
  @Requires('ledger:read')
  @ApiOperation({ summary: 'One payment: amount, what is on invoices (allocations), unapplied, refunded, reversal' })
  @ApiRead({ errors: { 404: ['PAYMENT_NOT_FOUND'] } })
  async payment(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetPaymentQuery, QueryResult<PaymentView>>(new GetPaymentQuery(id));
    setFreshness(res, r);
    return paymentDetail(r.value);
  }

  @Get('credit-notes')
  @ApiTags('credit notes')
  @Requires('ledger:read')
  @ApiOperation({ summary: 'List credit notes: customer, invoice, open or used, issue dates, amount range, text on number' })
  @ApiList({ sorts: ['issueDate', 'number', 'amount', 'id'], filters: { customerId: 'One customer', invoiceId: 'One invoice', status: 'open | used', currency: 'ISO 4217', from: 'Issued ≥', to: 'Issued ≤', minAmount: 'Total ≥ (needs currency)', maxAmount: 'Total ≤ (needs currency)', q: 'Text in the number' } })
  async creditNotes(@Query() params: ListParams, @Res({ passthrough: true }) res: Response) {
    return this.run<CreditNoteView, ReturnType<typeof creditNoteItem>>(new ListCreditNotesQuery(params), res, creditNoteItem);
  }

  @Get('credit-notes/:id')
  @ApiTags('credit notes')
  @Requires('ledger:read')
  @ApiOperation({ summary: 'One credit note: totals, what went on its invoice, later allocations, refunds, what is left as customer credit' })
  @ApiRead({ errors: { 404: ['CREDIT_NOTE_NOT_FOUND'] } })
  async creditNote(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetCreditNoteQuery, QueryResult<CreditNoteView>>(new GetCreditNoteQuery(id));
    setFreshness(res, r);
    return creditNoteItem(r.value);
  }

  @Get('disputes')
  @ApiTags('disputes')
  @Requires('ledger:read')
  @ApiOperation({ summary: 'List disputes: customer, invoice, open or outcome, opened dates, text on the reason' })
  @ApiList({ sorts: ['openedOn', 'amount', 'id'], filters: { customerId: 'One customer', invoiceId: 'One invoice', status: 'open | accepted | rejected', from: 'Opened ≥', to: 'Opened ≤', q: 'Text in the reason' } })
  async disputes(@Query() params: ListParams, @Res({ passthrough: true }) res: Response) {
    return this.run<DisputeListItem, ReturnType<typeof disputeItem>>(new ListDisputesQuery(params), res, disputeItem);
  }

  @Get('disputes/:id')
  @ApiTags('disputes')
  @Requires('ledger:read')
  @ApiOperation({ summary: 'One dispute: amount contested, reason, outcome, agreed amount and its credit note' })
  @ApiRead({ errors: { 404: ['DISPUTE_NOT_FOUND'] } })
  async dispute(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetDisputeQuery, QueryResult<DisputeListItem>>(new GetDisputeQuery(id));
    setFreshness(res, r);
    return disputeItem(r.value);
  }

  @Get('payment-plans')
  @ApiTags('payment plans')
  @Requires('ledger:read')
  @ApiOperation({ summary: 'List payment plans: customer, active/broken/completed, agreed dates, amount range' })
  @ApiList({ sorts: ['agreedOn', 'total', 'id'], filters: { customerId: 'One customer', status: 'active | broken | completed', currency: 'ISO 4217', from: 'Agreed ≥', to: 'Agreed ≤', minAmount: 'Total ≥ (needs currency)', maxAmount: 'Total ≤ (needs currency)' } })
  async paymentPlans(@Query() params: ListParams, @Res({ passthrough: true }) res: Response) {
    return this.run<PaymentPlanView, ReturnType<typeof paymentPlanItem>>(new ListPaymentPlansQuery(params), res, paymentPlanItem);
  }
}
