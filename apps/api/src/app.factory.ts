import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { BackgroundWorkers } from '../../../libs/application/application.module';
import type { AppConfig } from '../../../libs/application/config';
import { AppModule } from './app.module';
import { ErrorFilter } from './http/error.filter';
import { validationPipe } from './http/validation';

/** Builds and initialises the HTTP API, projector and process manager started (used by main and the e2e tests). */
export async function createApp(config: AppConfig, options: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: options.logger ?? ['log', 'warn', 'error'] });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ErrorFilter());
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle('Accounts-receivable engine')
    .setDescription('Commands and read models over HTTP. Amounts are decimal strings, dates YYYY-MM-DD. '
      + 'Every route but /health and /docs needs `Authorization: Bearer <API key or OIDC token>` (roles: docs/security.md; each operation\'s `x-permission`). '
      + 'Writes accept `Idempotency-Key` (same principal and key → same response, nothing appended twice). '
      + 'Errors are `{code, message, details}`. Reads wait for the projections to pass every acknowledged write '
      + '(header X-Read-Model-Consistency: fresh|stale).')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc));
  await app.init();
  await app.get(BackgroundWorkers).start();
  return app;
}
