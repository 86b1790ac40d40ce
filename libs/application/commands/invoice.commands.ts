import { Injectable } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { creditDecider } from '../../domain/credit/credit.decider';
import { invoiceDecider } from '../../domain/invoice/invoice.decider';
import type { InvoiceIssued } from '../../domain/invoice/invoice.events';
import type { InvoiceNumberReserved } from '../../domain/invoice/invoice-numbering.events';
import { DomainError, invalid } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { parseAmount } from '../../domain/shared/money';
import { ConcurrencyError } from '../../event-store/event-store.port';
import type { CommandContext } from '../command-context';
import { EventSourcedRepository, MAX_CONCURRENCY_RETRIES } from '../event-sourced-repository';
import { KeyedLock } from '../keyed-lock';
import { ReadModels } from '../read-models';

export const DEFAULT_SERIES = 'INV';

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
  ) {}
}

export type IssuedInvoice = InvoiceIssued['data'] & { position: number; replayed: boolean };

/** Number n of a series, gap-free: `INV-000042`. */
export function formatInvoiceNumber(series: string, n: number): string {
  return `${series}-${String(n).padStart(6, '0')}`;
}

/** One lock instance per process, shared by the handlers that check a customer's exposure. */
@Injectable()
export class CustomerLocks extends KeyedLock {}

/**
 * Issues an invoice: credit decision on the customer's open balance, a gap-free number reserved in the
 * series stream (the reservation carries the whole decided invoice), then the invoice stream.
 * If the process stops between the two appends, the process manager finishes the invoice from the
 * reservation with the same event ids, so neither a gap nor a duplicate can appear.
 */
@CommandHandler(IssueInvoiceCommand)
export class IssueInvoiceHandler implements ICommandHandler<IssueInvoiceCommand, IssuedInvoice> {
  constructor(
    private readonly repo: EventSourcedRepository,
    private readonly readModels: ReadModels,
    private readonly locks: CustomerLocks,
  ) {}

  execute(c: IssueInvoiceCommand): Promise<IssuedInvoice> {
    return this.locks.run([`customer:${c.customerId}`, `series:${DEFAULT_SERIES}`], () => this.issue(c));
  }

  private async issue(c: IssueInvoiceCommand): Promise<IssuedInvoice> {
    const invoice = await this.repo.load(streams.invoice(c.invoiceId), invoiceDecider);
    const previous = invoice.events.find((e) => e.metadata.commandId === c.ctx.commandId && e.type === 'InvoiceIssued');
    if (previous) return { ...(previous.data as InvoiceIssued['data']), position: previous.position, replayed: true };

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
    const outstanding = await this.outstandingOf(c.customerId);

    const seriesStream = streams.invoiceNumbers(DEFAULT_SERIES);
    for (let attempt = 0; attempt < MAX_CONCURRENCY_RETRIES; attempt++) {
      const [tail] = await this.repo.store.readStream(seriesStream, { direction: 'backward', maxCount: 1 });
      const number = formatInvoiceNumber(DEFAULT_SERIES, tail ? tail.revision + 2 : 1);
      const [issued] = invoiceDecider.decide({
        type: 'IssueInvoice',
        invoiceId: c.invoiceId,
        customerId: c.customerId,
        number,
        issueDate: c.issueDate,
        lines,
        customer: { currency: customer.currency, creditLimit: customer.creditLimit, paymentTermsDays: customer.paymentTermsDays },
        outstanding,
      }, invoice.state) as InvoiceIssued[];
      const reservation: InvoiceNumberReserved = {
        type: 'InvoiceNumberReserved',
        data: { series: DEFAULT_SERIES, number, invoiceId: c.invoiceId, customerId: c.customerId, invoice: issued.data },
      };
      try {
        await this.repo.append({ streamId: seriesStream, last: tail ? { revision: tail.revision, hash: tail.metadata.hash } : null }, [reservation], c.ctx);
      } catch (err) {
        if (err instanceof ConcurrencyError) continue;
        throw err;
      }
      const written = await this.repo.append(invoice, [issued], c.ctx);
      return { ...issued.data, position: written.position, replayed: false };
    }
    throw new DomainError('CONCURRENCY_CONFLICT', `Invoice series ${DEFAULT_SERIES} kept changing`, { series: DEFAULT_SERIES }, 'conflict');
  }

  /** The customer's open balance (encours) from the read model, once it has caught up with the log. */
  private async outstandingOf(customerId: string): Promise<number> {
    const { fresh } = await this.readModels.catchUp(['open-balances']);
    if (!fresh) {
      throw new DomainError('READ_MODEL_BEHIND', 'The open balances are still catching up; retry the command', { projection: 'open-balances' }, 'conflict');
    }
    const balance = await this.readModels.get<{ outstanding: number }>('open-balances', customerId);
    return balance?.outstanding ?? 0;
  }
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
