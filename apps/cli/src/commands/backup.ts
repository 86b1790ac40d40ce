import type { Command } from 'commander';
import { backupDataDir, restoreDataDir } from '../../../../libs/application/backup';
import { loadConfig } from '../../../../libs/application/config';
import { CliExit, EXIT, type Io } from '../io';
import type { Runner } from './shared';

function embeddedDataDir(env: NodeJS.ProcessEnv, what: string): string {
  const config = loadConfig(env);
  if (config.eventStore !== 'sqlite') {
    throw new CliExit(EXIT.usage, `ar ${what} copies the embedded SQLite files; with AR_EVENT_STORE=${config.eventStore} use the server's own backup tools (docs/operations.md#backups)`);
  }
  return config.dataDir;
}

/** `ar backup <dir>`, `ar restore <dir> [--force]` (ADR 0068). */
export function backupCommands(program: Command, io: Io, env: NodeJS.ProcessEnv, run: Runner): void {
  program.command('backup')
    .description('online backup of the SQLite files of AR_DATA_DIR into the new directory <dir> (while the API runs): SQLite backup API, outbox, heads.json and a manifest of sha-256 digests')
    .argument('<dir>', 'a directory that does not exist yet')
    .option('--json', 'print the manifest as JSON')
    .action((dir: string, o: { json?: boolean }) => run(async () => {
      const dataDir = embeddedDataDir(env, 'backup');
      const manifest = await backupDataDir(dataDir, dir, (p) => {
        if (p.remainingPages === 0) io.err(`backed up ${p.file}\n`);
      });
      if (o.json) io.out(JSON.stringify(manifest, null, 2) + '\n');
      else io.out(`Backed up ${manifest.files.map((f) => `${f.name} (${f.bytes} bytes)`).join(', ')}${manifest.outbox ? ' and the outbox' : ''} to ${dir}; ${manifest.heads.streams} stream heads up to position ${manifest.heads.headPosition} in ${dir}/heads.json (digest ${manifest.heads.digest})\n`);
    }));
  program.command('restore')
    .description('restore a backup made by `ar backup` into AR_DATA_DIR (stop the API first), check every digest, then verify the restored log against the backup\'s heads (exit 3 if it does not verify)')
    .argument('<dir>', 'a directory written by `ar backup`')
    .option('--force', 'replace the log already in AR_DATA_DIR (its files are moved aside into pre-restore-<instant>/)')
    .action((dir: string, o: { force?: boolean }) => run(async () => {
      const dataDir = embeddedDataDir(env, 'restore');
      const r = await restoreDataDir(dir, dataDir, { force: o.force });
      if (r.movedAside) io.err(`moved the previous files aside to ${r.movedAside}\n`);
      const v = r.verification;
      if (!v.verified) {
        io.err(`Restored ${dir} into ${dataDir} but the log does NOT verify: ${JSON.stringify(v.firstBreak)}\n`);
        throw new CliExit(EXIT.verificationFailed);
      }
      io.out(`Restored ${r.manifest.files.map((f) => f.name).join(', ')} from ${dir} (made ${r.manifest.createdAt}) into ${dataDir}; verified ${v.events} events in ${v.streams} streams, ${v.headsChecked} heads matched\n`);
    }));
}
