import { CREDIT_EVENT_TYPES } from '../../libs/domain/credit/credit.events';
import { INVOICE_EVENT_TYPES } from '../../libs/domain/invoice/invoice.events';
import { PAYMENT_EVENT_TYPES } from '../../libs/domain/payment/payment.events';
import { CREDIT_NOTE_EVENT_TYPES } from '../../libs/domain/credit-note/credit-note.events';
import { PAYMENT_PLAN_EVENT_TYPES } from '../../libs/domain/payment-plan/payment-plan.events';
import { effectiveDate } from '../../libs/domain/reporting/effective-date';
import type { CalendarDate } from '../../libs/domain/shared/dates';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';

/**
 * One customer-facing fact, in log order (`position` keys sort lexically as the log does): where it sits in
 * the log and what it is, not its body. The body (data, metadata, hashes) is read from the log itself, by
 * stream and revision, when it is needed (`GetHistoryQuery`); the log is the one copy of every event.
 */
export type AuditEntry = {
  customerId: string;
  position: string;
  streamId: string;
  revision: number;
  type: string;
  /** Business date the fact takes effect on (`effectiveDate`: issue date, receipt date, … else the recorded day). */
  effectiveOn: CalendarDate;
};

/** Credit, invoice and payment streams only: number reservations are internal bookkeeping, not facts about a customer. */
const STREAM_PREFIXES = ['credit-', 'invoice-', 'payment-', 'creditnote-', 'paymentplan-'] as const;
const KNOWN: ReadonlySet<string> = new Set<string>([...CREDIT_EVENT_TYPES, ...INVOICE_EVENT_TYPES, ...PAYMENT_EVENT_TYPES, ...CREDIT_NOTE_EVENT_TYPES, ...PAYMENT_PLAN_EVENT_TYPES]);

/** Zero-padded to 16 digits so the string order of keys is the log order (positions stay below 2^53 < 10^16). */
export function positionKey(position: number): string {
  return String(position).padStart(16, '0');
}

function isCustomerFact(event: ProjectedEvent): boolean {
  return KNOWN.has(event.type) && STREAM_PREFIXES.some((p) => event.streamId.startsWith(p));
}

/** A customer's entries in log order: one range of the compound index. */
export const AUDIT_TRAIL_INDEX = { fields: ['customerId', 'position'] } as const;

export const auditTrailProjection: Projection<AuditEntry> = {
  name: 'audit-trail',
  // v2: entries without the event bodies (v1 copied data and metadata: ~1 KB per event, two indexes).
  // v3: bank fees written off and reversed are customer facts (ADR 0088).
  version: 3,
  indexes: [],
  compoundIndexes: [AUDIT_TRAIL_INDEX],
  eventTypes: KNOWN,
  // Keyed by the event's position: a document is built from its one event, never read back (ADR 0123).
  keyPerEvent: true,
  keysOf(event) {
    return isCustomerFact(event) ? [positionKey(event.position)] : [];
  },
  evolve(doc, event) {
    if (doc !== null || !isCustomerFact(event)) return doc;
    return {
      customerId: event.data.customerId,
      position: positionKey(event.position),
      streamId: event.streamId,
      revision: event.revision,
      type: event.type,
      effectiveOn: effectiveDate(event),
    };
  },
};
