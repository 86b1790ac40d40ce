import 'reflect-metadata';
import { ALL_PROJECTIONS } from '../../../projections';
import { ConfigError, loadConfig } from '../../../libs/application/config';
import { createEventStore, createReadStore } from '../../../libs/application/infrastructure';
import { Projector } from '../../../libs/projection-runtime/projector';
import { rebuildProgress } from '../../../libs/projection-runtime/rebuild-progress';

/**
 * `npm run projections:rebuild [name…]`: rebuilds projections from the log, blue/green (the live
 * version keeps serving until the new one has caught up), with a progress bar on a terminal.
 * Exit codes: 0 done, 2 bad configuration or unknown projection, 1 failure.
 */
async function main(argv: string[]): Promise<number> {
  const known = ALL_PROJECTIONS.map((p) => p.name);
  const names = argv.filter((a) => !a.startsWith('-'));
  if (argv.includes('--help')) {
    process.stdout.write(`usage: npm run projections:rebuild -- [${known.join('|')}]…\n`);
    return 0;
  }
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown projection(s): ${unknown.join(', ')}. Known: ${known.join(', ')}\n`);
    return 2;
  }
  const config = loadConfig();
  const eventStore = createEventStore(config);
  const readStore = createReadStore(config);
  const projector = new Projector({ eventStore, readStore, projections: ALL_PROJECTIONS });
  const progress = rebuildProgress();
  const started = process.hrtime.bigint();
  try {
    await projector.rebuild(names.length > 0 ? names : undefined, progress.onProgress);
    progress.done();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const head = await eventStore.headPosition();
    process.stdout.write(`Rebuilt ${names.length > 0 ? names.join(', ') : 'all projections'} up to position ${head} in ${seconds.toFixed(2)} s\n`);
    return 0;
  } finally {
    await projector.stop();
    await eventStore.close();
    await readStore.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `Rebuild failed: ${(err as Error).stack ?? err}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
