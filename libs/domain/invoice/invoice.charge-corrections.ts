import { computeLateCharges, halfYearStart, type CompensationBasis, type RateEntry } from '../collections/late-charges';
import { addDays, type CalendarDate } from '../shared/dates';
import { divideHalfUp } from '../shared/money';
import type { InvoiceCollectionEvent, LateChargesAssessed, LateChargesCorrected } from './invoice.collection.events';
import type { InvoiceSettled, PaymentApplied } from './invoice.events';

/**
 * Corrections of late charges already assessed when a fact lowers the principal on days they covered
 * (ADR 0037). Pure: the rates, margin and day basis are those the assessments recorded, so a correction
 * never depends on today's configuration.
 */

/** One assessment as the invoice remembers it: its last day and what of it is still charged. */
export interface AssessedPeriod {
  through: CalendarDate;
  amount: number;
}

/** What the assessments were computed with. */
export interface ChargeBasis {
  dayBasis: number;
  marginBp: number;
  rates: RateEntry[];
}

/** The part of the invoice state corrections read (structural: `invoice.collections` imports this module). */
export interface ChargedInvoice {
  invoiceId: string;
  customerId: string;
  currency: string;
  total: number;
  outstanding: number;
  dueDate: CalendarDate;
  changes: Array<{ on: CalendarDate; amount: number }>;
  chargedThrough: CalendarDate | null;
  assessments?: AssessedPeriod[];
  chargeBasis?: ChargeBasis | null;
  deferrals?: DeferredPeriod[];
  /** Days assessments left without interest (a kept `waive` plan, ADR 0051): recomputed the same way; absent = none. */
  waived?: Array<{ planId: string; from: CalendarDate; to: CalendarDate }>;
  /** The compensation as assessed (ADR 0053): a correction recomputes with it, never with today's rates. */
  compensationBasis?: CompensationBasis;
}

/** Before v3 only EUR invoices bore the EUR 40: an older non-EUR invoice recomputes with none. */
const NO_COMPENSATION: CompensationBasis = { amount: 0, eur: 0, rate: '', rateDate: '' };

/** Days on which a disputed amount was left out of an assessment, and what of it is still left out (ADR 0038). */
export interface DeferredPeriod {
  disputeId: string;
  from: CalendarDate;
  through: CalendarDate;
  principal: number;
  interest: number;
  compensation: number;
  /** Principal still excluded: the disputed amount while open, the agreed amount once accepted until its credit note applies, else 0. */
  excluded: number;
}

/**
 * The dated principal changes interest is computed on: the invoice's changes, plus each period during which a
 * disputed amount is still left out (a change lowering the principal from its first day, raising it after its last).
 */
export function interestChanges(s: Pick<ChargedInvoice, 'changes' | 'deferrals'>): Array<{ on: CalendarDate; amount: number }> {
  const windows = (s.deferrals ?? []).filter((d) => d.excluded > 0)
    .flatMap((d) => [{ on: addDays(d.from, -1), amount: d.excluded }, { on: d.through, amount: -d.excluded }]);
  return windows.length === 0 ? s.changes : [...s.changes, ...windows];
}

/** The basis extended with an assessment's rates (the reference rate of each half-year it covered). */
export function basisWith(basis: ChargeBasis | null | undefined, e: LateChargesAssessed['data']): ChargeBasis {
  const byFrom = new Map((basis?.rates ?? []).map((r) => [r.from, r.rateBp]));
  for (const l of e.lines) byFrom.set(halfYearStart(l.from), l.referenceRateBp);
  const rates = [...byFrom.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([from, rateBp]) => ({ from, rateBp }));
  return { dayBasis: e.dayBasis, marginBp: e.lines[0]?.marginBp ?? basis?.marginBp ?? 0, rates };
}

/** Charges for due date + 1 … `through` as the changes put them: one computation, rounded once. */
function chargesThrough(s: ChargedInvoice, basis: ChargeBasis, through: CalendarDate): { interest: number; compensation: number } {
  const from = addDays(s.dueDate, 1);
  if (through < from) return { interest: 0, compensation: 0 };
  const c = computeLateCharges({
    dueDate: s.dueDate, total: s.total, changes: interestChanges(s), from, through, country: '', currency: s.currency, compensationDue: true,
    rates: { source: 'assessed', rates: basis.rates }, dayBasis: basis.dayBasis, marginBp: basis.marginBp, exempt: s.waived ?? [],
    compensationBasis: s.compensationBasis ?? (s.currency === 'EUR' ? undefined : NO_COMPENSATION),
  });
  return { interest: c.interest, compensation: c.compensation };
}

type Cause = LateChargesCorrected['data']['cause'];

/** The fact among `events` that lowers the principal (the cause named in a correction); null when none. */
export function causeOf(events: ReadonlyArray<InvoiceCollectionEvent | PaymentApplied | InvoiceSettled | { type: string; data: unknown }>): Cause | null {
  for (const e of events) {
    const d = e.data as Record<string, string>;
    if (e.type === 'PaymentApplied') return { type: e.type, reference: d.paymentId, on: d.appliedOn ?? d.receivedOn };
    if (e.type === 'CreditNoteApplied') return { type: e.type, reference: d.creditNoteId, on: d.on };
    if (e.type === 'InvoiceWrittenOff') return { type: e.type, reference: d.approvedBy, on: d.writtenOffOn };
    if (e.type === 'BankFeesWrittenOff') return { type: e.type, reference: d.paymentId, on: d.on };
  }
  return null;
}

/**
 * For each assessment (in order), the part of the charges it assessed that the new fact cancels: the
 * charges through its last day recomputed before and after the fact, differenced — so rounding and earlier
 * corrections never produce a spurious cent — limited to what the assessment still charges and to what is
 * owed. Increases are not re-assessed (the days are charged once; ADR 0037).
 */
export function chargeCorrections(before: ChargedInvoice, after: ChargedInvoice, cause: Cause | null): Array<LateChargesCorrected | InvoiceSettled> {
  const periods = after.assessments ?? [];
  const basis = after.chargeBasis;
  // No shortcut on the cause's date: an accepted dispute's credit note lowers the principal from the due date.
  if (cause === null || periods.length === 0 || !basis || after.chargedThrough === null) return [];
  const out: Array<LateChargesCorrected | InvoiceSettled> = [];
  let outstanding = after.outstanding;
  let cancelledSoFar = 0;
  let compensationSoFar = 0;
  for (const p of periods) {
    const old = chargesThrough(before, basis, p.through);
    const now = chargesThrough(after, basis, p.through);
    const due = old.interest + old.compensation - (now.interest + now.compensation) - cancelledSoFar;
    const amount = Math.min(Math.max(0, due), p.amount, outstanding);
    if (amount === 0) continue;
    const compensation = Math.min(amount, Math.max(0, old.compensation - now.compensation - compensationSoFar));
    outstanding -= amount;
    cancelledSoFar += amount;
    compensationSoFar += compensation;
    out.push({
      type: 'LateChargesCorrected',
      data: {
        invoiceId: after.invoiceId, customerId: after.customerId, on: p.through, interest: amount - compensation, compensation, amount, cause,
        recomputed: now, outstanding,
        ...(compensation > 0 && after.compensationBasis !== undefined ? { compensationEur: eurOf(compensation, after.compensationBasis) } : {}),
      },
    });
  }
  if (out.length > 0 && outstanding === 0 && after.outstanding > 0) {
    out.push({ type: 'InvoiceSettled', data: { invoiceId: after.invoiceId, customerId: after.customerId, settledOn: cause.on } });
  }
  return out;
}

/** Euro cents of an amount of the compensation: all of it → its EUR value exactly, part of it → pro rata, half-up. */
export function eurOf(compensation: number, b: CompensationBasis): number {
  return compensation === b.amount ? b.eur : Number(divideHalfUp(BigInt(compensation) * BigInt(b.eur), BigInt(b.amount)));
}

/** The periods after a correction: its amount taken off the assessment it corrects. */
export function periodsAfter(periods: readonly AssessedPeriod[] | undefined, e: LateChargesCorrected['data']): AssessedPeriod[] {
  return (periods ?? []).map((p) => (p.through === e.on ? { ...p, amount: p.amount - e.amount } : p));
}
