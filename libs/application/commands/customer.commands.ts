import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { creditDecider } from '../../domain/credit/credit.decider';
import type { CreditEvent, CreditLimitChanged, CreditPolicy } from '../../domain/credit/credit.events';
import { DomainError } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { parseAmount } from '../../domain/shared/money';
import { Inject } from '@nestjs/common';
import { responsible, type CommandContext } from '../command-context';
import type { AppConfig } from '../config';
import { APP_CONFIG } from '../tokens';
import { deterministicUuid } from '../../domain/shared/ids';
import type { CreditState } from '../../domain/credit/credit.state';
import type { CreditLimitIncreaseApproved, CreditLimitIncreaseRejected, CreditLimitIncreaseRequested } from '../../domain/credit/credit-limit-request.events';
import { EventSourcedRepository } from '../event-sourced-repository';

export class RegisterCustomerCommand {
  constructor(
    readonly customerId: string,
    readonly name: string,
    readonly currency: string,
    readonly creditLimit: number,
    readonly paymentTermsDays: number,
    readonly ctx: CommandContext,
    readonly country?: string,
    readonly creditPolicy?: string,
    readonly termsAgreedBeyondCap?: boolean,
    /** Master data (contacts, legal identifiers, …), validated like a change. */
    readonly details?: Record<string, unknown>,
  ) {}
}

/** Change the customer's master data (only the fields given; null clears), with a reason. */
export class ChangeCustomerDetailsCommand {
  constructor(readonly customerId: string, readonly changes: Record<string, unknown>, readonly reason: string, readonly ctx: CommandContext) {}
}

export class ChangeCreditLimitCommand {
  /** `amount` is a decimal string in the customer's currency, parsed once the credit account is loaded. */
  constructor(readonly customerId: string, readonly amount: string, readonly reason: string, readonly ctx: CommandContext, readonly assessmentId?: string) {}
}

/** Approve or reject the credit-limit increase waiting for a second principal (ADR 0042). */
export class DecideLimitIncreaseCommand {
  constructor(readonly customerId: string, readonly decision: 'approve' | 'reject', readonly reason: string | undefined, readonly ctx: CommandContext) {}
}

export interface CustomerResult {
  customerId: string;
  currency: string;
  creditLimit: number;
  previousLimit?: number;
  /** A credit-limit change: `pending_approval` when the increase waits for a second principal. */
  status?: 'changed' | 'unchanged' | 'pending_approval' | 'rejected';
  request?: { requestId: string; requestedBy: string; newLimit: number; approvalAbove?: number; approvedBy?: string; rejectedBy?: string } | null;
  position: number;
  replayed: boolean;
}

@CommandHandler(RegisterCustomerCommand)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomerCommand, CustomerResult> {
  constructor(private readonly repo: EventSourcedRepository) {}

  async execute(c: RegisterCustomerCommand): Promise<CustomerResult> {
    const r = await this.repo.handle(streams.credit(c.customerId), creditDecider, c.ctx, () => ({
      type: 'RegisterCustomer' as const,
      customerId: c.customerId,
      name: c.name,
      currency: c.currency,
      creditLimit: c.creditLimit,
      paymentTermsDays: c.paymentTermsDays,
      ...(c.country !== undefined ? { country: c.country } : {}),
      ...(c.creditPolicy !== undefined ? { creditPolicy: c.creditPolicy as CreditPolicy } : {}),
      ...(c.termsAgreedBeyondCap !== undefined ? { termsAgreedBeyondCap: c.termsAgreedBeyondCap } : {}),
      ...(c.details !== undefined ? { details: c.details } : {}),
    }));
    const s = r.state;
    if (s.status !== 'active') throw new Error('registered customer must be active');
    return { customerId: s.customerId, currency: s.currency, creditLimit: s.creditLimit, position: r.position, replayed: r.replayed };
  }
}

export interface DetailsResult {
  customerId: string;
  /** The fields this change recorded (empty: nothing differed). */
  changed: string[];
  position: number;
  replayed: boolean;
}

@CommandHandler(ChangeCustomerDetailsCommand)
export class ChangeCustomerDetailsHandler implements ICommandHandler<ChangeCustomerDetailsCommand, DetailsResult> {
  constructor(private readonly repo: EventSourcedRepository) {}

  async execute(c: ChangeCustomerDetailsCommand): Promise<DetailsResult> {
    const r = await this.repo.handle(streams.credit(c.customerId), creditDecider, c.ctx, () => ({
      type: 'ChangeCustomerDetails' as const, customerId: c.customerId, changes: c.changes, reason: c.reason,
    }), { open: true });
    const changed = r.events.flatMap((e) => (e.type === 'CustomerDetailsChanged' ? Object.keys(e.data.changes) : []));
    return { customerId: c.customerId, changed, position: r.position, replayed: r.replayed };
  }
}

@CommandHandler(ChangeCreditLimitCommand)
export class ChangeCreditLimitHandler implements ICommandHandler<ChangeCreditLimitCommand, CustomerResult> {
  constructor(private readonly repo: EventSourcedRepository, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async execute(c: ChangeCreditLimitCommand): Promise<CustomerResult> {
    const r = await this.repo.handle(streams.credit(c.customerId), creditDecider, c.ctx, (state) => {
      if (state.status !== 'active') {
        throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${c.customerId} is not registered`, { customerId: c.customerId }, 'not_found');
      }
      const newLimit = parseAmount(c.amount, state.currency, 'amount');
      return {
        type: 'ChangeCreditLimit' as const, customerId: c.customerId, newLimit, reason: c.reason, ...(c.assessmentId !== undefined ? { assessmentId: c.assessmentId } : {}),
        requestedBy: responsible(c.ctx), approvalAbove: this.config.creditLimitIncreaseApprovalAbove[state.currency] ?? null,
        requestId: deterministicUuid(`credit-limit-request|${c.ctx.commandId}`),
      };
    });
    return limitResult(c.customerId, r.events as CreditEvent[], r.state, r.position, r.replayed);
  }
}

@CommandHandler(DecideLimitIncreaseCommand)
export class DecideLimitIncreaseHandler implements ICommandHandler<DecideLimitIncreaseCommand, CustomerResult> {
  constructor(private readonly repo: EventSourcedRepository) {}

  async execute(c: DecideLimitIncreaseCommand): Promise<CustomerResult> {
    const r = await this.repo.handle(streams.credit(c.customerId), creditDecider, c.ctx, () => ({
      type: 'DecideLimitIncrease' as const, customerId: c.customerId, decision: c.decision, by: responsible(c.ctx), ...(c.reason !== undefined ? { reason: c.reason } : {}),
    }));
    return limitResult(c.customerId, r.events as CreditEvent[], r.state, r.position, r.replayed);
  }
}

function limitResult(customerId: string, events: CreditEvent[], s: CreditState, position: number, replayed: boolean): CustomerResult {
  if (s.status !== 'active') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} is not registered`, { customerId }, 'not_found');
  const changed = events.find((e): e is CreditLimitChanged => e.type === 'CreditLimitChanged');
  const requested = events.find((e): e is CreditLimitIncreaseRequested => e.type === 'CreditLimitIncreaseRequested');
  const approved = events.find((e): e is CreditLimitIncreaseApproved => e.type === 'CreditLimitIncreaseApproved');
  const rejected = events.find((e): e is CreditLimitIncreaseRejected => e.type === 'CreditLimitIncreaseRejected');
  const base = { customerId: s.customerId, currency: s.currency, creditLimit: s.creditLimit, position, replayed };
  if (requested) {
    const d = requested.data;
    return { ...base, previousLimit: d.previousLimit, status: 'pending_approval', request: { requestId: d.requestId, requestedBy: d.requestedBy, newLimit: d.newLimit, approvalAbove: d.approvalAbove } };
  }
  if (rejected) {
    const d = rejected.data;
    return { ...base, previousLimit: s.creditLimit, status: 'rejected', request: { requestId: d.requestId, requestedBy: d.requestedBy, newLimit: s.creditLimit, rejectedBy: d.rejectedBy } };
  }
  // A limit set to its current value appends nothing: previous = current.
  const previous = changed ? changed.data.previousLimit : s.creditLimit;
  const request = approved ? { requestId: approved.data.requestId, requestedBy: approved.data.requestedBy, newLimit: s.creditLimit, approvedBy: approved.data.approvedBy } : null;
  return { ...base, previousLimit: previous, status: changed ? 'changed' : 'unchanged', request };
}
