import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { invoiceDecider } from '../../domain/invoice/invoice.decider';
import type { AppConfig } from '../config';
import { APP_CONFIG } from '../tokens';
import type { UnitOfWork } from '../unit-of-work';
import { creditDecider } from '../../domain/credit/credit.decider';
import { paymentDecider, type OpenInvoice } from '../../domain/payment/payment.decider';
import type { PaymentAllocated, PaymentEvent, PaymentReceived } from '../../domain/payment/payment.events';
import { DomainError, invalid } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { parseAmount } from '../../domain/shared/money';
import { causedBy, type CommandContext } from '../command-context';
import { EventSourcedRepository } from '../event-sourced-repository';
import { ReadModels } from '../read-models';
import { ApplyPaymentCommand, CustomerLocks } from './invoice.commands';
import { describeFailure } from '../../resilience/retry';
import { inOneUnit } from '../unit-of-work';
import { allocationCommandId, stagePaymentInvoiceSteps } from './invoice-steps';
import { openInvoicesForPayment, type PaymentReach } from './open-invoices';

export class RecordPaymentCommand {
  constructor(
    readonly paymentId: string,
    readonly customerId: string,
    readonly amount: string,
    readonly receivedOn: string,
    readonly method: string,
    readonly reference: string | null,
    readonly allocations: Array<{ invoiceId: string; amount: string }> | undefined,
    readonly ctx: CommandContext,
    /** When given, must be the customer's (and so the invoices') currency: no silent FX. */
    readonly currency?: string,
    /** The bank statement line the receipt comes from (cash application, ADR 0087). */
    readonly bankEntryId?: string,
    /**
     * Bank fees deducted from this receipt, written off on the one invoice it pays (ADR 0088): `amount` in minor
     * units, or null for whatever the receipt leaves owing there. Only with `bankEntryId`; in the same append.
     */
    readonly bankFees?: { invoiceId: string; amount: number | null },
  ) {}
}

/** The command id of the invoice step that writes bank fees off: stable, so a retry appends nothing. */
export const bankFeesCommandId = (paymentId: string, invoiceId: string) => `bank-fees|${paymentId}|${invoiceId}`;

export interface RecordedPayment {
  paymentId: string;
  customerId: string;
  currency: string;
  amount: number;
  allocations: Array<{ invoiceId: string; amount: number; rule: string }>;
  unapplied: number;
  /** Held for review: the reference named no open invoice of this customer; nothing was allocated (ADR 0032). */
  review: { reference: string; reason: 'reference_not_open' } | null;
  position: number;
  replayed: boolean;
  /**
   * Allocations recorded on the payment whose application to the invoice could not be written yet (why): the payment
   * is recorded; the process manager applies them, and so does a retry of this command (ADR 0046).
   */
  pending: Array<{ invoiceId: string; amount: number; reason: string }>;
  /** Bank fees written off with the receipt (ADR 0088); null = none. */
  bankFees: { invoiceId: string; amount: number } | null;
}

export { allocationCommandId, applyCommandId } from './invoice-steps';

/**
 * Records a payment (PaymentReceived + PaymentAllocated per invoice) and then applies each allocation to
 * its invoice through the command bus before answering, so the 2xx means the invoices reflect it.
 * The same step is also driven from the log by the process manager, which repairs a crash in between.
 */
@CommandHandler(RecordPaymentCommand)
export class RecordPaymentHandler implements ICommandHandler<RecordPaymentCommand, RecordedPayment> {
  constructor(
    private readonly repo: EventSourcedRepository,
    private readonly readModels: ReadModels,
    private readonly locks: CustomerLocks,
    private readonly commandBus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(c: RecordPaymentCommand): Promise<RecordedPayment> {
    // The allocations are applied before the customer's lock is released: the next payment of the
    // same customer then sees these invoices' new outstanding amounts.
    return this.locks.run([`customer:${c.customerId}`], async () => {
      const recorded = await this.record(c);
      if (recorded.writtenNow) return recorded.result;
      // Recorded earlier: an application that a crash, an EventStoreDB plan cut short or an earlier version left
      // out is completed now, as the process manager would (same command id: whoever runs first writes).
      const pending: RecordedPayment['pending'] = [];
      // The first answer's position is the last event of the whole command, invoice steps included: so is the replay's.
      let position = recorded.result.position;
      for (const a of recorded.events) {
        const d = a.data;
        try {
          const step = await this.commandBus.execute<ApplyPaymentCommand, { position: number }>(new ApplyPaymentCommand(d.invoiceId, d.paymentId, d.amount, d.receivedOn,
            causedBy(a.metadata ?? c.ctx, a.id, allocationCommandId(d)), d.allocationId, d.appliedOn));
          if (step.position > position) position = step.position;
        } catch (err) {
          // The payment is recorded: answer as recorded, the application follows (process manager, or a retry) (ADR 0046).
          pending.push({ invoiceId: d.invoiceId, amount: d.amount, reason: describeFailure(err) });
        }
      }
      // The fees step left out by an interruption after the payment was recorded (ADR 0088): completed now.
      let bankFees = recorded.result.bankFees;
      if (c.bankFees !== undefined && pending.length === 0) {
        const step = await this.repo.handle(streams.invoice(c.bankFees.invoiceId), invoiceDecider, causedBy(c.ctx, c.ctx.causationId, bankFeesCommandId(c.paymentId, c.bankFees.invoiceId)), (state) => this.feesCommand(c, state));
        if (step.position > position) position = step.position;
        bankFees = feesOf(step.events) ?? bankFees;
      }
      return { ...recorded.result, position, pending, bankFees };
    });
  }

  private async record(c: RecordPaymentCommand) {
    const credit = await this.repo.load(streams.credit(c.customerId), creditDecider);
    if (credit.state.status !== 'active') {
      throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${c.customerId} is not registered`, { customerId: c.customerId }, 'not_found');
    }
    const currency = credit.state.currency;
    if (c.currency !== undefined && c.currency !== currency) {
      throw new DomainError('CURRENCY_MISMATCH', `The payment is in ${c.currency}; customer ${c.customerId} is invoiced in ${currency} and no conversion is made`, {
        field: 'currency', paymentCurrency: c.currency, customerCurrency: currency,
      });
    }
    const amount = parseAmount(c.amount, currency, 'amount');
    if (c.allocations !== undefined && !Array.isArray(c.allocations)) throw invalid('ALLOCATIONS_MALFORMED', 'allocations must be an array', 'allocations');
    const allocations = c.allocations?.map((a, i) => ({ invoiceId: a.invoiceId, amount: parseAmount(a.amount, currency, `allocations[${i}].amount`) }));
    // The payment and its invoice steps are decided together and appended all or nothing (ADR 0030).
    const { value: r, position } = await inOneUnit(this.repo.store, async (uow) => {
      const step = await uow.decide(streams.payment(c.paymentId), paymentDecider, c.ctx, async (state) => ({
      type: 'RecordPayment' as const,
      paymentId: c.paymentId,
      customerId: c.customerId,
      currency,
      amount,
      receivedOn: c.receivedOn,
      method: c.method,
      reference: c.reference,
      allocations,
      openInvoices: state.status === 'none' ? await this.openInvoices(c.customerId, allocations !== undefined && Array.isArray(allocations)
        ? { kind: 'named', invoiceIds: allocations.map((a) => a.invoiceId) }
        : { kind: 'automatic', amount, currency, reference: c.reference }) : [],
      ...(c.bankEntryId !== undefined ? { bankEntryId: c.bankEntryId } : {}),
      }));
      if (!step.replayed) await stagePaymentInvoiceSteps(uow, c.ctx, step.events);
      const fees = step.replayed ? null : await this.stageBankFees(uow, c, step.events);
      return { ...step, fees };
    });
    type Placed = { id: string; position: number; metadata?: CommandContext };
    const events = r.events as Array<PaymentEvent & Placed>;
    const received = events.find((e): e is PaymentReceived & Placed => e.type === 'PaymentReceived');
    // Recorded earlier (same id, another command id): its allocations may still wait for their application.
    const allocated: Array<PaymentAllocated & Placed> = received
      ? events.filter((e): e is PaymentAllocated & Placed => e.type === 'PaymentAllocated')
      : (await this.repo.load(streams.payment(c.paymentId), paymentDecider)).events
        .filter((e) => e.type === 'PaymentAllocated')
        .map((e) => ({ type: 'PaymentAllocated', data: e.data, id: e.id, position: e.position, metadata: e.metadata }) as unknown as PaymentAllocated & Placed);
    const state = r.state;
    if (state.status !== 'recorded') throw new Error('a recorded payment must be in state recorded');
    const result: RecordedPayment = {
      paymentId: c.paymentId,
      customerId: state.customerId,
      currency: state.currency,
      amount: state.amount,
      // Events of this command (first time or retried key); else the identical payment recorded earlier.
      allocations: received
        ? allocated.map((a) => ({ invoiceId: a.data.invoiceId, amount: a.data.amount, rule: a.data.rule }))
        : state.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount, rule: 'recorded' })),
      unapplied: state.unapplied,
      review: state.review,
      position: r.replayed ? (events[events.length - 1]?.position ?? -1) : position === -1 ? r.storedPosition : position,
      replayed: r.replayed,
      pending: [],
      bankFees: r.fees,
    };
    // Written now: the invoice steps went in the same append (ADR 0030); else they may still be missing.
    return { result, events: allocated, writtenNow: received !== undefined && !r.replayed };
  }

  /**
   * Bank fees on the receipt's one invoice, decided in the same unit as its application (ADR 0088): the invoice
   * refuses anything but the exact remainder, within AR_CASH_FEE_TOLERANCE, with no dispute open.
   */
  private async stageBankFees(uow: UnitOfWork, c: RecordPaymentCommand, events: ReadonlyArray<PaymentEvent & { id: string }>): Promise<{ invoiceId: string; amount: number } | null> {
    if (c.bankFees === undefined) return null;
    const fees = c.bankFees;
    const allocations = events.filter((e): e is PaymentAllocated & { id: string } => e.type === 'PaymentAllocated');
    if (allocations.length !== 1 || allocations[0].data.invoiceId !== fees.invoiceId) {
      throw new DomainError('BANK_FEES_SEVERAL_INVOICES', 'Bank fees are written off only when the receipt pays one invoice, the one they are written off on', {
        field: 'bankFees', invoiceId: fees.invoiceId, allocatedTo: allocations.map((a) => a.data.invoiceId),
      });
    }
    if (allocations[0].data.unapplied !== 0) {
      throw new DomainError('BANK_FEES_RECEIPT_NOT_ALLOCATED', 'Bank fees are written off only when the whole receipt goes to the invoice (nothing left as customer credit)', {
        field: 'bankFees', invoiceId: fees.invoiceId, unapplied: allocations[0].data.unapplied,
      });
    }
    const step = await uow.decide(streams.invoice(fees.invoiceId), invoiceDecider, causedBy(c.ctx, allocations[0].id, bankFeesCommandId(c.paymentId, fees.invoiceId)), (state) => this.feesCommand(c, state));
    return feesOf(step.events);
  }

  private feesCommand(c: RecordPaymentCommand, state: { status: string; outstanding?: number }) {
    const fees = c.bankFees!;
    if (c.bankEntryId === undefined) throw new Error('bank fees are written off only on a receipt from a bank statement');
    const remainder = state.outstanding ?? 0;
    if (fees.amount === null && remainder === 0) {
      throw new DomainError('NO_SHORTFALL', 'The receipt leaves nothing owing on the invoice: there are no bank fees to accept', { field: 'acceptBankFees', invoiceId: fees.invoiceId });
    }
    return {
      type: 'WriteOffBankFees' as const, invoiceId: fees.invoiceId, paymentId: c.paymentId, bankEntryId: c.bankEntryId,
      amount: fees.amount ?? remainder, on: c.receivedOn, tolerance: this.config.cashFeeTolerance,
    };
  }

  /** The customer's invoices this payment can touch (ADR 0121), from the invoices read model once it has caught up. */
  private async openInvoices(customerId: string, reach: PaymentReach): Promise<OpenInvoice[]> {
    const { fresh } = await this.readModels.catchUp(['invoices']);
    if (!fresh) throw new DomainError('READ_MODEL_BEHIND', 'The invoices read model is still catching up; retry the command', { projection: 'invoices' }, 'conflict');
    return openInvoicesForPayment(this.readModels, customerId, reach);
  }
}

function feesOf(events: ReadonlyArray<{ type: string; data: unknown }>): { invoiceId: string; amount: number } | null {
  const e = events.find((x) => x.type === 'BankFeesWrittenOff');
  if (!e) return null;
  const d = e.data as { invoiceId: string; amount: number };
  return { invoiceId: d.invoiceId, amount: d.amount };
}
