import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { parseDate } from '../../../../libs/domain/shared/dates';
import { withApp } from '../app-context';
import { DEMO_DEFAULTS } from '../demo/demo-scenario';
import { runDemoSeed } from '../demo/demo-seed';
import { emit, type Io } from '../io';
import { positiveInt, type Runner } from './shared';

/** `ar demo seed [--customers N --months M --seed S --start DATE]` */
export function demoCommand(program: Command, io: Io, env: NodeJS.ProcessEnv, run: Runner): void {
  const cmd = program.command('demo').description('demonstration data');
  cmd.command('seed')
    .description('a realistic, reproducible dataset (customers of varied risk, invoices, partial and late payments, customer credit) through the real command path')
    .option('--customers <n>', 'number of customers', positiveInt('--customers'), DEMO_DEFAULTS.customers)
    .option('--months <m>', 'months of activity', positiveInt('--months'), DEMO_DEFAULTS.months)
    .option('--seed <s>', 'random seed: the same seed gives the same data (and re-running it appends nothing)', positiveInt('--seed'), DEMO_DEFAULTS.seed)
    .option('--start <date>', 'first day of activity', DEMO_DEFAULTS.start)
    .option('--json')
    .action((o: { customers: number; months: number; seed: number; start: string; json?: boolean }) => run(async () => {
      const start = parseDate(o.start, 'start');
      await withApp(env, true, async ({ app }) => {
        const bar = io.isTTY ? new SingleBar({ stream: io.errStream, format: 'demo seed [{bar}] {value}/{total} commands | ETA {eta_formatted}' }, Presets.shades_classic) : null;
        let started = false;
        const summary = await runDemoSeed(app, { customers: o.customers, months: o.months, seed: o.seed, start }, (done, total) => {
          if (!bar) return;
          if (!started) { bar.start(total, 0); started = true; }
          bar.update(done);
        });
        bar?.stop();
        emit(io, o, {
          json: { ...summary, options: { ...o, start } },
          head: ['customers', 'invoices', 'payments', 'limit changes', 'refused by a rule', 'already present'],
          rows: [[summary.customers, summary.invoices, summary.payments, summary.limitChanges, summary.refused.length, summary.replayed]],
          before: [`Demo data: seed ${o.seed}, ${o.customers} customers, ${o.months} months from ${start} (${summary.steps} commands)`],
          after: summary.alreadySeeded ? [`Seed ${o.seed} was already loaded in this log: nothing appended (use another --seed or a fresh AR_DATA_DIR)`] : summary.refused.length > 0 ? [`Refused (expected for the struggling customers): ${[...new Set(summary.refused.map((r) => r.code))].join(', ')}`] : [],
        });
      });
    }));
}
