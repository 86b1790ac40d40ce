import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { invoiceDecider } from '../domain/invoice/invoice.decider';
import type { InvoiceNumberReserved } from '../domain/invoice/invoice-numbering.events';
import type { PaymentAllocated } from '../domain/payment/payment.events';
import { streams } from '../domain/shared/ids';
import { EVENT_STORE, type EventStore, type StoredEvent, type Subscription } from '../event-store/event-store.port';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port';
import { causedBy, identityOf } from './command-context';
import { ApplyPaymentCommand } from './commands/invoice.commands';
import { allocationCommandId } from './commands/payment.commands';
import { UnapplyPaymentCommand, unapplyCommandId } from './commands/collection.commands';
import type { PaymentDeallocated } from '../domain/payment/payment.collection.events';
import type { CreditNoteAllocated, CreditNoteIssued, CreditNoteNumberReserved } from '../domain/credit-note/credit-note.events';
import type { DisputeResolved } from '../domain/invoice/invoice.collection.events';
import { creditNoteDecider } from '../domain/credit-note/credit-note.decider';
import { applyCreditNoteEvents, creditNoteForDispute } from './commands/credit-note.commands';
import type { ReminderSent } from '../domain/invoice/invoice.collection.events';
import { CREDIT_HOLDS, type CreditHolds, DunningMailer } from './dunning/dunning';
import type { PaymentPlanEvent } from '../domain/payment-plan/payment-plan.events';
import { paymentPlanDecider } from '../domain/payment-plan/payment-plan.decider';
import { applyPlanEvents } from './commands/payment-plan.commands';
import { EventSourcedRepository } from './event-sourced-repository';

const CHECKPOINT_KEY = 'process-manager:position';

/**
 * Drives the cross-aggregate steps from the log, idempotently:
 * - PaymentAllocated → ApplyPayment on the invoice (command id derived from payment + invoice);
 * - InvoiceNumberReserved without its invoice → write the InvoiceIssued it carries (same event ids).
 * The command path performs the same steps synchronously; this catches up after a crash between appends.
 * Its position is saved after each batch; replaying a batch is harmless because every step is idempotent.
 */
@Injectable()
export class ProcessManager {
  private readonly logger = new Logger('ProcessManager');
  private subscription: Subscription | null = null;
  lastError: string | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly meta: ReadStore,
    private readonly commandBus: CommandBus,
    private readonly repo: EventSourcedRepository,
    private readonly mailer: DunningMailer,
    @Inject(CREDIT_HOLDS) private readonly holds: CreditHolds,
  ) {}

  /** Finishes the backlog (steps interrupted by a crash) before the API serves, then follows the log. */
  async start(): Promise<void> {
    const saved = await this.meta.getMeta(CHECKPOINT_KEY);
    let position = saved === null ? -1 : Number(saved);
    for (;;) {
      const batch = await this.events.readAll(position, 1000);
      if (batch.length === 0) break;
      position = await this.process(batch);
    }
    this.subscription = this.events.subscribeToAll(position, async (batch) => {
      await this.process(batch);
    });
  }

  private async process(batch: readonly StoredEvent[]): Promise<number> {
    for (const e of batch) await this.handle(e);
    const position = batch[batch.length - 1].position;
    await this.meta.setMeta(CHECKPOINT_KEY, String(position));
    return position;
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = null;
  }

  private async handle(e: StoredEvent): Promise<void> {
    try {
      if (e.type === 'PaymentAllocated') await this.applyAllocation(e as unknown as StoredEvent & PaymentAllocated);
      else if (e.type === 'PaymentDeallocated') await this.unapply(e as unknown as StoredEvent & PaymentDeallocated);
      else if (e.type === 'CreditNoteIssued' || e.type === 'CreditNoteAllocated') {
        await applyCreditNoteEvents(this.commandBus, e.metadata, [e as unknown as StoredEvent & (CreditNoteIssued | CreditNoteAllocated)]);
      } else if (e.type === 'DisputeResolved') {
        const issue = creditNoteForDispute(e as unknown as StoredEvent & DisputeResolved, e.metadata);
        if (issue) await this.commandBus.execute(issue);
      } else if (e.type === 'PaymentPlanAgreed' || e.type === 'PaymentPlanBroken' || e.type === 'PaymentPlanCompleted') {
        const plan = await this.repo.load(streams.paymentPlan((e.data as { planId: string }).planId), paymentPlanDecider);
        const invoiceIds = plan.state.status === 'none' ? [] : plan.state.invoiceIds;
        await applyPlanEvents(this.commandBus, e.metadata, [e as unknown as StoredEvent & PaymentPlanEvent], invoiceIds);
      } else if (e.type === 'ReminderSent') {
        // Delivered by the run; this finishes a delivery a crash interrupted (the outbox sends an id once).
        const sent = (e as unknown as StoredEvent & ReminderSent).data;
        await this.mailer.deliver(e.id, sent);
        // …and a credit hold the level asked for (same command id as the run's request: placed once).
        if (sent.creditHold) {
          const invoice = await this.repo.load(streams.invoice(sent.invoiceId), invoiceDecider);
          const number = 'number' in invoice.state ? invoice.state.number : sent.invoiceId;
          await this.holds.requestHold(sent.customerId, `Dunning level ${sent.level} (${sent.name}) on invoice ${number}`, { eventId: e.id, ctx: e.metadata });
        }
      } else if (e.type === 'CreditNoteNumberReserved') await this.completeCreditNote(e as unknown as StoredEvent & CreditNoteNumberReserved);
      else if (e.type === 'InvoiceNumberReserved') await this.completeInvoice(e as unknown as StoredEvent & InvoiceNumberReserved);
    } catch (err) {
      // A refused step is a fact to investigate, not a reason to stop the other steps.
      this.lastError = `${e.type}@${e.position}: ${(err as Error).message}`;
      this.logger.error(this.lastError);
    }
  }

  private async applyAllocation(e: StoredEvent & PaymentAllocated): Promise<void> {
    const d = e.data;
    await this.commandBus.execute(new ApplyPaymentCommand(d.invoiceId, d.paymentId, d.amount, d.receivedOn,
      causedBy(e.metadata, e.id, allocationCommandId(d)), d.allocationId, d.appliedOn));
  }

  private async unapply(e: StoredEvent & PaymentDeallocated): Promise<void> {
    const d = e.data;
    await this.commandBus.execute(new UnapplyPaymentCommand(d.invoiceId, d.paymentId, d.amount, d.on, d.reason, causedBy(e.metadata, e.id, unapplyCommandId(e.id))));
  }

  private async completeCreditNote(e: StoredEvent & CreditNoteNumberReserved): Promise<void> {
    const stream = await this.repo.load(streams.creditNote(e.data.creditNoteId), creditNoteDecider);
    if (stream.last !== null) return;
    const m = e.metadata;
    await this.repo.append(stream, [{ type: 'CreditNoteIssued', data: e.data.creditNote }], {
      ...identityOf(m), recordedAt: m.recordedAt, commandId: m.commandId, correlationId: m.correlationId, causationId: m.causationId,
    });
  }

  private async completeInvoice(e: StoredEvent & InvoiceNumberReserved): Promise<void> {
    const stream = await this.repo.load(streams.invoice(e.data.invoiceId), invoiceDecider);
    // An invoice held for approval exists already: its approval's reservation still needs the InvoiceIssued.
    if (stream.last !== null && stream.state.status !== 'pending_approval') return;
    const m = e.metadata;
    await this.repo.append(stream, [{ type: 'InvoiceIssued', data: e.data.invoice }], {
      ...identityOf(m), recordedAt: m.recordedAt, commandId: m.commandId, correlationId: m.correlationId, causationId: m.causationId,
    });
  }
}
