import { QueryBus } from '@nestjs/cqrs';
import { Option, type Command } from 'commander';
import { GetAgingQuery, type QueryResult } from '../../../../libs/application/queries/queries';
import { GetAgingByInvoiceQuery, GetDsoQuery, GetEclQuery, GetStatementQuery } from '../../../../libs/application/reporting/reports';
import { formatAmount } from '../../../../libs/domain/shared/money';
import type { AgingReport, DsoReport, EclReport, InvoiceAgingRow, Statement } from '../../../../projections';
import { dsoView, eclView, statementView } from '../../../../libs/application/reporting/views';
import { withApp } from '../app-context';
import { emit, type Io } from '../io';
import { bucketList, staleWarning, type Runner } from './shared';

type Out = { json?: boolean; csv?: boolean };

/** `ar report aging|statement|dso|ecl`: the analysts' reports, from the read models. */
export function reportCommand(program: Command, io: Io, env: NodeJS.ProcessEnv, run: Runner): void {
  const cmd = program.command('report').description('reports from the read models: aging, statement, dso, ecl');
  const query = <Q extends object, R>(q: Q, fn: (r: QueryResult<R>) => void) => run(() => withApp(env, true, async ({ app }) => {
    const r = (await app.get(QueryBus).execute(q)) as QueryResult<R>;
    fn(r);
    staleWarning(io, r);
  }));

  cmd.command('aging')
    .description('balance âgée: open amounts as of a date by days past due')
    .requiredOption('--as-of <date>', 'YYYY-MM-DD')
    .option('--buckets <days>', 'upper bounds of the buckets', bucketList)
    .addOption(new Option('--by <level>', 'one row per customer or per invoice').choices(['customer', 'invoice']).default('customer'))
    .option('--currency <code>', 'required when open items are in several currencies')
    .option('--json').option('--csv')
    .action((o: Out & { asOf: string; buckets?: number[]; by: 'customer' | 'invoice'; currency?: string }) => {
      if (o.by === 'invoice') {
        return query<GetAgingByInvoiceQuery, { asOf: string; currency: string | null; rows: InvoiceAgingRow[] }>(new GetAgingByInvoiceQuery(o.asOf, o.buckets, o.currency), (r) => {
          const cur = r.value.currency ?? 'EUR';
          const rows = r.value.rows.map((x) => ({ ...x, open: formatAmount(x.open, cur) }));
          emit(io, o, {
            json: { asOf: r.value.asOf, currency: r.value.currency, invoices: rows },
            head: ['customer', 'invoice', 'number', 'issued', 'due', 'days past due', 'bucket', `open ${cur}`],
            rows: rows.map((x) => [x.customerId, x.invoiceId, x.number, x.issueDate, x.dueDate, x.daysPastDue, x.bucket, x.open]),
            before: [`Aging by invoice as of ${r.value.asOf}`],
          });
        });
      }
      return query<GetAgingQuery, AgingReport>(new GetAgingQuery(o.asOf, o.buckets, o.currency), (r) => {
        const a = r.value;
        const cur = a.currency ?? 'EUR';
        const f = (m: number) => formatAmount(m, cur);
        const labels = Object.keys(a.buckets);
        const fb = (b: Record<string, number>) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, f(v)]));
        emit(io, o, {
          json: { asOf: a.asOf, currency: a.currency, buckets: fb(a.buckets), total: f(a.total), customers: a.customers.map((c) => ({ customerId: c.customerId, buckets: fb(c.buckets), total: f(c.total) })) },
          head: ['customer', ...labels, 'total'],
          rows: [...a.customers.map((c) => [c.customerId, ...labels.map((l) => f(c.buckets[l])), f(c.total)]), ['TOTAL', ...labels.map((l) => f(a.buckets[l])), f(a.total)]],
          before: [`Aging as of ${a.asOf} (${cur})`],
        });
      });
    });

  cmd.command('statement')
    .description('relevé de compte: opening balance, every movement, closing balance')
    .argument('<customerId>')
    .requiredOption('--from <date>', 'YYYY-MM-DD').requiredOption('--to <date>', 'YYYY-MM-DD')
    .option('--json').option('--csv')
    .action((customerId: string, o: Out & { from: string; to: string }) => query<GetStatementQuery, Statement>(new GetStatementQuery(customerId, o.from, o.to), (r) => {
      const s = statementView(r.value);
      emit(io, o, {
        json: s,
        head: ['date', 'position', 'type', 'piece', 'label', 'debit', 'credit', 'balance'],
        rows: [[s.from, null, 'opening', null, 'Opening balance', null, null, s.opening], ...s.movements.map((m) => [m.date, m.position, m.type, m.pieceRef, m.label, m.debit, m.credit, m.balance]), [s.to, null, 'closing', null, 'Closing balance', s.totalDebit, s.totalCredit, s.closing]],
        before: [`Statement of ${s.customerId} from ${s.from} to ${s.to} (${s.currency})`],
      });
    }));

  cmd.command('dso')
    .description('days sales outstanding over a period')
    .requiredOption('--from <date>', 'YYYY-MM-DD').requiredOption('--to <date>', 'YYYY-MM-DD')
    .addOption(new Option('--method <method>').choices(['simple', 'countback']).default('simple'))
    .option('--currency <code>')
    .option('--json').option('--csv')
    .action((o: Out & { from: string; to: string; method: string; currency?: string }) => query<GetDsoQuery, DsoReport>(new GetDsoQuery(o.from, o.to, o.method, o.currency), (r) => {
      const d = dsoView(r.value);
      emit(io, o, {
        json: d,
        head: ['from', 'to', 'method', 'days', 'receivables', 'credit sales', 'currency', 'DSO (days)'],
        rows: [[d.from, d.to, d.method, d.days, d.receivables, d.creditSales, d.currency, d.dso === null ? 'n/a' : d.dso]],
      });
    }));

  cmd.command('ecl')
    .description('expected credit loss by aging bucket (IFRS 9 simplified approach)')
    .requiredOption('--as-of <date>', 'YYYY-MM-DD')
    .option('--rates <rates>', 'loss rate per bucket, e.g. current=0.3%,1-30=1.6%,31-60=3.6%,61-90=6.6%,90+=10.6% (the default)')
    .option('--currency <code>')
    .option('--json').option('--csv')
    .action((o: Out & { asOf: string; rates?: string; currency?: string }) => query<GetEclQuery, EclReport>(new GetEclQuery(o.asOf, o.rates, o.currency), (r) => {
      const e = eclView(r.value);
      emit(io, o, {
        json: e,
        head: ['bucket', 'balance', 'loss rate', 'expected loss'],
        rows: [...e.buckets.map((b) => [b.bucket, b.balance, b.rate, b.loss]), ['TOTAL', e.totalBalance, null, e.totalLoss]],
        before: [`Expected credit loss as of ${e.asOf} (${e.currency})`],
      });
    }));
}
