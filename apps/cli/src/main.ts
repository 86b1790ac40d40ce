#!/usr/bin/env node
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { backupCommands } from './commands/backup';
import { demoCommand } from './commands/demo';
import { cashCommand } from './commands/cash';
import { migratePiiCommand } from './commands/migrate-pii';
import { exportCommand } from './commands/export';
import { historyCommand } from './commands/history';
import { processCommand } from './commands/process';
import { periodsCommand } from './commands/periods';
import { keysCommand } from './commands/keys';
import { migrateCommand } from './commands/migrate';
import { projectionsCommand } from './commands/projections';
import { reportCommand } from './commands/reports';
import { verifyCommand } from './commands/verify';
import { privacyCommand } from './commands/privacy';
import { EXIT, failure, processIo, type Io } from './io';

/**
 * `ar`: the auditors' and analysts' command line. Same configuration as the API (AR_DATA_DIR, AR_EVENT_STORE,
 * AR_READ_STORE, …) and the same command and query handlers, without HTTP. Returns the exit code (see EXIT).
 */
export async function runCli(argv: readonly string[], io: Io = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let code: number = EXIT.ok;
  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
    } catch (error) {
      code = failure(io, error);
    }
  };
  const program = new Command('ar')
    .description('Accounts-receivable engine: auditor replay, projection operations, reports, accounting exports and API keys')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();
  for (const register of [historyCommand, verifyCommand, projectionsCommand, processCommand, reportCommand, exportCommand, demoCommand, periodsCommand, keysCommand, cashCommand, migrateCommand, migratePiiCommand, privacyCommand, backupCommands]) register(program, io, env, run);
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help exits 0; help shown because a subcommand is missing, or any parse error, is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return failure(io, error);
  }
  return code;
}

/** Runs the process's arguments and sets its exit code (bin/ar.js and `node dist/apps/cli/src/main.js`). */
export function cliMain(): void {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    // Let stdout drain, but never hang on a handle left open.
    setTimeout(() => process.exit(code), 2000).unref();
  });
}

if (require.main === module) cliMain();
