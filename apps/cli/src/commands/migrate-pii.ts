import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../../../libs/application/config';
import { privateDir, privateFile } from '../../../../libs/application/data-dir';
import { PersonalData } from '../../../../libs/application/privacy/personal-data';
import { migratePii } from '../../../../libs/application/privacy/pii-migration';
import { SqliteEventStore } from '../../../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { SqliteDataKeyStore } from '../../../../libs/privacy/adapters/sqlite/sqlite-data-key-store';
import { invalidOption, type Io } from '../io';
import type { Runner } from './shared';

/** Files that go with the log into the new data directory: the keys (API keys, data keys) beside it. */
const KEY_FILES = ['api-keys.sqlite', 'data-keys.sqlite'];

/**
 * `ar migrate pii --to DIR`: a new log in DIR with every personal field sealed and every stream re-chained,
 * the old log untouched, and `pii-migration.json` plus both heads files written to both directories (ADR 0083).
 * Run with the API stopped; the read models are rebuilt from the new log when the API starts on DIR.
 */
export function migratePiiCommand(program: Command, io: Io, env: NodeJS.ProcessEnv, run: Runner): void {
  // `ar migrate` itself copies the log to another store (migrate.ts); `ar migrate pii` is its subcommand.
  const migrate = program.commands.find((c) => c.name() === 'migrate') ?? program.command('migrate');
  // `ar migrate --to X` and `ar migrate pii --to DIR` both have a --to: options after `pii` are the subcommand's.
  program.enablePositionalOptions();
  migrate.enablePositionalOptions();
  migrate.command('pii')
    .description('copy the log (AR_DATA_DIR) into --to with personal data written in clear before encryption sealed and the hash chains recomputed; the old and new stream heads are recorded side by side in both directories')
    .requiredOption('--to <dir>', 'an empty data directory for the new log')
    .option('--json', 'machine-readable JSON')
    .action((o: { to: string; json?: boolean }) => run(async () => {
      const config = loadConfig(env);
      if (config.eventStore !== 'sqlite') throw invalidOption('ar migrate pii migrates the embedded SQLite log (AR_EVENT_STORE=sqlite)');
      const from = resolve(config.dataDir);
      const to = resolve(o.to);
      if (to === from) throw invalidOption('--to must be another directory than AR_DATA_DIR');
      if (!existsSync(join(from, 'events.sqlite'))) throw invalidOption(`no log in ${from}`);
      if (existsSync(join(to, 'events.sqlite'))) throw invalidOption(`${to} already holds a log: give an empty directory`);
      mkdirSync(to, { recursive: true });
      privateDir(to);
      for (const f of KEY_FILES) {
        if (!existsSync(join(from, f))) continue;
        const db = new Database(join(from, f), { readonly: true });
        try { await db.backup(join(to, f)); } finally { db.close(); }
        privateFile(join(to, f));
      }
      privateFile(join(to, 'events.sqlite'));
      const source = new SqliteEventStore({ path: join(from, 'events.sqlite'), readonly: true });
      const target = new SqliteEventStore({ path: join(to, 'events.sqlite') });
      const keys = new SqliteDataKeyStore(join(to, 'data-keys.sqlite'));
      try {
        const record = await migratePii(source, target, new PersonalData(keys, { dataKeyCacheSize: config.dataKeyCacheSize }), new Date().toISOString());
        for (const dir of [from, to]) {
          writeFileSync(join(dir, 'pii-migration.json'), JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
          writeFileSync(join(dir, 'pii-migration-heads-old.json'), JSON.stringify(record.old, null, 2) + '\n', { mode: 0o600 });
          writeFileSync(join(dir, 'pii-migration-heads-new.json'), JSON.stringify(record.new, null, 2) + '\n', { mode: 0o600 });
        }
        if (o.json) io.out(JSON.stringify({ from, to, events: record.events, sealedEvents: record.sealedEvents, streams: record.streams.length, oldDigest: record.old.digest, newDigest: record.new.digest }, null, 2) + '\n');
        else {
          io.out(`Migrated ${record.events} events in ${record.streams.length} streams from ${from} to ${to}; ${record.sealedEvents} events had personal data sealed.\n`
            + `Old and new heads side by side: pii-migration.json (both directories). Verify each log against its heads:\n`
            + `  AR_DATA_DIR=${from} ar verify --heads ${join(from, 'pii-migration-heads-old.json')}\n`
            + `  AR_DATA_DIR=${to} ar verify --heads ${join(to, 'pii-migration-heads-new.json')}\n`);
        }
      } finally {
        await source.close();
        await target.close();
        await keys.close();
      }
    }));
}
