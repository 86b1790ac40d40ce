import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { CommandContext } from '../../../../libs/application/command-context';
import { ClosePeriodCommand, GetBooksQuery, ReopenPeriodCommand, type BooksChange, type BooksView } from '../../../../libs/application/periods/period.commands';
import { withApp } from '../app-context';
import { emit, type Io } from '../io';
import type { Runner } from './shared';

/** The CLI acts as the operating-system user who runs it (who can read the data directory has the machine's rights). */
function cliContext(): CommandContext {
  const id = randomUUID();
  return { actor: `cli:${userInfo().username}`, recordedAt: new Date().toISOString(), commandId: id, correlationId: id, causationId: id };
}

function show(io: Io, o: { json?: boolean }, r: BooksChange): void {
  emit(io, o, {
    json: r,
    head: ['closed through', 'changed', 'position'],
    rows: [[r.closedThrough, r.changed ? 'yes' : 'no (already so)', r.position]],
  });
}

/** `ar periods show | close --through D --reason R | reopen --from D --reason R` */
export function periodsCommand(program: Command, io: Io, env: NodeJS.ProcessEnv, run: Runner): void {
  const cmd = program.command('periods').description('closing of the books: facts dated in a closed period are refused');
  cmd.command('show')
    .description('the date the books are closed through, and every closing and reopening')
    .option('--json')
    .action((o: { json?: boolean }) => run(() => withApp(env, false, async ({ app }) => {
      const v = await app.get(QueryBus).execute<GetBooksQuery, BooksView>(new GetBooksQuery());
      emit(io, o, {
        json: v,
        head: ['position', 'type', 'through', 'from', 'actor', 'recordedAt', 'reason'],
        rows: v.history.map((e) => [e.position, e.type, e.through, e.from ?? null, e.actor, e.recordedAt, e.reason]),
        before: [`Books closed through: ${v.closedThrough ?? 'nothing closed'}`],
      });
    })));
  cmd.command('close')
    .description('close the books through a date (it must have ended); afterwards a command dated on or before it is refused')
    .requiredOption('--through <date>', 'last business date closed, YYYY-MM-DD')
    .requiredOption('--reason <text>', 'why (kept in the log)')
    .option('--json')
    .action((o: { through: string; reason: string; json?: boolean }) => run(() => withApp(env, false, async ({ app }) => {
      show(io, o, await app.get(CommandBus).execute<ClosePeriodCommand, BooksChange>(new ClosePeriodCommand(o.through, o.reason, cliContext())));
    })));
  cmd.command('reopen')
    .description('reopen the books from a date (an administrator\'s act, with a reason); the closing goes back to the day before')
    .requiredOption('--from <date>', 'first business date open again, YYYY-MM-DD')
    .requiredOption('--reason <text>', 'why (kept in the log)')
    .option('--json')
    .action((o: { from: string; reason: string; json?: boolean }) => run(() => withApp(env, false, async ({ app }) => {
      show(io, o, await app.get(CommandBus).execute<ReopenPeriodCommand, BooksChange>(new ReopenPeriodCommand(o.from, o.reason, cliContext())));
    })));
}
