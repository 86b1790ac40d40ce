import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ChangeCreditLimitCommand, RegisterCustomerCommand, type CustomerResult } from '../../../../libs/application/commands/customer.commands';
import { GetBalanceQuery, type QueryResult } from '../../../../libs/application/queries/queries';
import { formatAmount, parseAmount } from '../../../../libs/domain/shared/money';
import type { OpenBalance } from '../../../../projections';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { setFreshness } from '../http/freshness';
import { ChangeCreditLimitDto, RegisterCustomerDto } from './customers.dto';

@ApiTags('customers')
@Controller('customers')
export class CustomersController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @Post()
  @ApiOperation({ summary: 'Register a customer with a credit limit and payment terms' })
  async register(@Body() dto: RegisterCustomerDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const creditLimit = parseAmount(dto.creditLimit, dto.currency, 'creditLimit');
    const r = await this.commands.execute<RegisterCustomerCommand, CustomerResult>(
      new RegisterCustomerCommand(dto.id ?? cmd.newId(), dto.name, dto.currency, creditLimit, dto.paymentTermsDays ?? 30, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { id: r.customerId, position: r.position };
  }

  @Put(':id/credit-limit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change the credit limit, with a reason' })
  async changeLimit(@Param('id') id: string, @Body() dto: ChangeCreditLimitDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<ChangeCreditLimitCommand, CustomerResult>(new ChangeCreditLimitCommand(id, dto.amount, dto.reason, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return {
      id: r.customerId,
      currency: r.currency,
      creditLimit: formatAmount(r.creditLimit, r.currency),
      previousLimit: formatAmount(r.previousLimit ?? r.creditLimit, r.currency),
      position: r.position,
    };
  }

  @Get(':id/balance')
  @ApiOperation({ summary: 'Open balance: invoiced, paid, outstanding, unapplied credit, limit, available credit' })
  async balance(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetBalanceQuery, QueryResult<OpenBalance>>(new GetBalanceQuery(id));
    setFreshness(res, r);
    const b = r.value;
    const f = (minor: number) => formatAmount(minor, b.currency);
    return {
      customerId: b.customerId, name: b.name, currency: b.currency,
      invoiced: f(b.invoiced), paid: f(b.paid), outstanding: f(b.outstanding), unapplied: f(b.unapplied),
      creditLimit: f(b.creditLimit), availableCredit: f(b.availableCredit),
      invoiceCount: b.invoiceCount, openInvoiceCount: b.openInvoiceCount,
    };
  }
}
