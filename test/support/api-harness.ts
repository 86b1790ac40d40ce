import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../apps/api/src/app.factory';
import { loadConfig } from '../../libs/application/config';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port';
import { Projector } from '../../libs/projection-runtime/projector';

export interface Harness {
  app: INestApplication;
  dataDir: string;
  http(): ReturnType<typeof request>;
  head(): Promise<number>;
  projector(): Projector;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Boots the real API (SQLite stores in a temp dir) in-process, for supertest. */
export async function startApi(dataDir = mkdtempSync(join(tmpdir(), 'ar-e2e-')), env: Record<string, string> = {}): Promise<Harness> {
  const boot = async () => {
    // The daily credit-hold run is off in tests: they trigger it over HTTP with an explicit date.
    const app = await createApp(loadConfig({ AR_DATA_DIR: dataDir, AR_READ_WAIT_MS: '5000', AR_CREDIT_HOLD_SCHEDULE: 'off', AR_DUNNING_SCHEDULE: 'off', ...env }), { logger: false });
    await app.init();
    return app;
  };
  const h: Harness = {
    app: await boot(),
    dataDir,
    http: () => request(h.app.getHttpServer()),
    head: () => h.app.get<EventStore>(EVENT_STORE).headPosition(),
    projector: () => h.app.get(Projector),
    restart: async () => {
      await h.app.close();
      h.app = await boot();
    },
    close: async () => {
      await h.app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

export const line = (unitPrice: string, quantity = '1', taxRate = '0.20', description = 'Service') => ({ description, quantity, unitPrice, taxRate });
