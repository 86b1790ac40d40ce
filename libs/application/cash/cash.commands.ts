import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { BankEntry } from '../../domain/cash/bank-entry';
import { bankEntryDecider, type BankEntryState } from '../../domain/cash/bank-entry.decider';
import type { BankEntryMatched, BankStatementImported, CsvMappingSaved } from '../../domain/cash/cash.events';
import type { Decider } from '../../domain/shared/decider';
import { MatchingIndex, type Candidate, type MatchingContext, type MatchOutcome, type OpenItem } from '../../domain/cash/matching';
import { DomainError, invalid } from '../../domain/shared/errors';
import { formatAmount, parseAmount } from '../../domain/shared/money';
import { causedBy, responsible, type CommandContext } from '../command-context';
import { ReversePaymentCommand } from '../commands/collection.commands';
import { RecordPaymentCommand, type RecordedPayment } from '../commands/payment.commands';
import type { AppConfig } from '../config';
import { EventSourcedRepository } from '../event-sourced-repository';
import { ReadModels } from '../read-models';
import { APP_CONFIG } from '../tokens';
import { inOneUnit } from '../unit-of-work';
import { PersonalData } from '../privacy/personal-data';
import { ERASED_MARKER } from '../../domain/customer/customer.events';
import { validateCsvMapping, type CsvMapping } from './csv-statement';
import { PayerErasure } from './payer-erasure';
import type { ParsedStatement } from './statement';

export const cashStreams = {
  statement: (statementId: string) => `bankstatement-${statementId}`,
  entry: (entryId: string) => `bankentry-${entryId}`,
  csvMapping: (name: string) => `csvmapping-${name}`,
};

/** The receipt a bank entry becomes: one payment per entry, whatever the path (automatic, accepted, manual). */
export const receiptIdOf = (entryId: string) => `bank-${entryId}`;
const receiptCommandId = (entryId: string) => `cash:${entryId}:receipt`;

/** Statuses of invoices that may take money (as RecordPayment's open invoices). */
const TAKING_MONEY = ['issued', 'partially_paid', 'disputed', 'in_payment_plan', 'in_collection'];

export class ImportBankStatementCommand {
  constructor(readonly statement: ParsedStatement & { skipped?: number }, readonly ctx: CommandContext) {}
}
export class AcceptSuggestionCommand {
  constructor(
    readonly entryId: string,
    /** Index of the suggested candidate (default the first), or a clerk's edit of it. */
    readonly choice: { candidate?: number; customerId?: string; allocations?: Array<{ invoiceId: string; amount: string }>; acceptBankFees?: boolean },
    readonly ctx: CommandContext,
    /** Business date: the entry's booking date (filled by the caller from the entry, for the command gate). */
    readonly bookingDate: string,
  ) {}
}
export class RejectSuggestionCommand {
  constructor(readonly entryId: string, readonly reason: string, readonly ctx: CommandContext) {}
}
export class MatchBankEntryCommand {
  constructor(
    readonly entryId: string, readonly customerId: string, readonly allocations: Array<{ invoiceId: string; amount: string }>, readonly ctx: CommandContext, readonly bookingDate: string,
    /** Bank fees deducted from the entry, written off on its one invoice (decimal string; ADR 0088). */
    readonly bankFees?: string,
  ) {}
}
export class SaveCsvMappingCommand {
  constructor(readonly name: string, readonly mapping: unknown, readonly ctx: CommandContext) {}
}

export interface EntryOutcome {
  entryId: string;
  bankRef: string;
  bookingDate: string;
  direction: 'credit' | 'debit';
  amount: number;
  currency: string;
  outcome: 'applied' | 'suggested' | 'unmatched' | 'already_known' | 'debit' | 'return_applied' | 'return_unresolved';
  customerId?: string;
  paymentId?: string;
  rule?: string;
  confidence?: number;
  allocations?: Array<{ invoiceId: string; amount: number }>;
  evidence?: string[];
}

export interface ImportResult {
  statementId: string;
  format: string;
  account: string;
  replayed: boolean;
  counts: { entries: number; recorded: number; alreadyKnown: number; applied: number; suggested: number; unmatched: number; debits: number; returns: number; skippedPending: number };
  entries: EntryOutcome[];
  position: number;
}

/** What matching and applying share: the open items and learned IBANs as of now, kept current while a statement is applied. */
@Injectable()
export class CashApplier {
  constructor(
    private readonly repo: EventSourcedRepository,
    private readonly readModels: ReadModels,
    private readonly bus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly personal: PersonalData,
    private readonly payers: PayerErasure,
  ) {}

  async context(at: string): Promise<MatchingContext> {
    const { fresh } = await this.readModels.catchUp(['invoices', 'credit-exposure', 'bank-entries']);
    if (!fresh) throw new DomainError('READ_MODEL_BEHIND', 'The read models are still catching up; retry the import', { projection: 'invoices' }, 'conflict');
    type Inv = { invoiceId: string; number: string; customerId: string; currency: string; outstanding: number; issueDate: string; dueDate: string; openDispute: { amount: number } | null; earlyDiscount?: { until: string; maxAmount: number } | null };
    const [invoices, customers, ibans] = await Promise.all([
      this.readModels.find<Inv>('invoices', { status: { $in: TAKING_MONEY } }),
      this.readModels.find<{ customerId: string; name: string }>('credit-exposure', {}),
      this.readModels.find<{ ibanKey: string; customerId: string }>('bank-entries', { kind: 'iban' }),
    ]);
    // Names are sealed in the read store (ADR 0082): opened once each through the one decrypting view; an erased
    // customer's marker matches no payer.
    const opened = await this.personal.names(new Map(customers.map((c) => [c.customerId, c.name])));
    const names = new Map([...opened].filter(([, n]) => n !== ERASED_MARKER));
    const openItems: OpenItem[] = invoices.filter((i) => i.outstanding > 0).map((i) => ({
      invoiceId: i.invoiceId, number: i.number, customerId: i.customerId, customerName: names.get(i.customerId) ?? i.customerId,
      currency: i.currency, outstanding: i.outstanding, disputed: i.openDispute?.amount ?? 0, issueDate: i.issueDate, dueDate: i.dueDate,
      discount: i.earlyDiscount ? { until: i.earlyDiscount.until, maxAmount: i.earlyDiscount.maxAmount } : null,
    }));
    // Learned IBANs are keyed by their keyed hash (ADR 0090); one learned for an erased customer teaches nothing.
    const ibanKey = await this.personal.ibanKeyer(at);
    return {
      openItems, knownIbans: Object.fromEntries(ibans.filter((x) => names.has(x.customerId)).map((x) => [x.ibanKey, x.customerId])), ibanKey,
      customers: [...names].map(([customerId, name]) => ({ customerId, name })),
      settings: { autoConfidence: this.config.cashAutoConfidence, feeTolerance: this.config.cashFeeTolerance, subsetPool: 14, subsetMaxSize: 5 },
    };
  }

  /**
   * Turns a credited entry into the customer's receipt (RecordPayment, explicit allocations, ADR 0030's single
   * unit) and then records the match. The receipt goes first: it checks every allocation against the invoices as
   * they are; the match records what the receipt allocated. Both have deterministic ids, so a retry after an
   * interruption writes neither twice and completes what is missing.
   */
  async apply(
    entry: BankEntry,
    match: { customerId: string; allocations: Array<{ invoiceId: string; amount: number }>; rule: BankEntryMatched['data']['rule']; confidence: number; evidence: string[]; how: BankEntryMatched['data']['how']; bankFees?: BankFeesChoice },
    ctx: CommandContext,
  ): Promise<{ payment: RecordedPayment; position: number }> {
    const fees = match.bankFees === undefined ? undefined : feesTarget(match.allocations, match.bankFees);
    const paymentId = receiptIdOf(entry.entryId);
    const receiptCtx = causedBy(ctx, ctx.causationId, receiptCommandId(entry.entryId));
    const payment = await this.bus.execute<RecordPaymentCommand, RecordedPayment>(new RecordPaymentCommand(
      paymentId, match.customerId, formatAmount(entry.amount, entry.currency), entry.bookingDate, 'bank_transfer', entry.bankRef,
      match.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: formatAmount(a.amount, entry.currency) })), receiptCtx, entry.currency, entry.entryId, fees,
    ));
    const evidence = payment.bankFees ? [...match.evidence, `bank fees ${formatAmount(payment.bankFees.amount, entry.currency)} written off to 627 on ${payment.bankFees.invoiceId}`] : match.evidence;
    const matchCtx = causedBy(ctx, ctx.causationId, `cash:${entry.entryId}:match`);
    // The IBAN (clear from the file, or sealed from the log) is learned under its keyed hash, never in clear (ADR 0090).
    const iban = entry.debtorIban === null ? null : await this.personal.reveal<string>(entry.debtorIban);
    const debtorIbanKey = iban !== null && !iban.erased ? (await this.personal.ibanKeyer(ctx.recordedAt))(iban.value) : null;
    const r = await this.repo.handle(cashStreams.entry(entry.entryId), bankEntryDecider, matchCtx, () => ({
      type: 'MatchBankEntry' as const, entryId: entry.entryId, customerId: payment.customerId, paymentId,
      allocations: payment.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount })),
      rule: match.rule, confidence: match.confidence, evidence, how: match.how, by: responsible(ctx), debtorIbanKey,
    }));
    let position = Math.max(payment.position, r.position);
    // Matched to a customer erased already (its account keeps working): the payer's data goes at once, as it would have with the erasure.
    if ((await this.personal.keyStatus(payment.customerId)) === 'destroyed') position = Math.max(position, await this.payers.erase(entry.entryId, payment.customerId, matchCtx));
    return { payment, position };
  }
}


/**
 * Imports a parsed statement: every entry not seen before (account + bank reference) and the statement are recorded
 * in one all-or-nothing append; then each credited entry still unresolved is matched — applied when sure, suggested
 * otherwise, left in suspense when nothing fits — and each returned payment reverses the receipt it names.
 */
@CommandHandler(ImportBankStatementCommand)
export class ImportBankStatementHandler implements ICommandHandler<ImportBankStatementCommand, ImportResult> {
  constructor(private readonly repo: EventSourcedRepository, private readonly readModels: ReadModels, private readonly applier: CashApplier, private readonly bus: CommandBus, private readonly personal: PersonalData) {}

  async execute(c: ImportBankStatementCommand): Promise<ImportResult> {
    const st = c.statement;
    const states = new Map<string, BankEntryState>();
    for (const e of st.entries) states.set(e.entryId, (await this.repo.load(cashStreams.entry(e.entryId), bankEntryDecider)).state);
    const fresh = st.entries.filter((e) => states.get(e.entryId)!.status === 'none');
    // The payer's name, IBAN and remittance go to the log sealed with the entry's own data key (ADR 0090); matching
    // below reads them in clear from the file.
    const sealed = new Map<string, BankEntry>();
    await this.personal.prepareEntryKeys(fresh.map((e) => e.entryId), c.ctx.recordedAt);
    for (const e of fresh) sealed.set(e.entryId, (await this.personal.seal([{ type: 'BankEntryRecorded', data: e }], c.ctx.recordedAt))[0].data);
    const { position: recordedAt } = await inOneUnit(this.repo.store, async (uow) => {
      if (fresh.length === 0) return null;
      await uow.decide(cashStreams.statement(st.statementId), statementDecider, c.ctx, () => ({
        statementId: st.statementId, format: st.format, sourceId: st.sourceId, account: st.account, fromDate: st.fromDate, toDate: st.toDate,
        recorded: fresh.length, alreadyKnown: st.entries.length - fresh.length, importedBy: responsible(c.ctx),
      }));
      for (const e of fresh) await uow.decide(cashStreams.entry(e.entryId), bankEntryDecider, c.ctx, () => ({ type: 'RecordBankEntry' as const, entry: sealed.get(e.entryId)! }));
      return null;
    });
    let position = recordedAt;
    const outcomes: EntryOutcome[] = [];
    let index: MatchingIndex | null = null;
    const counts = { entries: st.entries.length, recorded: fresh.length, alreadyKnown: st.entries.length - fresh.length, applied: 0, suggested: 0, unmatched: 0, debits: 0, returns: 0, skippedPending: st.skipped ?? 0 };
    for (const e of st.entries) {
      const state = fresh.includes(e) ? { status: 'recorded' as const } : states.get(e.entryId)!;
      const base = { entryId: e.entryId, bankRef: e.bankRef, bookingDate: e.bookingDate, direction: e.direction, amount: e.amount, currency: e.currency };
      if (e.direction === 'debit') {
        counts.debits += 1;
        if (!e.isReturn) { outcomes.push({ ...base, outcome: 'debit' }); continue; }
        if (state.status === 'return_applied') { outcomes.push({ ...base, outcome: 'return_applied', paymentId: state.paymentId }); counts.returns += 1; continue; }
        const done = await this.applyReturn(e, c.ctx);
        if (done) { counts.returns += 1; position = Math.max(position, done.position); index = null; outcomes.push({ ...base, outcome: 'return_applied', paymentId: done.paymentId, customerId: done.customerId }); }
        else outcomes.push({ ...base, outcome: 'return_unresolved' });
        continue;
      }
      if (state.status === 'matched' || state.status === 'suggested' || state.status === 'rejected') {
        outcomes.push({ ...base, outcome: 'already_known', ...(state.status === 'matched' ? { customerId: state.customerId, paymentId: state.paymentId } : {}) });
        continue;
      }
      index ??= new MatchingIndex(await this.applier.context(c.ctx.recordedAt));
      const result: MatchOutcome = index.match(e);
      const best = result.candidates[0];
      if (result.decision === 'auto') {
        try {
          const applied = await this.applier.apply(e, { customerId: best.customerId, allocations: best.allocations, rule: best.rule, confidence: best.confidence, evidence: best.evidence, how: 'automatic' }, c.ctx);
          position = Math.max(position, applied.position);
          index.applied(applied.payment.allocations, e.debtorIban, best.customerId);
          counts.applied += 1;
          outcomes.push({ ...base, outcome: 'applied', customerId: best.customerId, paymentId: applied.payment.paymentId, rule: best.rule, confidence: best.confidence, allocations: applied.payment.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount })), evidence: best.evidence });
          continue;
        } catch (err) {
          if (!(err instanceof DomainError) || err.kind === 'conflict') throw err;
          // Refused by the ledger (e.g. the invoice changed meanwhile): a clerk decides.
          result.candidates[0] = { ...best, confidence: Math.min(best.confidence, 80), evidence: [...best.evidence, `not applied automatically: ${err.code}`] };
        }
      }
      if (result.candidates.length > 0) {
        const r = await this.repo.handle(cashStreams.entry(e.entryId), bankEntryDecider, causedBy(c.ctx, c.ctx.causationId, `cash:${e.entryId}:suggest`), () => ({ type: 'SuggestBankEntry' as const, entryId: e.entryId, candidates: result.candidates }));
        position = Math.max(position, r.position);
        counts.suggested += 1;
        outcomes.push({ ...base, outcome: 'suggested', customerId: result.candidates[0].customerId, rule: result.candidates[0].rule, confidence: result.candidates[0].confidence, evidence: result.candidates[0].evidence });
      } else {
        counts.unmatched += 1;
        outcomes.push({ ...base, outcome: 'unmatched' });
      }
    }
    return { statementId: st.statementId, format: st.format, account: st.account, replayed: fresh.length === 0 && counts.applied === 0 && counts.suggested === 0 && counts.returns === 0, counts, entries: outcomes, position };
  }

  /** A returned payment: the credited entry it names (same end-to-end id, or its bank reference in the text) and its receipt, reversed. */
  private async applyReturn(e: BankEntry, ctx: CommandContext): Promise<{ paymentId: string; customerId: string; position: number } | null> {
    await this.readModels.catchUp(['bank-entries']);
    type Entry = { entryId: string; bankRef: string; endToEndId: string | null; status: string; direction: string; match: { paymentId: string; customerId: string } | null };
    const candidates = e.endToEndId
      ? await this.readModels.find<Entry>('bank-entries', { kind: 'entry', endToEndId: e.endToEndId })
      : [];
    const original = candidates.find((x) => x.direction === 'credit' && x.status === 'matched' && x.match !== null);
    if (!original || !original.match) return null;
    const { paymentId, customerId } = original.match;
    await this.bus.execute(new ReversePaymentCommand(paymentId, `returned by the bank (${e.transactionCode ?? 'return'}, ${e.bankRef})`, e.bookingDate, causedBy(ctx, ctx.causationId, `cash:${e.entryId}:reverse`)));
    const r = await this.repo.handle(cashStreams.entry(e.entryId), bankEntryDecider, causedBy(ctx, ctx.causationId, `cash:${e.entryId}:return`), () => ({
      type: 'ApplyReturn' as const, entryId: e.entryId, returnedEntryId: original.entryId, paymentId, customerId,
    }));
    return { paymentId, customerId, position: r.position };
  }
}

/** The statement stream: one BankStatementImported per import that recorded something. */
const statementDecider: Decider<BankStatementImported['data'], BankStatementImported, null> = {
  initialState: () => null,
  evolve: (s) => s,
  decide: (c) => [{ type: 'BankStatementImported', data: c }],
};

async function entryState(repo: EventSourcedRepository, entryId: string): Promise<BankEntryState & { status: Exclude<BankEntryState['status'], 'none'> }> {
  const s = (await repo.load(cashStreams.entry(entryId), bankEntryDecider)).state;
  if (s.status === 'none') throw new DomainError('BANK_ENTRY_NOT_FOUND', `No bank entry ${entryId}`, { entryId, field: 'id' }, 'not_found');
  return s as BankEntryState & { status: Exclude<BankEntryState['status'], 'none'> };
}

function parseAllocations(raw: unknown, currency: string): Array<{ invoiceId: string; amount: number }> {
  if (!Array.isArray(raw)) throw invalid('ALLOCATIONS_MALFORMED', 'allocations must be an array of {invoiceId, amount}', 'allocations');
  return raw.map((a: { invoiceId?: unknown; amount?: unknown }, i) => {
    if (typeof a?.invoiceId !== 'string' || a.invoiceId === '') throw invalid('ALLOCATIONS_MALFORMED', `allocations[${i}].invoiceId is required`, `allocations[${i}].invoiceId`);
    const amount = parseAmount(a.amount, currency, `allocations[${i}].amount`);
    if (amount <= 0) throw invalid('AMOUNT_NOT_POSITIVE', `allocations[${i}].amount must be positive`, `allocations[${i}].amount`);
    return { invoiceId: a.invoiceId, amount };
  });
}

/** Bank fees a clerk accepts: the amount given (manual match), or whatever the receipt leaves owing (accepting a suggestion). */
type BankFeesChoice = { amount: number | null };

/** The one invoice bank fees are written off on: a receipt paying several invoices cannot say which bore them (ADR 0088). */
function feesTarget(allocations: ReadonlyArray<{ invoiceId: string }>, choice: BankFeesChoice): { invoiceId: string; amount: number | null } {
  const invoices = [...new Set(allocations.map((a) => a.invoiceId))];
  if (invoices.length !== 1) {
    throw new DomainError('BANK_FEES_SEVERAL_INVOICES', `Bank fees are written off only when the receipt pays one invoice (it pays ${invoices.length})`, { field: 'bankFees', invoices: invoices.length });
  }
  return { invoiceId: invoices[0], amount: choice.amount };
}

/** A clerk accepts a suggestion (the first, another, or an edited one): the receipt is recorded, and the IBAN learned. */
@CommandHandler(AcceptSuggestionCommand)
export class AcceptSuggestionHandler implements ICommandHandler<AcceptSuggestionCommand, { payment: RecordedPayment; position: number; candidate: Candidate | null }> {
  constructor(private readonly repo: EventSourcedRepository, private readonly applier: CashApplier) {}
  async execute(c: AcceptSuggestionCommand) {
    const s = await entryState(this.repo, c.entryId);
    if (s.status !== 'suggested') throw new DomainError('NO_SUGGESTION', `Bank entry ${c.entryId} has no suggestion waiting (${s.status})`, { entryId: c.entryId, status: s.status, field: 'id' }, 'conflict');
    const k = c.choice.candidate ?? 0;
    const candidate = s.candidates[k];
    if (!candidate) throw invalid('CANDIDATE_UNKNOWN', `Suggestion ${k} does not exist (${s.candidates.length} candidates)`, 'candidate');
    const customerId = c.choice.customerId ?? candidate.customerId;
    const edited = c.choice.allocations !== undefined;
    const allocations = edited ? parseAllocations(c.choice.allocations, s.entry.currency) : candidate.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount }));
    const total = allocations.reduce((sum, a) => sum + a.amount, 0);
    if (total > s.entry.amount) throw new DomainError('ALLOCATIONS_EXCEED_ENTRY', `Allocations total more than the ${s.entry.amount} minor units received`, { field: 'allocations', allocated: total, amount: s.entry.amount });
    if (c.choice.acceptBankFees === true && !edited && candidate.shortfall === 0) {
      throw new DomainError('NO_SHORTFALL', `Suggestion ${k} is not short of what the invoice owes: there are no bank fees to accept`, { field: 'acceptBankFees', candidate: k });
    }
    const r = await this.applier.apply(s.entry, {
      customerId, allocations, rule: candidate.rule, confidence: candidate.confidence,
      ...(c.choice.acceptBankFees === true ? { bankFees: { amount: null } } : {}),
      evidence: [...candidate.evidence, edited || customerId !== candidate.customerId ? 'accepted with edits by a clerk' : 'accepted by a clerk'], how: 'accepted',
    }, c.ctx);
    return { ...r, candidate };
  }
}

@CommandHandler(RejectSuggestionCommand)
export class RejectSuggestionHandler implements ICommandHandler<RejectSuggestionCommand, { position: number }> {
  constructor(private readonly repo: EventSourcedRepository) {}
  async execute(c: RejectSuggestionCommand) {
    await entryState(this.repo, c.entryId);
    const r = await this.repo.handle(cashStreams.entry(c.entryId), bankEntryDecider, c.ctx, () => ({ type: 'RejectSuggestion' as const, entryId: c.entryId, reason: c.reason, by: responsible(c.ctx) }));
    return { position: r.position };
  }
}

/** A clerk's own match of an entry (unmatched, suggested or rejected) to a customer and invoices. */
@CommandHandler(MatchBankEntryCommand)
export class MatchBankEntryHandler implements ICommandHandler<MatchBankEntryCommand, { payment: RecordedPayment; position: number }> {
  constructor(private readonly repo: EventSourcedRepository, private readonly applier: CashApplier) {}
  async execute(c: MatchBankEntryCommand) {
    const s = await entryState(this.repo, c.entryId);
    if (s.status === 'matched') throw new DomainError('BANK_ENTRY_ALREADY_MATCHED', `Bank entry ${c.entryId} is already matched`, { entryId: c.entryId, paymentId: s.paymentId, field: 'id' }, 'conflict');
    if (s.entry.direction !== 'credit') throw new DomainError('BANK_ENTRY_NOT_A_CREDIT', 'Only money received is matched to invoices', { entryId: c.entryId, field: 'id' });
    const allocations = parseAllocations(c.allocations, s.entry.currency);
    const total = allocations.reduce((sum, a) => sum + a.amount, 0);
    if (total > s.entry.amount) throw new DomainError('ALLOCATIONS_EXCEED_ENTRY', `Allocations total more than the ${s.entry.amount} minor units received`, { field: 'allocations', allocated: total, amount: s.entry.amount });
    const bankFees = c.bankFees === undefined ? undefined : parseAmount(c.bankFees, s.entry.currency, 'bankFees');
    if (bankFees !== undefined && bankFees <= 0) throw invalid('AMOUNT_NOT_POSITIVE', 'bankFees must be positive', 'bankFees');
    return this.applier.apply(s.entry, {
      customerId: c.customerId, allocations, rule: 'manual', confidence: 100, evidence: ['matched by a clerk'], how: 'manual',
      ...(bankFees !== undefined ? { bankFees: { amount: bankFees } } : {}),
    }, c.ctx);
  }
}

/** Saves (or replaces) a named CSV column mapping. */
@CommandHandler(SaveCsvMappingCommand)
export class SaveCsvMappingHandler implements ICommandHandler<SaveCsvMappingCommand, { mapping: CsvMapping; position: number }> {
  constructor(private readonly repo: EventSourcedRepository) {}
  async execute(c: SaveCsvMappingCommand) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(c.name)) throw invalid('CSV_MAPPING_NAME_INVALID', 'A mapping name is 1–64 letters, digits, _ . -', 'name');
    const mapping = validateCsvMapping(c.name, c.mapping);
    const r = await this.repo.handle(cashStreams.csvMapping(c.name), csvMappingDecider, c.ctx, () => ({ name: c.name, mapping: mapping as unknown as Record<string, unknown>, savedBy: responsible(c.ctx) }));
    return { mapping, position: r.position };
  }
}

const csvMappingDecider: Decider<CsvMappingSaved['data'], CsvMappingSaved, Record<string, unknown> | null> = {
  initialState: () => null,
  evolve: (_s, e) => e.data.mapping,
  decide: (c, s) => (JSON.stringify(s) === JSON.stringify(c.mapping) ? [] : [{ type: 'CsvMappingSaved', data: c }]),
};

/** The latest saved version of a CSV mapping, or 404. */
export async function loadCsvMapping(repo: EventSourcedRepository, name: string): Promise<CsvMapping> {
  const s = (await repo.load(cashStreams.csvMapping(name), csvMappingDecider)).state;
  if (s === null) throw new DomainError('CSV_MAPPING_NOT_FOUND', `No CSV mapping named ${name}; save it with PUT /bank-statements/csv-mappings/${name}`, { field: 'mapping', mapping: name }, 'not_found');
  return s as unknown as CsvMapping;
}

export const CASH_HANDLERS = [PayerErasure, CashApplier, ImportBankStatementHandler, AcceptSuggestionHandler, RejectSuggestionHandler, MatchBankEntryHandler, SaveCsvMappingHandler];
