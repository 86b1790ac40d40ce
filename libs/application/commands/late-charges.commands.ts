import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { computeLateCharges, extendRates, SHIPPED_ECB_RATES, type LateChargeComputation, type RateTable } from '../../domain/collections/late-charges';
import { creditDecider } from '../../domain/credit/credit.decider';
import { invoiceDecider, isNotReceivable } from '../../domain/invoice/invoice.decider';
import type { LateChargesAssessed } from '../../domain/invoice/invoice.collection.events';
import { addDays, parseDate } from '../../domain/shared/dates';
import { DomainError } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { paymentPlanDecider } from '../../domain/payment-plan/payment-plan.decider';
import type { PlanInterest } from '../../domain/payment-plan/payment-plan.events';
import { interestTermsOf, lastChargeableDay, waivedDays, type PlanInterestTerms } from '../../domain/payment-plan/plan-interest';
import type { OpenBalance, OpenItem } from '../../../projections';
import type { CommandContext } from '../command-context';
import type { AppConfig } from '../config';
import { EventSourcedRepository } from '../event-sourced-repository';
import type { QueryResult } from '../queries/queries';
import { ReadModels } from '../read-models';
import { APP_CONFIG } from '../tokens';
import { CustomerLocks } from './invoice.commands';

/** The reference-rate table in use: shipped data plus configured entries. */
export const rateTableOf = (config: AppConfig): RateTable => extendRates(SHIPPED_ECB_RATES, config.ecbRates ?? []);

export class AssessLateChargesCommand {
  constructor(readonly invoiceId: string, readonly asOf: string, readonly ctx: CommandContext) {}
}

export interface AssessedCharges {
  invoiceId: string;
  customerId: string;
  currency: string;
  assessed: LateChargesAssessed['data'] | null;
  outstanding: number;
  /** The invoice is in a payment plan in force: the days from its agreement through `asOf` are deferred to its end (ADR 0051). */
  deferredToPlanEnd: { planId: string; interest: PlanInterest; from: string; through: string } | null;
  position: number;
  replayed: boolean;
}

/** The interest terms of every plan the invoice joined (its PaymentPlanAttached facts), read from the plans' streams. */
export async function planTermsOf(repo: EventSourcedRepository, invoiceEvents: ReadonlyArray<{ type: string; data: unknown }>): Promise<PlanInterestTerms[]> {
  const ids = [...new Set(invoiceEvents.filter((e) => e.type === 'PaymentPlanAttached').map((e) => (e.data as { planId: string }).planId))];
  const terms: PlanInterestTerms[] = [];
  for (const id of ids) {
    const t = interestTermsOf((await repo.load(streams.paymentPlan(id), paymentPlanDecider)).state);
    if (t !== null) terms.push(t);
  }
  return terms;
}

/** Assesses late charges onto an invoice up to `asOf` (on request or from the dunning run); only days not yet charged. */
@CommandHandler(AssessLateChargesCommand)
export class AssessLateChargesHandler implements ICommandHandler<AssessLateChargesCommand, AssessedCharges> {
  constructor(private readonly repo: EventSourcedRepository, private readonly locks: CustomerLocks, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async execute(c: AssessLateChargesCommand): Promise<AssessedCharges> {
    const loaded = await this.repo.load(streams.invoice(c.invoiceId), invoiceDecider);
    if (isNotReceivable(loaded.state)) throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${c.invoiceId} does not exist`, { invoiceId: c.invoiceId }, 'not_found');
    const { customerId, currency } = loaded.state;
    const credit = await this.repo.load(streams.credit(customerId), creditDecider);
    const country = credit.state.status === 'active' ? credit.state.country : 'FR';
    return this.locks.run([`customer:${customerId}`], async () => {
      let plans: PlanInterestTerms[] = [];
      const r = await this.repo.handle(streams.invoice(c.invoiceId), invoiceDecider, c.ctx, async () => {
        // Read at each attempt, so a plan agreed or ended meanwhile is seen with the invoice state it changed.
        plans = await planTermsOf(this.repo, (await this.repo.load(streams.invoice(c.invoiceId), invoiceDecider)).events);
        return { type: 'AssessLateCharges' as const, invoiceId: c.invoiceId, asOf: c.asOf, country, rates: rateTableOf(this.config), fxRates: this.config.fxRates, dayBasis: this.config.lateInterestDayBasis ?? 365, plans };
      });
      const e = r.events.find((x) => x.type === 'LateChargesAssessed') as unknown as LateChargesAssessed | undefined;
      const outstanding = isNotReceivable(r.state) ? 0 : r.state.outstanding;
      return { invoiceId: c.invoiceId, customerId, currency, assessed: e?.data ?? null, outstanding, deferredToPlanEnd: deferral(r.state, plans, c.asOf), position: r.position, replayed: r.replayed };
    });
  }
}

/** What an assessment left for the plan's end: the plan's days not yet charged, agreement day (or the first uncharged day) … asOf. */
function deferral(state: unknown, plans: readonly PlanInterestTerms[], asOf: string): AssessedCharges['deferredToPlanEnd'] {
  const s = state as { planId?: string | null; chargedThrough?: string | null; dueDate?: string };
  const plan = s.planId ? plans.find((p) => p.planId === s.planId && p.status === 'active') : undefined;
  if (!plan || !s.dueDate) return null;
  const firstUncharged = s.chargedThrough ? addDays(s.chargedThrough, 1) : addDays(s.dueDate, 1);
  const from = plan.agreedOn > firstUncharged ? plan.agreedOn : firstUncharged;
  return from > asOf ? null : { planId: plan.planId, interest: plan.interest, from, through: asOf };
}

export class GetLateChargesQuery {
  constructor(readonly invoiceId: string, readonly asOf: string) {}
}

export interface LateChargesView {
  invoiceId: string;
  customerId: string;
  currency: string;
  country: string;
  dueDate: string;
  asOf: string;
  /** The whole late period, due date + 1 … asOf. */
  computation: LateChargeComputation;
  /** Assessed onto the invoice so far. */
  assessedThrough: string | null;
  /** What the next assessment up to `asOf` would add (only days not yet charged; compensation once; a plan in force defers its days, ADR 0051). */
  toAssess: LateChargeComputation | null;
}

/** The computation line by line, from the open-items and open-balances read models. */
@QueryHandler(GetLateChargesQuery)
export class GetLateChargesHandler implements IQueryHandler<GetLateChargesQuery, QueryResult<LateChargesView>> {
  constructor(private readonly rm: ReadModels, @Inject(APP_CONFIG) private readonly config: AppConfig, private readonly repo: EventSourcedRepository) {}

  async execute(q: GetLateChargesQuery): Promise<QueryResult<LateChargesView>> {
    const asOf = parseDate(q.asOf, 'asOf');
    const f = await this.rm.catchUp(['open-items', 'open-balances']);
    const item = await this.rm.get<OpenItem>('open-items', q.invoiceId);
    if (!item) throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${q.invoiceId} not found`, { id: q.invoiceId }, 'not_found');
    const balance = await this.rm.get<OpenBalance>('open-balances', item.customerId);
    const country = balance?.country ?? 'FR';
    const changes = item.movements.filter((m) => m.kind !== 'charge').map((m) => ({ on: m.valueDate ?? m.on, amount: m.amount }));
    // Payment plans (ADR 0051): a kept waive plan's days bear no interest; a plan in force defers its days to its end.
    const plans = await planTermsOf(this.repo, (await this.repo.load(streams.invoice(q.invoiceId), invoiceDecider)).events);
    const inForce = item.inPaymentPlan ? plans.find((p) => p.status === 'active') ?? null : null;
    const common = {
      dueDate: item.dueDate, total: item.total, changes, country, currency: item.currency, rates: rateTableOf(this.config), dayBasis: this.config.lateInterestDayBasis ?? 365,
      exempt: waivedDays(plans), fx: this.config.fxRates,
    };
    const first = addDays(item.dueDate, 1);
    const computation = asOf < first
      ? { from: first, through: asOf, dayBasis: common.dayBasis, lines: [], interest: 0, compensation: 0, compensationBasis: null, total: 0, rateSource: common.rates.source }
      : computeLateCharges({ ...common, from: first, through: asOf, compensationDue: true });
    const through = item.chargedThrough ?? null;
    const nextFrom = through === null ? first : addDays(through, 1);
    const last = lastChargeableDay(asOf, inForce);
    const toAssess = last < nextFrom ? null : computeLateCharges({ ...common, from: nextFrom, through: last, compensationDue: through === null });
    return { ...f, value: { invoiceId: item.invoiceId, customerId: item.customerId, currency: item.currency, country, dueDate: item.dueDate, asOf, computation, assessedThrough: through, toAssess } };
  }
}

export const LATE_CHARGE_HANDLERS = [AssessLateChargesHandler, GetLateChargesHandler];
