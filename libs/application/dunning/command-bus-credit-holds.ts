import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '../../domain/shared/errors';
import { PlaceCreditHoldCommand } from '../commands/credit.commands';
import { causedBy } from '../command-context';
import type { CommandContext } from '../command-context';
import type { CreditHolds } from './dunning';

/**
 * The CREDIT_HOLDS adapter (ADR 0017): the hold a dunning level asks for is the Credit aggregate's manual hold,
 * placed through the CommandBus under the customer's lock. Command id `credit-hold|<ReminderSent id>`: a
 * repeated request for the same reminder is recognised and appends nothing. A customer already on a manual
 * hold stays on it (the decider's CREDIT_HOLD_ALREADY_PLACED is the answer "nothing to do", not a failure).
 */
@Injectable()
export class CommandBusCreditHolds implements CreditHolds {
  constructor(private readonly bus: CommandBus) {}

  async requestHold(customerId: string, reason: string, cause: { eventId: string; ctx: CommandContext }): Promise<void> {
    const ctx = causedBy(cause.ctx, cause.eventId, `credit-hold|${cause.eventId}`);
    try {
      await this.bus.execute(new PlaceCreditHoldCommand(customerId, 'manual', reason, ctx));
    } catch (err) {
      if (err instanceof DomainError && err.code === 'CREDIT_HOLD_ALREADY_PLACED') return;
      throw err;
    }
  }
}
