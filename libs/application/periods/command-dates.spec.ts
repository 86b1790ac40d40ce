import 'reflect-metadata';
import { ApplicationModule } from '../application.module';
import { loadConfig } from '../config';
import { ClosePeriodCommand } from './period.commands';
import { IssueInvoiceCommand } from '../commands/invoice.commands';
import { COMMAND_DATES, datesOf, UNDATED_COMMANDS } from './command-dates';
import type { EventStore } from '../../event-store/event-store.port';

const COMMAND_HANDLER_METADATA = '__commandHandler__'; // @nestjs/cqrs decorators/constants

/** Every command the composition root handles, from the handlers' @CommandHandler metadata. */
function registeredCommands(): Array<{ name: string; type: unknown }> {
  const providers = ApplicationModule.forRoot(loadConfig({})).providers ?? [];
  return providers.flatMap((p) => {
    const type = typeof p === 'function' ? Reflect.getMetadata(COMMAND_HANDLER_METADATA, p) : undefined;
    return type ? [{ name: (type as { name: string }).name, type }] : [];
  });
}

describe('command dates (what the command gate checks against closed periods)', () => {
  it('classifies every registered command as dated or undated, so a new command cannot bypass the gate unnoticed', () => {
    const commands = registeredCommands();
    expect(commands.length).toBeGreaterThan(25);
    const unclassified = commands.filter((c) => !COMMAND_DATES.has(c.type as never) && !UNDATED_COMMANDS.includes(c.name)).map((c) => c.name);
    expect(unclassified).toEqual([]);
    const both = commands.filter((c) => COMMAND_DATES.has(c.type as never) && UNDATED_COMMANDS.includes(c.name)).map((c) => c.name);
    expect(both).toEqual([]);
  });

  it('reads the dated field of a command and ignores a malformed date (left to the handler)', async () => {
    const ctx = { actor: 'a', recordedAt: '2026-04-10T00:00:00.000Z', commandId: 'c', correlationId: 'c', causationId: 'c' };
    const store = {} as EventStore;
    expect(await datesOf(new IssueInvoiceCommand('i', 'c', '2026-03-31', [], ctx), store)).toEqual([{ field: 'issueDate', date: '2026-03-31' }]);
    expect(await datesOf(new IssueInvoiceCommand('i', 'c', '31/03/2026', [], ctx), store)).toEqual([]);
    expect(await datesOf(new ClosePeriodCommand('2026-03-31', 'r', ctx), store)).toEqual([]);
  });
});
