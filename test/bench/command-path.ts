/**
 * The command path's own ceiling, below HTTP (issue 14): the same application the API serves (`createApp`, SQLite
 * stores in a temp dir, the live projector and process manager running), loaded by 32 concurrent callers that
 * `CommandBus.execute` an IssueInvoiceCommand each in a loop — the work of `POST /invoices` minus the HTTP edge
 * (socket, parsing, authentication, validation, the answer) and minus the load generator's share of the cores.
 *
 * What it bounds: if the command path alone, with this whole machine for itself, answers N invoices/s, no
 * framework nor edge can make `POST /invoices` answer more than N/s here. The CPU per invoice counts the load's
 * window and the projector's catch-up to the log head after it (the projections the invoices owe), so it is what
 * one invoice costs the process in all.
 *
 * `node dist/test/bench/command-path.js` runs it alone and prints the JSON; BENCH_CMD_PROFILE=<file.cpuprofile> writes a
 * V8 CPU profile of the load's window and catch-up (not start-up nor seeding), for `profile-summary.js`.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { CommandBus } from '@nestjs/cqrs';
import { createApp } from '../../apps/api/src/app.factory';
import { IssueInvoiceCommand } from '../../libs/application/commands/invoice.commands';
import { RegisterCustomerCommand } from '../../libs/application/commands/customer.commands';
import { loadConfig } from '../../libs/application/config';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port';
import { localOperator, operatorContext } from '../../libs/identity/local-operator';
import { Projector } from '../../libs/projection-runtime/projector';
import { fmt, inTempDir, log, now, quantile, round, scaled, seconds, startCpuProfile } from './harness';

const ISSUE_DATE = '2026-11-30';
const LINES = [{ description: 'Service', quantity: '1', unitPrice: '120.00', taxRate: '0.20' }];

export interface CommandPathLoad {
  /** Concurrent callers, each awaiting its command before the next (as autocannon's connections). */
  callers: number;
  invoices: number;
  seconds: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  /** The process's CPU over the load and the projector's catch-up to the head, per invoice. */
  cpuMsPerInvoice: number;
  /** Of which: the projector's catch-up after the load (what the projector still owed when the load stopped). */
  catchUpMs: number;
  appendedEventsPerInvoice: number;
  /** This machine's ceiling at that cost with every core busy: cores × 1,000 ms ÷ CPU per invoice. */
  coresCeilingPerSec: number;
}

export async function commandPathBenchmark(options: { customers?: number; durationS?: number; callers?: number } = {}): Promise<CommandPathLoad> {
  const customers = options.customers ?? scaled(256, 32);
  const callers = options.callers ?? 32;
  const durationMs = Math.max(1, options.durationS ?? seconds(5)) * 1000;
  return inTempDir('command-path', async (dir) => {
    const app = await createApp(loadConfig({ AR_DATA_DIR: dir, AR_CREDIT_HOLD_SCHEDULE: 'off', AR_DUNNING_SCHEDULE: 'off' }), { logger: false });
    try {
      const bus = app.get(CommandBus);
      const store = app.get<EventStore>(EVENT_STORE);
      const projector = app.get(Projector);
      const operator = localOperator();
      let seq = 0;
      const ctx = (kind: string) => operatorContext(operator, `bench-${kind}-${++seq}`);
      const ids = Array.from({ length: customers }, (_, i) => `bench-c${i}`);
      for (const id of ids) await bus.execute(new RegisterCustomerCommand(id, `Customer ${id}`, 'EUR', 99_999_999_900, 30, ctx('customer'), 'FR'));
      let n = 0;
      const issue = async () => {
        const r = await bus.execute<IssueInvoiceCommand, { status: string }>(
          // A random id, as the API assigns one to a body without `id` (the HTTP bench's invoices have none).
          new IssueInvoiceCommand(randomUUID(), ids[n++ % ids.length], ISSUE_DATE, LINES, ctx('invoice')));
        if (r.status !== 'issued') throw new Error(`invoice not issued: ${JSON.stringify(r)}`);
      };
      const load = async (ms: number): Promise<number[]> => {
        const latencies: number[] = [];
        const until = now() + ms;
        await Promise.all(Array.from({ length: callers }, async () => {
          while (now() < until) {
            const t = now();
            await issue();
            latencies.push(now() - t);
          }
        }));
        return latencies;
      };
      const settle = async () => {
        const head = await store.headPosition();
        if (!(await projector.waitForPosition(head, 120_000))) throw new Error('projector did not reach the head');
      };
      // Warm-up: JIT, caches, every customer's first invoice.
      await load(Math.min(2_000, durationMs));
      await settle();
      const head0 = await store.headPosition();
      const profile = process.env.BENCH_CMD_PROFILE ? await startCpuProfile() : null;
      const cpu = process.cpuUsage();
      const t0 = now();
      const latencies = await load(durationMs);
      const wall = (now() - t0) / 1000;
      const tc = now();
      await settle();
      const catchUpMs = now() - tc;
      const used = process.cpuUsage(cpu);
      if (profile) await profile.stop(process.env.BENCH_CMD_PROFILE!);
      // Positions are opaque (ADR 0061): the store counts the events appended after the load's start.
      const events = await store.countAfter(head0, Number.MAX_SAFE_INTEGER);
      const cpuMsPerInvoice = (used.user + used.system) / 1000 / Math.max(1, latencies.length);
      const sorted = latencies.sort((a, b) => a - b);
      return {
        callers,
        invoices: latencies.length,
        seconds: round(wall),
        perSec: round(latencies.length / wall),
        p50Ms: round(quantile(sorted, 0.5)),
        p99Ms: round(quantile(sorted, 0.99)),
        cpuMsPerInvoice: round(cpuMsPerInvoice),
        catchUpMs: round(catchUpMs),
        appendedEventsPerInvoice: round(events / Math.max(1, latencies.length)),
        coresCeilingPerSec: round((availableParallelism() * 1000) / Math.max(1e-6, cpuMsPerInvoice)),
      };
    } finally {
      await app.close();
    }
  });
}

export const describeCommandPath = (l: CommandPathLoad) =>
  `${fmt(l.perSec)} invoices/s, p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, ${l.cpuMsPerInvoice} ms CPU each (projector catch-up ${l.catchUpMs} ms after the load), ${l.appendedEventsPerInvoice} events each; cores ceiling ${fmt(l.coresCeilingPerSec)}/s`;

if (require.main === module) {
  commandPathBenchmark()
    .then((r) => {
      log(`command path below HTTP, ${r.callers} callers: ${describeCommandPath(r)}`);
      process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    })
    .catch((err) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    });
}
