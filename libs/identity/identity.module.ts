import { Global, Module } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../application/config';
import { APP_CONFIG } from '../application/tokens';
import { MongoKeyStore } from './adapters/mongodb/mongodb-key-store';
import { SqliteKeyStore } from './adapters/sqlite/sqlite-key-store';
import { ApiKeys } from './api-keys';
import { FailureLimiter } from './failure-limiter';
import { KEY_STORE } from './key-store.port';
import { OidcVerifier } from './oidc';

export const OIDC_VERIFIER = Symbol('OIDC_VERIFIER');

/** Identity: the key store (SQLite beside the log, or MongoDB with the MongoDB read store; ADR 0040), API keys, the OIDC verifier, the failure limiter. */
@Global()
@Module({
  providers: [
    {
      provide: KEY_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        // Several API instances share a MongoDB read store: they must share the keys too.
        if (config.readStore === 'mongodb') return new MongoKeyStore({ uri: config.mongodbUri!, database: config.mongodbKeysDatabase });
        mkdirSync(config.dataDir, { recursive: true });
        return new SqliteKeyStore(join(config.dataDir, 'api-keys.sqlite'));
      },
    },
    { provide: OIDC_VERIFIER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => (config.oidc ? new OidcVerifier(config.oidc) : null) },
    { provide: FailureLimiter, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new FailureLimiter(config.authMaxFailures, config.authFailureWindowMs) },
    ApiKeys,
  ],
  exports: [KEY_STORE, OIDC_VERIFIER, FailureLimiter, ApiKeys],
})
export class IdentityModule {}
