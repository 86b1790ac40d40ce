import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseHeadsFile, verifyLog, type LogVerification } from '../../../../libs/application/reporting/log-verification';
import { EVENT_STORE, type EventStore } from '../../../../libs/event-store/event-store.port';
import { ProcessManager } from '../../../../libs/application/process-manager';
import { withApp } from '../app-context';
import { CliExit, EXIT, invalidOption, type Io } from '../io';
import type { Runner } from './shared';

/** `ar verify [--heads FILE] [--json]`: the whole log's hash chains, and the heads of an earlier export. */
export function verifyCommand(program: Command, io: Io, env: NodeJS.ProcessEnv, run: Runner): void {
  program.command('verify')
    .description('recompute the hash chain of every stream in the log; with --heads, check that every head of an earlier `ar export heads` is still there, unchanged (exit 3 otherwise)')
    .option('--heads <file>', 'a file written by `ar export heads`')
    .option('--json', 'machine-readable JSON')
    .action((o: { heads?: string; json?: boolean }) => run(async () => {
      let text: string | null = null;
      if (o.heads !== undefined) {
        try {
          text = readFileSync(o.heads, 'utf8');
        } catch (error) {
          throw invalidOption(`--heads: cannot read ${o.heads}: ${(error as Error).message}`);
        }
      }
      const heads = text === null ? null : parseHeadsFile(text, o.heads!).heads;
      await withApp(env, false, async ({ app }) => {
        // Workflow completeness up to where the process manager has been (steps after it are in flight).
        const { checkpoint } = await app.get(ProcessManager).status();
        const v = await verifyLog(app.get<EventStore>(EVENT_STORE), heads, { workflows: { caughtUpTo: checkpoint } });
        if (o.json) io.out(JSON.stringify(v, null, 2) + '\n');
        else io.out(verdict(v) + '\n');
        if (!v.verified) {
          if (o.json) io.err(verdict(v) + '\n');
          throw new CliExit(EXIT.verificationFailed);
        }
      });
    }));
}

function verdict(v: LogVerification): string {
  const heads = v.headsChecked === null ? '' : `, ${v.headsChecked} heads matched`;
  const w = v.workflows;
  const flows = w ? `, ${w.checked} workflow steps complete up to position ${w.caughtUpTo}${w.inFlight > 0 ? ` (${w.inFlight} after it in flight)` : ''}` : '';
  if (v.firstBreak === null && (w === undefined || w.orphans.length === 0)) return `verified ${v.events} events in ${v.streams} streams${heads}${flows}`;
  const lines: string[] = [];
  const b = v.firstBreak;
  if (b !== null) lines.push(`BROKEN: stream ${b.streamId}, revision ${b.revision} (${b.position === null ? 'missing from the log' : `position ${b.position}`}, ${b.reason})`);
  if (w && w.orphans.length > 0) {
    lines.push(`INCOMPLETE: ${w.orphans.length} workflow step(s) without their follow-up (complete them with \`ar process repair\`):`);
    for (const o of w.orphans) lines.push(`  position ${o.position} ${o.type} (${o.streamId}@${o.revision}, customer ${o.customerId}): missing ${o.missing}`);
  }
  return lines.join('\n');
}
