import 'reflect-metadata';
import { ConfigError, loadConfig } from '../../../libs/application/config';
import { DocumentService } from '../../../libs/application/documents/documents';
import { createApp } from './app.factory';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const app = await createApp(config);
  // Documents: the CII schema compiled and the fonts parsed before the first request (hundreds of ms, once).
  app.get(DocumentService).warmUp();
  await app.listen(config.port, config.host);
  const shown = config.host.includes(':') ? `[${config.host}]` : config.host;
  process.stdout.write(`AR engine listening on http://${shown}:${config.port} (docs at /docs; event store ${config.eventStore}, read store ${config.readStore}, data in ${config.dataDir})\n`);
}

main().catch((err) => {
  process.stderr.write(`Failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
