import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { creditDecider } from '../../domain/credit/credit.decider';
import { invoiceDecider } from '../../domain/invoice/invoice.decider';
import { parseTermsForm } from '../../domain/credit/terms-policy';
import type { InvoiceIssued, InvoiceSubmittedForApproval } from '../../domain/invoice/invoice.events';
import { DomainError, invalid } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { parseAmount } from '../../domain/shared/money';
import { responsible, type CommandContext } from '../command-context';
import type { AppConfig } from '../config';
import { CreditStandingReader } from '../credit-standing';
import { APP_CONFIG } from '../tokens';
import { EventSourcedRepository } from '../event-sourced-repository';
import { KeyedLock } from '../keyed-lock';
import { DEFAULT_SERIES, issueWithNextNumber, pendingReservation } from './invoice-numbering';
import { READ_STORE, type ReadStore } from '../../read-store/read-store.port';
import type { StoredEvent } from '../../event-store/event-store.port';
import type { InvoiceNumberReserved } from '../../domain/invoice/invoice-numbering.events';
import { describeFailure } from '../../resilience/retry';

export { DEFAULT_SERIES, formatInvoiceNumber } from './invoice-numbering';

export interface InvoiceLineRequest {
  description: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
}

export class IssueInvoiceCommand {
  constructor(
    readonly invoiceId: string,
    readonly customerId: string,
    readonly issueDate: string,
    readonly lines: InvoiceLineRequest[],
    readonly ctx: CommandContext,
    /** This invoice's own terms (HTTP form: template string or object), overriding the customer's. */
    readonly terms?: unknown,
    readonly termsAgreedBeyondCap?: boolean,
  ) {}
}

/**
 * Issued (numbered, a receivable) or held for approval (no number yet). `pending`: the number is reserved with the
 * whole invoice but its InvoiceIssued could not be written yet (why); the process manager or a retry writes it.
 */
export type IssuedInvoice =
  | (InvoiceIssued['data'] & { status: 'issued'; position: number; replayed: boolean; pending?: string })
  | (InvoiceSubmittedForApproval['data'] & { status: 'pending_approval'; number: null; position: number; replayed: boolean });

/** One lock instance per process, shared by the handlers that check a customer's exposure. */
@Injectable()
export class CustomerLocks extends KeyedLock {}

/**
 * Issues an invoice: credit decision (holds, terms, exposure = receivables + pending approval + this invoice −
 * unapplied credit, policy), then either a gap-free number reserved in the series stream (the reservation carries
 * the whole decided invoice) and the invoice stream, or — held for approval — the invoice stream alone, unnumbered.
 * If the process stops between the two appends, the process manager finishes the invoice from the reservation
 * with the same event ids, so neither a gap nor a duplicate can appear.
 */
@CommandHandler(IssueInvoiceCommand)
export class IssueInvoiceHandler implements ICommandHandler<IssueInvoiceCommand, IssuedInvoice> {
  constructor(
    private readonly repo: EventSourcedRepository,
    private readonly standing: CreditStandingReader,
    private readonly locks: CustomerLocks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  /** The customer's lock covers the exposure read and the append; approvals and rejections take the same lock. */
  execute(c: IssueInvoiceCommand): Promise<IssuedInvoice> {
    return this.locks.run([`customer:${c.customerId}`], () => this.issue(c));
  }

  private async issue(c: IssueInvoiceCommand): Promise<IssuedInvoice> {
    const invoice = await this.repo.load(streams.invoice(c.invoiceId), invoiceDecider);
    const previous = invoice.events.find((e) => e.metadata.commandId === c.ctx.commandId && (e.type === 'InvoiceIssued' || e.type === 'InvoiceSubmittedForApproval'));
    if (previous) return outcome(previous as unknown as InvoiceIssued | InvoiceSubmittedForApproval, previous.position, true);
    // A first attempt that reserved the number but could not write the invoice: complete it, never take a second number.
    const reserved = await pendingReservation(this.repo, this.readStore, c.invoiceId, this.config.invoiceBackdatedSeries);
    if (reserved) return this.complete(invoice, reserved);

    const credit = await this.repo.load(streams.credit(c.customerId), creditDecider);
    if (credit.state.status !== 'active') {
      throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${c.customerId} is not registered`, { customerId: c.customerId }, 'not_found');
    }
    const customer = credit.state;
    if (!Array.isArray(c.lines)) throw invalid('LINES_REQUIRED', 'lines must be a non-empty array', 'lines');
    const lines = c.lines.map((l, i) => ({
      description: l.description,
      quantity: l.quantity,
      taxRate: l.taxRate,
      unitPrice: parseAmount(l.unitPrice, customer.currency, `lines[${i}].unitPrice`),
    }));
    const terms = c.terms === undefined || c.terms === null ? undefined : parseTermsForm(c.terms, 'terms');
    let attempts = 0;
    const decide = async (number: string) => {
      // A retry follows another process's reservation: its holds or limit may have changed too.
      const account = attempts++ === 0 ? customer : await this.account(c.customerId);
      const standing = await this.standing.read(account);
      return invoiceDecider.decide({
        type: 'IssueInvoice',
        invoiceId: c.invoiceId,
        customerId: c.customerId,
        number,
        issueDate: c.issueDate,
        lines,
        ...standing,
        terms,
        termsAgreedBeyondCap: c.termsAgreedBeyondCap === true,
        actor: responsible(c.ctx),
        ...(this.config.vatDueOn === 'receipt' ? { vatDueOn: 'receipt' as const } : {}),
      }, invoice.state)[0] as InvoiceIssued | InvoiceSubmittedForApproval;
    };
    const r = await issueWithNextNumber(this.repo, invoice, decide, c.ctx, { issueDate: c.issueDate, backdatedSeries: this.config.invoiceBackdatedSeries });
    if ('issued' in r) return { ...outcome(r.issued, r.position, false), ...(r.pending ? { pending: r.pending } : {}) } as IssuedInvoice;
    // Held for approval: no number is taken (numbers stay gap-free for real invoices), only the invoice stream is written.
    const written = await this.repo.append(invoice, [r.other], c.ctx);
    return outcome(r.other, written.position, false);
  }

  /** Writes the InvoiceIssued a reservation carries, as the process manager would (same metadata, so the same event id). */
  private async complete(invoice: Awaited<ReturnType<EventSourcedRepository['load']>>, reserved: StoredEvent & InvoiceNumberReserved): Promise<IssuedInvoice> {
    const issued = invoice.events.find((e) => e.type === 'InvoiceIssued');
    if (issued) return outcome(issued as unknown as InvoiceIssued, issued.position, true);
    const m = reserved.metadata;
    const event: InvoiceIssued = { type: 'InvoiceIssued', data: reserved.data.invoice };
    try {
      const written = await this.repo.append(invoice, [event], {
        actor: m.actor, recordedAt: m.recordedAt, commandId: m.commandId, correlationId: m.correlationId, causationId: m.causationId,
      });
      return outcome(event, written.position, true);
    } catch (err) {
      return { ...outcome(event, reserved.position, true), pending: describeFailure(err) } as IssuedInvoice;
    }
  }

  private async account(customerId: string) {
    const credit = await this.repo.load(streams.credit(customerId), creditDecider);
    if (credit.state.status !== 'active') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} is not registered`, { customerId }, 'not_found');
    return credit.state;
  }
}

function outcome(e: InvoiceIssued | InvoiceSubmittedForApproval, position: number, replayed: boolean): IssuedInvoice {
  return e.type === 'InvoiceIssued'
    ? { ...e.data, status: 'issued', position, replayed }
    : { ...e.data, status: 'pending_approval', number: null, position, replayed };
}

export class ApplyPaymentCommand {
  constructor(
    readonly invoiceId: string,
    readonly paymentId: string,
    readonly amount: number,
    readonly receivedOn: string,
    readonly ctx: CommandContext,
    /** Allocations made after recording (credit applied, re-allocation) carry their key and date. */
    readonly allocationId?: string,
    readonly appliedOn?: string,
  ) {}
}

@CommandHandler(ApplyPaymentCommand)
export class ApplyPaymentHandler implements ICommandHandler<ApplyPaymentCommand, { position: number }> {
  constructor(private readonly repo: EventSourcedRepository) {}

  async execute(c: ApplyPaymentCommand): Promise<{ position: number }> {
    const r = await this.repo.handle(streams.invoice(c.invoiceId), invoiceDecider, c.ctx, () => ({
      type: 'ApplyPayment' as const,
      invoiceId: c.invoiceId,
      paymentId: c.paymentId,
      amount: c.amount,
      receivedOn: c.receivedOn,
      ...(c.allocationId !== undefined ? { allocationId: c.allocationId } : {}),
      ...(c.appliedOn !== undefined ? { appliedOn: c.appliedOn } : {}),
    }));
    return { position: r.position };
  }
}
