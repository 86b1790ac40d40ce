import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { ReplayHistoryQuery, type HistoryEvent } from '../../../../libs/application/reporting/history-replay';
import { HistoryReplay } from '../../../../libs/application/reporting/history-stream';
import { formatAmount } from '../../../../libs/domain/shared/money';
import { historyJson } from '../../../../libs/application/reporting/views';
import { withApp } from '../app-context';
import { CliExit, EXIT, table, type Io } from '../io';
import { staleWarning, type Runner } from './shared';

/** `ar history <customerId> [--as-of DATE] [--verify] [--json|--csv]` */
export function historyCommand(program: Command, io: Io, env: NodeJS.ProcessEnv, run: Runner): void {
  program.command('history')
    .description("replay a customer's credit, invoice and payment streams from the log, in global order, with the account state as of a date")
    .argument('<customerId>')
    .option('--as-of <date>', 'keep the facts effective on or before this date (YYYY-MM-DD)')
    .option('--verify', 'recompute every stream hash chain; exit 3 on the first broken link')
    .option('--json', 'machine-readable JSON')
    .option('--csv', 'one CSV row per event')
    .action((customerId: string, o: { asOf?: string; verify?: boolean; json?: boolean; csv?: boolean }) => run(() =>
      withApp(env, true, async ({ app }) => {
        // The paged replay (ADR 0109): pass 1 gives the verdict and the account, pass 2 the events, written page by page.
        const replay = app.get(HistoryReplay);
        const r = await replay.summarize(new ReplayHistoryQuery(customerId, o.asOf, Boolean(o.verify)));
        const h = r.value;
        const cur = h.state.currency ?? 'EUR';
        const f = (m: number) => formatAmount(m, cur);
        const v = h.verification;
        const verdict = v === null ? null : v.verified
          ? `verified ${v.events} events in ${v.streams} streams`
          : `BROKEN hash chain: stream ${v.firstBreak!.streamId}, revision ${v.firstBreak!.revision} (${v.firstBreak!.position === null ? 'missing from the log' : `position ${v.firstBreak!.position}`}, ${v.firstBreak!.reason})`;
        const row = (e: HistoryEvent) => [e.position, e.effectiveDate, e.streamId, e.revision, e.type, e.metadata.actor, e.metadata.recordedAt, e.metadata.correlationId, e.metadata.causationId];
        const head = ['position', 'effective', 'stream', 'rev', 'type', 'actor', 'recordedAt', 'correlationId', 'causationId'];
        if (o.json) {
          for await (const chunk of historyJson(h, replay.events(h), 2)) io.out(chunk);
          io.out('\n');
        } else if (o.csv) {
          io.out(stringify([head]));
          for await (const page of replay.events(h)) io.out(stringify(page.map((e) => row(e).map((c) => (c === null || c === undefined ? '' : String(c))))));
        } else {
          io.out(`History of ${customerId}${h.asOf ? ` as of ${h.asOf}` : ''}: ${h.events} events\n`);
          // One table per page of events (the table is drawn whole): a long history prints as it is read.
          let pages = 0;
          for await (const page of replay.events(h)) {
            pages += 1;
            io.out(table(head, page.map(row)) + '\n');
          }
          if (pages === 0) io.out(table(head, []) + '\n');
          const after = [
            `Account ${h.state.name ?? customerId} (${cur}): ${nonZero(h.state.totals, ['invoiced', 'charges', 'received', 'reversed', 'refunded', 'creditNoted', 'discounts', 'writtenOff', 'bankFees'], f)}outstanding ${f(h.state.totals.outstanding)}, unapplied ${f(h.state.totals.unapplied)}, balance ${f(h.state.totals.balance)}`,
            ...Object.values(h.state.invoices).map((i) => `  ${i.number} (${i.invoiceId}) issued ${i.issueDate}, due ${i.dueDate}: total ${f(i.total)}, ${nonZero(i, ['charges', 'paid', 'credited', 'discounted', 'writtenOff', 'bankFees'], f)}outstanding ${f(i.outstanding)}, ${i.status}`),
            ...(verdict ? [verdict] : []),
          ];
          for (const line of after) io.out(line + '\n');
        }
        if (v && !v.verified) {
          if (o.json || o.csv) io.err(verdict + '\n');
          throw new CliExit(EXIT.verificationFailed);
        }
        staleWarning(io, r);
      })));
}

/** `name amount, ` for each listed figure that is not zero (the table stays readable for simple accounts). */
function nonZero<T extends Record<K, number>, K extends string>(o: T, keys: readonly K[], f: (m: number) => string): string {
  return keys.filter((k) => o[k] !== 0).map((k) => `${k} ${f(o[k])}, `).join('');
}
