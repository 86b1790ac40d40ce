import type { CreditAssessedData } from '../../libs/domain/credit/assessment-model';
import type { CreditPolicy } from '../../libs/domain/credit/credit.events';
import { DEFAULT_COUNTRY } from '../../libs/domain/credit/credit.decider';
import { divideHalfUp } from '../../libs/domain/shared/money';
import { netTerms, type PaymentTerms } from '../../libs/domain/shared/payment-terms';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';

export interface HoldView {
  reason: string;
  actor: string;
  since: string;
}

/**
 * A customer's credit position (minor units of its currency):
 * exposure (encours) = open receivables + invoices pending approval − unapplied customer credit;
 * availableCredit = creditLimit − exposure (negative when overrun); utilisationBp = exposure / limit in basis points
 * (0 when exposure ≤ 0; null when the limit is 0 and something is exposed: unbounded).
 */
export type CreditExposure = {
  customerId: string;
  name: string;
  currency: string;
  country: string;
  creditLimit: number;
  terms: PaymentTerms;
  termsAgreedBeyondCap: boolean;
  /** null = the global setting. */
  creditPolicy: CreditPolicy | null;
  holds: { manual: HoldView | null; policy: HoldView | null };
  onHold: boolean;
  policyHold: boolean;
  /** Open amount per issued invoice still owing (receivables). */
  openInvoices: Record<string, number>;
  /** Invoices held for approval: gross and issue date. */
  pendingInvoices: Record<string, { total: number; issueDate: string }>;
  /**
   * Numbers reserved whose InvoiceIssued is not in the log yet (another process between its two appends, or a crash
   * the process manager will finish): already decided receivables, so they count in the exposure.
   */
  reservedInvoices: Record<string, number>;
  receivables: number;
  reserved: number;
  pendingApproval: number;
  unapplied: number;
  exposure: number;
  availableCredit: number;
  utilisationBp: number | null;
  rating: string | null;
  score: number | null;
  latestAssessment: CreditAssessedData | null;
  lastPosition: number;
};

/**
 * What the events set; the rest is derived by `doc`. `receivables`, `reserved` and `pendingApproval` are the sums of
 * `openInvoices`, `reservedInvoices` and the `pendingInvoices` totals, kept with their map by `put` and `drop` (the
 * entry's old amount out, its new one in) instead of a pass over a customer's every open invoice per event (ADR 0118).
 */
type Figures = Omit<CreditExposure, 'exposure' | 'availableCredit' | 'utilisationBp' | 'onHold' | 'policyHold'>;

/** The amount `record` holds under `key` (an own entry only), else 0. */
function amountAt(record: Record<string, number>, key: string): number {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : 0;
}

function pendingAt(record: Record<string, { total: number }>, key: string): number {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key].total : 0;
}

/**
 * A document as stored, with its three maps and their sums: one written before reservations were counted (ADR 0011's
 * cross-process race, same version) has neither `reservedInvoices` nor `reserved`; any sum missing is taken by one
 * pass over its map, once, and kept from then on.
 */
function withSums(current: CreditExposure): CreditExposure {
  const c = current as Partial<CreditExposure> & CreditExposure;
  if (typeof c.receivables === 'number' && typeof c.reserved === 'number' && typeof c.pendingApproval === 'number' && c.reservedInvoices !== undefined && c.pendingInvoices !== undefined) return current;
  const openInvoices = c.openInvoices ?? {};
  const reservedInvoices = c.reservedInvoices ?? {};
  const pendingInvoices = c.pendingInvoices ?? {};
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    ...current, openInvoices, reservedInvoices, pendingInvoices,
    receivables: sum(Object.values(openInvoices)),
    reserved: sum(Object.values(reservedInvoices)),
    pendingApproval: sum(Object.values(pendingInvoices).map((p) => p.total)),
  };
}

/** Fixed key order and derived figures: equal inputs give equal JSON. */
function doc(f: Figures): CreditExposure {
  const { receivables, reserved, pendingApproval } = f;
  const exposure = receivables + reserved + pendingApproval - f.unapplied;
  let utilisationBp: number | null;
  if (exposure <= 0) utilisationBp = 0;
  else if (f.creditLimit === 0) utilisationBp = null;
  else utilisationBp = Number(divideHalfUp(BigInt(exposure) * 10_000n, BigInt(f.creditLimit)));
  return {
    customerId: f.customerId,
    name: f.name,
    currency: f.currency,
    country: f.country,
    creditLimit: f.creditLimit,
    terms: f.terms,
    termsAgreedBeyondCap: f.termsAgreedBeyondCap,
    creditPolicy: f.creditPolicy,
    holds: f.holds,
    onHold: f.holds.manual !== null || f.holds.policy !== null,
    policyHold: f.holds.policy !== null,
    openInvoices: f.openInvoices,
    pendingInvoices: f.pendingInvoices,
    reservedInvoices: f.reservedInvoices,
    receivables,
    reserved,
    pendingApproval,
    unapplied: f.unapplied,
    exposure,
    availableCredit: f.creditLimit - exposure,
    utilisationBp,
    rating: f.rating,
    score: f.score,
    latestAssessment: f.latestAssessment,
    lastPosition: f.lastPosition,
  };
}

function empty(customerId: string): CreditExposure {
  return doc({
    customerId, name: '', currency: '', country: DEFAULT_COUNTRY, creditLimit: 0, terms: netTerms(0), termsAgreedBeyondCap: false,
    creditPolicy: null, holds: { manual: null, policy: null }, openInvoices: {}, pendingInvoices: {}, reservedInvoices: {},
    receivables: 0, reserved: 0, pendingApproval: 0, unapplied: 0,
    rating: null, score: null, latestAssessment: null, lastPosition: -1,
  });
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}

/**
 * Keys sorted, so a document's JSON does not depend on the order invoices were added (as JavaScript orders an
 * object's keys: integer-like keys first, by value, then the others in insertion order — here string order). Every
 * record this projection writes is in that order already, so a replaced value keeps its place, a key after the
 * last one is appended, and only a key that falls in between is inserted by one pass: no sort of the customer's
 * open invoices per event (with hundreds open, that sort was 43 % of the command path's CPU; docs/performance.md).
 */
export function withEntry<T>(record: Record<string, T>, key: string, value: T): Record<string, T> {
  if (Object.prototype.hasOwnProperty.call(record, key)) return { ...record, [key]: value };
  const keys = Object.keys(record);
  const last = keys[keys.length - 1];
  if (last === undefined || last < key) return { ...record, [key]: value };
  const out: Record<string, T> = {};
  let placed = false;
  for (const k of keys) {
    // Integer-like keys come first whatever the insertion order: only the others' order is this function's to keep.
    if (!placed && key < k && !isArrayIndex(k)) {
      out[key] = value;
      placed = true;
    }
    out[k] = record[k];
  }
  if (!placed) out[key] = value;
  return out;
}

/** A key JavaScript orders first, by value (ECMA-262 array index: canonical decimal below 2³² − 1). */
function isArrayIndex(k: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4_294_967_295;
}

/**
 * Events of invoice streams that carry the invoice's resulting open amount (`outstanding`), whatever their type:
 * the domain states the figure, the projection never recomputes it (credit notes, write-offs and the like included).
 */
function resultingOutstanding(event: ProjectedEvent): { invoiceId: string; outstanding: number } | null {
  if (!event.streamId.startsWith('invoice-')) return null;
  const d = event.data as { invoiceId?: unknown; outstanding?: unknown };
  return typeof d.invoiceId === 'string' && typeof d.outstanding === 'number' ? { invoiceId: d.invoiceId, outstanding: d.outstanding } : null;
}

function next(current: CreditExposure, event: ProjectedEvent): CreditExposure {
  const f: Figures = { ...withSums(current), lastPosition: event.position };
  const hold = (reason: string): HoldView => ({ reason, actor: event.metadata.actor, since: event.metadata.recordedAt });
  switch (event.type) {
    case 'CustomerRegistered': {
      const d = event.data;
      return doc({
        ...f, name: d.name, currency: d.currency, country: d.country ?? DEFAULT_COUNTRY, creditLimit: d.creditLimit,
        terms: netTerms(d.paymentTermsDays), termsAgreedBeyondCap: d.termsAgreedBeyondCap === true, creditPolicy: d.creditPolicy ?? null,
      });
    }
    case 'CreditLimitChanged':
      return doc({ ...f, creditLimit: event.data.newLimit });
    case 'PaymentTermsChanged':
      return doc({ ...f, terms: event.data.terms, termsAgreedBeyondCap: event.data.beyondLegalCap && event.data.agreedBeyondCap });
    case 'CreditPolicyChanged':
      return doc({ ...f, creditPolicy: event.data.policy });
    case 'CreditHoldPlaced':
      return doc({ ...f, holds: { ...f.holds, [event.data.kind]: hold(event.data.reason) } });
    case 'CreditHoldReleased':
      return doc({ ...f, holds: { ...f.holds, [event.data.kind]: null } });
    case 'CreditAssessed':
      return doc({ ...f, rating: event.data.result.rating, score: event.data.result.score, latestAssessment: event.data });
    case 'InvoiceSubmittedForApproval': {
      const id = event.data.invoiceId;
      return doc({
        ...f, currency: f.currency || event.data.currency,
        pendingInvoices: withEntry(f.pendingInvoices, id, { total: event.data.total, issueDate: event.data.issueDate }),
        pendingApproval: f.pendingApproval - pendingAt(f.pendingInvoices, id) + event.data.total,
      });
    }
    case 'InvoiceRejected': {
      const id = event.data.invoiceId;
      return doc({ ...f, pendingInvoices: without(f.pendingInvoices, id), pendingApproval: f.pendingApproval - pendingAt(f.pendingInvoices, id) });
    }
    case 'InvoiceIssued': {
      const id = event.data.invoiceId;
      const opens = event.data.total > 0;
      return doc({
        ...f,
        currency: f.currency || event.data.currency,
        pendingInvoices: without(f.pendingInvoices, id),
        pendingApproval: f.pendingApproval - pendingAt(f.pendingInvoices, id),
        reservedInvoices: without(f.reservedInvoices, id),
        reserved: f.reserved - amountAt(f.reservedInvoices, id),
        openInvoices: opens ? withEntry(f.openInvoices, id, event.data.total) : f.openInvoices,
        receivables: opens ? f.receivables - amountAt(f.openInvoices, id) + event.data.total : f.receivables,
      });
    }
    case 'InvoiceNumberReserved': {
      // A reservation seen after its invoice (never in practice: the reservation is appended first) adds nothing.
      const id = event.data.invoiceId;
      if (id in f.openInvoices) return doc(f);
      return doc({
        ...f, reservedInvoices: withEntry(f.reservedInvoices, id, event.data.invoice.total),
        reserved: f.reserved - amountAt(f.reservedInvoices, id) + event.data.invoice.total,
      });
    }
    case 'PaymentReceived':
      return doc({ ...f, unapplied: f.unapplied + event.data.amount });
    case 'PaymentAllocated':
      return doc({ ...f, unapplied: f.unapplied - event.data.amount });
    default: {
      const r = resultingOutstanding(event);
      if (r === null) return doc(f);
      const receivables = f.receivables - amountAt(f.openInvoices, r.invoiceId) + (r.outstanding > 0 ? r.outstanding : 0);
      return doc({ ...f, openInvoices: r.outstanding > 0 ? withEntry(f.openInvoices, r.invoiceId, r.outstanding) : without(f.openInvoices, r.invoiceId), receivables });
    }
  }
}

const CREDIT_STREAM = 'credit-';

function concerns(event: ProjectedEvent): boolean {
  const customerId = (event.data as { customerId?: unknown }).customerId;
  if (typeof customerId !== 'string') return false;
  if (event.streamId.startsWith(CREDIT_STREAM)) return true;
  if (['InvoiceIssued', 'InvoiceNumberReserved', 'InvoiceSubmittedForApproval', 'InvoiceRejected', 'PaymentReceived', 'PaymentAllocated'].includes(event.type)) return true;
  return resultingOutstanding(event) !== null;
}

export const creditExposureProjection: Projection<CreditExposure> = {
  name: 'credit-exposure',
  version: 1,
  indexes: ['utilisationBp', 'onHold', 'policyHold', 'pendingApproval'],
  keysOf(event) {
    return concerns(event) ? [(event.data as { customerId: string }).customerId] : [];
  },
  evolve(current, event) {
    const base = current ?? empty((event.data as { customerId: string }).customerId);
    if (!concerns(event) || event.position <= base.lastPosition) return current;
    return next(base, event);
  },
};
