import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import type { Request, Response } from 'express';
import {
  AcceptSuggestionCommand, ImportBankStatementCommand, MatchBankEntryCommand, RejectSuggestionCommand, SaveCsvMappingCommand, loadCsvMapping, type ImportResult,
} from '../../../../libs/application/cash/cash.commands';
import { parseStatementFile } from '../../../../libs/application/cash/parse-statement';
import { EventSourcedRepository } from '../../../../libs/application/event-sourced-repository';
import { ReadModels } from '../../../../libs/application/read-models';
import { PersonalData, compactIban } from '../../../../libs/application/privacy/personal-data';
import { ERASED_MARKER } from '../../../../libs/domain/customer/customer.events';
import type { RecordedPayment } from '../../../../libs/application/commands/payment.commands';
import type { Candidate } from '../../../../libs/domain/cash/matching';
import { DomainError } from '../../../../libs/domain/shared/errors';
import { formatAmount } from '../../../../libs/domain/shared/money';
import type { BankEntryView } from '../../../../projections';
import { Requires } from '../auth/requires.decorator';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { AMOUNT, AMOUNT_MESSAGE, ID, ID_MESSAGE } from '../http/dto-rules';
import { setFreshness } from '../http/freshness';
import { ApiCommand, ApiRead } from '../http/api-contract';
import { edgeError, STATEMENT_MEDIA_TYPES } from '../http/edge';

export class AllocationDto {
  @ApiProperty({ example: 'inv-2026-001' }) @IsString() @Matches(ID, { message: ID_MESSAGE }) invoiceId!: string;
  @ApiProperty({ example: '1200.00' }) @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE }) amount!: string;
}

export class AcceptSuggestionDto {
  @ApiPropertyOptional({ example: 0, description: 'Which suggested candidate (default the first)' })
  @IsOptional() @IsInt() @Min(0) candidate?: number;
  @ApiPropertyOptional({ description: 'Another customer than the candidate\'s (with allocations)' })
  @IsOptional() @IsString() @Matches(ID, { message: ID_MESSAGE }) customerId?: string;
  @ApiPropertyOptional({ type: [AllocationDto], description: 'The candidate\'s allocations edited by the clerk' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => AllocationDto) allocations?: AllocationDto[];
  @ApiPropertyOptional({ example: true, description: 'Write what the receipt leaves owing on its one invoice off as bank fees (627), at most AR_CASH_FEE_TOLERANCE (ADR 0088)' })
  @IsOptional() @IsBoolean() acceptBankFees?: boolean;
}

export class RejectSuggestionDto {
  @ApiProperty({ example: 'Not our customer: a refund from a supplier' }) @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

export class ManualMatchDto {
  @ApiProperty({ example: 'acme' }) @IsString() @Matches(ID, { message: ID_MESSAGE }) customerId!: string;
  @ApiProperty({ type: [AllocationDto], description: 'Invoices paid; what is left stays as customer credit ([] = all credit)' })
  @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => AllocationDto) allocations!: AllocationDto[];
  @ApiPropertyOptional({ example: '7.50', description: 'Bank fees deducted from the entry, written off to 627 on its one invoice: exactly what the receipt leaves owing, at most AR_CASH_FEE_TOLERANCE (ADR 0088)' })
  @IsOptional() @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE }) bankFees?: string;
}

const ENTRY_STATUSES = ['unmatched', 'suggested', 'matched', 'rejected', 'debit', 'return_applied'];

/** Bank statement import, the suggestions queue and manual matching (issue 18; ADR 0085–0087). */
@ApiTags('cash-application')
@Controller()
export class CashController {
  constructor(private readonly commands: CommandBus, private readonly readModels: ReadModels, private readonly repo: EventSourcedRepository, private readonly pii: PersonalData) {}

  @Post('bank-statements')
  @Requires('payments:write')
  @HttpCode(200)
  @ApiCommand({ status: 200, errors: { 400: ['STATEMENT_MALFORMED', 'CSV_MAPPING_REQUIRED'], 404: ['CSV_MAPPING_NOT_FOUND'], 409: ['READ_MODEL_BEHIND'], 422: ['PERIOD_CLOSED'] } })
  @ApiConsumes('application/xml', 'text/plain', 'text/csv')
  @ApiBody({ description: 'The statement file: camt.053 (application/xml), CFONB 120 (text/plain), CSV (text/csv, with ?mapping=NAME)', schema: { type: 'string' } })
  @ApiQuery({ name: 'mapping', required: false, description: 'Saved CSV column mapping (text/csv only)' })
  @ApiOperation({ summary: 'Import a bank statement: new entries recorded, receipts matched and applied, suggestions queued, returns reversed; idempotent by statement and entry reference' })
  async importStatement(@Req() req: Request, @Headers('content-type') type: string | undefined, @Query('mapping') mappingName: string | undefined, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    const body = req.body as unknown;
    if (!Buffer.isBuffer(body)) {
      throw edgeError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_MEDIA_TYPE', `A statement is sent as the file itself: Content-Type ${STATEMENT_MEDIA_TYPES.join(', ')}`, { field: 'Content-Type', contentType: (type ?? 'none').slice(0, 200) });
    }
    const mapping = mappingName !== undefined ? await loadCsvMapping(this.repo, mappingName) : undefined;
    const parsed = parseStatementFile(body, type ?? '', mapping);
    const r = await this.commands.execute<ImportBankStatementCommand, ImportResult>(new ImportBankStatementCommand(parsed, cmd));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return {
      ...r,
      entries: r.entries.map((e) => ({
        ...e, amount: formatAmount(e.amount, e.currency),
        ...(e.allocations ? { allocations: e.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: formatAmount(a.amount, e.currency) })) } : {}),
      })),
    };
  }

  @Put('bank-statements/csv-mappings/:name')
  @Requires('payments:write')
  @ApiCommand({ status: 200, errors: { 400: ['CSV_MAPPING_INVALID', 'CSV_MAPPING_NAME_INVALID'] } })
  @ApiOperation({ summary: 'Save a CSV column mapping under a name (a new version replaces the old; each is an event)' })
  async saveMapping(@Param('name') name: string, @Body() body: Record<string, unknown>, @Command() cmd: HttpCommand) {
    const r = await this.commands.execute<SaveCsvMappingCommand, { mapping: unknown; position: number }>(new SaveCsvMappingCommand(name, body, cmd));
    return r;
  }

  @Get('bank-statements/csv-mappings/:name')
  @Requires('ledger:read')
  @ApiRead({ freshness: false, errors: { 404: ['CSV_MAPPING_NOT_FOUND'] } })
  @ApiOperation({ summary: 'A saved CSV column mapping' })
  async getMapping(@Param('name') name: string) {
    return loadCsvMapping(this.repo, name);
  }

  @Get('cash-application/suggestions')
  @Requires('ledger:read')
  @ApiRead()
  @ApiOperation({ summary: 'Bank entries waiting for a clerk, with their candidates, confidence and evidence (oldest first)' })
  async suggestions(@Res({ passthrough: true }) res: Response) {
    const f = await this.readModels.catchUp(['bank-entries']);
    setFreshness(res, f);
    const docs = await this.readModels.find<BankEntryView>('bank-entries', { kind: 'entry', status: 'suggested' }, { sort: [['bookingDate', 1]] });
    return { items: await Promise.all(docs.map((d) => entryView(d, this.pii))), count: docs.length };
  }

  @Get('bank-entries')
  @Requires('ledger:read')
  @ApiRead({ errors: { 400: ['STATUS_UNKNOWN'] } })
  @ApiQuery({ name: 'status', required: false, enum: ENTRY_STATUSES, description: 'unmatched = the suspense list (account 471)' })
  @ApiOperation({ summary: 'Bank entries by status: unmatched ones are the suspense list (471)' })
  async entries(@Query('status') status: string | undefined, @Res({ passthrough: true }) res: Response) {
    if (status !== undefined && !ENTRY_STATUSES.includes(status)) throw new DomainError('STATUS_UNKNOWN', `status must be one of ${ENTRY_STATUSES.join(', ')}`, { field: 'status' }, 'invalid');
    const f = await this.readModels.catchUp(['bank-entries']);
    setFreshness(res, f);
    const docs = await this.readModels.find<BankEntryView>('bank-entries', { kind: 'entry', ...(status ? { status } : {}) }, { sort: [['bookingDate', 1]] });
    const total = docs.reduce((s, d) => s + (d.direction === 'credit' ? d.amount : 0), 0);
    return { items: await Promise.all(docs.map((d) => entryView(d, this.pii))), count: docs.length, ...(status === 'unmatched' && docs.length > 0 ? { suspenseTotal: formatAmount(total, docs[0].currency) } : {}) };
  }

  @Get('bank-entries/:id')
  @Requires('ledger:read')
  @ApiRead({ errors: { 404: ['BANK_ENTRY_NOT_FOUND'] } })
  @ApiOperation({ summary: 'One bank entry, what became of it and why' })
  async entry(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const f = await this.readModels.catchUp(['bank-entries']);
    setFreshness(res, f);
    const doc = await this.readModels.get<BankEntryView>('bank-entries', `entry:${id}`);
    if (!doc) throw new DomainError('BANK_ENTRY_NOT_FOUND', `No bank entry ${id}`, { entryId: id, field: 'id' }, 'not_found');
    return entryView(doc, this.pii);
  }

  @Post('cash-application/suggestions/:id/accept')
  @Requires('payments:write')
  @HttpCode(200)
  @ApiCommand({ status: 200, errors: { 400: ['CANDIDATE_UNKNOWN', 'ALLOCATIONS_MALFORMED', 'AMOUNT_MALFORMED'], 404: ['BANK_ENTRY_NOT_FOUND'], 409: ['NO_SUGGESTION', 'BANK_ENTRY_ALREADY_MATCHED'], 422: ['ALLOCATIONS_EXCEED_ENTRY', 'PERIOD_CLOSED', 'NO_SHORTFALL', 'BANK_FEES_ABOVE_TOLERANCE', 'BANK_FEES_NOT_THE_REMAINDER', 'BANK_FEES_ON_DISPUTED_INVOICE', 'BANK_FEES_SEVERAL_INVOICES', 'BANK_FEES_RECEIPT_NOT_ALLOCATED', 'BANK_FEES_WITHOUT_RECEIPT'] } })
  @ApiOperation({ summary: 'Accept a suggestion (the first candidate, another, or edited allocations): the receipt is recorded and the payer\'s IBAN learned; with acceptBankFees the shortfall is written off to 627 in the same append' })
  async accept(@Param('id') id: string, @Body() dto: AcceptSuggestionDto, @Command() cmd: HttpCommand) {
    const bookingDate = await this.bookingDate(id);
    const r = await this.commands.execute<AcceptSuggestionCommand, { payment: RecordedPayment; position: number }>(new AcceptSuggestionCommand(id, { candidate: dto.candidate, customerId: dto.customerId, allocations: dto.allocations, acceptBankFees: dto.acceptBankFees }, cmd, bookingDate));
    return receiptView(r);
  }

  @Post('cash-application/suggestions/:id/reject')
  @Requires('payments:write')
  @HttpCode(200)
  @ApiCommand({ status: 200, errors: { 404: ['BANK_ENTRY_NOT_FOUND'], 409: ['NO_SUGGESTION'] } })
  @ApiOperation({ summary: 'Reject a suggestion, with a reason: the entry stays in suspense for a manual match' })
  async reject(@Param('id') id: string, @Body() dto: RejectSuggestionDto, @Command() cmd: HttpCommand) {
    return this.commands.execute<RejectSuggestionCommand, { position: number }>(new RejectSuggestionCommand(id, dto.reason, cmd));
  }

  @Post('bank-entries/:id/match')
  @Requires('payments:write')
  @HttpCode(200)
  @ApiCommand({ status: 200, errors: { 400: ['ALLOCATIONS_MALFORMED', 'AMOUNT_MALFORMED', 'AMOUNT_NOT_POSITIVE'], 404: ['BANK_ENTRY_NOT_FOUND', 'CUSTOMER_NOT_FOUND'], 409: ['BANK_ENTRY_ALREADY_MATCHED'], 422: ['ALLOCATIONS_EXCEED_ENTRY', 'BANK_ENTRY_NOT_A_CREDIT', 'PERIOD_CLOSED', 'BANK_FEES_ABOVE_TOLERANCE', 'BANK_FEES_NOT_THE_REMAINDER', 'BANK_FEES_ON_DISPUTED_INVOICE', 'BANK_FEES_SEVERAL_INVOICES', 'BANK_FEES_RECEIPT_NOT_ALLOCATED', 'BANK_FEES_WITHOUT_RECEIPT'] } })
  @ApiOperation({ summary: 'Match an entry by hand to a customer and invoices (what is not allocated stays as customer credit); bankFees writes the exact remainder of its one invoice off to 627' })
  async match(@Param('id') id: string, @Body() dto: ManualMatchDto, @Command() cmd: HttpCommand) {
    const bookingDate = await this.bookingDate(id);
    const r = await this.commands.execute<MatchBankEntryCommand, { payment: RecordedPayment; position: number }>(new MatchBankEntryCommand(id, dto.customerId, dto.allocations, cmd, bookingDate, dto.bankFees));
    return receiptView(r);
  }

  private async bookingDate(entryId: string): Promise<string> {
    const [first] = await this.repo.store.readStream(`bankentry-${entryId}`, { maxCount: 1 });
    if (!first) throw new DomainError('BANK_ENTRY_NOT_FOUND', `No bank entry ${entryId}`, { entryId, field: 'id' }, 'not_found');
    return String(first.data.bookingDate);
  }
}

function candidateView(c: Candidate, currency: string, evidence: string[]) {
  return {
    customerId: c.customerId, rule: c.rule, confidence: c.confidence, evidence,
    allocations: c.allocations.map((a) => ({ invoiceId: a.invoiceId, number: a.number, amount: formatAmount(a.amount, currency) })),
    unapplied: formatAmount(c.unapplied, currency), ...(c.shortfall > 0 ? { shortfall: formatAmount(c.shortfall, currency) } : {}),
  };
}

/**
 * The IBAN as a clerk sees it (ADR 0090): country, check digits and the last four characters, the rest masked
 * (`DE89 **** **** **** **30 00` → `DE89**************3000`) — enough to tell payers apart, not to pay from.
 */
export function maskIban(iban: string): string {
  const c = compactIban(iban);
  return c.length <= 8 ? '*'.repeat(c.length) : `${c.slice(0, 4)}${'*'.repeat(c.length - 8)}${c.slice(-4)}`;
}

/** Payer fields opened through the one decrypting view (sealed with the entry's key, ADR 0090); the marker once erased. */
async function entryView(d: BankEntryView, pii: PersonalData) {
  const f = (n: number) => formatAmount(n, d.currency);
  const open = async (v: string | null) => (v === null ? null : pii.name(v));
  // Evidence is clear on new events; a log migrated from before ADR 0090 holds it sealed (it may name the payer).
  const evidence = async (v: string[] | string) => (typeof v === 'string' ? ((await pii.reveal<string[]>(v)) as { erased: boolean; value?: string[] }) : { erased: false, value: v });
  const shown = async (v: string[] | string) => { const r = await evidence(v); return r.erased ? [ERASED_MARKER] : r.value ?? []; };
  const iban = await open(d.debtorIban);
  return {
    id: d.entryId, statementId: d.statementId, account: d.account, bookingDate: d.bookingDate, valueDate: d.valueDate, direction: d.direction,
    amount: f(d.amount), currency: d.currency, bankRef: d.bankRef, endToEndId: d.endToEndId, debtorName: await open(d.debtorName),
    debtorIban: iban === null || iban === ERASED_MARKER ? iban : maskIban(iban),
    remittance: (await open(d.remittance)) ?? '', structuredRef: d.structuredRef, status: d.status, customerId: d.customerId ?? null, payerErased: d.payerErased === true,
    candidates: await Promise.all(d.candidates.map(async (c) => candidateView(c, d.currency, await shown(c.evidence)))),
    match: d.match ? { ...d.match, evidence: await shown(d.match.evidence), allocations: d.match.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: f(a.amount) })), unapplied: f(d.match.unapplied) } : null,
    rejected: d.rejected, returned: d.returned,
  };
}

function receiptView(r: { payment: RecordedPayment; position: number }) {
  const p = r.payment;
  const f = (n: number) => formatAmount(n, p.currency);
  return {
    paymentId: p.paymentId, customerId: p.customerId, amount: f(p.amount), allocations: p.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: f(a.amount) })), unapplied: f(p.unapplied),
    ...(p.bankFees ? { bankFees: { invoiceId: p.bankFees.invoiceId, amount: f(p.bankFees.amount) } } : {}),
    position: r.position,
  };
}
