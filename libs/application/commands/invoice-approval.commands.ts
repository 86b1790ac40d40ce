import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { creditDecider } from '../../domain/credit/credit.decider';
import { invoiceDecider } from '../../domain/invoice/invoice.decider';
import type { InvoiceIssued, InvoiceRejected } from '../../domain/invoice/invoice.events';
import { DomainError } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { responsible, type CommandContext } from '../command-context';
import type { AppConfig } from '../config';
import { CreditStandingReader } from '../credit-standing';
import { APP_CONFIG } from '../tokens';
import { EventSourcedRepository } from '../event-sourced-repository';
import { CustomerLocks } from './invoice.commands';
import { DEFAULT_SERIES, issueWithNextNumber, pendingReservation } from './invoice-numbering';
import { Optional } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '../../read-store/read-store.port';
import { describeFailure } from '../../resilience/retry';

export class ApproveInvoiceCommand {
  constructor(readonly invoiceId: string, readonly reason: string, readonly issueDate: string | undefined, readonly ctx: CommandContext) {}
}

export class RejectInvoiceCommand {
  constructor(readonly invoiceId: string, readonly reason: string, readonly ctx: CommandContext) {}
}

/** `pending`: the number is reserved with the approved invoice, its InvoiceIssued not written yet (why; ADR 0046). */
export type ApprovedInvoice = InvoiceIssued['data'] & { position: number; replayed: boolean; pending?: string };
export type RejectedInvoice = InvoiceRejected['data'] & { position: number; replayed: boolean };

function notFound(invoiceId: string): DomainError {
  return new DomainError('INVOICE_NOT_FOUND', `Invoice ${invoiceId} does not exist`, { invoiceId }, 'not_found');
}

/**
 * Approval of an invoice held for approval: under the customer's lock (the same as issuing, so pending amounts and
 * exposure cannot race) and the series lock; the invoice then takes the next gap-free number.
 */
@CommandHandler(ApproveInvoiceCommand)
export class ApproveInvoiceHandler implements ICommandHandler<ApproveInvoiceCommand, ApprovedInvoice> {
  constructor(
    private readonly repo: EventSourcedRepository,
    private readonly standing: CreditStandingReader,
    private readonly locks: CustomerLocks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(READ_STORE) private readonly readStore?: ReadStore,
  ) {}

  async execute(c: ApproveInvoiceCommand): Promise<ApprovedInvoice> {
    const first = await this.repo.load(streams.invoice(c.invoiceId), invoiceDecider);
    if (first.state.status === 'none') throw notFound(c.invoiceId);
    const customerId = first.state.customerId;
    return this.locks.run([`customer:${customerId}`], async () => {
      const invoice = await this.repo.load(streams.invoice(c.invoiceId), invoiceDecider);
      const previous = invoice.events.find((e) => e.metadata.commandId === c.ctx.commandId && e.type === 'InvoiceIssued');
      if (previous) return { ...(previous.data as InvoiceIssued['data']), position: previous.position, replayed: true };
      // An approval that reserved the number but could not write the invoice: complete it with that number.
      const reserved = this.readStore && invoice.state.status === 'pending_approval' ? await pendingReservation(this.repo, this.readStore, c.invoiceId, this.config.invoiceBackdatedSeries) : null;
      if (reserved) {
        const m = reserved.metadata;
        const data = reserved.data.invoice;
        try {
          const written = await this.repo.append(invoice, [{ type: 'InvoiceIssued', data } as InvoiceIssued], {
            actor: m.actor, recordedAt: m.recordedAt, commandId: m.commandId, correlationId: m.correlationId, causationId: m.causationId,
          });
          return { ...data, position: written.position, replayed: true };
        } catch (err) {
          return { ...data, position: reserved.position, replayed: true, pending: describeFailure(err) };
        }
      }
      const credit = await this.repo.load(streams.credit(customerId), creditDecider);
      if (credit.state.status !== 'active') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} is not registered`, { customerId }, 'not_found');
      let account = credit.state;
      let attempts = 0;
      const decide = async (number: string) => {
        // A retry follows another process's reservation: the customer's holds or limit may have changed too.
        if (attempts++ > 0) {
          const again = await this.repo.load(streams.credit(customerId), creditDecider);
          if (again.state.status === 'active') account = again.state;
        }
        const standing = invoice.state.status === 'pending_approval' ? await this.standing.read(account, c.invoiceId) : null;
        return invoiceDecider.decide({
          type: 'ApproveInvoice', invoiceId: c.invoiceId, number, reason: c.reason, issueDate: c.issueDate, approvedBy: responsible(c.ctx),
          customer: standing?.customer ?? null, outstanding: standing?.outstanding ?? 0, pendingApproval: standing?.pendingApproval ?? 0, unapplied: standing?.unapplied ?? 0,
          ...(this.config.vatDueOn === 'receipt' ? { vatDueOn: 'receipt' as const } : {}),
        }, invoice.state)[0] as InvoiceIssued;
      };
      const issueDate = c.issueDate ?? (invoice.state.status === 'pending_approval' ? invoice.state.submitted.issueDate : '');
      const r = await issueWithNextNumber(this.repo, invoice, decide, c.ctx, { issueDate, backdatedSeries: this.config.invoiceBackdatedSeries });
      if (!('issued' in r)) throw new Error('an approval decides InvoiceIssued or refuses');
      const { issued, position } = r;
      return { ...issued.data, position, replayed: false, ...(r.pending ? { pending: r.pending } : {}) };
    });
  }
}

@CommandHandler(RejectInvoiceCommand)
export class RejectInvoiceHandler implements ICommandHandler<RejectInvoiceCommand, RejectedInvoice> {
  constructor(private readonly repo: EventSourcedRepository, private readonly locks: CustomerLocks) {}

  async execute(c: RejectInvoiceCommand): Promise<RejectedInvoice> {
    const first = await this.repo.load(streams.invoice(c.invoiceId), invoiceDecider);
    if (first.state.status === 'none') throw notFound(c.invoiceId);
    return this.locks.run([`customer:${first.state.customerId}`], async () => {
      const r = await this.repo.handle(streams.invoice(c.invoiceId), invoiceDecider, c.ctx, () => ({ type: 'RejectInvoice' as const, invoiceId: c.invoiceId, reason: c.reason }));
      const rejected = r.events.find((e) => e.type === 'InvoiceRejected') as (InvoiceRejected & { position: number }) | undefined;
      if (!rejected) throw new Error('a rejection must record InvoiceRejected');
      return { ...rejected.data, position: rejected.position, replayed: r.replayed };
    });
  }
}
