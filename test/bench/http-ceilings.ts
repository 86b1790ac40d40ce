/**
 * The HTTP bench's ceiling servers (issue 14), each started in its own child process like the API so that client
 * and server share the cores exactly as in the API's loads:
 *
 *   node http-ceilings.js node   a bare `node:http` server answering a fixed small JSON (the machine's HTTP ceiling
 *                                with the load generator on the same cores);
 *   node http-ceilings.js nest   a bare NestJS app, same platform and adapter as the API (Express), one route, no
 *                                middleware, no guard, no pipe, no logger: the framework's own floor;
 *   node http-ceilings.js nest2  the same app in two event loops (node:cluster, two workers sharing the port): what a
 *                                second loop buys on this machine with the load generator on the same cores.
 *   node http-ceilings.js fastify  the same bare app on @nestjs/platform-fastify instead of Express (ADR 0099): the
 *                                floor a port would start from. Not a dependency of the project: the row runs
 *                                when the package resolves (from node_modules, or from BENCH_FASTIFY_DIR, a folder
 *                                whose node_modules hold @nestjs/platform-fastify with its own @nestjs/core).
 *
 * Both print `listening on` when ready (what the bench waits for). PORT is read from the environment.
 */
import 'reflect-metadata';
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** The same small document both servers answer: about the size of a balance read's body. */
export const CEILING_BODY = { customerId: 'bench-c0', currency: 'EUR', balance: '120.00', overdue: '0.00', asOf: '2026-11-30' };

@Controller()
class CeilingController {
  @Get('ceiling')
  ceiling() {
    return CEILING_BODY;
  }
}

@Module({ controllers: [CeilingController] })
class CeilingModule {}

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  const mode = process.argv[2];
  if (mode === 'node') {
    const body = JSON.stringify(CEILING_BODY);
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    server.keepAliveTimeout = 5_000;
    server.listen(port, '127.0.0.1', () => process.stdout.write(`node:http ceiling listening on ${port}\n`));
    process.once('SIGTERM', () => server.close(() => process.exit(0)));
    return;
  }
  if (mode === 'nest2' && cluster.isPrimary) {
    let ready = 0;
    for (let i = 0; i < 2; i++) {
      cluster.fork({ PORT: String(port) }).on('message', (m) => {
        if (m === 'ready' && ++ready === 2) process.stdout.write(`bare Nest ceiling, two event loops, listening on ${port}\n`);
      });
    }
    process.once('SIGTERM', () => {
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
      process.exit(0);
    });
    return;
  }
  if (mode === 'nest' || mode === 'nest2') {
    const app = await NestFactory.create<NestExpressApplication>(CeilingModule, { logger: false, bodyParser: false });
    app.enableShutdownHooks();
    await app.listen(port, '127.0.0.1');
    if (cluster.isWorker) process.send?.('ready');
    else process.stdout.write(`bare Nest ceiling listening on ${port}\n`);
    return;
  }
  if (mode === 'fastify') {
    const from = fastifyAdapterPath();
    if (!from) throw new Error('@nestjs/platform-fastify is not installed (see BENCH_FASTIFY_DIR)');
    // The adapter's own @nestjs/core: an adapter and a NestFactory from two copies of Nest do not mix.
    const core = require(require.resolve('@nestjs/core', { paths: [from] })) as typeof import('@nestjs/core');
    const { FastifyAdapter } = require(from) as { FastifyAdapter: new () => never };
    const app = await core.NestFactory.create(CeilingModule, new FastifyAdapter(), { logger: false });
    app.enableShutdownHooks();
    await app.listen(port, '127.0.0.1');
    process.stdout.write(`bare Nest + Fastify ceiling listening on ${port}\n`);
    return;
  }
  throw new Error(`usage: http-ceilings node|nest|nest2|fastify (got ${mode})`);
}

/** Where @nestjs/platform-fastify resolves from (the project, else BENCH_FASTIFY_DIR), or null. */
export function fastifyAdapterPath(): string | null {
  for (const paths of [undefined, process.env.BENCH_FASTIFY_DIR ? [process.env.BENCH_FASTIFY_DIR] : null]) {
    if (paths === null) continue;
    try {
      return require.resolve('@nestjs/platform-fastify', paths ? { paths } : undefined);
    } catch {
      // not here
    }
  }
  return null;
}

if (require.main === module) main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
