import { CalendarDate, parseDate } from '../shared/dates';
import { DomainError, invalid } from '../shared/errors';
import { formatAmount } from '../shared/money';
import { requireId, requireInteger, requireText } from '../shared/validation';
import { divideHalfUp } from '../shared/money';
import { discountWindow, PaymentTerms } from '../shared/payment-terms';
import { computeLateCharges, RateTable, type CompensationBasis } from '../collections/late-charges';
import type { FxRateTable } from '../shared/fx-rates';
import { DunningLevel } from '../collections/dunning';
import { addDays, daysBetween } from '../shared/dates';
import { PaymentPlanAttached, PaymentPlanDetached } from './invoice.collection.events';
import { lastChargeableDay, waivedDays, type PlanInterestTerms } from '../payment-plan/plan-interest';
import { LateChargesDeferred, LateChargesReinstated, BadDebtRecovered, CreditNoteApplied, DiscountApplied, DiscountReversed, HandedToCollectionAgency, LateChargesAssessed, ReminderSent, DisputeOpened, DisputeResolved, InvoiceCollectionEvent, InvoiceWrittenOff, PaymentUnapplied } from './invoice.collection.events';
import type { InvoiceSettled, PaymentApplied } from './invoice.events';
import { combine, grossTotal, splitGrossAcross, vatShareFromPool, type VatRateAmount } from '../shared/vat';
import { evolveVatOnReceipt } from './vat-on-receipt';
import { basisWith, eurOf, interestChanges, periodsAfter, type AssessedPeriod, type ChargeBasis, type DeferredPeriod } from './invoice.charge-corrections';
import type { PendingWriteOff, WriteOffRequested } from './invoice.write-off-request.events';
import { bankFeesReversal, type BankFeesState } from './invoice.bank-fees';
import type { BankFeesReversed } from './invoice.collection.events';

/** What collections add to an issued invoice's state (defaults for invoices with no such event). */
export interface InvoiceCollectionState extends BankFeesState {
  /** Written off and not recovered since: what a later payment may still recover. */
  recoverable: number;
  /** Per payment: what it lowered the outstanding by (applied) and what it recovered. */
  byPayment: Record<string, { applied: number; recovered: number }>;
  /** The open dispute, if any (one at a time). */
  dispute: OpenDispute | null;
  /** Credit-note applications already recorded (dedup keys). */
  creditKeys: string[];
  /** Early-payment discount granted (escompte); absent = none. */
  discounted?: number;
  /** The discount in force and the payment that earned it; absent or null = none (or reversed since). */
  discount?: DiscountApplied['data'] | null;
  /** Dated changes of what is owed other than charges (+ lowers): the base of late-payment interest. */
  changes: Array<{ on: CalendarDate; amount: number }>;
  /** Last day for which late charges were assessed; null = none yet. */
  chargedThrough: CalendarDate | null;
  charged: number;
  /** Each assessment's last day and what of it is still charged (ADR 0037); absent = none. */
  assessments?: AssessedPeriod[];
  /** The rates, margin and day basis the assessments used (a correction recomputes with them); absent = none. */
  chargeBasis?: ChargeBasis | null;
  /** Days assessments left without interest (kept `waive` plans, ADR 0051); absent = none. */
  waived?: Array<{ planId: string; from: CalendarDate; to: CalendarDate }>;
  /** The EUR 40 compensation was assessed (or deferred); absent = not yet. */
  compensated?: boolean;
  /** The compensation in the invoice currency as first assessed or deferred (ADR 0053); absent = none yet, or recorded before v3 (EUR 40 on EUR invoices only). */
  compensationBasis?: CompensationBasis;
  /** Charges held back on disputed amounts (ADR 0038); absent = none. */
  deferrals?: DeferredPeriod[];
  /** Credit notes issued by accepted disputes: they lower the principal from the due date for interest. */
  disputeCredits?: string[];
  /** Highest dunning level reached (0 = none); absent in states folded before dunning existed. */
  dunningLevel?: number;
  /** Day the highest level was sent; absent = none. */
  dunningSentOn?: CalendarDate;
  inCollection?: boolean;
  /** The payment plan covering the invoice; absent or null = none. */
  planId?: string | null;
  /** Base and VAT taken off by credit notes, discounts and write-offs, rate by rate; absent = none. */
  vatCorrected?: VatRateAmount[];
  /** Late charges credited by credit notes; absent = 0. */
  chargesCredited?: number;
  /** VAT regularised by v2 write-offs and not recovered since, by rate (CGI art. 272-1); absent = none. */
  writtenOffVat?: VatRateAmount[];
  /** Per payment: the VAT due again on what it recovered of a write-off; absent = none. */
  recoveredVat?: Record<string, VatRateAmount[]>;
  /** VAT due on receipt (CGI art. 269-2-c), recorded at issue; absent = due on invoicing. */
  vatDueOn?: 'receipt';
  /** Under VAT on receipt: VAT moved from 44574 to 44571 by payments (and due again on recoveries), by rate. */
  vatReceived?: VatRateAmount[];
  /** Under VAT on receipt: what each payment moved, so taking it back moves exactly that back. */
  vatMovedByPayment?: Record<string, VatRateAmount[]>;
}

export interface OpenDispute {
  disputeId: string;
  amount: number;
  reason: string;
  openedOn: CalendarDate;
}

export const collectionDefaults = (): InvoiceCollectionState => ({ recoverable: 0, byPayment: {}, dispute: null, creditKeys: [], changes: [], chargedThrough: null, charged: 0 });

/** The part of the invoice state these rules read. */
export interface CollectableInvoice extends InvoiceCollectionState {
  invoiceId: string;
  customerId: string;
  number: string;
  currency: string;
  issueDate: CalendarDate;
  total: number;
  outstanding: number;
  /** VAT by rate as issued. */
  vatBreakdown: VatRateAmount[];
}

/** Base and VAT still carried by the invoice at each rate: as issued, less credit notes, discounts and write-offs. */
export function openVat(state: Pick<CollectableInvoice, 'vatBreakdown' | 'vatCorrected'>): VatRateAmount[] {
  return combine(state.vatBreakdown, state.vatCorrected ?? [], -1);
}

/** A reduction of the price (VAT included) split across the invoice's open rates in proportion (CGI art. 267 II-1°, ADR 0035). */
export function vatShareOf(gross: number, state: Pick<CollectableInvoice, 'vatBreakdown' | 'vatCorrected'>): VatRateAmount[] {
  const open = openVat(state);
  return splitGrossAcross(Math.min(gross, grossTotal(open)), open);
}

export interface UnapplyPayment {
  type: 'UnapplyPayment';
  invoiceId: string;
  paymentId: string;
  amount: number;
  on: CalendarDate;
  reason: 'reallocation' | 'reversal';
}

export interface WriteOffInvoice {
  type: 'WriteOffInvoice';
  invoiceId: string;
  /** Minor units; null = the whole outstanding. */
  amount: number | null;
  reason: string;
  /** The principal answerable for it: the approver when it is written off at once, else the requester. */
  approvedBy: string;
  on: CalendarDate;
  /** Above this amount (minor units) the write-off is a request for a second principal's approval; absent/null = none. */
  approvalAbove?: number | null;
  /** The request's id, when it becomes one (from the command id). */
  requestId?: string;
}

export interface ApplyCreditNote {
  type: 'ApplyCreditNote';
  invoiceId: string;
  creditNoteId: string;
  /** What it lowers the outstanding by; 0 when the note only corrects (all of it became customer credit). */
  amount: number;
  on: CalendarDate;
  allocationId?: string;
  /** The note issued against this invoice: what it corrects, rate by rate. Absent on later allocations of credit. */
  vatBreakdown?: VatRateAmount[];
  /** With vatBreakdown: the note's part that credits late charges. */
  charges?: number;
  /** With vatBreakdown, under VAT on receipt: the part of its VAT taken from 44574 (the rest reverses VAT already due). */
  vatToCollect?: VatRateAmount[];
}

export interface OpenDisputeCommand {
  type: 'OpenDispute';
  invoiceId: string;
  disputeId: string;
  amount: number;
  reason: string;
  on: CalendarDate;
}

export interface ResolveDispute {
  type: 'ResolveDispute';
  invoiceId: string;
  disputeId: string;
  outcome: 'accepted' | 'rejected';
  /** Accepted: what is credited (null = the disputed amount). */
  agreedAmount: number | null;
  note: string;
  on: CalendarDate;
}

export interface AssessLateCharges {
  type: 'AssessLateCharges';
  invoiceId: string;
  /** Last day of interest. */
  asOf: CalendarDate;
  /** The customer's country (margin), from the credit account. */
  country: string;
  rates: RateTable;
  dayBasis: number;
  /** Exchange rates (AR_FX_RATES): the EUR 40 of a non-EUR invoice is converted at its due date's rate (ADR 0053); absent = none known. */
  fxRates?: FxRateTable;
  /** Every payment plan the invoice joined, with its interest rule (ADR 0051); absent = none. */
  plans?: PlanInterestTerms[];
}

/**
 * Assesses the interest (and the compensation the first time) due since the last assessment; [] when nothing is
 * due. An amount under an open dispute is left out: its charges are recorded as deferred (ADR 0038). While the
 * invoice is in a payment plan, the plan's days are deferred to its end (nothing from the agreement day on is
 * assessed); a kept `waive` plan's days bear no interest (ADR 0051).
 */
export function assessLateCharges(c: AssessLateCharges, state: (CollectableInvoice & { dueDate: CalendarDate; status: string }) | null): Array<LateChargesAssessed | LateChargesDeferred> {
  const invoiceId = requireId(c.invoiceId, 'invoiceId');
  const asOf = parseDate(c.asOf, 'asOf');
  if (state === null) throw notFound(invoiceId);
  if (state.status === 'written_off') throw new DomainError('INVOICE_WRITTEN_OFF', `Invoice ${state.number} is written off`, { invoiceId });
  const plans = c.plans ?? [];
  const planId = state.planId ?? null;
  const inForce = planId === null ? null : plans.find((p) => p.planId === planId) ?? null;
  if (planId !== null && inForce === null) throw new Error(`assessing invoice ${invoiceId}: the terms of its payment plan ${planId} were not given`);
  const from = state.chargedThrough === null ? addDays(state.dueDate, 1) : addDays(state.chargedThrough, 1);
  const through = lastChargeableDay(asOf, inForce);
  if (through < from) return [];
  // Waived days inside this period are recorded with the assessment, so a later correction recomputes them the same way.
  const waived = waivedDays(plans).filter((w) => w.from <= through && w.to >= from);
  const common = {
    dueDate: state.dueDate, total: state.total, changes: interestChanges(state), from, through, country: c.country, currency: state.currency,
    compensationDue: !(state.compensated ?? false) && state.chargedThrough === null, rates: c.rates, dayBasis: c.dayBasis, exempt: [...(state.waived ?? []), ...waived],
    fx: c.fxRates,
  };
  const full = computeLateCharges(common);
  const disputed = state.dispute?.amount ?? 0;
  // While disputed, the amount is owed by no one yet: a change lowering the principal from the due date.
  const computed = disputed === 0 ? full : computeLateCharges({ ...common, changes: [...common.changes, { on: state.dueDate, amount: disputed }] });
  const deferred: LateChargesDeferred[] = [];
  if (state.dispute !== null && full.total > computed.total) {
    const interest = full.interest - computed.interest;
    const compensation = full.compensation - computed.compensation;
    deferred.push({
      type: 'LateChargesDeferred',
      data: {
        invoiceId, customerId: state.customerId, disputeId: state.dispute.disputeId, from, through, principal: disputed, interest, compensation, amount: interest + compensation,
        ...(compensation > 0 && full.compensationBasis && state.currency !== 'EUR' ? { compensationBasis: recordOf(full.compensationBasis) } : {}),
      },
    });
  }
  if (computed.total === 0) return deferred;
  const outstanding = state.outstanding + computed.total;
  return [{
    type: 'LateChargesAssessed',
    data: {
      invoiceId, customerId: state.customerId, from, through, interest: computed.interest, compensation: computed.compensation, amount: computed.total,
      dayBasis: c.dayBasis, rateSource: computed.rateSource,
      lines: computed.lines.map((l) => ({ from: l.from, to: l.to, days: l.days, principal: l.principal, referenceRateBp: l.referenceRateBp, marginBp: l.marginBp, annualRateBp: l.annualRateBp })),
      outstanding, reopened: state.outstanding === 0, ...(waived.length > 0 ? { waived } : {}),
      ...(computed.compensation > 0 && computed.compensationBasis && state.currency !== 'EUR' ? { compensationBasis: recordOf(computed.compensationBasis) } : {}),
    },
  }, ...deferred];
}

const recordOf = (b: CompensationBasis) => ({ eur: b.eur, rate: b.rate, rateDate: b.rateDate });

/** The compensation basis an event records, with the amount it charged. */
const basisOf = (amount: number, r: { eur: number; rate: string; rateDate: CalendarDate } | undefined): CompensationBasis | undefined =>
  r === undefined ? undefined : { amount, ...r };

export interface SendDunning {
  type: 'SendDunning';
  invoiceId: string;
  level: DunningLevel;
  asOf: CalendarDate;
  language: string;
}

/** Records a dunning level for the invoice; [] when that level (or a higher one) was already reached or nothing is owed. */
export function sendDunning(c: SendDunning, state: (CollectableInvoice & { dueDate: CalendarDate }) | null): Array<ReminderSent | HandedToCollectionAgency> {
  const invoiceId = requireId(c.invoiceId, 'invoiceId');
  const asOf = parseDate(c.asOf, 'asOf');
  if (state === null) throw notFound(invoiceId);
  const l = c.level;
  if ((state.dunningLevel ?? 0) >= l.level || state.outstanding === 0) return [];
  // At most one letter per invoice and day, whatever the caller planned (ADR 0039).
  if (state.dunningSentOn !== undefined && state.dunningSentOn >= asOf) return [];
  if (state.dispute !== null) throw new DomainError('INVOICE_DISPUTED', `Invoice ${state.number} is disputed: dunning is paused`, { invoiceId });
  const daysPastDue = daysBetween(state.dueDate, asOf);
  if (daysPastDue < l.daysAfterDue) {
    throw new DomainError('DUNNING_LEVEL_NOT_DUE', `Level ${l.level} is due ${l.daysAfterDue} days after ${state.dueDate}`, { invoiceId, level: l.level, daysPastDue });
  }
  const { customerId, outstanding } = state;
  const sent: ReminderSent = {
    type: 'ReminderSent',
    data: { invoiceId, customerId, level: l.level, name: l.name, action: l.action, template: l.template, language: c.language, asOf, daysPastDue, outstanding, creditHold: l.creditHold },
  };
  if (!l.collectionAgency) return [sent];
  return [sent, { type: 'HandedToCollectionAgency', data: { invoiceId, customerId, level: l.level, asOf, outstanding } }];
}

export interface AttachToPaymentPlan {
  type: 'AttachToPaymentPlan';
  invoiceId: string;
  planId: string;
}

export interface DetachFromPaymentPlan {
  type: 'DetachFromPaymentPlan';
  invoiceId: string;
  planId: string;
  reason: 'broken' | 'completed';
}

export function attachToPaymentPlan(c: AttachToPaymentPlan, state: CollectableInvoice | null): PaymentPlanAttached[] {
  const invoiceId = requireId(c.invoiceId, 'invoiceId');
  const planId = requireId(c.planId, 'planId');
  if (state === null) throw notFound(invoiceId);
  if (state.planId === planId) return [];
  if (state.planId) throw new DomainError('INVOICE_IN_PAYMENT_PLAN', `Invoice ${state.number} is already in payment plan ${state.planId}`, { invoiceId, planId: state.planId }, 'conflict');
  return [{ type: 'PaymentPlanAttached', data: { invoiceId, customerId: state.customerId, planId } }];
}

export function detachFromPaymentPlan(c: DetachFromPaymentPlan, state: CollectableInvoice | null): PaymentPlanDetached[] {
  const invoiceId = requireId(c.invoiceId, 'invoiceId');
  if (state === null) throw notFound(invoiceId);
  if (state.planId !== c.planId) return [];
  return [{ type: 'PaymentPlanDetached', data: { invoiceId, customerId: state.customerId, planId: c.planId, reason: c.reason } }];
}

export type InvoiceCollectionCommand = AttachToPaymentPlan | DetachFromPaymentPlan | SendDunning | AssessLateCharges | UnapplyPayment | WriteOffInvoice | ApplyCreditNote | OpenDisputeCommand | ResolveDispute;

/** Id of the credit note an accepted dispute issues: derived, so the automatic step is idempotent. */
export const disputeCreditNoteId = (disputeId: string) => `cn-${disputeId}`.slice(0, 100);

export function applyCreditNote(c: ApplyCreditNote, state: CollectableInvoice | null): Array<CreditNoteApplied | InvoiceSettled> {
  const invoiceId = requireId(c.invoiceId, 'invoiceId');
  const creditNoteId = requireId(c.creditNoteId, 'creditNoteId');
  const correction = c.allocationId === undefined ? c.vatBreakdown : undefined;
  const amount = requireInteger(c.amount, 'amount', 'AMOUNT_NOT_POSITIVE', correction !== undefined ? 0 : 1);
  const on = parseDate(c.on, 'on');
  if (state === null) throw notFound(invoiceId);
  const key = c.allocationId ?? `cn:${creditNoteId}`;
  if (state.creditKeys.includes(key)) return [];
  if (amount > state.outstanding) {
    const show = (m: number) => formatAmount(m, state.currency);
    throw new DomainError('CREDIT_NOTE_EXCEEDS_OUTSTANDING', `${show(amount)} ${state.currency} exceeds the outstanding of invoice ${state.number}`, {
      invoiceId, creditNoteId, currency: state.currency, amount: show(amount), outstanding: show(state.outstanding),
    });
  }
  const outstanding = state.outstanding - amount;
  const applied: CreditNoteApplied = {
    type: 'CreditNoteApplied',
    data: {
      invoiceId, customerId: state.customerId, creditNoteId, amount, on, ...(c.allocationId !== undefined ? { allocationId: c.allocationId } : {}), outstanding,
      ...(correction !== undefined ? { vatBreakdown: correction } : {}),
      ...(correction !== undefined && (c.charges ?? 0) > 0 ? { charges: c.charges } : {}),
      ...(correction !== undefined && c.vatToCollect !== undefined && c.vatToCollect.length > 0 ? { vatToCollect: c.vatToCollect } : {}),
    },
  };
  if (outstanding > 0 || amount === 0) return [applied];
  return [applied, { type: 'InvoiceSettled', data: { invoiceId, customerId: state.customerId, settledOn: on } }];
}

export function openDispute(c: OpenDisputeCommand, state: CollectableInvoice | null): DisputeOpened[] {
  const invoiceId = requireId(c.invoiceId, 'invoiceId');
  const disputeId = requireId(c.disputeId, 'disputeId');
  const amount = requireInteger(c.amount, 'amount', 'AMOUNT_NOT_POSITIVE', 1);
  const reason = requireText(c.reason, 'reason', 'REASON', 500);
  const on = parseDate(c.on, 'on');
  if (state === null) throw notFound(invoiceId);
  if (state.dispute !== null) {
    if (state.dispute.disputeId === disputeId) return [];
    throw new DomainError('DISPUTE_ALREADY_OPEN', `Invoice ${state.number} already has an open dispute`, { invoiceId, disputeId: state.dispute.disputeId }, 'conflict');
  }
  const show = (m: number) => formatAmount(m, state.currency);
  if (state.outstanding === 0) throw new DomainError('INVOICE_NOT_OPEN', `Invoice ${state.number} owes nothing`, { invoiceId });
  if (amount > state.outstanding) {
    throw new DomainError('DISPUTE_EXCEEDS_OUTSTANDING', `${show(amount)} ${state.currency} exceeds the outstanding of invoice ${state.number}`, {
      field: 'amount', invoiceId, currency: state.currency, amount: show(amount), outstanding: show(state.outstanding),
    });
  }
  if (on < state.issueDate) throw invalid('DATE_BEFORE_ISSUE', `Invoice ${state.number} was issued on ${state.issueDate}`, 'on');
  return [{ type: 'DisputeOpened', data: { invoiceId, customerId: state.customerId, disputeId, amount, reason, openedOn: on } }];
}

export function resolveDispute(c: ResolveDispute, state: CollectableInvoice | null): Array<DisputeResolved | LateChargesReinstated> {
  const invoiceId = requireId(c.invoiceId, 'invoiceId');
  const disputeId = requireId(c.disputeId, 'disputeId');
  const on = parseDate(c.on, 'on');
  if (c.outcome !== 'accepted' && c.outcome !== 'rejected') throw invalid('OUTCOME_INVALID', 'outcome must be accepted or rejected', 'outcome');
  const note = typeof c.note === 'string' ? c.note.slice(0, 500) : '';
  if (state === null) throw notFound(invoiceId);
  const open = state.dispute;
  if (open === null || open.disputeId !== disputeId) {
    throw new DomainError('DISPUTE_NOT_FOUND', `Invoice ${state.number} has no open dispute ${disputeId}`, { invoiceId, disputeId }, 'not_found');
  }
  if (on < open.openedOn) throw invalid('DATE_BEFORE_DISPUTE', `The dispute was opened on ${open.openedOn}`, 'on', { openedOn: open.openedOn });
  let agreedAmount = 0;
  if (c.outcome === 'accepted') {
    agreedAmount = c.agreedAmount === null ? open.amount : requireInteger(c.agreedAmount, 'agreedAmount', 'AMOUNT_NOT_POSITIVE', 1);
    if (agreedAmount > open.amount) {
      const show = (m: number) => formatAmount(m, state.currency);
      throw new DomainError('AGREED_EXCEEDS_DISPUTED', `${show(agreedAmount)} ${state.currency} exceeds the disputed ${show(open.amount)}`, {
        field: 'agreedAmount', invoiceId, disputeId, currency: state.currency, agreedAmount: show(agreedAmount), disputed: show(open.amount),
      });
    }
  }
  const resolved: DisputeResolved = {
    type: 'DisputeResolved',
    data: {
      invoiceId, customerId: state.customerId, disputeId, outcome: c.outcome, agreedAmount, resolvedOn: on, note,
      creditNoteId: c.outcome === 'accepted' ? disputeCreditNoteId(disputeId) : null,
    },
  };
  const reinstated = reinstatement(state, open, agreedAmount, on);
  return reinstated === null ? [resolved] : [resolved, reinstated];
}

/**
 * The deferred charges of a resolved dispute that are owed after all (ADR 0038): all of them when rejected; when
 * accepted, the share of the disputed amount not credited, (disputed − agreed) / disputed, half-up per period;
 * the compensation when any of it is owed. Null when nothing is.
 */
function reinstatement(state: CollectableInvoice, open: OpenDispute, agreed: number, on: CalendarDate): LateChargesReinstated | null {
  const periods = (state.deferrals ?? []).filter((p) => p.disputeId === open.disputeId);
  const owedShare = open.amount - agreed;
  if (periods.length === 0 || owedShare <= 0) return null;
  const interest = periods.reduce((s, p) => s + Number(divideHalfUp(BigInt(p.interest) * BigInt(owedShare), BigInt(open.amount))), 0);
  const compensation = periods.reduce((s, p) => s + p.compensation, 0);
  const amount = interest + compensation;
  if (amount === 0) return null;
  const basis = state.compensationBasis;
  return {
    type: 'LateChargesReinstated',
    data: {
      invoiceId: state.invoiceId, customerId: state.customerId, disputeId: open.disputeId, on, periods: periods.map((p) => ({ from: p.from, through: p.through })),
      interest, compensation, amount, outstanding: state.outstanding + amount, reopened: state.outstanding === 0,
      ...(compensation > 0 && basis !== undefined ? { compensationEur: eurOf(compensation, basis) } : {}),
    },
  };
}

const notFound = (invoiceId: string) =>
  new DomainError('INVOICE_NOT_FOUND', `Invoice ${invoiceId} does not exist`, { invoiceId }, 'not_found');

export function unapplyPayment(command: UnapplyPayment, state: CollectableInvoice | null): Array<PaymentUnapplied | DiscountReversed | BankFeesReversed> {
  const invoiceId = requireId(command.invoiceId, 'invoiceId');
  const paymentId = requireId(command.paymentId, 'paymentId');
  const amount = requireInteger(command.amount, 'amount', 'AMOUNT_NOT_POSITIVE', 1);
  const on = parseDate(command.on, 'on');
  if (state === null) throw notFound(invoiceId);
  const part = state.byPayment[paymentId] ?? { applied: 0, recovered: 0 };
  if (amount > part.applied + part.recovered) {
    const show = (m: number) => formatAmount(m, state.currency);
    throw new DomainError('UNAPPLY_EXCEEDS_APPLIED', `Payment ${paymentId} put only ${show(part.applied + part.recovered)} ${state.currency} on invoice ${state.number}`, {
      invoiceId, paymentId, currency: state.currency, amount: show(amount), applied: show(part.applied + part.recovered),
    });
  }
  // A recovery is taken back first: the money that bounced is the last that came in.
  const recoveryReversed = Math.min(amount, part.recovered);
  const outstanding = state.outstanding + (amount - recoveryReversed);
  // The VAT due again on the recovery is regularised again when that recovery is taken back (CGI art. 272-1).
  const vatBreakdown = recoveryReversed > 0 ? vatShareFromPool(recoveryReversed, state.recoveredVat?.[paymentId] ?? [], part.recovered) : [];
  const unapplied: PaymentUnapplied = {
    type: 'PaymentUnapplied',
    data: {
      invoiceId, customerId: state.customerId, paymentId, amount, on, reason: command.reason,
      recoveryReversed, outstanding, reopened: state.outstanding === 0 && outstanding > 0,
      ...(vatBreakdown.length > 0 ? { vatBreakdown } : {}),
    },
  };
  const reversed = discountReversal(state, unapplied.data);
  // Bank fees written off with this receipt are owed again without it (ADR 0088).
  const fees = bankFeesReversal(state, unapplied.data, reversed?.data.outstanding ?? outstanding);
  return [unapplied, ...(reversed === null ? [] : [reversed]), ...(fees === null ? [] : [fees])];
}

/**
 * The discount in force, reversed on the same date when any payment that counted towards it is taken back
 * (ADR 0036): without that money the invoice was not paid in full within the window. Never dated before the
 * discount itself (ADR 0110): a reversal effective earlier leaves the discount standing until its own date, then
 * takes it back that day. Null when no discount is in force. Every payment applied before the discount counted
 * (the invoice was settled by it).
 */
export function discountReversal(state: CollectableInvoice, u: PaymentUnapplied['data']): DiscountReversed | null {
  const discount = state.discount ?? null;
  if (discount === null || (state.discounted ?? 0) === 0 || (state.byPayment[u.paymentId]?.applied ?? 0) === 0) return null;
  return {
    type: 'DiscountReversed',
    data: {
      invoiceId: u.invoiceId, customerId: u.customerId, paymentId: u.paymentId, amount: discount.amount,
      on: u.on < discount.on ? discount.on : u.on, reason: u.reason,
      discount, outstanding: u.outstanding + discount.amount,
    },
  };
}

export function writeOffInvoice(command: WriteOffInvoice, state: (CollectableInvoice & { pendingWriteOff?: PendingWriteOff | null }) | null): Array<InvoiceWrittenOff | WriteOffRequested> {
  const invoiceId = requireId(command.invoiceId, 'invoiceId');
  const reason = requireText(command.reason, 'reason', 'REASON', 500);
  const approvedBy = requireText(command.approvedBy, 'approvedBy', 'APPROVER', 100);
  const on = parseDate(command.on, 'on');
  const amount = command.amount === null ? null : requireInteger(command.amount, 'amount', 'AMOUNT_NOT_POSITIVE', 1);
  if (state === null) throw notFound(invoiceId);
  const show = (m: number) => formatAmount(m, state.currency);
  if (state.outstanding === 0) {
    throw new DomainError('INVOICE_NOT_OPEN', `Invoice ${state.number} owes nothing`, { invoiceId, outstanding: show(0) });
  }
  if (on < state.issueDate) {
    throw new DomainError('DATE_BEFORE_ISSUE', `Invoice ${state.number} was issued on ${state.issueDate}`, { field: 'on', invoiceId, issueDate: state.issueDate }, 'invalid');
  }
  const writeOff = amount ?? state.outstanding;
  if (writeOff > state.outstanding) {
    throw new DomainError('WRITE_OFF_EXCEEDS_OUTSTANDING', `${show(writeOff)} ${state.currency} exceeds the outstanding of invoice ${state.number}`, {
      field: 'amount', invoiceId, currency: state.currency, amount: show(writeOff), outstanding: show(state.outstanding), excess: show(writeOff - state.outstanding),
    });
  }
  if (state.pendingWriteOff) {
    throw new DomainError('WRITE_OFF_PENDING_APPROVAL', `A write-off of invoice ${state.number} already waits for approval`, {
      invoiceId, requestId: state.pendingWriteOff.requestId, amount: show(state.pendingWriteOff.amount), requestedBy: state.pendingWriteOff.requestedBy,
    }, 'conflict');
  }
  const above = command.approvalAbove ?? null;
  if (above !== null && writeOff > above) {
    const requestId = requireId(command.requestId, 'requestId');
    return [{ type: 'WriteOffRequested', data: { invoiceId, customerId: state.customerId, requestId, currency: state.currency, amount: writeOff, reason, on, requestedBy: approvedBy, approvalAbove: above } }];
  }
  return [{
    type: 'InvoiceWrittenOff',
    data: {
      invoiceId, customerId: state.customerId, amount: writeOff, reason, approvedBy, writtenOffOn: on, outstanding: state.outstanding - writeOff,
      vatBreakdown: vatShareOf(Math.min(writeOff, Math.max(0, state.outstanding - (state.charged ?? 0))), state),
    },
  }];
}

/**
 * A payment larger than what is owed on an invoice that was written off: what is owed is paid, the rest
 * (at most what may still be recovered) is a bad-debt recovery. Null when the rule does not apply.
 */
export function paymentWithRecovery(
  p: { paymentId: string; amount: number; receivedOn: CalendarDate; allocationId?: string; appliedOn?: CalendarDate },
  state: CollectableInvoice,
): Array<PaymentApplied | InvoiceSettled | BadDebtRecovered> | null {
  const excess = p.amount - state.outstanding;
  if (excess <= 0 || excess > state.recoverable) return null;
  const { invoiceId, customerId } = state;
  const events: Array<PaymentApplied | InvoiceSettled | BadDebtRecovered> = [];
  if (state.outstanding > 0) {
    events.push({ type: 'PaymentApplied', data: { invoiceId, customerId, paymentId: p.paymentId, amount: state.outstanding, receivedOn: p.receivedOn, outstanding: 0, ...optional(p) } });
    events.push({ type: 'InvoiceSettled', data: { invoiceId, customerId, settledOn: p.appliedOn ?? p.receivedOn } });
  }
  // Money recovered on a receivable whose VAT was regularised: that VAT is due again, in proportion (CGI art. 272-1).
  const vatBreakdown = vatShareFromPool(excess, state.writtenOffVat ?? [], state.recoverable);
  events.push({ type: 'BadDebtRecovered', data: {
    invoiceId, customerId, paymentId: p.paymentId, amount: excess, receivedOn: p.appliedOn ?? p.receivedOn, recoverable: state.recoverable - excess,
    ...(vatBreakdown.length > 0 ? { vatBreakdown } : {}),
  } });
  return events;
}

/**
 * Early-payment discount: a payment received on or before the window's last day that leaves at most the
 * discount unpaid settles the invoice; the discount (half-up on the gross) covers the remainder.
 * Null when the rule does not apply (no window, too late, not enough paid, or paid in full anyway).
 */
export function paymentWithDiscount(
  p: { paymentId: string; amount: number; receivedOn: CalendarDate; allocationId?: string; appliedOn?: CalendarDate },
  state: CollectableInvoice & { terms: PaymentTerms; discounted?: number },
): Array<PaymentApplied | DiscountApplied | InvoiceSettled> | null {
  const window = discountWindow(state.terms, state.issueDate);
  if (window === null || p.receivedOn > window.until || (state.discounted ?? 0) > 0) return null;
  const maxDiscount = Number(divideHalfUp(BigInt(state.total) * BigInt(window.discountBp), 10_000n));
  const remainder = state.outstanding - p.amount;
  if (remainder <= 0 || remainder > maxDiscount) return null;
  const { invoiceId, customerId } = state;
  const on = p.appliedOn ?? p.receivedOn;
  return [
    { type: 'PaymentApplied', data: { invoiceId, customerId, paymentId: p.paymentId, amount: p.amount, receivedOn: p.receivedOn, outstanding: remainder, ...optional(p) } },
    { type: 'DiscountApplied', data: { invoiceId, customerId, paymentId: p.paymentId, amount: remainder, discountBp: window.discountBp, on, outstanding: 0, vatBreakdown: vatShareOf(remainder, state) } },
    { type: 'InvoiceSettled', data: { invoiceId, customerId, settledOn: on } },
  ];
}

/** allocationId / appliedOn only when given, so events of allocations made at recording keep their v1 shape. */
export function optional(p: { allocationId?: string; appliedOn?: CalendarDate }): { allocationId?: string; appliedOn?: CalendarDate } {
  return { ...(p.allocationId !== undefined ? { allocationId: p.allocationId } : {}), ...(p.appliedOn !== undefined ? { appliedOn: p.appliedOn } : {}) };
}

/** Folds the collection events into the invoice state (outstanding and the collection fields). */
export function evolveCollection<S extends CollectableInvoice & { discounted?: number }>(state: S, event: InvoiceCollectionEvent | PaymentApplied): S {
  const next = evolveVatOnReceipt(state, evolveFigures(state, event), event);
  const change = interestDated(state, event, changeOf(event));
  return change === null ? next : { ...next, changes: [...(next.changes ?? []), change] };
}

/**
 * The credit note of an accepted dispute lowers the principal from the due date: no interest was ever due on
 * the credited part (ADR 0038). Every other change keeps its own date.
 */
function interestDated(state: CollectableInvoice, event: InvoiceCollectionEvent | PaymentApplied, change: { on: CalendarDate; amount: number } | null) {
  if (change === null || event.type !== 'CreditNoteApplied' || !(state.disputeCredits ?? []).includes(event.data.creditNoteId)) return change;
  const dueDate = (state as CollectableInvoice & { dueDate?: CalendarDate }).dueDate;
  return dueDate !== undefined && dueDate < change.on ? { ...change, on: dueDate } : change;
}

/** The dispute id a `cn-<disputeId>` credit note was issued for. */
const disputeIdOfCreditNote = (creditNoteId: string) => (creditNoteId.startsWith('cn-') ? creditNoteId.slice(3) : creditNoteId);

/** The dated change of what is owed an event makes, other than charges (the base of late-payment interest). */
function changeOf(event: InvoiceCollectionEvent | PaymentApplied): { on: CalendarDate; amount: number } | null {
  switch (event.type) {
    case 'PaymentApplied':
      return { on: event.data.appliedOn ?? event.data.receivedOn, amount: event.data.amount };
    case 'PaymentUnapplied':
      return event.data.amount === event.data.recoveryReversed ? null : { on: event.data.on, amount: -(event.data.amount - event.data.recoveryReversed) };
    case 'InvoiceWrittenOff':
      return { on: event.data.writtenOffOn, amount: event.data.amount };
    case 'CreditNoteApplied':
    case 'DiscountApplied':
      return { on: event.data.on, amount: event.data.amount };
    case 'DiscountReversed':
    case 'BankFeesReversed':
      return { on: event.data.on, amount: -event.data.amount };
    case 'BankFeesWrittenOff':
      return { on: event.data.on, amount: event.data.amount };
    default:
      return null;
  }
}

function corrected(state: InvoiceCollectionState, by: readonly VatRateAmount[]): VatRateAmount[] {
  return by.length === 0 ? state.vatCorrected ?? [] : combine(state.vatCorrected ?? [], by);
}

function evolveFigures<S extends CollectableInvoice & { discounted?: number }>(state: S, event: InvoiceCollectionEvent | PaymentApplied): S {
  const part = (id: string) => state.byPayment[id] ?? { applied: 0, recovered: 0 };
  switch (event.type) {
    case 'PaymentApplied': {
      const p = part(event.data.paymentId);
      return { ...state, byPayment: { ...state.byPayment, [event.data.paymentId]: { ...p, applied: p.applied + event.data.amount } } };
    }
    case 'BadDebtRecovered': {
      const p = part(event.data.paymentId);
      const next = { ...state, recoverable: event.data.recoverable, byPayment: { ...state.byPayment, [event.data.paymentId]: { ...p, recovered: p.recovered + event.data.amount } } };
      const vat = event.data.vatBreakdown;
      if (vat === undefined || vat.length === 0) return next;
      const pid = event.data.paymentId;
      return {
        ...next, writtenOffVat: combine(state.writtenOffVat ?? [], vat, -1), vatCorrected: combine(state.vatCorrected ?? [], vat, -1),
        recoveredVat: { ...(state.recoveredVat ?? {}), [pid]: combine(state.recoveredVat?.[pid] ?? [], vat) },
      };
    }
    case 'PaymentUnapplied': {
      const p = part(event.data.paymentId);
      const recovered = p.recovered - event.data.recoveryReversed;
      const applied = p.applied - (event.data.amount - event.data.recoveryReversed);
      const vat = event.data.vatBreakdown ?? [];
      const pid = event.data.paymentId;
      return {
        ...state, outstanding: event.data.outstanding, recoverable: state.recoverable + event.data.recoveryReversed,
        byPayment: { ...state.byPayment, [event.data.paymentId]: { applied, recovered } },
        ...(vat.length === 0 ? {} : {
          writtenOffVat: combine(state.writtenOffVat ?? [], vat), vatCorrected: combine(state.vatCorrected ?? [], vat),
          recoveredVat: { ...(state.recoveredVat ?? {}), [pid]: combine(state.recoveredVat?.[pid] ?? [], vat, -1) },
        }),
      };
    }
    case 'InvoiceWrittenOff':
      return {
        ...state, outstanding: event.data.outstanding, recoverable: state.recoverable + event.data.amount,
        vatCorrected: corrected(state, event.data.vatBreakdown ?? vatShareOf(Math.min(event.data.amount, Math.max(0, state.outstanding - (state.charged ?? 0))), state)),
        // Only v2 write-offs regularised VAT: only their VAT is due again on a recovery.
        ...(event.data.vatBreakdown && event.data.vatBreakdown.length > 0 ? { writtenOffVat: combine(state.writtenOffVat ?? [], event.data.vatBreakdown) } : {}),
      };
    case 'CreditNoteApplied': {
      const d = event.data;
      // v1 applications of a note issued against the invoice carry no rates: read as split in proportion.
      const correction = d.allocationId !== undefined ? [] : d.vatBreakdown ?? vatShareOf(d.amount, state);
      // An accepted dispute's credit note replaces the exclusion of its amount from interest (ADR 0038).
      const fromDispute = (state.disputeCredits ?? []).includes(d.creditNoteId);
      const disputeId = fromDispute ? disputeIdOfCreditNote(d.creditNoteId) : null;
      const deferrals = (state.deferrals ?? []).map((p) => (p.disputeId === disputeId ? { ...p, excluded: Math.max(0, p.excluded - d.amount) } : p));
      return {
        ...state, outstanding: d.outstanding, creditKeys: [...state.creditKeys, d.allocationId ?? `cn:${d.creditNoteId}`], vatCorrected: corrected(state, correction),
        ...(d.charges ? { chargesCredited: (state.chargesCredited ?? 0) + d.charges } : {}),
        ...(state.deferrals ? { deferrals } : {}),
      };
    }
    case 'DisputeOpened': {
      const d = event.data;
      return { ...state, dispute: { disputeId: d.disputeId, amount: d.amount, reason: d.reason, openedOn: d.openedOn } };
    }
    case 'DisputeResolved': {
      // The amount left out of interest: the agreed amount until its credit note applies (accepted), none (rejected).
      const d = event.data;
      const excluded = (p: DeferredPeriod) => (d.outcome === 'accepted' ? Math.min(p.principal, d.agreedAmount) : 0);
      const deferrals = (state.deferrals ?? []).map((p) => (p.disputeId === d.disputeId ? { ...p, excluded: excluded(p) } : p));
      return {
        ...state, dispute: null, ...(state.deferrals ? { deferrals } : {}),
        ...(d.creditNoteId !== null ? { disputeCredits: [...(state.disputeCredits ?? []), d.creditNoteId] } : {}),
      };
    }
    case 'DiscountApplied':
      return {
        ...state, outstanding: event.data.outstanding, discounted: (state.discounted ?? 0) + event.data.amount,
        vatCorrected: corrected(state, event.data.vatBreakdown ?? vatShareOf(event.data.amount, state)),
        discount: event.data,
      };
    case 'DiscountReversed': {
      // The VAT the discount corrected is due again with it (CGI art. 267 II-1°, ADR 0035/0036).
      const vat = event.data.discount.vatBreakdown ?? [];
      return {
        ...state, outstanding: event.data.outstanding, discounted: (state.discounted ?? 0) - event.data.amount, discount: null,
        ...(vat.length > 0 ? { vatCorrected: combine(state.vatCorrected ?? [], vat, -1) } : {}),
      };
    }
    case 'LateChargesDeferred': {
      const d = event.data;
      const period: DeferredPeriod = { disputeId: d.disputeId, from: d.from, through: d.through, principal: d.principal, interest: d.interest, compensation: d.compensation, excluded: d.principal };
      const basis = basisOf(d.compensation, d.compensationBasis);
      return {
        ...state, chargedThrough: d.through, compensated: (state.compensated ?? false) || d.compensation > 0, deferrals: [...(state.deferrals ?? []), period],
        ...(basis !== undefined && state.compensationBasis === undefined ? { compensationBasis: basis } : {}),
      };
    }
    case 'LateChargesReinstated':
      return { ...state, outstanding: event.data.outstanding, charged: (state.charged ?? 0) + event.data.amount };
    case 'LateChargesAssessed':
      return {
        ...state, compensated: (state.compensated ?? false) || event.data.compensation > 0,
        outstanding: event.data.outstanding, chargedThrough: event.data.through, charged: (state.charged ?? 0) + event.data.amount,
        assessments: [...(state.assessments ?? []), { through: event.data.through, amount: event.data.amount }], chargeBasis: basisWith(state.chargeBasis, event.data),
        ...(event.data.waived ? { waived: [...(state.waived ?? []), ...event.data.waived] } : {}),
        ...(event.data.compensationBasis && state.compensationBasis === undefined ? { compensationBasis: basisOf(event.data.compensation, event.data.compensationBasis) } : {}),
      };
    case 'LateChargesCorrected':
      return { ...state, outstanding: event.data.outstanding, charged: (state.charged ?? 0) - event.data.amount, assessments: periodsAfter(state.assessments, event.data) };
    case 'ReminderSent':
      return event.data.level > (state.dunningLevel ?? 0) ? { ...state, dunningLevel: event.data.level, dunningSentOn: event.data.asOf } : state;
    case 'HandedToCollectionAgency':
      return { ...state, inCollection: true };
    case 'PaymentPlanAttached':
      return { ...state, planId: event.data.planId };
    case 'PaymentPlanDetached':
      return { ...state, planId: null };
    // No VAT moves with bank fees: the price, VAT included, stays the base (ADR 0088).
    case 'BankFeesWrittenOff':
      return { ...state, outstanding: event.data.outstanding, bankFees: event.data };
    case 'BankFeesReversed':
      return { ...state, outstanding: event.data.outstanding, bankFees: null };
  }
}
