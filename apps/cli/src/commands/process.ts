import type { Command } from 'commander';
import { ProcessManager, type StepRun } from '../../../../libs/application/process-manager';
import { withApp } from '../app-context';
import { CliExit, emit, EXIT, type Io } from '../io';
import type { Runner } from './shared';

const RUN_HEAD = ['position', 'type', 'stream', 'customer', 'outcome', 'error'];
const runRow = (r: StepRun) => [r.position, r.type, r.streamId, r.lane.replace(/^customer:/, ''), r.outcome, r.error ?? null];

/** `ar process status|retry|repair`: the workflow steps the process manager drives (ADR 0045, 0047). */
export function processCommand(program: Command, io: Io, env: NodeJS.ProcessEnv, run: Runner): void {
  const cmd = program.command('process').description('workflow steps (apply allocations, issue reserved numbers, place asked holds): status, retry parked steps, repair orphans');

  cmd.command('status')
    .description("the process manager's checkpoint, lag and parked steps (as saved by the process running it)")
    .option('--json').option('--csv')
    .action((o: { json?: boolean; csv?: boolean }) => run(() => withApp(env, false, async ({ app }) => {
      const s = await app.get(ProcessManager).status();
      emit(io, o, {
        json: s,
        before: [`checkpoint ${s.checkpoint}, head ${s.head}, lag ${s.lag}, ${s.parked.length} parked step(s)`],
        head: ['position', 'type', 'stream', 'customer', 'attempts', 'parkedAt', 'blockedBy', 'error'],
        rows: s.parked.map((p) => [p.position, p.type, `${p.streamId}@${p.revision}`, p.lane.replace(/^customer:/, ''), p.attempts, p.parkedAt, p.blockedBy, p.error]),
      });
    })));

  cmd.command('retry')
    .description('re-run the parked steps, per customer in log order, once their cause is fixed; exit 3 if some stay parked')
    .option('--json')
    .action((o: { json?: boolean }) => run(() => withApp(env, false, async ({ app }) => {
      const runs = await app.get(ProcessManager).retryParked();
      emit(io, o, {
        json: { runs },
        before: [runs.length === 0 ? 'no parked step' : `${runs.filter((r) => r.outcome === 'completed').length} of ${runs.length} parked step(s) completed`],
        head: RUN_HEAD, rows: runs.map(runRow),
      });
      if (runs.some((r) => r.outcome !== 'completed')) throw new CliExit(EXIT.verificationFailed);
    })));

  cmd.command('repair')
    .description('complete, as events, every workflow first step left without its second up to the checkpoint (orphans of earlier versions); exit 3 if some cannot be completed')
    .option('--json')
    .action((o: { json?: boolean }) => run(() => withApp(env, false, async ({ app }) => {
      const { checked, runs } = await app.get(ProcessManager).repairOrphans();
      emit(io, o, {
        json: { checked, runs },
        before: [`${checked} workflow step(s) checked, ${runs.length} orphan(s), ${runs.filter((r) => r.outcome === 'completed').length} completed`],
        head: RUN_HEAD, rows: runs.map(runRow),
      });
      if (runs.some((r) => r.outcome !== 'completed')) throw new CliExit(EXIT.verificationFailed);
    })));
}
