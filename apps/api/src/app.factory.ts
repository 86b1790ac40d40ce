import { INestApplication } from '@nestjs/common';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppMetrics } from '../../../libs/application/metrics';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { BackgroundWorkers } from '../../../libs/application/application.module';
import type { AppConfig } from '../../../libs/application/config';
import { AppModule } from './app.module';
import { serveConsole } from './http/console';
import { configureEdge, inSequence } from './http/edge';
import { ErrorFilter } from './http/error.filter';
import { createHttpLogger, httpMetrics } from './http/observability';
import { validationPipe } from './http/validation';
import { completeOpenApi, type CapturedExample } from './http/api-contract';
import OPENAPI_EXAMPLES from './http/openapi-examples.json';

export interface CreateAppOptions {
  /** `false`: no logs at all (tests), unless `logStream` is given. */
  logger?: false;
  /** Where the JSON logs go (default: stdout, asynchronously). */
  logStream?: DestinationStream;
}

/** Builds and initialises the HTTP API, projector and process manager started (used by main and the e2e tests). */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const quiet = options.logger === false && options.logStream === undefined;
  const httpLogger = createHttpLogger(quiet ? { logLevel: 'silent' } : config, options.logStream);
  // bodyParser off: the edge installs the only parser (JSON, bounded), no urlencoded forms.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, httpLogger.logger), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(PinoNestLogger));
  // Ends the buffering of bufferLogs: the start-up lines go out, and every later Nest log is a JSON line.
  app.flushLogs();
  // First of all middleware: a request the edge refuses has its request id and its access line too.
  // One Express layer (ADR 0098): the request id and access line, the HTTP histogram.
  app.use(inSequence(httpLogger as never, httpMetrics(app.get(AppMetrics))));
  configureEdge(app, config);
  serveConsole(app);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ErrorFilter(config.retryAfterSeconds));
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle('Accounts-receivable engine')
    .setDescription('Commands and read models over HTTP. Amounts are decimal strings, dates YYYY-MM-DD. '
      + 'Every route but /health and /docs needs `Authorization: Bearer <API key or OIDC token>` (roles: docs/security.md; each operation\'s `x-permission`). '
      + 'Writes take `Content-Type: application/json` (or no body) and accept `Idempotency-Key` (same principal, key and request → same response, nothing appended twice; '
      + 'same key, another request → 422 IDEMPOTENCY_KEY_REUSED). '
      + 'Errors are `{code, message, details}`. Reads wait for the projections to pass every acknowledged write '
      + '(header X-Read-Model-Consistency: fresh|stale).')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  // Every operation's response schemas, errors and examples (ADR 0070): completed once, served at /docs-json.
  SwaggerModule.setup('docs', app, () => completeOpenApi(SwaggerModule.createDocument(app, doc) as unknown as Record<string, unknown>, OPENAPI_EXAMPLES as Record<string, CapturedExample>) as never);
  await app.init();
  await app.get(BackgroundWorkers).start();
  return app;
}
