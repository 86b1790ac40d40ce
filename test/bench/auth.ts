/**
 * Issue 11: the cost of authentication on the command path, as a ratio measured in the same run. The same
 * real application (SQLite stores in a temp dir) registers customers sequentially through the CommandBus,
 * once as the HTTP edge does it with the AuthGuard first (API key looked up by hash in the key store,
 * permission checked), once without; alternating rounds, best of each. Also the guard alone per call.
 */
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { createApp } from '../../apps/api/src/app.factory';
import { AuthGuard } from '../../apps/api/src/auth/auth.guard';
import { CustomersController } from '../../apps/api/src/customers/customers.controller';
import { RegisterCustomerCommand } from '../../libs/application/commands/customer.commands';
import { loadConfig } from '../../libs/application/config';
import { ApiKeys } from '../../libs/identity/api-keys';
import { FailureLimiter } from '../../libs/identity/failure-limiter';
import { operatorContext, localOperator } from '../../libs/identity/local-operator';
import { atLeast, inTempDir, now, round, scaled, type Result } from './harness';

const KEY = 'ark_bench-admin-key-00000000000000000000000000000000000';

export async function authBenchmark(): Promise<{ results: Record<string, unknown>; checks: Array<[string, Result]> }> {
  return inTempDir('auth', async (dir) => {
    const app = await createApp(loadConfig({ AR_DATA_DIR: dir, AR_CREDIT_HOLD_SCHEDULE: 'off', AR_DUNNING_SCHEDULE: 'off', AR_BOOTSTRAP_API_KEY: KEY }), { logger: false });
    try {
      const bus = app.get(CommandBus);
      const guard = new AuthGuard(new Reflector(), app.get(ApiKeys), new FailureLimiter(10, 60_000), null);
      const req = { headers: { authorization: `Bearer ${KEY}` }, path: '/customers', ip: '127.0.0.1', socket: {} };
      const res = { setHeader: () => undefined };
      const ctx = {
        getType: () => 'http', getHandler: () => CustomersController.prototype.register, getClass: () => CustomersController,
        switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
      } as unknown as ExecutionContext;
      const operator = localOperator();
      let seq = 0;
      const command = async (auth: boolean) => {
        if (auth && !(await guard.canActivate(ctx))) throw new Error('bench key refused');
        const id = `b${++seq}`;
        await bus.execute(new RegisterCustomerCommand(id, 'Bench', 'EUR', 100_000, 30, operatorContext(operator, `bench|${id}`)));
      };
      const n = scaled(500, 100);
      const round_ = async (auth: boolean) => {
        const t = now();
        for (let i = 0; i < n; i++) await command(auth);
        return n / ((now() - t) / 1000);
      };
      await round_(true); // warm-up
      const withAuth: number[] = [];
      const without: number[] = [];
      for (let r = 0; r < 3; r++) {
        without.push(await round_(false));
        withAuth.push(await round_(true));
      }
      const ratio = Math.max(...withAuth) / Math.max(...without);
      const guardUs = await (async () => {
        const m = scaled(5_000, 500);
        const t = now();
        for (let i = 0; i < m; i++) await guard.canActivate(ctx);
        return ((now() - t) * 1000) / m;
      })();
      // The measured ratio carries the durable commits' noise (a few ms each on a shared disk); the guard's own
      // cost per call, against a command's time without it, gives the same ratio without that noise.
      const commandUs = 1_000_000 / Math.max(...without);
      const commandPathRatio = atLeast(ratio, 'commands/s with auth ÷ without (measured)', null);
      const estimatedRatio = atLeast(commandUs / (commandUs + guardUs), 'command time without ÷ with the guard', 0.95);
      return {
        results: {
          commandPathRatio,
          estimatedRatio,
          details: {
            note: 'sequential RegisterCustomer through the CommandBus on SQLite (durable commits), with and without AuthGuard.canActivate (API key by SHA-256 in api-keys.sqlite, permission) before each; best of 3 alternating rounds',
            commandsPerRound: n, withAuthPerSec: withAuth.map(round), withoutPerSec: without.map(round), guardMicrosecondsPerCall: round(guardUs),
          },
        },
        checks: [['auth.estimatedRatio', estimatedRatio]],
      };
    } finally {
      await app.close();
    }
  });
}
