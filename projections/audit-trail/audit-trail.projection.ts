import { CREDIT_EVENT_TYPES } from '../../libs/domain/credit/credit.events';
import { INVOICE_EVENT_TYPES } from '../../libs/domain/invoice/invoice.events';
import { PAYMENT_EVENT_TYPES } from '../../libs/domain/payment/payment.events';
import { CREDIT_NOTE_EVENT_TYPES } from '../../libs/domain/credit-note/credit-note.events';
import { PAYMENT_PLAN_EVENT_TYPES } from '../../libs/domain/payment-plan/payment-plan.events';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One customer-facing fact as recorded, in log order (`position` keys sort lexically as the log does). */
export type AuditEntry = {
  customerId: string;
  position: string;
  streamId: string;
  revision: number;
  id: string;
  type: string;
  data: Json;
  metadata: Json;
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

/** A deep copy with object keys sorted: the same event gives the same JSON whichever store it was read from. */
function canonical(value: unknown): Json {
  if (value === null || typeof value !== 'object') return value as Json;
  if (Array.isArray(value)) return value.map(canonical);
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = canonical(v);
  }
  return out;
}

export const auditTrailProjection: Projection<AuditEntry> = {
  name: 'audit-trail',
  version: 1,
  indexes: ['customerId', 'position'],
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
      id: event.id,
      type: event.type,
      data: canonical(event.data),
      metadata: canonical(event.metadata),
    };
  },
};
