import type { Projection } from '../../libs/projection-runtime/projection';
import { letteringLink } from './lettering-documents';

/** Invoice ↔ payment / credit note applied to it (PaymentApplied, CreditNoteApplied): one document per pair. */
export interface LetteringLink {
  customerId: string;
  invoice: string;
  settledBy: string;
  /** v2: what the payment applied to the invoice net of what was taken back (PaymentUnapplied), in minor units of their currency; realised exchange differences are computed on it (ADR 0052). */
  applied?: number;
  /** Log position of the last event counted in `applied`: a re-delivered event is not counted twice. */
  lastPosition?: number;
  /** v3: the date of the latest application still standing (its `appliedOn`, `receivedOn` or `on`): when the settlement took effect, for DateLet (ADR 0055); absent on a link fully taken back. */
  appliedOn?: string;
  [key: string]: unknown;
}

/** PaymentUnapplied takes part of a payment back from an invoice: it lowers the pair's applied amount. */
/** The applications and their reversals: `pairOf` gives no link for any other type. */
const TYPES: ReadonlySet<string> = new Set(['PaymentApplied', 'CreditNoteApplied', 'PaymentUnapplied']);

function pairOf(type: string, data: Record<string, unknown>): [string, string] | null {
  if (!TYPES.has(type)) return null;
  if (type === 'PaymentUnapplied') return [`invoice:${String(data.invoiceId)}`, `payment:${String(data.paymentId)}`];
  return letteringLink(type, data);
}

function appliedBy(type: string, data: Record<string, unknown>): number {
  const amount = typeof data.amount === 'number' ? data.amount : 0;
  if (type === 'PaymentApplied' || type === 'CreditNoteApplied') return amount;
  if (type === 'PaymentUnapplied') return -amount;
  return 0;
}

/** When an application takes effect: a payment's applied-on (else received-on) date, a credit note's `on`. */
function appliedOnOf(type: string, data: Record<string, unknown>): string | undefined {
  if (type === 'PaymentApplied') return String(data.appliedOn ?? data.receivedOn);
  if (type === 'CreditNoteApplied') return String(data.on);
  return undefined;
}

/** The later of two dates, either absent. */
const later = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined ? a : a > b ? a : b);

export const letteringLinksProjection: Projection<LetteringLink> = {
  name: 'lettering-links',
  /** v2: `applied` per payment and invoice (ADR 0052). v3: credit notes' applications counted too, `appliedOn` (ADR 0054, 0055). */
  version: 3,
  indexes: ['customerId'],
  eventTypes: TYPES,
  keysOf(event) {
    const link = pairOf(event.type, event.data);
    return link === null ? [] : [`${link[0]}|${link[1]}`];
  },
  evolve(doc, event) {
    const link = pairOf(event.type, event.data);
    if (link === null) return doc;
    if (doc !== null && doc.lastPosition !== undefined && event.position <= doc.lastPosition) return doc;
    const applied = (doc?.applied ?? 0) + appliedBy(event.type, event.data);
    // A link taken back entirely no longer settles anything: it keeps no date (and letters nothing, ADR 0055).
    const on = applied === 0 ? undefined : later(doc?.appliedOn, appliedOnOf(event.type, event.data));
    if (doc !== null) {
      const { appliedOn: _old, ...rest } = doc;
      return { ...rest, applied, lastPosition: event.position, ...(on !== undefined ? { appliedOn: on } : {}) };
    }
    // An unapplication without a link seen before creates none (lettering links come from applications only).
    if (event.type === 'PaymentUnapplied') return null;
    return { customerId: event.data.customerId, invoice: link[0], settledBy: link[1], applied, lastPosition: event.position, ...(on !== undefined ? { appliedOn: on } : {}) };
  },
};
