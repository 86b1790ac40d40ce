import type { ICommand, ICommandPublisher } from '@nestjs/cqrs';
import { addDays, dateOfInstant, isCalendarDate } from '../domain/shared/dates';
import { DomainError } from '../domain/shared/errors';
import type { CommandContext } from './command-context';
import { ApproveInvoiceCommand, RejectInvoiceCommand } from './commands/invoice-approval.commands';
import { ApplyPaymentCommand, IssueInvoiceCommand } from './commands/invoice.commands';
import { RecordPaymentCommand } from './commands/payment.commands';
import {
  ApplyCreditCommand, ReallocatePaymentCommand, RefundCreditCommand, ReversePaymentCommand, UnapplyPaymentCommand, WriteOffInvoiceCommand,
} from './commands/collection.commands';
import { ApplyCreditNoteCommand, IssueCreditNoteCommand, OpenDisputeCommand, ResolveDisputeCommand } from './commands/credit-note.commands';
import { AssessLateChargesCommand } from './commands/late-charges.commands';
import { AgreePaymentPlanCommand, AttachToPaymentPlanCommand, CheckPaymentPlanCommand, DetachFromPaymentPlanCommand } from './commands/payment-plan.commands';
import { ChangeCreditLimitCommand, RegisterCustomerCommand } from './commands/customer.commands';
import {
  AssessCreditCommand, ChangeCreditPolicyCommand, ChangePaymentTermsCommand, PlaceCreditHoldCommand, ReleaseCreditHoldCommand,
} from './commands/credit.commands';
import { RunDunningCommand } from './dunning/dunning';

type CommandClass = abstract new (...args: never[]) => object;

/**
 * Every command's effective dates (the dates at which what it records takes effect), by field name — the
 * name the HTTP body uses. Steps the engine derives from events already accepted (invoice steps, plan
 * attachment) list none: their dates passed the gate with the command that caused them, and a later
 * change of the horizon must not refuse a replay. A spec checks that every command handler's command is here.
 * Not effective dates: instalment due dates of a payment plan (a schedule may run for years).
 */
export const EFFECTIVE_DATE_FIELDS = new Map<CommandClass, readonly string[]>([
  [RegisterCustomerCommand, []],
  [ChangeCreditLimitCommand, []],
  [ChangePaymentTermsCommand, []],
  [ChangeCreditPolicyCommand, []],
  [PlaceCreditHoldCommand, []],
  [ReleaseCreditHoldCommand, []],
  [AssessCreditCommand, []],
  [IssueInvoiceCommand, ['issueDate']],
  [ApproveInvoiceCommand, ['issueDate']],
  [RejectInvoiceCommand, []],
  [RecordPaymentCommand, ['receivedOn']],
  [ReallocatePaymentCommand, ['on']],
  [ReversePaymentCommand, ['on']],
  [ApplyCreditCommand, ['on']],
  [RefundCreditCommand, ['on']],
  [WriteOffInvoiceCommand, ['on']],
  [IssueCreditNoteCommand, ['issueDate']],
  [OpenDisputeCommand, ['on']],
  [ResolveDisputeCommand, ['on']],
  [AssessLateChargesCommand, ['asOf']],
  [RunDunningCommand, ['asOf']],
  [AgreePaymentPlanCommand, ['agreedOn']],
  [CheckPaymentPlanCommand, ['asOf']],
  [ApplyPaymentCommand, []],
  [UnapplyPaymentCommand, []],
  [ApplyCreditNoteCommand, []],
  [AttachToPaymentPlanCommand, []],
  [DetachFromPaymentPlanCommand, []],
]);

/**
 * Refuses a command one of whose effective dates lies beyond the horizon counted from the day it was
 * received (`ctx.recordedAt`, never the clock): `422 DATE_BEYOND_HORIZON` with the field (ADR 0031).
 * A malformed date is left to the handler's own validation (400).
 */
export function checkEffectiveDates(command: object, horizonDays: number): void {
  const fields = EFFECTIVE_DATE_FIELDS.get(command.constructor as CommandClass);
  if (!fields || fields.length === 0) return;
  const ctx = (command as { ctx?: CommandContext }).ctx;
  if (!ctx?.recordedAt) return;
  const receivedOn = dateOfInstant(ctx.recordedAt);
  const horizon = addDays(receivedOn, horizonDays);
  for (const field of fields) {
    const value = (command as Record<string, unknown>)[field];
    if (!isCalendarDate(value) || value <= horizon) continue;
    throw new DomainError('DATE_BEYOND_HORIZON', `${field} ${value} is more than ${horizonDays} days after ${receivedOn}, the day the command was received`, {
      field, date: value, horizon, receivedOn, horizonDays,
    });
  }
}

/**
 * The one place the check runs: @nestjs/cqrs calls the command publisher for every command, before its handler.
 * Nothing in this project subscribes to the command stream, so publishing stops here.
 */
export class EffectiveDateGate implements ICommandPublisher {
  constructor(private readonly horizonDays: number) {}
  publish<T extends ICommand>(command: T): void {
    checkEffectiveDates(command, this.horizonDays);
  }
}
