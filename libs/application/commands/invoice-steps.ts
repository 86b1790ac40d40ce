import type { CreditNoteAllocated, CreditNoteIssued } from '../../domain/credit-note/credit-note.events';
import { invoiceDecider } from '../../domain/invoice/invoice.decider';
import type { PaymentDeallocated } from '../../domain/payment/payment.collection.events';
import type { PaymentAllocated, PaymentEvent } from '../../domain/payment/payment.events';
import type { CreditNoteEvent } from '../../domain/credit-note/credit-note.events';
import { streams } from '../../domain/shared/ids';
import { causedBy, type CommandContext } from '../command-context';
import type { UnitOfWork } from '../unit-of-work';
import { creditNoteApplyCommandId } from './credit-note.commands';

type Stored<E> = E & { id: string; position: number };

/** The command id of the saga step that applies one allocation: stable, so a retry appends nothing. */
export const applyCommandId = (paymentId: string, invoiceId: string) => `apply-payment|${paymentId}|${invoiceId}`;

/** Same, for any allocation: later allocations (own allocationId) get their own step. */
export const allocationCommandId = (d: { paymentId: string; invoiceId: string; allocationId?: string }) =>
  d.allocationId === undefined ? applyCommandId(d.paymentId, d.invoiceId) : `${applyCommandId(d.paymentId, d.invoiceId)}|${d.allocationId}`;

/** The command id of the invoice step of one PaymentDeallocated event: stable, so a retry appends nothing. */
export const unapplyCommandId = (deallocatedEventId: string) => `unapply-payment|${deallocatedEventId}`;
const unapplyId = unapplyCommandId;
const creditNoteApplyId = creditNoteApplyCommandId;

/**
 * Decides, in the same unit as the payment events, the invoice steps they call for: every PaymentDeallocated
 * first (its invoice owes again), then every PaymentAllocated. Same commands and command ids as the process
 * manager sends from the log, so its later pass finds them done. An invoice that refuses refuses the command.
 */
export async function stagePaymentInvoiceSteps(uow: UnitOfWork, ctx: CommandContext, events: ReadonlyArray<Stored<PaymentEvent>>): Promise<void> {
  for (const e of events) {
    if (e.type !== 'PaymentDeallocated') continue;
    const d = (e as Stored<PaymentDeallocated>).data;
    await uow.decide(streams.invoice(d.invoiceId), invoiceDecider, causedBy(ctx, e.id, unapplyId(e.id)), () => ({
      type: 'UnapplyPayment' as const, invoiceId: d.invoiceId, paymentId: d.paymentId, amount: d.amount, on: d.on, reason: d.reason,
    }));
  }
  for (const e of events) {
    if (e.type !== 'PaymentAllocated') continue;
    const d = (e as Stored<PaymentAllocated>).data;
    await uow.decide(streams.invoice(d.invoiceId), invoiceDecider, causedBy(ctx, e.id, allocationCommandId(d)), () => ({
      type: 'ApplyPayment' as const, invoiceId: d.invoiceId, paymentId: d.paymentId, amount: d.amount, receivedOn: d.receivedOn,
      ...(d.allocationId !== undefined ? { allocationId: d.allocationId } : {}),
      ...(d.appliedOn !== undefined ? { appliedOn: d.appliedOn } : {}),
    }));
  }
}

/** The same for credit-note events: the invoice step of a note issued against an invoice, or of its credit allocated later. */
export async function stageCreditNoteInvoiceSteps(uow: UnitOfWork, ctx: CommandContext, events: ReadonlyArray<Stored<CreditNoteEvent>>): Promise<void> {
  for (const e of events) {
    if (e.type === 'CreditNoteIssued') {
      const d = (e as Stored<CreditNoteIssued>).data;
      if (d.invoiceId === null || d.appliedToInvoice === 0) continue;
      const invoiceId = d.invoiceId;
      await uow.decide(streams.invoice(invoiceId), invoiceDecider, causedBy(ctx, e.id, creditNoteApplyId(d.creditNoteId)), () => ({
        type: 'ApplyCreditNote' as const, invoiceId, creditNoteId: d.creditNoteId, amount: d.appliedToInvoice, on: d.issueDate,
      }));
    } else if (e.type === 'CreditNoteAllocated') {
      const d = (e as Stored<CreditNoteAllocated>).data;
      await uow.decide(streams.invoice(d.invoiceId), invoiceDecider, causedBy(ctx, e.id, creditNoteApplyId(d.creditNoteId, d.allocationId)), () => ({
        type: 'ApplyCreditNote' as const, invoiceId: d.invoiceId, creditNoteId: d.creditNoteId, amount: d.amount, on: d.on, allocationId: d.allocationId,
      }));
    }
  }
}
