import type { CreditAssessedData } from '../../libs/domain/credit/assessment-model';
import type { CreditPolicy } from '../../libs/domain/credit/credit.events';
import { DEFAULT_COUNTRY } from '../../libs/domain/credit/credit.decider';
import { divideHalfUp } from '../../libs/domain/shared/money';
import type { ArEvent } from '../../libs/domain/events';
import { balanceMovement, openBalancesProjection } from '../open-balances/open-balances.projection';
import { netTerms, type PaymentTerms } from '../../libs/domain/shared/payment-terms';
import type { ProjectedEvent, Projection } from '../../libs/projection-runtime/projection';

export interface HoldView {
  reason: string;
  actor: string;
  since: string;
}

/**
 * A customer's credit position (minor units of its currency):
 * exposure (encours) = open receivables + numbers reserved + invoices pending approval − unapplied customer credit;
 * open receivables and unapplied credit move as open-balances moves them (`balanceMovement`, ADR 0120), so the
 * document holds no entry per open invoice: its size, and what one event costs, do not grow with them;
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
 * What the events set; the rest is derived by `doc`. `reserved` and `pendingApproval` are the sums of
 * `reservedInvoices` and the `pendingInvoices` totals, kept with their map entry by entry (the entry's old amount out,
 * its new one in: ADR 0118); `receivables` and `unapplied` are sums of what each event moves (ADR 0120).
 */
type Figures = Omit<CreditExposure, 'exposure' | 'availableCredit' | 'utilisationBp' | 'onHold' | 'policyHold'>;

/** The amount `record` holds under `key` (an own entry only), else 0. */
function amountAt(record: Record<string, number>, key: string): number {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : 0;
}

function pendingAt(record: Record<string, { total: number }>, key: string): number {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key].total : 0;
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
    creditPolicy: null, holds: { manual: null, policy: null }, pendingInvoices: {}, reservedInvoices: {},
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

function next(current: CreditExposure, event: ProjectedEvent): CreditExposure {
  const f: Figures = { ...current, lastPosition: event.position };
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
      return doc({
        ...f,
        currency: f.currency || event.data.currency,
        pendingInvoices: without(f.pendingInvoices, id),
        pendingApproval: f.pendingApproval - pendingAt(f.pendingInvoices, id),
        reservedInvoices: without(f.reservedInvoices, id),
        reserved: f.reserved - amountAt(f.reservedInvoices, id),
        receivables: f.receivables + (balanceMovement(event)?.outstanding ?? 0),
      });
    }
    case 'InvoiceNumberReserved': {
      // Appended before its invoice (in one transaction with it on SQLite: ADR 0115), removed by it; one for an invoice
      // another process issued meanwhile stays counted, and listed by the workflow-orphans report (ADR 0120).
      const id = event.data.invoiceId;
      return doc({
        ...f, reservedInvoices: withEntry(f.reservedInvoices, id, event.data.invoice.total),
        reserved: f.reserved - amountAt(f.reservedInvoices, id) + event.data.invoice.total,
      });
    }
    default: {
      // Payments, allocations, credit notes, write-offs, discounts, charges, bank fees, refunds: what open-balances moves.
      const m = balanceMovement(event);
      if (m === null) return doc(f);
      return doc({ ...f, receivables: f.receivables + m.outstanding, unapplied: f.unapplied + m.unapplied });
    }
  }
}

/** The types that set something of the document: its own, and every type open-balances moves a balance with. */
const OWN_TYPES: ReadonlyArray<ArEvent['type']> = [
  'CustomerRegistered', 'CreditLimitChanged', 'PaymentTermsChanged', 'CreditPolicyChanged', 'CreditHoldPlaced', 'CreditHoldReleased',
  'CreditAssessed', 'InvoiceSubmittedForApproval', 'InvoiceRejected', 'InvoiceIssued', 'InvoiceNumberReserved',
];
const TYPES: ReadonlySet<string> = new Set<string>([...OWN_TYPES, ...openBalancesProjection.eventTypes!]);

function concerns(event: ProjectedEvent): boolean {
  return TYPES.has(event.type) && typeof (event.data as { customerId?: unknown }).customerId === 'string';
}

export const creditExposureProjection: Projection<CreditExposure> = {
  name: 'credit-exposure',
  /** v2: no entry per open invoice; unapplied credit as open-balances keeps it (ADR 0120). */
  version: 2,
  indexes: ['utilisationBp', 'onHold', 'policyHold', 'pendingApproval'],
  eventTypes: TYPES,
  keysOf(event) {
    return concerns(event) ? [(event.data as { customerId: string }).customerId] : [];
  },
  evolve(current, event) {
    const base = current ?? empty((event.data as { customerId: string }).customerId);
    if (!concerns(event) || event.position <= base.lastPosition) return current;
    return next(base, event);
  },
};
