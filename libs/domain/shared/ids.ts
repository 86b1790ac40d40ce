import { createHash } from 'node:crypto';

/**
 * A name-based UUID (RFC 9562 version 5 layout over SHA-1) of `name` in our namespace.
 * Deterministic: the same command id always yields the same event ids, so a retried
 * command appends nothing new.
 */
export function deterministicUuid(name: string): string {
  const h = createHash('sha1').update('ar-engine:').update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Entity ids chosen by clients: letters, digits, `_`, `-`, `.`; no `-` issue for streams since the category comes first. */
export const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export function isEntityId(text: unknown): text is string {
  return typeof text === 'string' && ENTITY_ID.test(text);
}

export const streams = {
  credit: (customerId: string) => `credit-${customerId}`,
  invoice: (invoiceId: string) => `invoice-${invoiceId}`,
  payment: (paymentId: string) => `payment-${paymentId}`,
  invoiceNumbers: (series: string) => `invoicenumbers-${series}`,
  creditNote: (creditNoteId: string) => `creditnote-${creditNoteId}`,
  creditNoteNumbers: (series: string) => `creditnotenumbers-${series}`,
  paymentPlan: (planId: string) => `paymentplan-${planId}`,
};

/** Splits `category-id` at the first `-`. */
export function parseStreamId(streamId: string): { category: string; id: string } {
  const i = streamId.indexOf('-');
  return { category: streamId.slice(0, i), id: streamId.slice(i + 1) };
}
