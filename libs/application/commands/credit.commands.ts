import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { FINANCIAL_FIELDS, type Financials, type Rating } from '../../domain/credit/assessment-model';
import { type ActiveCustomer, creditDecider, type CreditCommand, type CreditState } from '../../domain/credit/credit.decider';
import type { CreditEvent, CreditPolicy, HoldPolicyFigures } from '../../domain/credit/credit.events';
import { paymentBehaviour, type InvoiceRecord } from '../../domain/credit/payment-behaviour';
import { parseTermsForm } from '../../domain/credit/terms-policy';
import { parseDate } from '../../domain/shared/dates';
import { DomainError } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { parseAmount } from '../../domain/shared/money';
import type { CommandContext } from '../command-context';
import { EventSourcedRepository } from '../event-sourced-repository';
import { ReadModels } from '../read-models';
import { CustomerLocks } from './invoice.commands';

/** Credit management commands on `credit-<customerId>`: terms, policy, holds, assessments. */

export class ChangePaymentTermsCommand {
  /** `terms` is the HTTP form: a template ("2/10 net 30") or an object with percent strings. */
  constructor(readonly customerId: string, readonly terms: unknown, readonly reason: string, readonly agreedBeyondCap: boolean, readonly ctx: CommandContext) {}
}

export class ChangeCreditPolicyCommand {
  constructor(readonly customerId: string, readonly policy: CreditPolicy | null, readonly reason: string, readonly ctx: CommandContext) {}
}

export class PlaceCreditHoldCommand {
  constructor(readonly customerId: string, readonly kind: 'manual' | 'policy', readonly reason: string, readonly ctx: CommandContext, readonly policy?: HoldPolicyFigures) {}
}

export class ReleaseCreditHoldCommand {
  constructor(readonly customerId: string, readonly scope: 'all' | 'policy', readonly reason: string, readonly ctx: CommandContext, readonly policy?: HoldPolicyFigures) {}
}

export interface AssessmentRequest {
  assessmentId: string;
  assessedOn: string;
  /** Decimal strings in the customer's currency (may be negative), absent when unknown. */
  financials: Partial<Record<(typeof FINANCIAL_FIELDS)[number], string>>;
  yearsInBusiness?: number;
  externalRating?: { agency: string; grade: string };
}

export class AssessCreditCommand {
  constructor(readonly customerId: string, readonly request: AssessmentRequest, readonly ctx: CommandContext) {}
}

export interface CreditCommandResult {
  customerId: string;
  events: Array<CreditEvent & { position: number }>;
  state: ActiveCustomer;
  position: number;
  replayed: boolean;
}

function requireActive(state: CreditState, customerId: string): ActiveCustomer {
  if (state.status !== 'active') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} is not registered`, { customerId }, 'not_found');
  return state;
}

async function run(repo: EventSourcedRepository, customerId: string, ctx: CommandContext, make: (s: ActiveCustomer) => CreditCommand | Promise<CreditCommand>): Promise<CreditCommandResult> {
  const r = await repo.handle(streams.credit(customerId), creditDecider, ctx, (state) => make(requireActive(state, customerId)));
  return { customerId, events: r.events as Array<CreditEvent & { position: number }>, state: requireActive(r.state, customerId), position: r.position, replayed: r.replayed };
}

@CommandHandler(ChangePaymentTermsCommand)
export class ChangePaymentTermsHandler implements ICommandHandler<ChangePaymentTermsCommand, CreditCommandResult> {
  constructor(private readonly repo: EventSourcedRepository) {}
  execute(c: ChangePaymentTermsCommand): Promise<CreditCommandResult> {
    const terms = parseTermsForm(c.terms, 'terms');
    return run(this.repo, c.customerId, c.ctx, () => ({ type: 'ChangePaymentTerms', customerId: c.customerId, terms, reason: c.reason, agreedBeyondCap: c.agreedBeyondCap }));
  }
}

@CommandHandler(ChangeCreditPolicyCommand)
export class ChangeCreditPolicyHandler implements ICommandHandler<ChangeCreditPolicyCommand, CreditCommandResult> {
  constructor(private readonly repo: EventSourcedRepository) {}
  execute(c: ChangeCreditPolicyCommand): Promise<CreditCommandResult> {
    return run(this.repo, c.customerId, c.ctx, () => ({ type: 'ChangeCreditPolicy', customerId: c.customerId, policy: c.policy, reason: c.reason }));
  }
}

/** Holds change what issuing decides: they take the customer's lock like issuing and approval do. */
@CommandHandler(PlaceCreditHoldCommand)
export class PlaceCreditHoldHandler implements ICommandHandler<PlaceCreditHoldCommand, CreditCommandResult> {
  constructor(private readonly repo: EventSourcedRepository, private readonly locks: CustomerLocks) {}
  execute(c: PlaceCreditHoldCommand): Promise<CreditCommandResult> {
    return this.locks.run([`customer:${c.customerId}`], () => run(this.repo, c.customerId, c.ctx, () => ({
      type: 'PlaceCreditHold', customerId: c.customerId, kind: c.kind, reason: c.reason, ...(c.policy ? { policy: c.policy } : {}),
    })));
  }
}

@CommandHandler(ReleaseCreditHoldCommand)
export class ReleaseCreditHoldHandler implements ICommandHandler<ReleaseCreditHoldCommand, CreditCommandResult> {
  constructor(private readonly repo: EventSourcedRepository, private readonly locks: CustomerLocks) {}
  execute(c: ReleaseCreditHoldCommand): Promise<CreditCommandResult> {
    return this.locks.run([`customer:${c.customerId}`], () => run(this.repo, c.customerId, c.ctx, () => ({
      type: 'ReleaseCreditHold', customerId: c.customerId, scope: c.scope, reason: c.reason, ...(c.policy ? { policy: c.policy } : {}),
    })));
  }
}

/** Gathers the payment behaviour from the invoices read model (caught up), then lets the credit decider score. */
@CommandHandler(AssessCreditCommand)
export class AssessCreditHandler implements ICommandHandler<AssessCreditCommand, CreditCommandResult> {
  constructor(private readonly repo: EventSourcedRepository, private readonly readModels: ReadModels) {}

  execute(c: AssessCreditCommand): Promise<CreditCommandResult> {
    const q = c.request;
    return run(this.repo, c.customerId, c.ctx, async (s) => {
      parseDate(q.assessedOn, 'assessedOn');
      const financials = Object.fromEntries(FINANCIAL_FIELDS.map((f) => {
        const text = q.financials?.[f];
        return [f, text === undefined || text === null ? null : parseAmount(text, s.currency, `financials.${f}`)];
      })) as Financials;
      const { fresh } = await this.readModels.catchUp(['invoices']);
      if (!fresh) throw new DomainError('READ_MODEL_BEHIND', 'The invoices read model is still catching up; retry the command', { projection: 'invoices' }, 'conflict');
      const invoices = await this.readModels.find<InvoiceRecord>('invoices', { customerId: c.customerId });
      return {
        type: 'AssessCredit',
        customerId: c.customerId,
        assessmentId: q.assessmentId,
        assessedOn: q.assessedOn,
        inputs: {
          financials,
          yearsInBusiness: q.yearsInBusiness ?? null,
          externalRating: q.externalRating ? { agency: q.externalRating.agency, grade: q.externalRating.grade as Rating } : null,
          paymentBehaviour: paymentBehaviour(invoices.map((i) => ({ invoiceId: i.invoiceId, dueDate: i.dueDate, settledOn: i.settledOn, status: i.status })), q.assessedOn),
        },
      };
    });
  }
}
