import { createWriteStream, writeFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import { loadChartOfAccounts } from '../../../../libs/application/reporting/chart';
import { journalChunks, journalExportRequest, type ExportCounts } from '../../../../libs/application/reporting/journal-export';
import { exportHeads } from '../../../../libs/application/reporting/log-verification';
import { JournalReader } from '../../../../libs/application/reporting/reports';
import { EVENT_STORE, type EventStore } from '../../../../libs/event-store/event-store.port';
import { logBatches } from '../../../../libs/event-store/log-batches';
import type { AppConfig } from '../../../../libs/application/config';
import { APP_CONFIG } from '../../../../libs/application/tokens';
import { withApp } from '../app-context';
import type { Io } from '../io';
import { nonNegativeInt, staleWarning, type Runner } from './shared';

/** `ar export journal [--from --to] --format csv|fec [--accounts FILE] [--output FILE]` */
export function exportCommand(program: Command, io: Io, env: NodeJS.ProcessEnv, run: Runner): void {
  const cmd = program.command('export').description('accounting exports');
  cmd.command('journal')
    .description('the double-entry journal derived from the events, by accounting date (CSV, or the French FEC)')
    .option('--from <date>', 'first accounting date (default: the beginning)')
    .option('--to <date>', 'last accounting date (default: the end)')
    .addOption(new Option('--format <format>').choices(['csv', 'fec']).default('csv'))
    .option('--accounts <file>', 'JSON account mapping (else AR_JOURNAL_ACCOUNTS, else the French chart)')
    .option('--output <file>', 'write to a file instead of stdout')
    .action((o: { from?: string; to?: string; format: string; accounts?: string; output?: string }) => run(async () => {
      const chart = loadChartOfAccounts(o.accounts, env);
      journalExportRequest({ from: o.from, to: o.to, format: o.format, chart }); // refuse a bad request before starting the app
      await withApp(env, true, async ({ app }) => {
        const config = app.get<AppConfig>(APP_CONFIG);
        const request = journalExportRequest({ from: o.from, to: o.to, format: o.format, chart, fx: { accountingCurrency: config.accountingCurrency, rates: config.fxRates } });
        const reader = app.get(JournalReader);
        const f = await reader.catchUp();
        const counts: ExportCounts = { entries: 0, lines: 0 };
        const out = sink(io, o.output);
        for await (const chunk of journalChunks(reader, request, counts)) await out.write(chunk);
        await out.close();
        io.err(`Exported ${counts.entries} entries (${counts.lines} lines) from ${request.from} to ${request.to} as ${request.format}${o.output ? ` to ${o.output}` : ''}\n`);
        staleWarning(io, f);
      });
    }));
  cmd.command('heads')
    .description("every stream's last event (revision, hash, position) with a digest: keep it out of the engine's reach, check the log against it later with `ar verify --heads`")
    .option('--output <file>', 'write to a file instead of stdout')
    .action((o: { output?: string }) => run(() => withApp(env, false, async ({ app }) => {
      const file = await exportHeads(app.get<EventStore>(EVENT_STORE));
      const text = JSON.stringify(file, null, 2) + '\n';
      if (o.output) writeFileSync(o.output, text); else io.out(text);
      io.err(`Exported ${file.streams} stream heads up to position ${file.headPosition}, digest ${file.digest}${o.output ? ` to ${o.output}` : ''}\n`);
    })));
  cmd.command('events')
    .description('the log itself as NDJSON, one event per line in global order (position, stream, revision, id, type, data in minor units, metadata): for a data warehouse; --after makes it incremental')
    .option('--after <position>', 'only events after this log position (the last position of a previous export)', nonNegativeInt('--after'), -1)
    .option('--output <file>', 'write to a file instead of stdout')
    .action((o: { after: number; output?: string }) => run(() => withApp(env, false, async ({ app }) => {
      const store = app.get<EventStore>(EVENT_STORE);
      const out = sink(io, o.output);
      let after = o.after;
      let count = 0;
      for await (const batch of logBatches(store, o.after, 5_000)) {
        let chunk = '';
        for (const e of batch) {
          chunk += JSON.stringify({ position: e.position, streamId: e.streamId, revision: e.revision, id: e.id, type: e.type, data: e.data, metadata: e.metadata }) + '\n';
        }
        await out.write(chunk);
        count += batch.length;
        after = batch[batch.length - 1].position;
      }
      await out.close();
      io.err(`Exported ${count} events after position ${o.after}${count > 0 ? `, up to position ${after}` : ''}${o.output ? ` to ${o.output}` : ''}\n`);
    })));
}

/** Where an export goes: a file (with back-pressure), else stdout. */
function sink(io: Io, output: string | undefined): { write(chunk: string): Promise<void>; close(): Promise<void> } {
  if (!output) return { write: async (chunk) => io.out(chunk), close: async () => undefined };
  const file = createWriteStream(output);
  return {
    write: async (chunk) => {
      if (!file.write(chunk)) await new Promise<void>((r) => file.once('drain', () => r()));
    },
    close: async () => {
      file.end();
      await finished(file);
    },
  };
}
