import { QueryBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import type { QueryResult } from '../../../../libs/application/queries/queries';
import { ReplayHistoryQuery, type CustomerHistory } from '../../../../libs/application/reporting/history-replay';
import { formatAmount } from '../../../../libs/domain/shared/money';
import { historyView } from '../../../../libs/application/reporting/views';
import { withApp } from '../app-context';
import { CliExit, emit, EXIT, type Io } from '../io';
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
        const r = await app.get(QueryBus).execute<ReplayHistoryQuery, QueryResult<CustomerHistory>>(new ReplayHistoryQuery(customerId, o.asOf, Boolean(o.verify)));
        const h = r.value;
        const cur = h.state.currency ?? 'EUR';
        const f = (m: number) => formatAmount(m, cur);
        const v = h.verification;
        const verdict = v === null ? null : v.verified
          ? `verified ${v.events} events in ${v.streams} streams`
          : `BROKEN hash chain: stream ${v.firstBreak!.streamId}, revision ${v.firstBreak!.revision} (${v.firstBreak!.position === null ? 'missing from the log' : `position ${v.firstBreak!.position}`}, ${v.firstBreak!.reason})`;
        emit(io, o, {
          json: historyView(h),
          head: ['position', 'effective', 'stream', 'rev', 'type', 'actor', 'recordedAt', 'correlationId', 'causationId'],
          rows: h.events.map((e) => [e.position, e.effectiveDate, e.streamId, e.revision, e.type, e.metadata.actor, e.metadata.recordedAt, e.metadata.correlationId, e.metadata.causationId]),
          before: [`History of ${customerId}${h.asOf ? ` as of ${h.asOf}` : ''}: ${h.events.length} events`],
          after: [
            `Account ${h.state.name ?? customerId} (${cur}): ${nonZero(h.state.totals, ['invoiced', 'charges', 'received', 'reversed', 'refunded', 'creditNoted', 'discounts', 'writtenOff', 'bankFees'], f)}outstanding ${f(h.state.totals.outstanding)}, unapplied ${f(h.state.totals.unapplied)}, balance ${f(h.state.totals.balance)}`,
            ...Object.values(h.state.invoices).map((i) => `  ${i.number} (${i.invoiceId}) issued ${i.issueDate}, due ${i.dueDate}: total ${f(i.total)}, ${nonZero(i, ['charges', 'paid', 'credited', 'discounted', 'writtenOff', 'bankFees'], f)}outstanding ${f(i.outstanding)}, ${i.status}`),
            ...(verdict ? [verdict] : []),
          ],
        });
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
