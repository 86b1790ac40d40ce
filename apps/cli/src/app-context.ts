import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApplicationModule, BackgroundWorkers } from '../../../libs/application/application.module';
import { loadConfig, type AppConfig } from '../../../libs/application/config';

export interface CliContext {
  app: INestApplicationContext;
  config: AppConfig;
}

/**
 * Boots the same composition root as the API, as a Nest application context (no HTTP): same configuration,
 * same command and query handlers. `workers`: run the projector and process manager in this process too
 * (as the API does, unless AR_PROJECTOR=off), so commands see fresh read models.
 */
export async function withApp<T>(env: NodeJS.ProcessEnv, workers: boolean, fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig(env);
  const app = await NestFactory.createApplicationContext(ApplicationModule.forRoot(config), { logger: ['error'], abortOnError: false });
  try {
    await app.init();
    if (workers) await app.get(BackgroundWorkers).start();
    return await fn({ app, config });
  } finally {
    await app.close();
  }
}
