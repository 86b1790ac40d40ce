import { CalendarDate, parseDate } from '../shared/dates';
import { assertNever, Decider } from '../shared/decider';
import { DomainError, invalid } from '../shared/errors';
import { isCurrency } from '../shared/money';
import { requireId, requireInteger, requireText } from '../shared/validation';
import { automaticLettrage, explicitAllocations, AllocationRequest, OpenInvoice } from './payment.allocation';
import type { PaymentHeldForReview } from './payment.collection.events';
import { PaymentAllocated, PaymentEvent, PaymentReceived } from './payment.events';
import {
  addAllocation, allocatePayment, evolvePaymentCollection, paymentCollectionDefaults, PaymentCollectionCommand, PaymentCollectionState,
  reallocatePayment, refundPayment, reversePayment,
} from './payment.collections';

export { automaticAllocations, automaticLettrage, byOldestDue, explicitAllocations, payable } from './payment.allocation';
export type { Allocation, AllocationRequest, AllocationRule, OpenInvoice } from './payment.allocation';

export interface RecordPayment {
  type: 'RecordPayment';
  paymentId: string;
  customerId: string;
  currency: string;
  /** Minor units. */
  amount: number;
  receivedOn: CalendarDate;
  method: string;
  /** Usually the invoice number the customer quoted; matched before oldest-due allocation. */
  reference: string | null;
  /** Explicit lettrage; absent → automatic allocation; empty → none (all unapplied), ADR 0032. */
  allocations?: AllocationRequest[];
  /** The customer's invoices with outstanding > 0, supplied by the application layer. */
  openInvoices: OpenInvoice[];
  /** The bank statement line the receipt comes from (cash application, ADR 0087). */
  bankEntryId?: string;
}

export type PaymentCommand = RecordPayment | PaymentCollectionCommand;

export type PaymentState =
  | { status: 'none' }
  | ({
      status: 'recorded';
      paymentId: string;
      customerId: string;
      currency: string;
      amount: number;
      receivedOn: CalendarDate;
      allocations: AllocationRequest[];
      /** Unapplied cash (paiement non affecté): customer credit. */
      unapplied: number;
    } & PaymentCollectionState);

function recordPayment(command: RecordPayment, state: PaymentState): PaymentEvent[] {
  const paymentId = requireId(command.paymentId, 'paymentId');
  const customerId = requireId(command.customerId, 'customerId');
  const { currency } = command;
  if (typeof currency !== 'string' || !isCurrency(currency)) {
    throw invalid('CURRENCY_UNKNOWN', `Unknown currency ${String(currency)}`, 'currency', { currency });
  }
  const amount = requireInteger(command.amount, 'amount', 'AMOUNT_NOT_POSITIVE', 1);
  const receivedOn = parseDate(command.receivedOn, 'receivedOn');
  const method = requireText(command.method, 'method', 'METHOD', 50);
  const blank = command.reference === null || command.reference === undefined || command.reference.trim() === '';
  const reference = blank ? null : requireText(command.reference, 'reference', 'REFERENCE', 200);
  const requested = command.allocations;
  if (requested !== undefined && requested !== null && !Array.isArray(requested)) throw invalid('ALLOCATIONS_MALFORMED', 'allocations must be a list', 'allocations');

  if (state.status === 'recorded') {
    // Idempotent by paymentId: a retry records nothing; the same id for another payment is refused.
    const same = state.customerId === customerId && state.currency === currency && state.amount === amount && state.receivedOn === receivedOn;
    if (same) return [];
    throw new DomainError('PAYMENT_ALREADY_RECORDED', `Payment ${paymentId} is already recorded with other figures`, { paymentId }, 'conflict');
  }
  if (!Array.isArray(command.openInvoices)) throw new TypeError('openInvoices must be supplied by the application layer');

  const payment = { amount, currency, reference };
  // `allocations: []` is the client saying "none": all of it stays customer credit.
  const automatic = Array.isArray(requested) ? null : automaticLettrage(payment, command.openInvoices);
  const allocations = automatic ? automatic.allocations : explicitAllocations(payment, command.openInvoices, requested as AllocationRequest[]);

  const received: PaymentReceived = {
    type: 'PaymentReceived',
    data: { paymentId, customerId, amount, currency, receivedOn, method, reference, ...(command.bankEntryId !== undefined ? { bankEntryId: command.bankEntryId } : {}) },
  };
  let unapplied = amount;
  const allocated = allocations.map(({ invoiceId, amount: part, rule }): PaymentAllocated => {
    unapplied -= part;
    // Cash received before the invoice it pays is customer credit until the invoice exists (issue 10 item 3):
    // the allocation takes effect on the issue date, so as of any date in between the cash shows as credit.
    const issueDate = command.openInvoices.find((o) => o.invoiceId === invoiceId)?.issueDate;
    const later = issueDate !== undefined && issueDate > receivedOn ? { appliedOn: issueDate } : {};
    return { type: 'PaymentAllocated', data: { paymentId, customerId, invoiceId, amount: part, receivedOn, rule, unapplied, ...later } };
  });
  if (unapplied < 0) throw new Error(`allocations exceed payment ${paymentId}`); // invariant, guarded above
  if (automatic?.referenceMatched === false && reference !== null) {
    const held: PaymentHeldForReview = { type: 'PaymentHeldForReview', data: { paymentId, customerId, reference, reason: 'reference_not_open', amount, receivedOn } };
    return [received, held];
  }
  return [received, ...allocated];
}

function decide(command: PaymentCommand, state: PaymentState): PaymentEvent[] {
  switch (command.type) {
    case 'RecordPayment':
      return recordPayment(command, state);
    case 'AllocatePayment':
      return allocatePayment(command, state.status === 'recorded' ? state : null);
    case 'ReallocatePayment':
      return reallocatePayment(command, state.status === 'recorded' ? state : null);
    case 'ReversePayment':
      return reversePayment(command, state.status === 'recorded' ? state : null);
    case 'RefundPayment':
      return refundPayment(command, state.status === 'recorded' ? state : null);
    default:
      return assertNever(command);
  }
}

function evolve(state: PaymentState, event: PaymentEvent): PaymentState {
  switch (event.type) {
    case 'PaymentReceived': {
      const { paymentId, customerId, currency, amount, receivedOn } = event.data;
      return { status: 'recorded', paymentId, customerId, currency, amount, receivedOn, allocations: [], unapplied: amount, ...paymentCollectionDefaults() };
    }
    case 'PaymentAllocated':
      if (state.status !== 'recorded') return state;
      return {
        ...state,
        allocations: addAllocation(state.allocations, event.data.invoiceId, event.data.amount),
        unapplied: event.data.unapplied,
        allocationCount: state.allocationCount + 1,
        allocatedOn: laterOf(state.allocatedOn, event.data.invoiceId, event.data.appliedOn ?? event.data.receivedOn),
      };
    case 'PaymentDeallocated':
    case 'PaymentReversed':
    case 'PaymentRefunded':
    case 'PaymentHeldForReview':
      return state.status === 'recorded' ? evolvePaymentCollection(state, event) : state;
    default:
      return assertNever(event);
  }
}

function laterOf(dates: Record<string, CalendarDate>, invoiceId: string, on: CalendarDate): Record<string, CalendarDate> {
  const known = dates[invoiceId];
  return known !== undefined && known >= on ? dates : { ...dates, [invoiceId]: on };
}

export const initialPaymentState = (): PaymentState => ({ status: 'none' });

/** A payment received from a customer and its lettrage against open invoices. */
export const paymentDecider: Decider<PaymentCommand, PaymentEvent, PaymentState> = {
  initialState: initialPaymentState,
  evolve,
  decide,
};
