import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ChangeCreditLimitCommand, ChangeCustomerDetailsCommand, DecideLimitIncreaseCommand, RegisterCustomerCommand, type CustomerResult, type DetailsResult } from '../../../../libs/application/commands/customer.commands';
import { GetCustomerProfileQuery, type CustomerProfile } from '../../../../libs/application/queries/customer.queries';
import { EraseCustomerCommand, type ErasureResult } from '../../../../libs/application/commands/erasure.commands';
import {
  AssessCreditCommand, ChangeCreditPolicyCommand, ChangePaymentTermsCommand, PlaceCreditHoldCommand, ReleaseCreditHoldCommand, type CreditCommandResult,
} from '../../../../libs/application/commands/credit.commands';
import type { AppConfig } from '../../../../libs/application/config';
import { GetCustomerCreditQuery } from '../../../../libs/application/queries/credit.queries';
import { GetBalanceQuery, type QueryResult } from '../../../../libs/application/queries/queries';
import { APP_CONFIG } from '../../../../libs/application/tokens';
import type { CreditAssessed, PaymentTermsChanged } from '../../../../libs/domain/credit/credit.events';
import { termsView } from '../../../../libs/domain/credit/terms-policy';
import { dateOfInstant } from '../../../../libs/domain/shared/dates';
import { formatAmount, parseAmount } from '../../../../libs/domain/shared/money';
import type { CreditExposure, OpenBalance } from '../../../../projections';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { setFreshness } from '../http/freshness';
import { ChangeCreditPolicyDto, ChangePaymentTermsDto, CreditAssessmentDto, ReasonDto } from './credit.dto';
import { assessmentView, creditView } from './credit.view';
import { ChangeCreditLimitDto, ChangeCustomerDetailsDto, detailsOf, RegisterCustomerDto } from './customers.dto';
import { Requires } from '../auth/requires.decorator';
import { ApiCommand, ApiRead } from '../http/api-contract';

/** 200 changed (or unchanged, or rejected), 202 waiting for a second principal's approval. */
function limitBody(r: CustomerResult, res: Response) {
  if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
  if (r.status === 'pending_approval') res.status(202);
  const f = (m: number) => formatAmount(m, r.currency);
  const request = r.request ? {
    ...r.request, newLimit: f(r.request.newLimit), ...(r.request.approvalAbove !== undefined ? { approvalAbove: f(r.request.approvalAbove) } : {}),
  } : null;
  return {
    id: r.customerId, currency: r.currency, status: r.status, creditLimit: f(r.creditLimit), previousLimit: f(r.previousLimit ?? r.creditLimit), request, position: r.position,
  };
}

@ApiTags('customers')
@Controller('customers')
export class CustomersController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Post()
  @ApiCommand()
  @Requires('customers:write')
  @ApiOperation({ summary: 'Register a customer with a credit limit and payment terms' })
  async register(@Body() dto: RegisterCustomerDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const creditLimit = parseAmount(dto.creditLimit, dto.currency, 'creditLimit');
    const details = detailsOf(dto);
    const r = await this.commands.execute<RegisterCustomerCommand, CustomerResult>(
      new RegisterCustomerCommand(dto.id ?? cmd.newId(), dto.name, dto.currency, creditLimit, dto.paymentTermsDays ?? 30, cmd, dto.country, dto.creditPolicy, dto.termsAgreedBeyondCap,
        Object.keys(details).length > 0 ? details : undefined));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { id: r.customerId, position: r.position };
  }

  @Get(':id')
  @Requires('ledger:read')
  @ApiRead({ errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @ApiOperation({ summary: 'The customer\'s master data: name, currency, country, language, contacts, legal identifiers, default payment method, account manager; erased: true once its personal data was erased' })
  async profile(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<CustomerProfile> {
    const r = await this.queries.execute<GetCustomerProfileQuery, QueryResult<CustomerProfile>>(new GetCustomerProfileQuery(id));
    setFreshness(res, r);
    return r.value;
  }

  @Patch(':id')
  @Requires('customers:write')
  @HttpCode(200)
  @ApiCommand({ status: 200, readsBack: true, errors: { 404: ['CUSTOMER_NOT_FOUND'], 409: ['CUSTOMER_ERASED'] } })
  @ApiOperation({ summary: 'Change master data (only the fields given; null clears a nullable one), with a reason: one CustomerDetailsChanged with only what differs' })
  async changeDetails(@Param('id') id: string, @Body() dto: ChangeCustomerDetailsDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<ChangeCustomerDetailsCommand, DetailsResult>(new ChangeCustomerDetailsCommand(id, detailsOf(dto, true), dto.reason, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    const p = await this.queries.execute<GetCustomerProfileQuery, QueryResult<CustomerProfile>>(new GetCustomerProfileQuery(id));
    setFreshness(res, p);
    return { ...p.value, changed: r.changed, position: r.position };
  }

  @Post(':id/erase')
  @Requires('customers:erase')
  @HttpCode(200)
  @ApiCommand({ status: 200, errors: { 404: ['CUSTOMER_NOT_FOUND'], 409: ['RETENTION_PERIOD_ACTIVE', 'PERSONAL_DATA_IN_CLEAR', 'CUSTOMER_ERASED'] } })
  @ApiOperation({ summary: 'Erase the customer\'s personal data (GDPR art. 17): its data key is destroyed and CustomerErased recorded; amounts, journal and verification unchanged. 409 RETENTION_PERIOD_ACTIVE while it has entries inside AR_RETENTION_YEARS (Code de commerce L123-22)' })
  async erase(@Param('id') id: string, @Body() dto: ReasonDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<EraseCustomerCommand, ErasureResult>(new EraseCustomerCommand(id, dto.reason, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { id: r.customerId, erased: true, erasedOn: r.erasedOn, retention: r.retention, bankEntries: r.bankEntries, position: r.position };
  }

  @Put(':id/credit-limit')
  @ApiCommand({ also: [202], status: 200, errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('credit:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change the credit limit, with a reason' })
  async changeLimit(@Param('id') id: string, @Body() dto: ChangeCreditLimitDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<ChangeCreditLimitCommand, CustomerResult>(new ChangeCreditLimitCommand(id, dto.amount, dto.reason, cmd, dto.assessmentId));
    return limitBody(r, res);
  }

  @Post(':id/credit-limit/approve')
  @ApiCommand({ status: 200, errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('credit:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve the credit-limit increase waiting for a second principal (four eyes: not its requester): the limit changes' })
  async approveLimit(@Param('id') id: string, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    return limitBody(await this.commands.execute<DecideLimitIncreaseCommand, CustomerResult>(new DecideLimitIncreaseCommand(id, 'approve', undefined, cmd)), res);
  }

  @Post(':id/credit-limit/reject')
  @ApiCommand({ status: 200, errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('credit:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject (or, by its requester, withdraw) the credit-limit increase waiting for approval, with a reason' })
  async rejectLimit(@Param('id') id: string, @Body() dto: ReasonDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    return limitBody(await this.commands.execute<DecideLimitIncreaseCommand, CustomerResult>(new DecideLimitIncreaseCommand(id, 'reject', dto.reason, cmd)), res);
  }

  @Get(':id/balance')
  @ApiRead({ errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('ledger:read')
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

  @Put(':id/payment-terms')
  @ApiCommand({ status: 200, errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('credit:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change the payment terms (template or object), with a reason; beyond the country’s legal cap only if agreedBeyondCap' })
  async changeTerms(@Param('id') id: string, @Body() dto: ChangePaymentTermsDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<ChangePaymentTermsCommand, CreditCommandResult>(new ChangePaymentTermsCommand(id, dto.terms, dto.reason, dto.agreedBeyondCap === true, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    const changed = r.events.find((e): e is PaymentTermsChanged & { position: number } => e.type === 'PaymentTermsChanged');
    return {
      id: r.customerId,
      terms: termsView(r.state.terms),
      previousTerms: termsView(changed ? changed.data.previousTerms : r.state.terms),
      beyondLegalCap: changed ? changed.data.beyondLegalCap : r.state.termsAgreedBeyondCap,
      agreedBeyondCap: r.state.termsAgreedBeyondCap,
      legalCap: changed ? changed.data.legalCap : undefined,
      position: r.position,
    };
  }

  @Put(':id/credit-policy')
  @ApiCommand({ status: 200, errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('credit:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set the customer’s credit policy over the limit (reject | hold_for_approval | default), with a reason' })
  async changePolicy(@Param('id') id: string, @Body() dto: ChangeCreditPolicyDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const policy = dto.policy === 'default' ? null : dto.policy;
    const r = await this.commands.execute<ChangeCreditPolicyCommand, CreditCommandResult>(new ChangeCreditPolicyCommand(id, policy, dto.reason, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    const p = r.state.creditPolicy;
    return { id: r.customerId, policy: p ?? this.config.creditPolicy, source: p === null ? 'global' : 'customer', position: r.position };
  }

  @Post(':id/credit-hold')
  @ApiCommand({ errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('credit:write')
  @ApiOperation({ summary: 'Place a manual credit hold (blocage), with a reason: new invoices and approvals are refused' })
  async placeHold(@Param('id') id: string, @Body() dto: ReasonDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<PlaceCreditHoldCommand, CreditCommandResult>(new PlaceCreditHoldCommand(id, 'manual', dto.reason, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { id: r.customerId, onHold: true, holds: holdsOf(r), position: r.position };
  }

  @Delete(':id/credit-hold')
  @ApiCommand({ status: 200, errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('credit:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Release every credit hold in force (manual and policy), with a reason in the body' })
  async releaseHold(@Param('id') id: string, @Body() dto: ReasonDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<ReleaseCreditHoldCommand, CreditCommandResult>(new ReleaseCreditHoldCommand(id, 'all', dto.reason, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    const released = r.events.filter((e) => e.type === 'CreditHoldReleased').map((e) => (e.data as { kind: string }).kind);
    return { id: r.customerId, released, onHold: holdsOf(r).length > 0, holds: holdsOf(r), position: r.position };
  }

  @Post(':id/credit-assessments')
  @ApiCommand({ errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('credit:write')
  @ApiOperation({ summary: 'Assess the customer: Altman Z\'\', own payment behaviour, years in business, external rating → score, rating, recommended limit and terms, with the breakdown' })
  async assess(@Param('id') id: string, @Body() dto: CreditAssessmentDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const r = await this.commands.execute<AssessCreditCommand, CreditCommandResult>(new AssessCreditCommand(id, {
      assessmentId: dto.id ?? cmd.newId(),
      assessedOn: dto.assessedOn ?? dateOfInstant(cmd.recordedAt),
      financials: { ...(dto.financials ?? {}) },
      yearsInBusiness: dto.yearsInBusiness,
      externalRating: dto.externalRating ? { agency: dto.externalRating.agency, grade: dto.externalRating.grade } : undefined,
    }, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    const assessed = r.events.find((e): e is CreditAssessed & { position: number } => e.type === 'CreditAssessed');
    if (!assessed) throw new Error('an assessment must record CreditAssessed');
    return { id: r.customerId, ...assessmentView(assessed.data), position: r.position };
  }

  @Get(':id/credit')
  @ApiRead({ errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('ledger:read')
  @ApiOperation({ summary: 'Credit position: limit, terms, policy, holds, exposure, available credit, utilisation, latest assessment with its breakdown' })
  async credit(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetCustomerCreditQuery, QueryResult<CreditExposure>>(new GetCustomerCreditQuery(id));
    setFreshness(res, r);
    return creditView(r.value, this.config.creditPolicy);
  }
}

function holdsOf(r: CreditCommandResult): Array<{ kind: string; reason: string }> {
  return (['manual', 'policy'] as const).flatMap((kind) => (r.state.holds[kind] ? [{ kind, reason: r.state.holds[kind]!.reason }] : []));
}
