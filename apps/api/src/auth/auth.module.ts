import { Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '../../../../libs/application/config';
import { APP_CONFIG } from '../../../../libs/application/tokens';
import { ApiKeys } from '../../../../libs/identity/api-keys';
import { operatorContext } from '../../../../libs/identity/local-operator';
import { ApiKeysController } from './api-keys.controller';
import { AuthGuard } from './auth.guard';
import { SecurityEventsController } from './security-events.controller';

/** The principal recorded on facts the API process writes by itself (the bootstrap admin key). */
const SYSTEM = { id: 'system:api', name: 'system:api', kind: 'local' as const, roles: [], permissions: new Set<never>() };

/**
 * Authentication and authorisation of the HTTP API: the global guard, the key admin routes, and the bootstrap
 * of the first admin key (AR_BOOTSTRAP_API_KEY, or one generated and printed once).
 */
@Module({
  controllers: [ApiKeysController, SecurityEventsController],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule implements OnApplicationBootstrap {
  constructor(private readonly keys: ApiKeys, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const now = new Date().toISOString();
    const { generated, file } = await this.keys.bootstrap(operatorContext(SYSTEM, `bootstrap-admin-key|${now}`, now));
    if (generated) {
      // Printed once, on purpose to stdout (not the logger, which may be off or shipped elsewhere).
      process.stdout.write(`\nAdmin API key (shown once; also written to ${file}, mode 0600):\n  ${generated}\n`
        + `Use it as: Authorization: Bearer <key>. Create keys for people and apps with POST /admin/api-keys or \`ar keys create\`.\n\n`);
      new Logger('Auth').log(`Generated the first admin API key (${file})`);
    }
  }
}
