import Database from 'better-sqlite3';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../../../libs/application/config';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../../../libs/application/data-dir';
import { createEventStore } from '../../../../libs/application/infrastructure';
import { checkMigration, copyLog, type MigrationCheckpoint, type MigrationProgress } from '../../../../libs/application/migration';
import { exportHeads } from '../../../../libs/application/reporting/log-verification';
import { SqliteEventStore } from '../../../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { EVENT_STORE, type EventStore } from '../../../../libs/event-store/event-store.port';
import { Projector } from '../../../../libs/projection-runtime/projector';
import { rebuildProgress } from '../../../../libs/projection-runtime/rebuild-progress';
import { withApp } from '../app-context';
import { CliExit, EXIT, invalidOption, type Io } from '../io';
import { positiveInt, type Runner } from './shared';

interface Target {
  /** Environment of the target instance (its event store, read store, data directory). */
  env: NodeJS.ProcessEnv;
  /** For the checkpoint and messages: no credentials. */
  name: string;
  kind: 'sqlite' | 'eventstoredb';
  /** The SQLite target's data directory (keys and idempotency files are copied there too). */
  dataDir: string | null;
}

const ESDB = /^(esdb|kurrentdb)(\+discover)?:\/\//;

/** `esdb://user:pass@host` → `esdb://host`: what may be written to a checkpoint file or a terminal. */
function withoutCredentials(uri: string): string {
  return uri.replace(/^([a-z+]+:\/\/)[^@/]*@/, '$1');
}

function parseTarget(to: string, readStore: string | undefined, env: NodeJS.ProcessEnv, sourceDir: string): Target {
  const base: NodeJS.ProcessEnv = { ...env, AR_PROJECTOR: 'off' };
  let target: Target;
  if (to.startsWith('sqlite:')) {
    const dir = resolve(to.slice('sqlite:'.length));
    if (to.length === 'sqlite:'.length) throw invalidOption('--to sqlite: needs a directory, e.g. sqlite:/srv/ar-new');
    if (dir === resolve(sourceDir)) throw invalidOption(`--to ${to} is the source data directory itself`);
    target = { env: { ...base, AR_EVENT_STORE: 'sqlite', AR_DATA_DIR: dir, AR_READ_STORE: 'sqlite' }, name: `sqlite:${dir}`, kind: 'sqlite', dataDir: dir };
  } else if (ESDB.test(to)) {
    target = { env: { ...base, AR_EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: to }, name: withoutCredentials(to), kind: 'eventstoredb', dataDir: null };
    if (readStore === undefined) throw invalidOption('--to esdb://… needs --read-store (mongodb://… or sqlite:<dir>): the read models are rebuilt there');
  } else {
    throw invalidOption(`--to must be esdb://…, kurrentdb://… or sqlite:<dir>, got "${withoutCredentials(to)}"`);
  }
  if (readStore !== undefined) {
    if (/^mongodb(\+srv)?:\/\//.test(readStore)) Object.assign(target.env, { AR_READ_STORE: 'mongodb', MONGODB_URI: readStore });
    else if (readStore.startsWith('sqlite:') && readStore.length > 'sqlite:'.length) {
      const dir = resolve(readStore.slice('sqlite:'.length));
      if (dir === resolve(sourceDir)) throw invalidOption('--read-store must not be the source data directory: its read models serve the source');
      // A SQLite target keeps its read models in its own data directory.
      if (target.kind === 'sqlite' && dir !== target.dataDir) throw invalidOption('with --to sqlite:<dir> the read models are in <dir>: give --read-store mongodb://… or nothing');
      // The target's data directory: its read models, API keys and idempotency fingerprints.
      Object.assign(target.env, { AR_READ_STORE: 'sqlite', AR_DATA_DIR: dir });
      target.dataDir = dir;
    } else throw invalidOption(`--read-store must be mongodb://… or sqlite:<dir>, got "${withoutCredentials(readStore)}"`);
  }
  return target;
}

/** The checkpoint of a migration to one target, in the source's data directory. */
function checkpointFile(sourceDir: string, target: string) {
  const dir = join(sourceDir, 'migrations');
  const path = join(dir, `${createHash('sha256').update(target).digest('hex').slice(0, 16)}.json`);
  return {
    path,
    load(): MigrationCheckpoint | null {
      if (!existsSync(path)) return null;
      const c = JSON.parse(readFileSync(path, 'utf8')) as MigrationCheckpoint;
      return c.format === 'ar-migration/1' && c.target === target ? c : null;
    },
    save(c: MigrationCheckpoint): void {
      mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
      writeFileSync(`${path}.tmp`, JSON.stringify(c, null, 2) + '\n', { mode: PRIVATE_FILE_MODE });
      renameSync(`${path}.tmp`, path);
    },
  };
}

/** A cli-progress bar on a terminal, a line every 2 s otherwise (CI logs, redirected output). */
function copyProgress(io: Io) {
  if (io.isTTY) {
    const bar = new SingleBar({ stream: io.errStream, format: 'copy [{bar}] {percentage}% | position {value}/{total} | {copied} copied, {skipped} already there | ETA {eta_formatted}', hideCursor: true, fps: 5 }, Presets.shades_classic);
    let started = false;
    return {
      onProgress(p: MigrationProgress) {
        if (!started) { bar.start(Math.max(1, p.head), 0, { copied: 0, skipped: 0 }); started = true; }
        bar.update(Math.min(p.position, Math.max(1, p.head)), { copied: p.copied, skipped: p.skipped });
      },
      done() { if (started) bar.stop(); },
    };
  }
  let last = 0;
  return {
    onProgress(p: MigrationProgress) {
      const now = Date.now();
      if (now - last < 2000 && p.position < p.head) return;
      last = now;
      io.err(`copy: position ${p.position}/${p.head}, ${p.copied} copied, ${p.skipped} already there\n`);
    },
    done() {},
  };
}

/** `ar migrate --to esdb://…|kurrentdb://…|sqlite:<dir> [--read-store mongodb://…|sqlite:<dir>]` (ADR 0067). */
export function migrateCommand(program: Command, io: Io, env: NodeJS.ProcessEnv, run: Runner): void {
  program.command('migrate')
    .description('copy the embedded SQLite log into another event store (ids, order, metadata and hashes preserved; resumable: run it again to finish or to copy the tail), rebuild the read models there, and verify chains and stream heads against the source (exit 3 otherwise)')
    // Not `requiredOption`: `ar migrate pii --to DIR` is a subcommand (migrate-pii.ts), checked in the action instead.
    .option('--to <target>', 'esdb://… or kurrentdb://… (EventStoreDB/KurrentDB), or sqlite:<dir> (a new data directory)')
    .option('--read-store <uri>', 'where the target\'s read models are rebuilt: mongodb://… or sqlite:<dir> (default with sqlite:<dir>: that directory)')
    .option('--batch-size <n>', 'events read from the source per batch', positiveInt('--batch-size'), 2000)
    .option('--skip-rebuild', 'copy and verify the log only (rebuild later with `ar projections rebuild` on the target)')
    .action((o: { to?: string; readStore?: string; batchSize: number; skipRebuild?: boolean }) => run(async () => {
      if (o.to === undefined) throw invalidOption("required option '--to <target>' not specified");
      const toTarget = o.to;
      const source = loadConfig(env);
      if (source.eventStore !== 'sqlite') throw invalidOption(`ar migrate copies the embedded SQLite log (AR_EVENT_STORE=sqlite); this configuration uses ${source.eventStore}`);
      const sourcePath = join(source.dataDir, 'events.sqlite');
      if (!existsSync(sourcePath)) throw new CliExit(EXIT.notFound, `No log at ${sourcePath}`);
      const target = parseTarget(toTarget, o.readStore, env, source.dataDir);
      const targetConfig = loadConfig(target.env);

      // The source is opened read-only: the API may go on serving (and writing) while the bulk is copied.
      const from = new SqliteEventStore({ path: sourcePath, readonly: true });
      const to = createEventStore(targetConfig);
      const checkpoint = checkpointFile(source.dataDir, target.name);
      const progress = copyProgress(io);
      try {
        const r = await copyLog(from, to, { batchSize: o.batchSize, atomicBatches: target.kind === 'sqlite', checkpoint, targetName: target.name, onProgress: (p) => progress.onProgress(p) });
        progress.done();
        io.err(`${r.resumedAfter >= 0 ? `resumed after position ${r.resumedAfter}: ` : ''}copied ${r.copied} events to ${target.name} (${r.skipped} already there)\n`);
      } finally {
        progress.done();
        await to.close();
      }
      // API keys and idempotency fingerprints live beside the log in SQLite: a SQLite target gets them too.
      if (target.dataDir !== null) {
        for (const name of ['api-keys.sqlite', 'idempotency.sqlite', 'data-keys.sqlite']) {
          const file = join(source.dataDir, name);
          if (!existsSync(file) || existsSync(join(target.dataDir, name))) continue;
          const db = new Database(file, { readonly: true, fileMustExist: true });
          try { await db.backup(join(target.dataDir, name), { progress: () => 0x7fffffff }); } finally { db.close(); }
        }
      }
      if (!o.skipRebuild) {
        await withApp(target.env, false, async ({ app }) => {
          const rebuild = rebuildProgress({ stream: io.errStream });
          await app.get(Projector).rebuild(undefined, rebuild.onProgress);
          rebuild.done();
        });
        io.err('rebuilt every projection on the target\n');
      }
      const heads = await exportHeads(from);
      const check = await withApp(target.env, false, async ({ app }) => {
        return checkMigration(from, app.get<EventStore>(EVENT_STORE), heads);
      });
      await from.close();
      const v = check.verification;
      if (!check.verified) {
        io.err(`NOT VERIFIED: source ${check.sourceEvents} events in ${check.sourceStreams} streams, target ${check.targetEvents} in ${check.targetStreams}; `
          + `${check.headsDiffering.length} stream head(s) differ${check.headsDiffering.length ? ` (${check.headsDiffering.slice(0, 5).join(', ')}…)` : ''}`
          + `${v.firstBreak ? `; first break ${JSON.stringify(v.firstBreak)}` : ''}\n`);
        throw new CliExit(EXIT.verificationFailed);
      }
      io.out(`Migrated to ${target.name}: verified ${v.events} events in ${v.streams} streams, ${v.headsChecked} heads matched the source's (digest ${heads.digest})\n`);
    }));
}
