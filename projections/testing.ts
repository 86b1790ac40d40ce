import type { ArEvent } from '../libs/domain/events';
import type { CalendarDate } from '../libs/domain/shared/dates';
import type { CustomerRegistered, CreditLimitChanged } from '../libs/domain/credit/credit.events';
import type { InvoiceIssued, InvoiceSettled, PaymentApplied } from '../libs/domain/invoice/invoice.events';
import type { PaymentAllocated, PaymentReceived } from '../libs/domain/payment/payment.events';
import type { ProjectedEvent, Projection } from '../libs/projection-runtime/projection';

/** Spec helpers: domain events with defaults, placed in a log, and folded by a projection as the runtime does. */

export function streamOf(event: ArEvent): string {
  switch (event.type) {
    case 'CustomerRegistered':
    case 'CreditLimitChanged':
    case 'PaymentTermsChanged':
    case 'CreditPolicyChanged':
    case 'CreditHoldPlaced':
    case 'CreditHoldReleased':
    case 'CreditAssessed':
    case 'CreditLimitIncreaseRequested':
    case 'CreditLimitIncreaseApproved':
    case 'CreditLimitIncreaseRejected':
    case 'CustomerDetailsChanged':
    case 'CustomerErased':
      return `credit-${event.data.customerId}`;
    case 'InvoiceIssued':
    case 'PaymentApplied':
    case 'InvoiceSettled':
    case 'InvoiceSubmittedForApproval':
    case 'InvoiceRejected':
    case 'PaymentUnapplied':
    case 'InvoiceWrittenOff':
    case 'BadDebtRecovered':
    case 'CreditNoteApplied':
    case 'DiscountApplied':
    case 'DiscountReversed':
    case 'BankFeesWrittenOff':
    case 'BankFeesReversed':
    case 'LateChargesAssessed':
    case 'LateChargesCorrected':
    case 'LateChargesDeferred':
    case 'LateChargesReinstated':
    case 'ReminderSent':
    case 'HandedToCollectionAgency':
    case 'PaymentPlanAttached':
    case 'PaymentPlanDetached':
    case 'DisputeOpened':
    case 'DisputeResolved':
    case 'WriteOffRequested':
    case 'WriteOffRequestApproved':
    case 'WriteOffRequestRejected':
      return `invoice-${event.data.invoiceId}`;
    case 'CreditNoteIssued':
    case 'CreditNoteAllocated':
    case 'CreditNoteRefunded':
      return `creditnote-${event.data.creditNoteId}`;
    case 'PaymentPlanAgreed':
    case 'PaymentPlanBroken':
    case 'PaymentPlanCompleted':
      return `paymentplan-${event.data.planId}`;
    case 'CreditNoteNumberReserved':
      return `creditnotenumbers-${event.data.series}`;
    case 'PaymentReceived':
    case 'PaymentAllocated':
    case 'PaymentHeldForReview':
    case 'PaymentDeallocated':
    case 'PaymentReversed':
    case 'PaymentRefunded':
      return `payment-${event.data.paymentId}`;
    case 'InvoiceNumberReserved':
      return `invoicenumbers-${event.data.series}`;
  }
}

/** Places events in a log from position 0: stream from the payload, revisions counted per stream, fixed metadata. */
export function inLog(events: readonly ArEvent[]): ProjectedEvent[] {
  const revisions = new Map<string, number>();
  return events.map((event, position) => {
    const streamId = streamOf(event);
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    return projected(event, { position, streamId, revision });
  });
}

export function projected(event: ArEvent, at: { position: number; streamId?: string; revision?: number }): ProjectedEvent {
  return {
    ...event,
    position: at.position,
    streamId: at.streamId ?? streamOf(event),
    revision: at.revision ?? 0,
    id: `00000000-0000-5000-8000-${String(at.position).padStart(12, '0')}`,
    metadata: {
      actor: 'test',
      recordedAt: '2024-01-01T00:00:00.000Z',
      commandId: `cmd-${at.position}`,
      correlationId: `cmd-${at.position}`,
      causationId: `cmd-${at.position}`,
      schemaVersion: 1,
      prevHash: '',
      hash: '',
    },
  } as ProjectedEvent;
}

/** Folds events (ArEvents are placed in a log first) the way the runtime does; returns documents by key. */
export function project<D extends Record<string, unknown>>(
  projection: Projection<D>,
  events: ReadonlyArray<ArEvent | ProjectedEvent>,
  from: ReadonlyMap<string, D> = new Map(),
): Map<string, D> {
  const log = events.every(isProjected) ? (events as ProjectedEvent[]) : inLog(events as ArEvent[]);
  const docs = new Map(from);
  for (const event of log) {
    for (const key of projection.keysOf(event)) {
      const doc = projection.evolve(docs.get(key) ?? null, event);
      if (doc === null) docs.delete(key);
      else docs.set(key, doc);
    }
  }
  return docs;
}

function isProjected(e: ArEvent | ProjectedEvent): e is ProjectedEvent {
  return typeof (e as ProjectedEvent).position === 'number';
}

export const registered = (customerId: string, o: Partial<CustomerRegistered['data']> = {}): CustomerRegistered => ({
  type: 'CustomerRegistered',
  data: { customerId, name: `Customer ${customerId}`, currency: 'EUR', creditLimit: 1_000_000, paymentTermsDays: 30, ...o },
});

export const limitChanged = (customerId: string, previousLimit: number, newLimit: number): CreditLimitChanged => ({
  type: 'CreditLimitChanged',
  data: { customerId, previousLimit, newLimit, reason: 'review' },
});

export function issued(
  invoiceId: string,
  customerId: string,
  total: number,
  dates: { issueDate: CalendarDate; dueDate: CalendarDate },
  o: Partial<InvoiceIssued['data']> = {},
): InvoiceIssued {
  const tax = Math.floor(total / 6);
  return {
    type: 'InvoiceIssued',
    data: {
      invoiceId, customerId, number: `F-${invoiceId}`, currency: 'EUR', ...dates, paymentTermsDays: 30,
      lines: [{ description: 'Services', quantity: '1', unitPrice: total - tax, taxRate: '0.20', net: total - tax, tax, gross: total }],
      net: total - tax, tax, total,
      creditDecision: { decision: 'approved', creditLimit: 1_000_000, outstanding: 0, exposure: total },
      ...o,
    },
  };
}

export const applied = (
  invoiceId: string, customerId: string, paymentId: string, amount: number, receivedOn: CalendarDate, outstanding: number,
): PaymentApplied => ({ type: 'PaymentApplied', data: { invoiceId, customerId, paymentId, amount, receivedOn, outstanding } });

export const settled = (invoiceId: string, customerId: string, settledOn: CalendarDate): InvoiceSettled => ({
  type: 'InvoiceSettled',
  data: { invoiceId, customerId, settledOn },
});

export const received = (paymentId: string, customerId: string, amount: number, receivedOn: CalendarDate): PaymentReceived => ({
  type: 'PaymentReceived',
  data: { paymentId, customerId, amount, currency: 'EUR', receivedOn, method: 'transfer', reference: null },
});

export const allocated = (
  paymentId: string, customerId: string, invoiceId: string, amount: number, receivedOn: CalendarDate, unapplied: number,
): PaymentAllocated => ({
  type: 'PaymentAllocated',
  data: { paymentId, customerId, invoiceId, amount, receivedOn, rule: 'explicit', unapplied },
});

/** A payment received and allocated to one invoice: the events the engine writes, in its order. */
export function payment(
  p: { paymentId: string; customerId: string; amount: number; receivedOn: CalendarDate },
  to: { invoiceId: string; amount: number; outstandingAfter: number },
): ArEvent[] {
  const events: ArEvent[] = [
    received(p.paymentId, p.customerId, p.amount, p.receivedOn),
    allocated(p.paymentId, p.customerId, to.invoiceId, to.amount, p.receivedOn, p.amount - to.amount),
    applied(to.invoiceId, p.customerId, p.paymentId, to.amount, p.receivedOn, to.outstandingAfter),
  ];
  if (to.outstandingAfter === 0) events.push(settled(to.invoiceId, p.customerId, p.receivedOn));
  return events;
}
