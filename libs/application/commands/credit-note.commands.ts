import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { creditDecider } from '../../domain/credit/credit.decider';
import { creditNoteDecider, type CreditedInvoice } from '../../domain/credit-note/credit-note.decider';
import type { CreditNoteAllocated, CreditNoteIssued, CreditNoteNumberReserved } from '../../domain/credit-note/credit-note.events';
import type { InvoiceLineInput } from '../../domain/invoice/invoice.totals';
import { invoiceDecider, isNotReceivable } from '../../domain/invoice/invoice.decider';
import type { DisputeResolved, InvoiceCollectionEvent } from '../../domain/invoice/invoice.collection.events';
import type { InvoiceIssued } from '../../domain/invoice/invoice.events';
import { DomainError, invalid } from '../../domain/shared/errors';
import type { VatRateAmount } from '../../domain/shared/vat';
import { upcastCreditNoteIssued } from '../../domain/upcasters';
import { waitingVat } from '../../domain/invoice/vat-on-receipt';
import { isCalendarDate } from '../../domain/shared/dates';
import { streams } from '../../domain/shared/ids';
import { parseAmount } from '../../domain/shared/money';
import { ConcurrencyError, type StoredEvent } from '../../event-store/event-store.port';
import { chronologicalNumber } from '../../domain/shared/chronological-numbering';
import type { AppConfig } from '../config';
import { APP_CONFIG } from '../tokens';
import { readSeriesTail } from './invoice-numbering';
import { causedBy, type CommandContext } from '../command-context';
import { EventSourcedRepository, MAX_CONCURRENCY_RETRIES } from '../event-sourced-repository';
import { CustomerLocks, formatInvoiceNumber, type InvoiceLineRequest } from './invoice.commands';
import { Optional } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '../../read-store/read-store.port';
import { describeFailure } from '../../resilience/retry';
import { pendingReservationIn } from './invoice-numbering';

export const CREDIT_NOTE_SERIES = 'CN';

type Stored<E> = E & { id: string; position: number };

export class IssueCreditNoteCommand {
  constructor(
    readonly creditNoteId: string,
    readonly customerId: string,
    readonly invoiceId: string | null,
    readonly issueDate: string,
    readonly reason: string,
    readonly lines: InvoiceLineRequest[] | undefined,
    /** Decimal string, or minor units when sent by the engine itself (accepted dispute). */
    readonly amount: string | number | undefined,
    readonly taxRate: string | undefined,
    readonly ctx: CommandContext,
    readonly fromDispute: string | null = null,
  ) {}
}

/** `pending`: recorded (number reserved with the note, or the note issued) but a later step not written yet (why; ADR 0046). */
export type IssuedCreditNote = CreditNoteIssued['data'] & { position: number; replayed: boolean; pending?: string };

/** Command id of the invoice step of a credit note issued against it, or of one of its later allocations. */
export const creditNoteApplyCommandId = (creditNoteId: string, allocationId?: string) =>
  allocationId === undefined ? `apply-credit-note|${creditNoteId}` : `apply-credit-note|${creditNoteId}|${allocationId}`;

export class ApplyCreditNoteCommand {
  constructor(
    readonly invoiceId: string,
    readonly creditNoteId: string,
    readonly amount: number,
    readonly on: string,
    readonly ctx: CommandContext,
    readonly allocationId?: string,
    /** The note issued against the invoice: its correction rate by rate (absent on later allocations). */
    readonly vatBreakdown?: VatRateAmount[],
    /** With vatBreakdown: the note's part that credits late charges. */
    readonly charges?: number,
    /** With vatBreakdown, under VAT on receipt: the part of its VAT taken from 44574. */
    readonly vatToCollect?: VatRateAmount[],
  ) {}
}

@CommandHandler(ApplyCreditNoteCommand)
export class ApplyCreditNoteHandler implements ICommandHandler<ApplyCreditNoteCommand, { position: number }> {
  constructor(private readonly repo: EventSourcedRepository) {}
  async execute(c: ApplyCreditNoteCommand): Promise<{ position: number }> {
    const r = await this.repo.handle(streams.invoice(c.invoiceId), invoiceDecider, c.ctx, () => ({
      type: 'ApplyCreditNote' as const, invoiceId: c.invoiceId, creditNoteId: c.creditNoteId, amount: c.amount, on: c.on,
      ...(c.allocationId !== undefined ? { allocationId: c.allocationId } : {}),
      ...(c.vatBreakdown !== undefined ? { vatBreakdown: c.vatBreakdown } : {}),
      ...(c.charges !== undefined ? { charges: c.charges } : {}),
      ...(c.vatToCollect !== undefined ? { vatToCollect: c.vatToCollect } : {}),
    }));
    return { position: r.position };
  }
}

/** Sends the invoice step of credit-note events (issued against an invoice, or its credit allocated later). */
export async function applyCreditNoteEvents(bus: CommandBus, ctx: CommandContext, events: ReadonlyArray<Stored<CreditNoteIssued | CreditNoteAllocated>>): Promise<void> {
  for (const e of events) {
    if (e.type === 'CreditNoteIssued') {
      const d = upcastCreditNoteIssued(e.data);
      if (d.invoiceId === null) continue;
      // v1 notes (no rates) put only their applied part on the invoice, as they did; v2 notes always record
      // their correction on the invoice, even when all of it became customer credit (applied 0).
      if (e.data.vatBreakdown === undefined && d.appliedToInvoice === 0) continue;
      await bus.execute(new ApplyCreditNoteCommand(d.invoiceId, d.creditNoteId, d.appliedToInvoice, d.issueDate, causedBy(ctx, e.id, creditNoteApplyCommandId(d.creditNoteId)),
        undefined, e.data.vatBreakdown, e.data.charges, e.data.vatToCollect));
    } else {
      const d = e.data;
      await bus.execute(new ApplyCreditNoteCommand(d.invoiceId, d.creditNoteId, d.amount, d.on, causedBy(ctx, e.id, creditNoteApplyCommandId(d.creditNoteId, d.allocationId)), d.allocationId));
    }
  }
}

/**
 * Issues a credit note: gap-free number in series CN reserved with the whole decided note (the process
 * manager finishes the note if the process stops in between, as for invoices), then the note, then its
 * application to the invoice through the bus before answering.
 */
@CommandHandler(IssueCreditNoteCommand)
export class IssueCreditNoteHandler implements ICommandHandler<IssueCreditNoteCommand, IssuedCreditNote> {
  constructor(
    private readonly repo: EventSourcedRepository,
    private readonly locks: CustomerLocks,
    private readonly bus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(READ_STORE) private readonly readStore?: ReadStore,
  ) {}

  execute(c: IssueCreditNoteCommand): Promise<IssuedCreditNote> {
    return this.locks.run([`customer:${c.customerId}`, `series:${CREDIT_NOTE_SERIES}`], () => this.issue(c));
  }

  private async issue(c: IssueCreditNoteCommand): Promise<IssuedCreditNote> {
    const note = await this.repo.load(streams.creditNote(c.creditNoteId), creditNoteDecider);
    const previous = note.events.find((e) => e.metadata.commandId === c.ctx.commandId && e.type === 'CreditNoteIssued');
    if (previous) {
      const data = previous.data as unknown as CreditNoteIssued['data'];
      const pending = await this.apply(c.ctx, [{ type: 'CreditNoteIssued', data, id: previous.id, position: previous.position }]);
      return { ...data, position: previous.position, replayed: true, ...pending };
    }
    // A first attempt that reserved the number but could not write the note: complete it, never take a second number.
    let reserved: StoredEvent | null = null;
    // Both series: a back-dated note took its number in its own (ADR 0049).
    for (const series of [CREDIT_NOTE_SERIES, ...(this.config.creditNoteBackdatedSeries ? [this.config.creditNoteBackdatedSeries] : [])]) {
      if (reserved || !this.readStore) break;
      reserved = await pendingReservationIn(this.repo, this.readStore, streams.creditNoteNumbers(series), 'CreditNoteNumberReserved', (d) => d.creditNoteId === c.creditNoteId);
    }
    if (reserved && note.last === null) {
      const m = reserved.metadata;
      const data = (reserved.data as CreditNoteNumberReserved['data']).creditNote;
      try {
        const written = await this.repo.append(note, [{ type: 'CreditNoteIssued', data } as CreditNoteIssued], {
          actor: m.actor, recordedAt: m.recordedAt, commandId: m.commandId, correlationId: m.correlationId, causationId: m.causationId,
        });
        return { ...data, position: written.position, replayed: true, ...(await this.apply(c.ctx, written.stored)) };
      } catch (err) {
        return { ...data, position: reserved.position, replayed: true, pending: describeFailure(err) };
      }
    }
    const credit = await this.repo.load(streams.credit(c.customerId), creditDecider);
    const currency = credit.state.status === 'active' ? credit.state.currency : null;
    let invoice: CreditedInvoice | null = null;
    if (c.invoiceId !== null) {
      const inv = await this.repo.load(streams.invoice(c.invoiceId), invoiceDecider);
      if (isNotReceivable(inv.state)) throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${c.invoiceId} does not exist`, { invoiceId: c.invoiceId }, 'not_found');
      const issued = inv.events[0].data as unknown as InvoiceIssued['data'];
      const s = inv.state;
      invoice = {
        invoiceId: s.invoiceId, customerId: s.customerId, number: s.number, currency: s.currency, issueDate: s.issueDate, total: s.total, tax: issued.tax,
        outstanding: s.outstanding, vatBreakdown: s.vatBreakdown, vatCorrected: s.vatCorrected ?? [], chargesOpen: Math.max(0, (s.charged ?? 0) - (s.chargesCredited ?? 0)),
        ...(s.vatDueOn === 'receipt' ? { vatWaiting: waitingVat(s) } : {}),
      };
    }
    const money = currency ?? 'EUR';
    if (c.lines !== undefined && !Array.isArray(c.lines)) throw invalid('LINES_REQUIRED', 'lines must be an array', 'lines');
    const lines: InvoiceLineInput[] | undefined = c.lines?.map((l, i) => ({
      description: l.description, quantity: l.quantity, taxRate: l.taxRate, unitPrice: parseAmount(l.unitPrice, money, `lines[${i}].unitPrice`),
    }));
    const amount = c.amount === undefined ? undefined : typeof c.amount === 'number' ? c.amount : parseAmount(c.amount, money, 'amount');

    for (let attempt = 0; attempt < MAX_CONCURRENCY_RETRIES; attempt++) {
      const { series, number, tail } = await nextCreditNoteNumber(this.repo, c.issueDate, this.config.creditNoteBackdatedSeries);
      const seriesStream = streams.creditNoteNumbers(series);
      const [issued] = creditNoteDecider.decide({
        type: 'IssueCreditNote', creditNoteId: c.creditNoteId, customerId: c.customerId, number, issueDate: c.issueDate, reason: c.reason,
        currency, invoice, lines, amount, taxRate: c.taxRate, disputeId: c.fromDispute,
      }, note.state) as CreditNoteIssued[];
      const reservation: CreditNoteNumberReserved = {
        type: 'CreditNoteNumberReserved',
        data: { series, number, creditNoteId: c.creditNoteId, customerId: c.customerId, creditNote: issued.data },
      };
      try {
        await this.repo.append({ streamId: seriesStream, last: tail ? { revision: tail.revision, hash: tail.metadata.hash } : null }, [reservation], c.ctx);
      } catch (err) {
        if (err instanceof ConcurrencyError) continue;
        throw err;
      }
      let written;
      try {
        written = await this.repo.append(note, [issued], c.ctx);
      } catch (err) {
        // The number is reserved with the whole note: answered as recorded; the process manager (or a retry) issues it.
        return { ...issued.data, position: -1, replayed: false, pending: describeFailure(err) };
      }
      return { ...issued.data, position: written.position, replayed: false, ...(await this.apply(c.ctx, written.stored)) };
    }
    throw new DomainError('CONCURRENCY_CONFLICT', `Credit note series ${CREDIT_NOTE_SERIES} kept changing`, { series: CREDIT_NOTE_SERIES }, 'conflict');
  }

  /** The note's application to its invoice; a failure leaves it to the process manager (CreditNoteIssued is its step). */
  private async apply(ctx: CommandContext, events: Parameters<typeof applyCreditNoteEvents>[2]): Promise<{ pending?: string }> {
    try {
      await applyCreditNoteEvents(this.bus, ctx, events);
      return {};
    } catch (err) {
      return { pending: describeFailure(err) };
    }
  }
}

export class OpenDisputeCommand {
  constructor(readonly invoiceId: string, readonly disputeId: string, readonly amount: string, readonly reason: string, readonly on: string, readonly ctx: CommandContext) {}
}

export class ResolveDisputeCommand {
  constructor(
    readonly invoiceId: string,
    readonly disputeId: string,
    readonly outcome: 'accepted' | 'rejected',
    readonly agreedAmount: string | null,
    readonly note: string,
    readonly on: string,
    readonly ctx: CommandContext,
  ) {}
}

export interface DisputeChange {
  invoiceId: string;
  customerId: string;
  currency: string;
  event: InvoiceCollectionEvent | null;
  creditNote: IssuedCreditNote | null;
  position: number;
  replayed: boolean;
}

const noteDateOf = (e: StoredEvent) => (e.data as unknown as CreditNoteNumberReserved['data']).creditNote.issueDate;

/**
 * The series, number and series tail a credit note dated `date` takes. Numbers follow the dates (ADR 0049): a note
 * dated before the last of CN goes to the back-dated series when configured, else it is refused.
 */
export async function nextCreditNoteNumber(repo: EventSourcedRepository, date: string, backdatedSeries: string | null) {
  const primary = await readSeriesTail(repo.store, streams.creditNoteNumbers(CREDIT_NOTE_SERIES), CREDIT_NOTE_SERIES, noteDateOf);
  const backdated = backdatedSeries === null ? null : await readSeriesTail(repo.store, streams.creditNoteNumbers(backdatedSeries), backdatedSeries, noteDateOf);
  const { series, number } = chronologicalNumber({ date, primary, backdated, refusalCode: 'CREDIT_NOTE_DATE_BEFORE_LAST_NUMBERED', document: 'credit note' });
  return { series, number, tail: (series === CREDIT_NOTE_SERIES ? primary : backdated)?.event };
}

/** Command id of the automatic credit note of an accepted dispute. */
export const disputeCreditNoteCommandId = (disputeId: string) => `dispute-credit-note|${disputeId}`;

/** The credit note an accepted dispute issues, for the agreed amount against its invoice (the rest of it, if paid meanwhile, is credit). */
export function creditNoteForDispute(e: Stored<DisputeResolved>, ctx: Pick<CommandContext, 'actor' | 'actorId' | 'onBehalfOf' | 'correlationId' | 'recordedAt'>): IssueCreditNoteCommand | null {
  const d = e.data;
  if (d.outcome !== 'accepted' || d.creditNoteId === null || d.agreedAmount === 0) return null;
  return new IssueCreditNoteCommand(d.creditNoteId, d.customerId, d.invoiceId, d.resolvedOn, `Dispute ${d.disputeId} accepted${d.note ? `: ${d.note}` : ''}`.slice(0, 500),
    undefined, d.agreedAmount, undefined, causedBy(ctx, e.id, disputeCreditNoteCommandId(d.disputeId)), d.disputeId);
}

@CommandHandler(OpenDisputeCommand)
export class OpenDisputeHandler implements ICommandHandler<OpenDisputeCommand, DisputeChange> {
  constructor(private readonly repo: EventSourcedRepository) {}
  async execute(c: OpenDisputeCommand): Promise<DisputeChange> {
    const loaded = await this.repo.load(streams.invoice(c.invoiceId), invoiceDecider);
    if (isNotReceivable(loaded.state)) throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${c.invoiceId} does not exist`, { invoiceId: c.invoiceId }, 'not_found');
    const { currency, customerId } = loaded.state;
    const amount = parseAmount(c.amount, currency, 'amount');
    const r = await this.repo.handle(streams.invoice(c.invoiceId), invoiceDecider, c.ctx, () => ({
      type: 'OpenDispute' as const, invoiceId: c.invoiceId, disputeId: c.disputeId, amount, reason: c.reason, on: c.on,
    }));
    return { invoiceId: c.invoiceId, customerId, currency, event: (r.events[0] as InvoiceCollectionEvent | undefined) ?? null, creditNote: null, position: r.position, replayed: r.replayed };
  }
}

@CommandHandler(ResolveDisputeCommand)
export class ResolveDisputeHandler implements ICommandHandler<ResolveDisputeCommand, DisputeChange> {
  constructor(private readonly repo: EventSourcedRepository, private readonly bus: CommandBus, @Inject(APP_CONFIG) private readonly config: AppConfig) {}
  async execute(c: ResolveDisputeCommand): Promise<DisputeChange> {
    const loaded = await this.repo.load(streams.invoice(c.invoiceId), invoiceDecider);
    if (isNotReceivable(loaded.state)) throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${c.invoiceId} does not exist`, { invoiceId: c.invoiceId }, 'not_found');
    const { currency, customerId } = loaded.state;
    const agreedAmount = c.agreedAmount === null ? null : parseAmount(c.agreedAmount, currency, 'agreedAmount');
    const r = await this.repo.handle(streams.invoice(c.invoiceId), invoiceDecider, c.ctx, async () => {
      // An acceptance issues a credit note dated `on`: refuse it before anything is written if that number would break
      // the series' chronology (ADR 0049), rather than resolve the dispute and fail on its credit note.
      if (c.outcome === 'accepted' && agreedAmount !== 0 && isCalendarDate(c.on)) await nextCreditNoteNumber(this.repo, c.on, this.config.creditNoteBackdatedSeries);
      return { type: 'ResolveDispute' as const, invoiceId: c.invoiceId, disputeId: c.disputeId, outcome: c.outcome, agreedAmount, note: c.note, on: c.on };
    });
    const resolved = r.events.find((e) => e.type === 'DisputeResolved') as unknown as Stored<DisputeResolved> | undefined;
    const issue = resolved ? creditNoteForDispute(resolved, c.ctx) : null;
    const creditNote = issue ? await this.bus.execute<IssueCreditNoteCommand, IssuedCreditNote>(issue) : null;
    return { invoiceId: c.invoiceId, customerId, currency, event: (resolved as unknown as InvoiceCollectionEvent) ?? null, creditNote, position: Math.max(r.position, creditNote?.position ?? -1), replayed: r.replayed };
  }
}

export const CREDIT_NOTE_COMMAND_HANDLERS = [ApplyCreditNoteHandler, IssueCreditNoteHandler, OpenDisputeHandler, ResolveDisputeHandler];
