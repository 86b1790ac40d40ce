import type { Command } from 'commander';
import { Projector } from '../../../../libs/projection-runtime/projector';
import { ProcessManager } from '../../../../libs/application/process-manager';
import { rebuildProgress } from '../../../../libs/projection-runtime/rebuild-progress';
import { ALL_PROJECTIONS } from '../../../../projections';
import { withApp } from '../app-context';
import { join } from 'node:path';
import { SqliteStagedRebuild } from '../../../../libs/application/rebuild/staged-rebuild';
import type { SqliteReadStore } from '../../../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { READ_STORE } from '../../../../libs/read-store/read-store.port';
import { CliExit, emit, EXIT, invalidOption, type Io } from '../io';
import { positiveInt, type Runner } from './shared';

/** More workers than this only wait on each other's log reads and the disk. */
const MAX_WORKERS = 16;

function checkNames(names: readonly string[]): void {
  const known = ALL_PROJECTIONS.map((p) => p.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new CliExit(EXIT.notFound, `Unknown projection(s): ${unknown.join(', ')}. Known: ${known.join(', ')}`);
}

/** `ar projections status|rebuild|verify`: operate the read models (blue/green). */
export function projectionsCommand(program: Command, io: Io, env: NodeJS.ProcessEnv, run: Runner): void {
  const cmd = program.command('projections').description('read-model operations: status, blue/green rebuild, verify against a rebuild');

  cmd.command('status')
    .description('each projection: version, live collection, checkpoint, lag behind the log, generation being built, last error')
    .option('--json').option('--csv')
    .action((o: { json?: boolean; csv?: boolean }) => run(() => withApp(env, false, async ({ app }) => {
      const status = await app.get(Projector).status();
      const pm = await app.get(ProcessManager).status();
      emit(io, o, {
        json: { projections: status, processManager: pm },
        head: ['projection', 'version', 'collection', 'checkpoint', 'head', 'lag', 'building', 'lastError'],
        rows: status.map((s) => [s.name, s.version, s.collection, s.checkpoint, s.head, s.lag, s.building ? `${s.building.collection}@${s.building.checkpoint}` : null, s.lastError]),
        after: [
          `process manager: checkpoint ${pm.checkpoint}, lag ${pm.lag}, ${pm.parked.length} parked step(s)${pm.parked.length > 0 ? ' (see `ar process status`; `ar process retry` once fixed)' : ''}`,
          ...pm.parked.map((p) => `  parked ${p.type} at position ${p.position} (${p.lane}): ${p.error}`),
        ],
      });
    })));

  cmd.command('rebuild')
    .description('rebuild from the log beside the live version and swap when caught up (blue/green); resumes a killed rebuild')
    .argument('[names...]', `projections to rebuild (default all): ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}`)
    .option('--workers <n>', 'build the new generations on n worker threads, each reading the log into a staging file of its own, then copied in (SQLite stores only; default 1: this thread)', positiveInt('--workers'), 1)
    .action((names: string[], o: { workers: number }) => run(async () => {
      checkNames(names);
      if (o.workers > MAX_WORKERS) throw invalidOption(`--workers must be at most ${MAX_WORKERS}, got ${o.workers}`);
      await withApp(env, false, async ({ app, config }) => {
        const projector = app.get(Projector);
        let stager: SqliteStagedRebuild | undefined;
        if (o.workers > 1) {
          if (config.eventStore !== 'sqlite' || config.readStore !== 'sqlite') throw invalidOption('--workers needs the SQLite event store and read store (AR_EVENT_STORE, AR_READ_STORE)');
          stager = new SqliteStagedRebuild({
            eventStorePath: join(config.dataDir, 'events.sqlite'), readStorePath: join(config.dataDir, 'read-models.sqlite'), readStore: app.get<SqliteReadStore>(READ_STORE),
            workers: o.workers, batchSize: projector.rebuildBatchSize, flush: projector.rebuildFlush,
          });
        }
        const progress = rebuildProgress({ stream: io.errStream });
        const started = process.hrtime.bigint();
        await projector.rebuild(names.length > 0 ? names : undefined, progress.onProgress, stager);
        progress.done();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const head = await projector.eventStore.headPosition();
        io.out(`Rebuilt ${names.length > 0 ? names.join(', ') : 'all projections'} up to position ${head} in ${seconds.toFixed(2)} s\n`);
      });
    }));

  cmd.command('verify')
    .description('rebuild into a scratch copy and compare with the live documents; exit 3 on any difference')
    .argument('[names...]', 'projections to verify (default all)')
    .option('--json')
    .action((names: string[], o: { json?: boolean }) => run(async () => {
      checkNames(names);
      await withApp(env, false, async ({ app }) => {
        const projector = app.get(Projector);
        const results = [];
        for (const name of names.length > 0 ? names : ALL_PROJECTIONS.map((p) => p.name)) {
          results.push({ projection: name, ...(await projector.verify(name)) });
        }
        emit(io, o, {
          json: { projections: results },
          head: ['projection', 'result', 'documents', 'differences'],
          rows: results.map((r) => [r.projection, r.identical ? 'identical' : 'DIFFERS', r.compared, r.differenceCount]),
          after: results.flatMap((r) => r.differences.map((d) => `${r.projection} ${d.key}:\n  live    ${d.live}\n  rebuilt ${d.rebuilt}`)),
        });
        if (results.some((r) => !r.identical)) throw new CliExit(EXIT.verificationFailed);
      });
    }));
}
