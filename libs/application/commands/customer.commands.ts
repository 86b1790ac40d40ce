import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { creditDecider } from '../../domain/credit/credit.decider';
import type { CreditEvent, CreditLimitChanged, CreditPolicy } from '../../domain/credit/credit.events';
import { DomainError } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { parseAmount } from '../../domain/shared/money';
import type { CommandContext } from '../command-context';
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
  ) {}
}

export class ChangeCreditLimitCommand {
  /** `amount` is a decimal string in the customer's currency, parsed once the credit account is loaded. */
  constructor(readonly customerId: string, readonly amount: string, readonly reason: string, readonly ctx: CommandContext, readonly assessmentId?: string) {}
}

export interface CustomerResult {
  customerId: string;
  currency: string;
  creditLimit: number;
  previousLimit?: number;
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
    }));
    const s = r.state;
    if (s.status !== 'active') throw new Error('registered customer must be active');
    return { customerId: s.customerId, currency: s.currency, creditLimit: s.creditLimit, position: r.position, replayed: r.replayed };
  }
}

@CommandHandler(ChangeCreditLimitCommand)
export class ChangeCreditLimitHandler implements ICommandHandler<ChangeCreditLimitCommand, CustomerResult> {
  constructor(private readonly repo: EventSourcedRepository) {}

  async execute(c: ChangeCreditLimitCommand): Promise<CustomerResult> {
    const r = await this.repo.handle(streams.credit(c.customerId), creditDecider, c.ctx, (state) => {
      if (state.status !== 'active') {
        throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${c.customerId} is not registered`, { customerId: c.customerId }, 'not_found');
      }
      const newLimit = parseAmount(c.amount, state.currency, 'amount');
      return { type: 'ChangeCreditLimit' as const, customerId: c.customerId, newLimit, reason: c.reason, ...(c.assessmentId !== undefined ? { assessmentId: c.assessmentId } : {}) };
    });
    const s = r.state;
    if (s.status !== 'active') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${c.customerId} is not registered`, { customerId: c.customerId }, 'not_found');
    const changed = (r.events as CreditEvent[]).find((e): e is CreditLimitChanged => e.type === 'CreditLimitChanged');
    // A limit set to its current value appends nothing: previous = current.
    const previous = changed ? changed.data.previousLimit : s.creditLimit;
    return { customerId: s.customerId, currency: s.currency, creditLimit: s.creditLimit, previousLimit: previous, position: r.position, replayed: r.replayed };
  }
}
