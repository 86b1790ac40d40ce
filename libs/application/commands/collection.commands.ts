import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { creditDecider } from '../../domain/credit/credit.decider';
import { invoiceDecider, isNotReceivable } from '../../domain/invoice/invoice.decider';
import { paymentDecider, automaticAllocations, payable, type OpenInvoice, type PaymentCommand, type PaymentState } from '../../domain/payment/payment.decider';
import { reallocationDate, type ReallocationDateRule } from '../../domain/payment/payment.collections';
import { parseDate } from '../../domain/shared/dates';
import { creditAvailableFrom, leastOpenFrom, sourcesExistingOn } from '../../domain/collections/credit-availability';
import { DomainError } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { formatAmount, parseAmount } from '../../domain/shared/money';
import type { CustomerCredit } from '../../../projections';
import { causedBy, responsible, type CommandContext } from '../command-context';
import type { AppConfig } from '../config';
import { APP_CONFIG } from '../tokens';
import type { HandledCommand } from '../event-sourced-repository';
import type { InvoiceEvent } from '../../domain/invoice/invoice.events';
import type { InvoiceState } from '../../domain/invoice/invoice.decider';
import type { InvoiceWrittenOff } from '../../domain/invoice/invoice.collection.events';
import type { WriteOffRequestApproved, WriteOffRequested, WriteOffRequestRejected } from '../../domain/invoice/invoice.write-off-request.events';
import { deterministicUuid } from '../../domain/shared/ids';
import { EventSourcedRepository } from '../event-sourced-repository';
import { ReadModels } from '../read-models';
import { CustomerLocks } from './invoice.commands';
import { openInvoicesForPayment, type PaymentReach } from './open-invoices';
import { creditNoteDecider } from '../../domain/credit-note/credit-note.decider';
import type { CreditSource } from '../../../projections';

type Stored<E> = E & { id: string; position: number };

/** Takes (part of) a payment back from an invoice: the invoice owes it again. Sent for every PaymentDeallocated. */
export class UnapplyPaymentCommand {
  constructor(
    readonly invoiceId: string,
    readonly paymentId: string,
    readonly amount: number,
    readonly on: string,
    readonly reason: 'reallocation' | 'reversal',
    readonly ctx: CommandContext,
  ) {}
}

import { stageCreditNoteInvoiceSteps, stagePaymentInvoiceSteps, unapplyCommandId } from './invoice-steps';
import { inOneUnit, type UnitOfWork } from '../unit-of-work';
import type { CreditNoteEvent } from '../../domain/credit-note/credit-note.events';

export { unapplyCommandId };

@CommandHandler(UnapplyPaymentCommand)
export class UnapplyPaymentHandler implements ICommandHandler<UnapplyPaymentCommand, { position: number }> {
  constructor(private readonly repo: EventSourcedRepository) {}
  async execute(c: UnapplyPaymentCommand): Promise<{ position: number }> {
    const r = await this.repo.handle(streams.invoice(c.invoiceId), invoiceDecider, c.ctx, () => ({
      type: 'UnapplyPayment' as const, invoiceId: c.invoiceId, paymentId: c.paymentId, amount: c.amount, on: c.on, reason: c.reason,
    }));
    return { position: r.position };
  }
}

export interface PaymentChange {
  paymentId: string;
  customerId: string;
  currency: string;
  allocations: Array<{ invoiceId: string; amount: number }>;
  unapplied: number;
  reversed: boolean;
  position: number;
  replayed: boolean;
}

abstract class PaymentCommandHandler {
  constructor(
    protected readonly repo: EventSourcedRepository,
    protected readonly readModels: ReadModels,
    protected readonly locks: CustomerLocks,
    protected readonly bus: CommandBus,
  ) {}

  protected async payment(paymentId: string) {
    const p = await this.repo.load(streams.payment(paymentId), paymentDecider);
    if (p.state.status !== 'recorded') throw new DomainError('PAYMENT_NOT_FOUND', `Payment ${paymentId} does not exist`, { paymentId }, 'not_found');
    return p.state;
  }

  /** The customer's open invoices the command can touch (ADR 0121), from the invoices read model once it has caught up. */
  protected async openInvoices(customerId: string, reach: PaymentReach, adjust?: (open: OpenInvoice[]) => Promise<OpenInvoice[]>): Promise<OpenInvoice[]> {
    const { fresh } = await this.readModels.catchUp(['invoices']);
    if (!fresh) throw new DomainError('READ_MODEL_BEHIND', 'The invoices read model is still catching up; retry the command', { projection: 'invoices' }, 'conflict');
    return openInvoicesForPayment(this.readModels, customerId, reach, adjust);
  }

  /**
   * The open invoices with `outstanding` lowered to the least they are open from `on` onward (dated movements of
   * the open-items model): an allocation dated `on` never takes what is not yet owed on `on` (charges assessed
   * later), so no invoice shows a negative open amount on any date (ADR 0032).
   */
  protected async openInvoicesFrom(open: OpenInvoice[], on: string): Promise<OpenInvoice[]> {
    const { fresh } = await this.readModels.catchUp(['open-items']);
    if (!fresh) throw new DomainError('READ_MODEL_BEHIND', 'The open-items read model is still catching up; retry the command', { projection: 'open-items' }, 'conflict');
    if (open.length === 0) return [];
    // One read of all of them, not one per invoice.
    const items = await this.readModels.getMany<{ total: number; movements: Array<{ on: string; amount: number }> }>('open-items', open.map((o) => o.invoiceId));
    return open.map((o) => {
      const item = items.get(o.invoiceId);
      return item ? { ...o, outstanding: Math.min(o.outstanding, leastOpenFrom(item, on)) } : o;
    });
  }

  /** The payment's events and the invoice steps they call for, decided together and appended all or nothing (ADR 0030). */
  protected async run(paymentId: string, ctx: CommandContext, make: (state: PaymentState) => PaymentCommand | Promise<PaymentCommand>): Promise<PaymentChange> {
    const { value: step, position } = await inOneUnit(this.repo.store, async (uow) => {
      const r = await uow.decide(streams.payment(paymentId), paymentDecider, ctx, make);
      if (!r.replayed) await stagePaymentInvoiceSteps(uow, ctx, r.events);
      return r;
    });
    const s = step.state;
    if (s.status !== 'recorded') throw new Error('a handled payment must be recorded');
    const last = step.events[step.events.length - 1];
    return {
      paymentId, customerId: s.customerId, currency: s.currency, allocations: s.allocations, unapplied: s.unapplied, reversed: s.reversed,
      position: step.replayed ? (last?.position ?? -1) : position === -1 ? step.storedPosition : position, replayed: step.replayed,
    };
  }
}

export class ReallocatePaymentCommand {
  constructor(
    readonly paymentId: string,
    readonly fromInvoiceId: string,
    readonly toInvoiceId: string | null,
    readonly amount: string,
    /** Null: as of the allocation it undoes (the receipt), not before the target's issue date (ADR 0032). */
    readonly on: string | null,
    readonly ctx: CommandContext,
  ) {}
}

export type Reallocation = PaymentChange & { appliesOn: string; dateRule: ReallocationDateRule };

/** Moves an applied amount between invoices of the payment's customer (or back to its credit), with its invoice steps, all or nothing. */
@CommandHandler(ReallocatePaymentCommand)
export class ReallocatePaymentHandler extends PaymentCommandHandler implements ICommandHandler<ReallocatePaymentCommand, Reallocation> {
  constructor(repo: EventSourcedRepository, readModels: ReadModels, locks: CustomerLocks, bus: CommandBus) {
    super(repo, readModels, locks, bus);
  }
  async execute(c: ReallocatePaymentCommand): Promise<Reallocation> {
    const p = await this.payment(c.paymentId);
    const amount = parseAmount(c.amount, p.currency, 'amount');
    return this.locks.run([`customer:${p.customerId}`], async () => {
      let dated: { on: string; rule: ReallocationDateRule } = { on: c.on ?? p.receivedOn, rule: c.on === null ? 'receipt' : 'explicit' };
      const change = await this.run(c.paymentId, c.ctx, async (state) => {
        // The target is the one invoice the re-allocation can touch (ADR 0121).
        let openInvoices = c.toInvoiceId === null ? [] : await this.openInvoices(p.customerId, { kind: 'named', invoiceIds: [c.toInvoiceId] });
        if (state.status === 'recorded') {
          const target = openInvoices.find((o) => o.invoiceId === c.toInvoiceId) ?? null;
          dated = reallocationDate(state, c.fromInvoiceId, target, c.on);
          if (target) openInvoices = await this.openInvoicesFrom(openInvoices, dated.on);
        }
        return { type: 'ReallocatePayment' as const, paymentId: c.paymentId, fromInvoiceId: c.fromInvoiceId, toInvoiceId: c.toInvoiceId, amount, on: c.on, openInvoices };
      });
      return { ...change, appliesOn: dated.on, dateRule: dated.rule };
    });
  }
}

export class ReversePaymentCommand {
  constructor(readonly paymentId: string, readonly reason: string, readonly on: string, readonly ctx: CommandContext) {}
}

/** Bounced / charged back: every allocation is taken back (the invoices reopen), then the payment is reversed. */
@CommandHandler(ReversePaymentCommand)
export class ReversePaymentHandler extends PaymentCommandHandler implements ICommandHandler<ReversePaymentCommand, PaymentChange> {
  constructor(repo: EventSourcedRepository, readModels: ReadModels, locks: CustomerLocks, bus: CommandBus) {
    super(repo, readModels, locks, bus);
  }
  async execute(c: ReversePaymentCommand): Promise<PaymentChange> {
    const p = await this.payment(c.paymentId);
    return this.locks.run([`customer:${p.customerId}`], () => this.run(c.paymentId, c.ctx, () => ({
      type: 'ReversePayment' as const, paymentId: c.paymentId, reason: c.reason, on: c.on,
    })));
  }
}

export interface CreditMovement {
  customerId: string;
  currency: string;
  id: string;
  parts: Array<{ paymentId: string; invoiceId?: string; amount: number }>;
  total: number;
  remainingCredit: number;
  position: number;
  replayed: boolean;
}

/** Shared by apply-credit and refunds: the customer, its currency and its credit (fresh). */
abstract class CustomerCreditHandler extends PaymentCommandHandler {
  /** Decides one step on a credit source (a payment's unapplied cash or a credit note's unapplied part) and its invoice steps, in the unit. */
  protected async onSource(
    uow: UnitOfWork, source: CreditSource, ctx: CommandContext,
    step: { kind: 'allocate'; allocations: Array<{ invoiceId: string; amount: number }>; on: string; open: OpenInvoice[] } | { kind: 'refund'; refundId: string; amount: number; on: string; method: string },
  ): Promise<{ replayed: boolean }> {
    if (source.kind === 'payment') {
      const r = await uow.decide(streams.payment(source.id), paymentDecider, ctx, () => (step.kind === 'allocate'
        ? { type: 'AllocatePayment' as const, paymentId: source.id, allocations: step.allocations, on: step.on, openInvoices: step.open }
        : { type: 'RefundPayment' as const, paymentId: source.id, refundId: step.refundId, amount: step.amount, on: step.on, method: step.method }));
      if (!r.replayed) await stagePaymentInvoiceSteps(uow, ctx, r.events);
      return { replayed: r.replayed };
    }
    const r = await uow.decide(streams.creditNote(source.id), creditNoteDecider, ctx, () => (step.kind === 'allocate'
      ? { type: 'AllocateCreditNote' as const, creditNoteId: source.id, allocations: step.allocations, on: step.on, openInvoices: step.open }
      : { type: 'RefundCreditNote' as const, creditNoteId: source.id, refundId: step.refundId, amount: step.amount, on: step.on, method: step.method }));
    if (!r.replayed) await stageCreditNoteInvoiceSteps(uow, ctx, r.events as Array<Stored<CreditNoteEvent>>);
    return { replayed: r.replayed };
  }

  protected async credit(customerId: string): Promise<{ currency: string; credit: CustomerCredit | null }> {
    const account = await this.repo.load(streams.credit(customerId), creditDecider);
    if (account.state.status !== 'active') {
      throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} is not registered`, { customerId }, 'not_found');
    }
    const { fresh } = await this.readModels.catchUp(['customer-credit', 'invoices']);
    if (!fresh) throw new DomainError('READ_MODEL_BEHIND', 'The customer credit is still catching up; retry the command', { projection: 'customer-credit' }, 'conflict');
    return { currency: account.state.currency, credit: await this.readModels.get<CustomerCredit>('customer-credit', customerId) };
  }
}

export class ApplyCreditCommand {
  constructor(
    readonly customerId: string,
    /** Null: oldest due first. */
    readonly invoiceId: string | null,
    /** Null: as much as the credit and the invoice(s) allow. */
    readonly amount: string | null,
    readonly on: string,
    readonly ctx: CommandContext,
  ) {}
}

/**
 * Customer credit (unapplied cash) put on open invoices: from the oldest credit first, each source payment
 * appending its own allocations (command id `<commandId>|<paymentId>`, so a retry appends nothing).
 */
@CommandHandler(ApplyCreditCommand)
export class ApplyCreditHandler extends CustomerCreditHandler implements ICommandHandler<ApplyCreditCommand, CreditMovement> {
  constructor(repo: EventSourcedRepository, readModels: ReadModels, locks: CustomerLocks, bus: CommandBus) {
    super(repo, readModels, locks, bus);
  }
  execute(c: ApplyCreditCommand): Promise<CreditMovement> {
    return this.locks.run([`customer:${c.customerId}`], () => this.apply(c));
  }

  private async apply(c: ApplyCreditCommand): Promise<CreditMovement> {
    parseDate(c.on, 'on');
    const { currency, credit } = await this.credit(c.customerId);
    const done = (credit?.applications ?? []).filter((a) => a.commandId.startsWith(`${c.ctx.commandId}|`));
    if (done.length > 0) {
      // The same command again (Idempotency-Key): answer what it applied, apply nothing twice.
      const total = done.reduce((s, a) => s + a.amount, 0);
      return {
        customerId: c.customerId, currency, id: c.ctx.commandId, parts: done.map((a) => ({ paymentId: a.sourceId, invoiceId: a.invoiceId, amount: a.amount })),
        total, remainingCredit: credit?.balance ?? 0, position: credit?.lastPosition ?? -1, replayed: true,
      };
    }
    const show = (m: number) => formatAmount(m, currency);
    const requested = c.amount === null ? null : parseAmount(c.amount, currency, 'amount');
    // Only credit that existed on `on` and that no later use needs (ADR 0031): credit is never negative on any date.
    const sources = sourcesExistingOn(credit?.sources ?? [], c.on);
    const available = Math.min(
      credit?.balance ?? 0, creditAvailableFrom(credit?.movements ?? [], c.on), sources.reduce((s, x) => s + x.unapplied, 0),
    );
    // Credit put on one named invoice reads that invoice only; spread oldest first, the oldest-due invoices that
    // cover what may be applied, each as owed from `on` on (ADR 0121).
    const from = (rows: OpenInvoice[]) => this.openInvoicesFrom(rows, c.on);
    const open = (c.invoiceId !== null
      ? await from(await this.openInvoices(c.customerId, { kind: 'named', invoiceIds: [c.invoiceId] }))
      : await this.openInvoices(c.customerId, { kind: 'automatic', amount: requested ?? available, currency, reference: null }, from)).filter((o) => o.outstanding > 0);
    let targets = open;
    if (c.invoiceId !== null) {
      targets = open.filter((o) => o.invoiceId === c.invoiceId);
      if (targets.length === 0) {
        throw new DomainError('ALLOCATION_INVOICE_NOT_OPEN', `Invoice ${c.invoiceId} is not an open invoice of customer ${c.customerId}`, { field: 'invoiceId', invoiceId: c.invoiceId });
      }
    }
    // What credit may pay: never an amount under dispute (ADR 0032).
    const owed = targets.reduce((s, o) => s + payable(o), 0);
    const amount = requested ?? Math.min(available, owed);
    if (amount === 0 || amount > available) {
      throw new DomainError('CREDIT_INSUFFICIENT', `Customer ${c.customerId} has ${show(available)} ${currency} of credit usable on ${c.on}`, {
        field: 'amount', customerId: c.customerId, currency, credit: show(available), amount: show(amount), on: c.on,
      });
    }
    if (amount > owed) {
      throw new DomainError('ALLOCATION_EXCEEDS_OUTSTANDING', `${show(amount)} ${currency} exceeds what the invoices owe outside disputes (${show(owed)})`, {
        field: 'amount', currency, amount: show(amount), outstanding: show(owed),
        disputed: show(targets.reduce((s, o) => s + o.outstanding, 0) - owed),
      });
    }
    // Which invoices: the one named, else oldest due first; the plan is fixed before any append.
    const plan = automaticAllocations({ amount, currency, reference: null }, targets);
    // Every source's step and every invoice step is decided before anything is written; one append for all (ADR 0030).
    const { value: { parts, replayed }, position } = await inOneUnit(this.repo.store, async (uow) => {
      const remaining = plan.map((a) => ({ ...a }));
      const parts: CreditMovement['parts'] = [];
      let replayed = false;
      for (const source of sources) {
        if (remaining.every((a) => a.amount === 0)) break;
        let budget = source.unapplied;
        const allocations: Array<{ invoiceId: string; amount: number }> = [];
        for (const a of remaining) {
          const take = Math.min(budget, a.amount);
          if (take === 0) continue;
          allocations.push({ invoiceId: a.invoiceId, amount: take });
          a.amount -= take;
          budget -= take;
        }
        if (allocations.length === 0) continue;
        const r = await this.onSource(uow, source, { ...c.ctx, commandId: `${c.ctx.commandId}|${source.id}` }, { kind: 'allocate', allocations, on: c.on, open: targets });
        replayed = replayed || r.replayed;
        parts.push(...allocations.map((a) => ({ paymentId: source.id, ...a })));
      }
      return { parts, replayed };
    });
    return { customerId: c.customerId, currency, id: c.ctx.commandId, parts, total: amount, remainingCredit: (credit?.balance ?? 0) - amount, position, replayed };
  }
}

export class RefundCreditCommand {
  constructor(
    readonly customerId: string,
    readonly refundId: string,
    readonly amount: string,
    readonly on: string,
    readonly method: string,
    readonly ctx: CommandContext,
  ) {}
}

/** Pays customer credit back: drawn from the oldest unapplied cash first, one PaymentRefunded per source payment. */
@CommandHandler(RefundCreditCommand)
export class RefundCreditHandler extends CustomerCreditHandler implements ICommandHandler<RefundCreditCommand, CreditMovement> {
  constructor(repo: EventSourcedRepository, readModels: ReadModels, locks: CustomerLocks, bus: CommandBus) {
    super(repo, readModels, locks, bus);
  }
  execute(c: RefundCreditCommand): Promise<CreditMovement> {
    return this.locks.run([`customer:${c.customerId}`], () => this.refund(c));
  }

  private async refund(c: RefundCreditCommand): Promise<CreditMovement> {
    parseDate(c.on, 'on');
    const { currency, credit } = await this.credit(c.customerId);
    const amount = parseAmount(c.amount, currency, 'amount');
    const done = (credit?.refunds ?? []).filter((r) => r.refundId === c.refundId);
    if (done.length > 0) {
      // The same refund id again: answer what was paid back, pay nothing twice.
      const total = done.reduce((s, r) => s + r.amount, 0);
      return { customerId: c.customerId, currency, id: c.refundId, parts: done.map((r) => ({ paymentId: r.sourceId, amount: r.amount })), total, remainingCredit: credit?.balance ?? 0, position: credit?.lastPosition ?? -1, replayed: true };
    }
    // A refund pays out credit that existed on its date and that no later use needs (ADR 0031).
    const sources = sourcesExistingOn(credit?.sources ?? [], c.on);
    const available = Math.min(
      credit?.balance ?? 0, creditAvailableFrom(credit?.movements ?? [], c.on), sources.reduce((s, x) => s + x.unapplied, 0),
    );
    const show = (m: number) => formatAmount(m, currency);
    if (amount === 0 || amount > available) {
      throw new DomainError('REFUND_EXCEEDS_CREDIT', `Customer ${c.customerId} has ${show(available)} ${currency} of credit that can be refunded on ${c.on}`, {
        field: 'amount', customerId: c.customerId, currency, credit: show(available), amount: show(amount), on: c.on,
      });
    }
    const { value: parts, position } = await inOneUnit(this.repo.store, async (uow) => {
      let left = amount;
      const parts: CreditMovement['parts'] = [];
      for (const source of sources) {
        if (left === 0) break;
        const take = Math.min(left, source.unapplied);
        if (take === 0) continue;
        await this.onSource(uow, source, { ...c.ctx, commandId: `${c.ctx.commandId}|${source.id}` }, { kind: 'refund', refundId: c.refundId, amount: take, on: c.on, method: c.method });
        parts.push({ paymentId: source.id, amount: take });
        left -= take;
      }
      return parts;
    });
    return { customerId: c.customerId, currency, id: c.refundId, parts, total: amount, remainingCredit: (credit?.balance ?? 0) - amount, position, replayed: false };
  }
}

export class WriteOffInvoiceCommand {
  constructor(
    readonly invoiceId: string,
    /** Null: the whole outstanding. */
    readonly amount: string | null,
    readonly reason: string,
    /** The approver the caller names, if any: it must be the principal (the approver is whoever acts). */
    readonly approvedBy: string | null,
    readonly on: string,
    readonly ctx: CommandContext,
  ) {}
}

/** Approve (or reject) the write-off request waiting on an invoice: a second principal, never its requester. */
export class ApproveWriteOffCommand {
  constructor(readonly invoiceId: string, readonly ctx: CommandContext) {}
}

export class RejectWriteOffCommand {
  constructor(readonly invoiceId: string, readonly reason: string, readonly ctx: CommandContext) {}
}

export interface WrittenOff {
  invoiceId: string;
  customerId: string;
  currency: string;
  /** `pending_approval`: above the four-eyes threshold, a request waits for a second principal (ADR 0042). */
  status: 'written_off' | 'pending_approval' | 'rejected';
  amount: number;
  outstanding: number;
  request: { requestId: string; requestedBy: string; approvalAbove?: number; approvedBy?: string; rejectedBy?: string } | null;
  position: number;
  replayed: boolean;
}

function writtenOffResult(invoiceId: string, customerId: string, currency: string, r: HandledCommand<InvoiceEvent> & { state: InvoiceState }): WrittenOff {
  const outstandingNow = isNotReceivable(r.state) ? 0 : r.state.outstanding;
  const base = { invoiceId, customerId, currency, position: r.position, replayed: r.replayed };
  const writtenOff = r.events.find((x) => x.type === 'InvoiceWrittenOff') as InvoiceWrittenOff | undefined;
  const requested = r.events.find((x) => x.type === 'WriteOffRequested') as WriteOffRequested | undefined;
  const approved = r.events.find((x) => x.type === 'WriteOffRequestApproved') as WriteOffRequestApproved | undefined;
  const rejected = r.events.find((x) => x.type === 'WriteOffRequestRejected') as WriteOffRequestRejected | undefined;
  if (requested) {
    const d = requested.data;
    return { ...base, status: 'pending_approval', amount: d.amount, outstanding: outstandingNow, request: { requestId: d.requestId, requestedBy: d.requestedBy, approvalAbove: d.approvalAbove } };
  }
  if (rejected) {
    const d = rejected.data;
    return { ...base, status: 'rejected', amount: 0, outstanding: outstandingNow, request: { requestId: d.requestId, requestedBy: d.requestedBy, rejectedBy: d.rejectedBy } };
  }
  const request = approved ? { requestId: approved.data.requestId, requestedBy: approved.data.requestedBy, approvedBy: approved.data.approvedBy } : null;
  return { ...base, status: 'written_off', amount: writtenOff?.data.amount ?? 0, outstanding: writtenOff?.data.outstanding ?? outstandingNow, request };
}

@CommandHandler(WriteOffInvoiceCommand)
export class WriteOffInvoiceHandler implements ICommandHandler<WriteOffInvoiceCommand, WrittenOff> {
  constructor(private readonly repo: EventSourcedRepository, private readonly locks: CustomerLocks, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async execute(c: WriteOffInvoiceCommand): Promise<WrittenOff> {
    const loaded = await this.repo.load(streams.invoice(c.invoiceId), invoiceDecider);
    if (isNotReceivable(loaded.state)) throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${c.invoiceId} does not exist`, { invoiceId: c.invoiceId }, 'not_found');
    const { currency, customerId } = loaded.state;
    const amount = c.amount === null ? null : parseAmount(c.amount, currency, 'amount');
    const principal = responsible(c.ctx);
    if (c.approvedBy !== null && c.approvedBy !== principal) {
      throw new DomainError('APPROVER_NOT_PRINCIPAL', `approvedBy must be the authenticated principal (${principal}), who approves by acting; got "${c.approvedBy}"`, {
        field: 'approvedBy', principal, approvedBy: c.approvedBy,
      });
    }
    const approvalAbove = this.config.writeOffApprovalAbove[currency] ?? null;
    return this.locks.run([`customer:${customerId}`], async () => {
      const r = await this.repo.handle(streams.invoice(c.invoiceId), invoiceDecider, c.ctx, () => ({
        type: 'WriteOffInvoice' as const, invoiceId: c.invoiceId, amount, reason: c.reason, approvedBy: principal, on: c.on,
        approvalAbove, requestId: deterministicUuid(`write-off-request|${c.ctx.commandId}`),
      }));
      return writtenOffResult(c.invoiceId, customerId, currency, r);
    });
  }
}

@CommandHandler(ApproveWriteOffCommand)
export class ApproveWriteOffHandler implements ICommandHandler<ApproveWriteOffCommand, WrittenOff> {
  constructor(private readonly repo: EventSourcedRepository, private readonly locks: CustomerLocks) {}

  async execute(c: ApproveWriteOffCommand): Promise<WrittenOff> {
    const loaded = await this.repo.load(streams.invoice(c.invoiceId), invoiceDecider);
    if (isNotReceivable(loaded.state)) throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${c.invoiceId} does not exist`, { invoiceId: c.invoiceId }, 'not_found');
    const { currency, customerId } = loaded.state;
    return this.locks.run([`customer:${customerId}`], async () => {
      const r = await this.repo.handle(streams.invoice(c.invoiceId), invoiceDecider, c.ctx, () => ({ type: 'ApproveWriteOff' as const, invoiceId: c.invoiceId, approvedBy: responsible(c.ctx) }));
      return writtenOffResult(c.invoiceId, customerId, currency, r);
    });
  }
}

@CommandHandler(RejectWriteOffCommand)
export class RejectWriteOffHandler implements ICommandHandler<RejectWriteOffCommand, WrittenOff> {
  constructor(private readonly repo: EventSourcedRepository) {}

  async execute(c: RejectWriteOffCommand): Promise<WrittenOff> {
    const loaded = await this.repo.load(streams.invoice(c.invoiceId), invoiceDecider);
    if (isNotReceivable(loaded.state)) throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${c.invoiceId} does not exist`, { invoiceId: c.invoiceId }, 'not_found');
    const { currency, customerId } = loaded.state;
    const r = await this.repo.handle(streams.invoice(c.invoiceId), invoiceDecider, c.ctx, () => ({ type: 'RejectWriteOff' as const, invoiceId: c.invoiceId, reason: c.reason, rejectedBy: responsible(c.ctx) }));
    return writtenOffResult(c.invoiceId, customerId, currency, r);
  }
}

export const COLLECTION_COMMAND_HANDLERS = [
  UnapplyPaymentHandler, ReallocatePaymentHandler, ReversePaymentHandler, ApplyCreditHandler, RefundCreditHandler, WriteOffInvoiceHandler,
  ApproveWriteOffHandler, RejectWriteOffHandler,
];
