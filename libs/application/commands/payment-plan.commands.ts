import { CommandBus, CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { creditDecider } from '../../domain/credit/credit.decider';
import { invoiceDecider, isNotReceivable } from '../../domain/invoice/invoice.decider';
import { paymentPlanDecider, type PaymentPlanState, type PlannedInvoice } from '../../domain/payment-plan/payment-plan.decider';
import type { PaymentPlanEvent, PlanInterest } from '../../domain/payment-plan/payment-plan.events';
import { coveredByPlan } from '../../domain/payment-plan/plan-coverage';
import { DomainError, invalid } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { parseAmount } from '../../domain/shared/money';
import { causedBy, type CommandContext } from '../command-context';
import { EventSourcedRepository } from '../event-sourced-repository';
import { CustomerLocks } from './invoice.commands';
import { inOneUnit, type StagedStep, type UnitOfWork } from '../unit-of-work';

type Stored<E> = E & { id: string; position: number };

export class AttachToPaymentPlanCommand {
  constructor(readonly invoiceId: string, readonly planId: string, readonly ctx: CommandContext) {}
}
export class DetachFromPaymentPlanCommand {
  constructor(readonly invoiceId: string, readonly planId: string, readonly reason: 'broken' | 'completed', readonly ctx: CommandContext) {}
}

@CommandHandler(AttachToPaymentPlanCommand)
export class AttachToPaymentPlanHandler implements ICommandHandler<AttachToPaymentPlanCommand> {
  constructor(private readonly repo: EventSourcedRepository) {}
  async execute(c: AttachToPaymentPlanCommand) {
    return this.repo.handle(streams.invoice(c.invoiceId), invoiceDecider, c.ctx, () => ({ type: 'AttachToPaymentPlan' as const, invoiceId: c.invoiceId, planId: c.planId }));
  }
}

@CommandHandler(DetachFromPaymentPlanCommand)
export class DetachFromPaymentPlanHandler implements ICommandHandler<DetachFromPaymentPlanCommand> {
  constructor(private readonly repo: EventSourcedRepository) {}
  async execute(c: DetachFromPaymentPlanCommand) {
    return this.repo.handle(streams.invoice(c.invoiceId), invoiceDecider, c.ctx, () => ({ type: 'DetachFromPaymentPlan' as const, invoiceId: c.invoiceId, planId: c.planId, reason: c.reason }));
  }
}

/** The invoice steps of plan events (attach on agreement, detach when it ends); same command ids from the handler and the process manager. */
export async function applyPlanEvents(bus: CommandBus, ctx: Pick<CommandContext, 'actor' | 'actorId' | 'onBehalfOf' | 'correlationId' | 'recordedAt'>, events: ReadonlyArray<Stored<PaymentPlanEvent>>, invoiceIds: readonly string[]): Promise<void> {
  for (const e of events) {
    if (e.type === 'PaymentPlanAgreed') {
      for (const x of e.data.invoices) await bus.execute(new AttachToPaymentPlanCommand(x.invoiceId, e.data.planId, causedBy(ctx, e.id, `plan-attach|${e.data.planId}|${x.invoiceId}`)));
    } else {
      const reason = e.type === 'PaymentPlanBroken' ? 'broken' : 'completed';
      for (const id of invoiceIds) await bus.execute(new DetachFromPaymentPlanCommand(id, e.data.planId, reason, causedBy(ctx, e.id, `plan-detach|${e.data.planId}|${id}`)));
    }
  }
}

/** The same invoice steps, decided in the plan's unit of work: appended with the plan, all or nothing (ADR 0030). */
export async function stagePlanEvents(uow: UnitOfWork, ctx: Pick<CommandContext, 'actor' | 'correlationId' | 'recordedAt'>, events: ReadonlyArray<Stored<PaymentPlanEvent>>, invoiceIds: readonly string[]): Promise<void> {
  for (const e of events) {
    if (e.type === 'PaymentPlanAgreed') {
      for (const x of e.data.invoices) {
        await uow.decide(streams.invoice(x.invoiceId), invoiceDecider, causedBy(ctx, e.id, `plan-attach|${e.data.planId}|${x.invoiceId}`), () => ({ type: 'AttachToPaymentPlan' as const, invoiceId: x.invoiceId, planId: e.data.planId }));
      }
    } else {
      const reason = e.type === 'PaymentPlanBroken' ? 'broken' as const : 'completed' as const;
      for (const id of invoiceIds) {
        await uow.decide(streams.invoice(id), invoiceDecider, causedBy(ctx, e.id, `plan-detach|${e.data.planId}|${id}`), () => ({ type: 'DetachFromPaymentPlan' as const, invoiceId: id, planId: e.data.planId, reason }));
      }
    }
  }
}

export class AgreePaymentPlanCommand {
  constructor(
    readonly planId: string,
    readonly customerId: string,
    readonly invoiceIds: string[],
    readonly instalments: Array<{ dueDate: string; amount: string }>,
    readonly graceDays: number,
    readonly agreedOn: string,
    readonly ctx: CommandContext,
    /** Interest during the plan (ADR 0051). */
    readonly interest: PlanInterest = 'accrue',
  ) {}
}

export interface PlanResult {
  planId: string;
  customerId: string;
  currency: string;
  status: string;
  total: number;
  instalments: Array<{ dueDate: string; amount: number }>;
  interest: PlanInterest;
  agreedOn: string;
  endedOn: string | null;
  events: string[];
  position: number;
  replayed: boolean;
}

function loadInvoice(repo: EventSourcedRepository, id: string): Promise<PlannedInvoice | null> {
  return repo.load(streams.invoice(id), invoiceDecider).then(({ state: s }) => (isNotReceivable(s) ? null : {
    invoiceId: s.invoiceId, customerId: s.customerId, currency: s.currency, outstanding: s.outstanding, disputed: s.dispute !== null, planId: s.planId ?? null,
  }));
}

/** Agrees a plan over chosen invoices (instalments summing to what they owe), then attaches each invoice. */
@CommandHandler(AgreePaymentPlanCommand)
export class AgreePaymentPlanHandler implements ICommandHandler<AgreePaymentPlanCommand, PlanResult> {
  constructor(private readonly repo: EventSourcedRepository, private readonly locks: CustomerLocks, private readonly bus: CommandBus) {}

  execute(c: AgreePaymentPlanCommand): Promise<PlanResult> {
    return this.locks.run([`customer:${c.customerId}`], async () => {
      const credit = await this.repo.load(streams.credit(c.customerId), creditDecider);
      if (credit.state.status !== 'active') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${c.customerId} is not registered`, { customerId: c.customerId }, 'not_found');
      const currency = credit.state.currency;
      if (!Array.isArray(c.instalments)) throw invalid('INSTALMENTS_REQUIRED', 'instalments must be a list', 'instalments');
      const instalments = c.instalments.map((x, i) => ({ dueDate: x.dueDate, amount: parseAmount(x.amount, currency, `instalments[${i}].amount`) }));
      // The plan and every invoice's attachment: decided together, appended all or nothing (ADR 0030).
      const { value: r, position } = await inOneUnit(this.repo.store, async (uow) => {
        const step = await uow.decide(streams.paymentPlan(c.planId), paymentPlanDecider, c.ctx, async () => ({
          type: 'AgreePaymentPlan' as const, planId: c.planId, customerId: c.customerId, requestedInvoiceIds: c.invoiceIds,
          invoices: await Promise.all((c.invoiceIds ?? []).map((id) => loadInvoice(this.repo, id))), instalments, graceDays: c.graceDays, agreedOn: c.agreedOn, interest: c.interest,
        }));
        if (!step.replayed) await stagePlanEvents(uow, c.ctx, step.events as unknown as Array<Stored<PaymentPlanEvent>>, []);
        return step;
      });
      return result(r.state, r.events.map((e) => e.type), positionOf(r, position), r.replayed);
    });
  }
}

/** The position to answer: this command's last event, or the stream's last one when it decided nothing. */
function positionOf(step: StagedStep<PaymentPlanEvent, unknown>, committed: number): number {
  if (step.replayed) return step.events[step.events.length - 1]?.position ?? -1;
  return committed === -1 ? step.storedPosition : committed;
}

function result(s: PaymentPlanState | { status: string }, events: string[], position: number, replayed: boolean): PlanResult {
  if (s.status === 'none' || !('planId' in s)) throw new Error('a handled plan exists');
  const p = s as Exclude<PaymentPlanState, { status: 'none' }>;
  return {
    planId: p.planId, customerId: p.customerId, currency: p.currency, status: p.status, total: p.total, instalments: p.instalments,
    interest: p.interest, agreedOn: p.agreedOn, endedOn: p.endedOn, events, position, replayed,
  };
}

export class GetPaymentPlanQuery {
  constructor(readonly planId: string) {}
}

/** A plan as its stream folds: terms, interest rule, status (read from the stream, so it is never behind). */
@QueryHandler(GetPaymentPlanQuery)
export class GetPaymentPlanHandler implements IQueryHandler<GetPaymentPlanQuery, PlanResult> {
  constructor(private readonly repo: EventSourcedRepository) {}

  async execute(q: GetPaymentPlanQuery): Promise<PlanResult> {
    const plan = await this.repo.load(streams.paymentPlan(q.planId), paymentPlanDecider);
    if (plan.state.status === 'none') throw new DomainError('PAYMENT_PLAN_NOT_FOUND', `Payment plan ${q.planId} does not exist`, { planId: q.planId }, 'not_found');
    const last = plan.events[plan.events.length - 1] as unknown as { position?: number } | undefined;
    return result(plan.state, [], last?.position ?? -1, false);
  }
}

export class CheckPaymentPlanCommand {
  constructor(readonly planId: string, readonly asOf: string, readonly ctx: CommandContext) {}
}

/**
 * Checks a plan as of a date: covered = what its invoices no longer owe since the agreement; an instalment
 * unpaid `graceDays` after its date breaks it, everything covered completes it; either way the invoices
 * are detached and dunning resumes on what is left.
 */
@CommandHandler(CheckPaymentPlanCommand)
export class CheckPaymentPlanHandler implements ICommandHandler<CheckPaymentPlanCommand, PlanResult> {
  constructor(private readonly repo: EventSourcedRepository, private readonly bus: CommandBus) {}

  async execute(c: CheckPaymentPlanCommand): Promise<PlanResult> {
    const plan = await this.repo.load(streams.paymentPlan(c.planId), paymentPlanDecider);
    if (plan.state.status === 'none') throw new DomainError('PAYMENT_PLAN_NOT_FOUND', `Payment plan ${c.planId} does not exist`, { planId: c.planId }, 'not_found');
    const agreed = plan.events[0].data as unknown as { invoices: Array<{ invoiceId: string; outstanding: number }> };
    // What the invoices' facts since they joined the plan paid by `asOf`; charges are not instalments.
    let covered = 0;
    for (const x of agreed.invoices) {
      const inv = await this.repo.load(streams.invoice(x.invoiceId), invoiceDecider);
      covered += coveredByPlan(inv.events, c.planId, c.asOf);
    }
    // The plan's end and every invoice's detachment: one all-or-nothing append (ADR 0030).
    const { value: r, position } = await inOneUnit(this.repo.store, async (uow) => {
      const step = await uow.decide(streams.paymentPlan(c.planId), paymentPlanDecider, c.ctx, () => ({ type: 'CheckPaymentPlan' as const, planId: c.planId, asOf: c.asOf, covered }));
      if (!step.replayed) await stagePlanEvents(uow, c.ctx, step.events as unknown as Array<Stored<PaymentPlanEvent>>, agreed.invoices.map((x) => x.invoiceId));
      return step;
    });
    return result(r.state, r.events.map((e) => e.type), positionOf(r, position), r.replayed);
  }
}

export const PAYMENT_PLAN_HANDLERS = [AttachToPaymentPlanHandler, DetachFromPaymentPlanHandler, AgreePaymentPlanHandler, CheckPaymentPlanHandler, GetPaymentPlanHandler];
