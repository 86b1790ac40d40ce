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

/** The admin key every harness boots with (AR_BOOTSTRAP_API_KEY): `h.http()` sends it by default. */
export const ADMIN_KEY = 'ark_test-admin-key-0000000000000000000000000000000000';

export interface TestKey {
  id: string;
  name: string;
  role: string;
  key: string;
}

export interface Harness {
  app: INestApplication;
  dataDir: string;
  /** Requests as the bootstrap admin (Authorization: Bearer ADMIN_KEY); a test's own .set('Authorization') wins. */
  http(): ReturnType<typeof request>;
  /** Requests with this API key or token. */
  as(credential: string): ReturnType<typeof request>;
  /** Requests without credentials. */
  anonymous(): ReturnType<typeof request>;
  /** Creates an API key of a role through the admin API (name defaults to the role plus a counter). */
  createKey(role: string, name?: string, options?: { actOnBehalf?: boolean }): Promise<TestKey>;
  head(): Promise<number>;
  projector(): Projector;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The seller every harness prints on documents unless a test sets an AR_COMPANY_* variable itself.
 * SIREN 732829320 (Luhn sum 30), VAT key (12 + 3 × (732829320 mod 97)) mod 97 = 44.
 */
export const TEST_COMPANY_ENV: Record<string, string> = {
  AR_COMPANY_NAME: 'Atelier Durand SAS', AR_COMPANY_LEGAL_FORM: 'SAS', AR_COMPANY_SHARE_CAPITAL: '50 000 EUR', AR_COMPANY_RCS: 'RCS Lyon',
  AR_COMPANY_SIREN: '732829320', AR_COMPANY_VAT_NUMBER: 'FR44732829320', AR_COMPANY_ADDRESS: '12 rue de la République',
  AR_COMPANY_POSTCODE: '69002', AR_COMPANY_CITY: 'Lyon', AR_COMPANY_COUNTRY: 'FR', AR_COMPANY_IBAN: 'FR7630006000011234567890189', AR_COMPANY_BIC: 'AGRIFRPP',
};

/** Boots the real API (SQLite stores in a temp dir) in-process, for supertest. */
export async function startApi(dataDir = mkdtempSync(join(tmpdir(), 'ar-e2e-')), env: Record<string, string> = {}): Promise<Harness> {
  const boot = async () => {
    // The daily credit-hold run is off in tests: they trigger it over HTTP with an explicit date.
    const app = await createApp(loadConfig({ AR_DATA_DIR: dataDir, AR_READ_WAIT_MS: '5000', AR_CREDIT_HOLD_SCHEDULE: 'off', AR_DUNNING_SCHEDULE: 'off', AR_BOOTSTRAP_API_KEY: ADMIN_KEY, ...(Object.keys(env).some((k) => k.startsWith('AR_COMPANY_')) ? {} : TEST_COMPANY_ENV), ...env }), { logger: false });
    await app.init();
    return app;
  };
  let keys = 0;
  const h: Harness = {
    app: await boot(),
    dataDir,
    http: () => h.as(ADMIN_KEY),
    as: (credential) => request.agent(h.app.getHttpServer()).set('Authorization', `Bearer ${credential}`),
    anonymous: () => request(h.app.getHttpServer()),
    createKey: async (role, name = `${role}-${++keys}`, options = {}) => {
      const res = await h.http().post('/admin/api-keys').send({ name, role, ...options });
      if (res.status !== 201) throw new Error(`creating a ${role} key: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as TestKey;
    },
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
