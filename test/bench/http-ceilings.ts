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
  throw new Error(`usage: http-ceilings node|nest|nest2 (got ${mode})`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
