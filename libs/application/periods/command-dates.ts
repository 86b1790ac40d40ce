import type { CalendarDate } from '../../domain/shared/dates';
import { streams } from '../../domain/shared/ids';
import type { EventStore } from '../../event-store/event-store.port';
import { AssessCreditCommand } from '../commands/credit.commands';
import {
  ApplyCreditCommand, ApproveWriteOffCommand, RefundCreditCommand, ReallocatePaymentCommand, ReversePaymentCommand, UnapplyPaymentCommand, WriteOffInvoiceCommand,
} from '../commands/collection.commands';
import { ApplyCreditNoteCommand, IssueCreditNoteCommand, OpenDisputeCommand, ResolveDisputeCommand } from '../commands/credit-note.commands';
import { ApproveInvoiceCommand } from '../commands/invoice-approval.commands';
import { ApplyPaymentCommand, IssueInvoiceCommand } from '../commands/invoice.commands';
import { AssessLateChargesCommand } from '../commands/late-charges.commands';
import { AgreePaymentPlanCommand, CheckPaymentPlanCommand } from '../commands/payment-plan.commands';
import { RecordPaymentCommand } from '../commands/payment.commands';
import { RunDunningCommand } from '../dunning/dunning';
import { AcceptSuggestionCommand, ImportBankStatementCommand, MatchBankEntryCommand } from '../cash/cash.commands';

/** A business date a command carries, and the field (as the client sends it) that carries it. */
export interface DatedField {
  field: string;
  date: CalendarDate;
}

type DatesOf<C> = (command: C, store: EventStore) => DatedField[] | Promise<DatedField[]>;
type CommandClass<C> = abstract new (...args: never[]) => C;

const one = (field: string, date: unknown): DatedField[] => (typeof date === 'string' ? [{ field, date }] : []);

/** When an approval gives no date, the invoice takes the date it was submitted with. */
async function approvalDate(c: ApproveInvoiceCommand, store: EventStore): Promise<DatedField[]> {
  if (c.issueDate !== undefined) return one('issueDate', c.issueDate);
  const [first] = await store.readStream(streams.invoice(c.invoiceId), { maxCount: 1 });
  return first?.type === 'InvoiceSubmittedForApproval' ? one('issueDate', first.data.issueDate) : [];
}

/** An approved write-off takes effect on the date it was requested for (ADR 0042): that date must still be open. */
async function requestedWriteOffDate(c: ApproveWriteOffCommand, store: EventStore): Promise<DatedField[]> {
  const events = await store.readStream(streams.invoice(c.invoiceId));
  const requested = [...events].reverse().find((e) => e.type === 'WriteOffRequested');
  return requested ? one('on', (requested.data as { on?: unknown }).on) : [];
}

/**
 * The business date(s) of every command that records a dated fact, in one table: what the command gate checks
 * against the future horizon (ADR 0031) and the closed periods (ADR 0048). A command class missing here has no
 * business date: its facts take effect on the day they are recorded (see EFFECTIVE_DATE_FIELD); the spec
 * `command-dates.spec.ts` fails when a registered command is in neither this table nor UNDATED_COMMANDS.
 * Malformed dates are left to the handler (400 with the field); only well-formed ones are checked here.
 */
const entries: Array<[CommandClass<unknown>, DatesOf<never>]> = [];
function dated<C>(type: CommandClass<C>, dates: DatesOf<C>): void {
  entries.push([type as CommandClass<unknown>, dates as DatesOf<never>]);
}
dated(IssueInvoiceCommand, (c) => one('issueDate', c.issueDate));
dated(ApproveInvoiceCommand, approvalDate);
dated(RecordPaymentCommand, (c) => one('receivedOn', c.receivedOn));
dated(ApplyPaymentCommand, (c) => one(c.appliedOn !== undefined ? 'appliedOn' : 'receivedOn', c.appliedOn ?? c.receivedOn));
dated(UnapplyPaymentCommand, (c) => one('on', c.on));
dated(ReallocatePaymentCommand, (c) => one('on', c.on));
dated(ReversePaymentCommand, (c) => one('on', c.on));
dated(ApplyCreditCommand, (c) => one('on', c.on));
dated(RefundCreditCommand, (c) => one('on', c.on));
dated(WriteOffInvoiceCommand, (c) => one('on', c.on));
dated(ApproveWriteOffCommand, requestedWriteOffDate);
dated(IssueCreditNoteCommand, (c) => one('issueDate', c.issueDate));
dated(ApplyCreditNoteCommand, (c) => one('on', c.on));
dated(OpenDisputeCommand, (c) => one('on', c.on));
dated(ResolveDisputeCommand, (c) => one('on', c.on));
dated(AssessLateChargesCommand, (c) => one('asOf', c.asOf));
dated(RunDunningCommand, (c) => one('asOf', c.asOf));
dated(AgreePaymentPlanCommand, (c) => one('agreedOn', c.agreedOn));
dated(CheckPaymentPlanCommand, (c) => one('asOf', c.asOf));
dated(AssessCreditCommand, (c) => one('assessedOn', c.request.assessedOn));
// A statement's entries are facts of their booking dates: one in a closed period refuses the import (ADR 0086).
dated(ImportBankStatementCommand, (c) => {
  const seen = new Map<string, number>();
  c.statement.entries.forEach((e, i) => { if (!seen.has(e.bookingDate)) seen.set(e.bookingDate, i); });
  return [...seen].map(([date, i]) => ({ field: `entries[${i}].bookingDate`, date }));
});
dated(AcceptSuggestionCommand, (c) => one('bookingDate', c.bookingDate));
dated(MatchBankEntryCommand, (c) => one('bookingDate', c.bookingDate));

export const COMMAND_DATES: ReadonlyMap<CommandClass<unknown>, DatesOf<never>> = new Map(entries);

/** Commands with no business date of their own (customer master data, limits, terms, holds, plan links, closings). */
export const UNDATED_COMMANDS: readonly string[] = [
  'RegisterCustomerCommand', 'ChangeCreditLimitCommand', 'ChangePaymentTermsCommand', 'ChangeCreditPolicyCommand',
  'PlaceCreditHoldCommand', 'ReleaseCreditHoldCommand', 'RejectInvoiceCommand', 'AttachToPaymentPlanCommand',
  'DetachFromPaymentPlanCommand', 'ClosePeriodCommand', 'ReopenPeriodCommand',
  // Four eyes (ADR 0042): a rejection records nothing dated; a limit decision is master data.
  'RejectWriteOffCommand', 'DecideLimitIncreaseCommand',
  // Cash application: a rejected suggestion and a saved CSV mapping record nothing dated.
  'RejectSuggestionCommand', 'SaveCsvMappingCommand',
  // Master data and its erasure (ADR 0081, 0082): no accounting fact, dated the day they are recorded.
  'ChangeCustomerDetailsCommand', 'EraseCustomerCommand',
];

/** The dates a command carries (none for an undated command). */
export async function datesOf(command: object, store: EventStore): Promise<DatedField[]> {
  const dates = COMMAND_DATES.get(command.constructor as CommandClass<unknown>);
  if (!dates) return [];
  const all = await (dates as DatesOf<object>)(command, store);
  return all.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.date));
}
