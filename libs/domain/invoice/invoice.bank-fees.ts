import { CalendarDate, parseDate } from '../shared/dates';
import { DomainError } from '../shared/errors';
import { formatAmount } from '../shared/money';
import { requireId, requireInteger } from '../shared/validation';
import type { BankFeesReversed, BankFeesWrittenOff, PaymentUnapplied } from './invoice.collection.events';
import type { InvoiceSettled } from './invoice.events';

/**
 * Bank fees (frais bancaires) on a receipt from a bank statement (issue 18, ADR 0088): the payer's or an
 * intermediary bank kept a small part of the transfer, so the receipt leaves the invoice short by that much.
 * Accepted by a clerk, the difference is written off as a charge of the seller (PCG 627), not as a bad debt
 * (654, which regularises VAT and needs four eyes above a threshold, ADR 0042): the invoice is paid.
 */
export interface WriteOffBankFees {
  type: 'WriteOffBankFees';
  invoiceId: string;
  /** The receipt the fees were deducted from: it must already be applied to this invoice. */
  paymentId: string;
  bankEntryId: string;
  amount: number;
  /** The receipt's date (the bank entry's booking date). */
  on: CalendarDate;
  /** AR_CASH_FEE_TOLERANCE: the largest amount written off this way (minor units). */
  tolerance: number;
}

/** The fees in force on the invoice and the receipt they came with; absent or null = none (or reversed since). */
export interface BankFeesState {
  bankFees?: BankFeesWrittenOff['data'] | null;
}

/** The part of an issued invoice's state these rules read (structural: no import of the collections module). */
interface FeesInvoice extends BankFeesState {
  invoiceId: string;
  customerId: string;
  number: string;
  currency: string;
  outstanding: number;
  dispute: { disputeId: string; amount: number } | null;
  byPayment: Record<string, { applied: number; recovered: number }>;
}

/**
 * Refused unless the receipt settles the invoice but for exactly `amount`, within the tolerance, with no dispute
 * open on it (a disputed amount is never settled by anything but the dispute's outcome, ADR 0032).
 */
export function writeOffBankFees(c: WriteOffBankFees, state: FeesInvoice | null): Array<BankFeesWrittenOff | InvoiceSettled> {
  const invoiceId = requireId(c.invoiceId, 'invoiceId');
  const paymentId = requireId(c.paymentId, 'paymentId');
  const bankEntryId = requireId(c.bankEntryId, 'bankEntryId');
  const amount = requireInteger(c.amount, 'bankFees', 'AMOUNT_NOT_POSITIVE', 1);
  const on = parseDate(c.on, 'on');
  if (state === null) throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${invoiceId} does not exist`, { invoiceId }, 'not_found');
  const show = (m: number) => formatAmount(m, state.currency);
  if (state.bankFees && state.bankFees.paymentId === paymentId) return [];
  if (amount > c.tolerance) {
    throw new DomainError('BANK_FEES_ABOVE_TOLERANCE', `Bank fees of ${show(amount)} ${state.currency} exceed the tolerance of ${show(c.tolerance)} ${state.currency} (AR_CASH_FEE_TOLERANCE); write the difference off with its approval, or leave it open`, {
      field: 'bankFees', invoiceId, currency: state.currency, amount: show(amount), tolerance: show(c.tolerance),
    });
  }
  if (state.dispute !== null) {
    throw new DomainError('BANK_FEES_ON_DISPUTED_INVOICE', `Invoice ${state.number} has ${show(state.dispute.amount)} ${state.currency} under dispute: what it lacks is settled by the dispute, not written off as bank fees`, {
      field: 'bankFees', invoiceId, disputeId: state.dispute.disputeId, disputed: show(state.dispute.amount),
    });
  }
  if ((state.byPayment[paymentId]?.applied ?? 0) === 0) {
    throw new DomainError('BANK_FEES_WITHOUT_RECEIPT', `Receipt ${paymentId} pays nothing on invoice ${state.number}: bank fees are written off only on the invoice the receipt settles`, {
      field: 'bankFees', invoiceId, paymentId,
    });
  }
  if (amount !== state.outstanding) {
    throw new DomainError('BANK_FEES_NOT_THE_REMAINDER', `After the receipt invoice ${state.number} still owes ${show(state.outstanding)} ${state.currency}, not ${show(amount)}: bank fees settle only the exact remainder`, {
      field: 'bankFees', invoiceId, currency: state.currency, amount: show(amount), outstanding: show(state.outstanding),
    });
  }
  const { customerId } = state;
  return [
    { type: 'BankFeesWrittenOff', data: { invoiceId, customerId, paymentId, bankEntryId, amount, on, outstanding: 0 } },
    { type: 'InvoiceSettled', data: { invoiceId, customerId, settledOn: on } },
  ];
}

/**
 * The fees in force, reversed on the same date when the receipt they came with is taken back from the invoice
 * (bounced, returned, moved elsewhere): without it the invoice was not settled, so it owes them again. Null when
 * no fees came with that payment. `outstanding` is what the unapplication (and any discount reversal) left.
 */
export function bankFeesReversal(state: FeesInvoice, u: PaymentUnapplied['data'], outstanding: number): BankFeesReversed | null {
  const fees = state.bankFees ?? null;
  if (fees === null || fees.paymentId !== u.paymentId) return null;
  return {
    type: 'BankFeesReversed',
    data: { invoiceId: u.invoiceId, customerId: u.customerId, paymentId: u.paymentId, amount: fees.amount, on: u.on, reason: u.reason, fees, outstanding: outstanding + fees.amount },
  };
}
