/**
 * Growth (issue 14): what one invoice costs for a customer that already holds N open invoices, beside the same
 * invoice for a customer holding none, in the same process (the application `createApp` serves, SQLite stores in a
 * temp dir, projector and process manager running). A wholesaler with thousands of unpaid invoices must not make
 * its own invoices — nor, on one event loop, everybody else's — slower with every invoice it has not paid yet.
 *
 *   node dist/test/bench/busy-customer.js [N,N,…] [DIST]
 *
 * For each N (default 0,2000,8000, ascending) the busy customer is brought to N open invoices (16 at a time), then
 * 200 invoices are issued one at a time for it and 200 for a customer with none, then 50 payments of 1.00 recorded for
 * each, in rounds of 10 alternating the customers (allocated to the oldest open invoice, as a payment without
 * reference is); each figure is wall and process
 * CPU per command, the projector's catch-up included. (The customer "with none" holds the invoices of the points
 * before: 200 per point.) DIST (default: this build) is another build's `dist` folder,
 * for a before/after. One JSON document on stdout. BENCH_BUSY_PROFILE=<file.cpuprofile> writes a V8 CPU profile of the
 * payments at the largest N, both customers' (for `profile-summary.js`).
 */
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { inTempDir, log, now, round, startCpuProfile } from './harness';

const LINES = [{ description: 'Service', quantity: '1', unitPrice: '120.00', taxRate: '0.20' }];
const PER_POINT = 200;

export interface BusyCustomerPoint {
  openInvoices: number;
  busy: { wallMs: number; cpuMs: number };
  idle: { wallMs: number; cpuMs: number };
  /** One payment without reference (allocated oldest first) for each customer. */
  payment: { busy: { wallMs: number; cpuMs: number }; idle: { wallMs: number; cpuMs: number } };
}

const PAYMENTS_PER_POINT = 50;

export async function busyCustomerBenchmark(sizes: readonly number[], dist = join(__dirname, '..', '..')): Promise<BusyCustomerPoint[]> {
  /* eslint-disable @typescript-eslint/no-var-requires */
  const { CommandBus } = require('@nestjs/cqrs');
  const { createApp } = require(join(dist, 'apps/api/src/app.factory'));
  const { IssueInvoiceCommand } = require(join(dist, 'libs/application/commands/invoice.commands'));
  const { RegisterCustomerCommand } = require(join(dist, 'libs/application/commands/customer.commands'));
  const { RecordPaymentCommand } = require(join(dist, 'libs/application/commands/payment.commands'));
  const { loadConfig } = require(join(dist, 'libs/application/config'));
  const { EVENT_STORE } = require(join(dist, 'libs/event-store/event-store.port'));
  const { localOperator, operatorContext } = require(join(dist, 'libs/identity/local-operator'));
  const { Projector } = require(join(dist, 'libs/projection-runtime/projector'));
  /* eslint-enable @typescript-eslint/no-var-requires */
  return inTempDir('busy-customer', async (dir) => {
    const app = await createApp(loadConfig({ AR_DATA_DIR: dir, AR_CREDIT_HOLD_SCHEDULE: 'off', AR_DUNNING_SCHEDULE: 'off' }), { logger: false });
    try {
      const bus = app.get(CommandBus);
      const store = app.get(EVENT_STORE);
      const projector = app.get(Projector);
      const operator = localOperator();
      let seq = 0;
      const ctx = () => operatorContext(operator, `busy-${++seq}`);
      for (const id of ['busy', 'idle']) await bus.execute(new RegisterCustomerCommand(id, `Customer ${id}`, 'EUR', 99_999_999_900, 30, ctx(), 'FR'));
      const issue = async (customerId: string) => {
        const r = await bus.execute(new IssueInvoiceCommand(randomUUID(), customerId, '2026-11-30', LINES, ctx()));
        if (r.status !== 'issued') throw new Error(`invoice not issued: ${JSON.stringify(r)}`);
      };
      const caughtUp = async () => {
        if (!(await projector.waitForPosition(await store.headPosition(), 120_000))) throw new Error('projector did not reach the head');
      };
      const points: BusyCustomerPoint[] = [];
      let open = 0;
      for (const n of [...sizes].sort((a, b) => a - b)) {
        while (open < n) {
          const k = Math.min(16, n - open);
          await Promise.all(Array.from({ length: k }, () => issue('busy')));
          open += k;
        }
        await caughtUp();
        const timed = async (count: number, command: () => Promise<void>) => {
          const cpu = process.cpuUsage();
          const t = now();
          for (let i = 0; i < count; i++) await command();
          await caughtUp();
          const used = process.cpuUsage(cpu);
          return { wallMs: round((now() - t) / count), cpuMs: round((used.user + used.system) / 1000 / count) };
        };
        const pay = async (customerId: string) => {
          const r = await bus.execute(new RecordPaymentCommand(randomUUID(), customerId, '1.00', '2026-11-30', 'transfer', null, undefined, ctx()));
          if (!Array.isArray(r.allocations) || r.allocations.length === 0) throw new Error(`payment not allocated: ${JSON.stringify(r).slice(0, 300)}`);
        };
        const idle = await timed(PER_POINT, () => issue('idle'));
        const busy = await timed(PER_POINT, () => issue('busy'));
        // Payments in rounds of 10, the two customers alternated, so that what the invoices just written leave behind
        // (the read store's WAL until its checkpoint) weighs on both alike.
        const add = (a: { wallMs: number; cpuMs: number }, b: { wallMs: number; cpuMs: number }) => ({ wallMs: a.wallMs + b.wallMs, cpuMs: a.cpuMs + b.cpuMs });
        let paidIdle = { wallMs: 0, cpuMs: 0 };
        let paidBusy = { wallMs: 0, cpuMs: 0 };
        const rounds = PAYMENTS_PER_POINT / 10;
        // BENCH_BUSY_PROFILE=<file.cpuprofile>: a V8 CPU profile of the payments at the largest N.
        const profile = process.env.BENCH_BUSY_PROFILE && n === Math.max(...sizes) ? await startCpuProfile() : null;
        for (let r = 0; r < rounds; r++) {
          paidIdle = add(paidIdle, await timed(10, () => pay('idle')));
          paidBusy = add(paidBusy, await timed(10, () => pay('busy')));
        }
        await profile?.stop(process.env.BENCH_BUSY_PROFILE!);
        const per = (x: { wallMs: number; cpuMs: number }) => ({ wallMs: round(x.wallMs / rounds), cpuMs: round(x.cpuMs / rounds) });
        paidIdle = per(paidIdle);
        paidBusy = per(paidBusy);
        const payment = { idle: paidIdle, busy: paidBusy };
        points.push({ openInvoices: open, busy, idle, payment });
        log(`busy customer: with ${open} open invoices, one invoice ${busy.wallMs} ms (${busy.cpuMs} ms CPU); for a customer with none ${idle.wallMs} ms (${idle.cpuMs} ms CPU); one payment ${payment.busy.wallMs} ms (${payment.busy.cpuMs} ms CPU) against ${payment.idle.wallMs} ms (${payment.idle.cpuMs} ms CPU)`);
        open += PER_POINT;
      }
      return points;
    } finally {
      await app.close();
    }
  });
}

if (require.main === module) {
  const sizes = (process.argv[2] ?? '0,2000,8000').split(',').map(Number);
  const dist = process.argv[3] ? resolve(process.argv[3]) : undefined;
  busyCustomerBenchmark(sizes, dist)
    .then((points) => process.stdout.write(JSON.stringify({ points }, null, 2) + '\n'))
    .catch((error) => {
      process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exit(1);
    });
}
