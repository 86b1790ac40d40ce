import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiKeyDecider } from '../domain/security/api-key.decider';
import { DomainError, invalid } from '../domain/shared/errors';
import type { CommandContext } from '../application/command-context';
import type { AppConfig } from '../application/config';
import { EventSourcedRepository } from '../application/event-sourced-repository';
import { APP_CONFIG } from '../application/tokens';
import type { StoredEvent } from '../event-store/event-store.port';
import { KEY_STORE, type ApiKeyRecord, type KeyStore } from './key-store.port';
import { isRole, permissionsOf, ROLES, type Role } from './permissions';
import type { Principal } from './principal';

/** `ark_` + 32 random bytes in base64url: 256 bits, so a plain sha-256 of it is a sufficient stored form (ADR 0040). */
export function generateApiKey(): string {
  return `ark_${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Key names become the events' `actor`: short, visible, no spaces. */
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$/;

export const apiKeyStream = (keyId: string) => `apikey-${keyId}`;

export type KeyCheck = { ok: true; principal: Principal; record: ApiKeyRecord } | { ok: false; reason: 'unknown' | 'revoked' };

/** Last-used instants are written at most this often per key (one write per request would cost the hot path). */
const TOUCH_EVERY_MS = 60_000;

/**
 * API keys: created (shown once), listed, revoked, checked. The key store holds hashes; the log holds the
 * security facts (ApiKeyCreated, ApiKeyRevoked in `apikey-<id>`), never the key or its hash.
 */
@Injectable()
export class ApiKeys {
  private readonly touched = new Map<string, number>();
  private readonly logger = new Logger('ApiKeys');

  constructor(
    @Inject(KEY_STORE) private readonly store: KeyStore,
    private readonly repo: EventSourcedRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(input: { name: unknown; role: unknown; actOnBehalf?: unknown }, via: 'http' | 'cli' | 'bootstrap', ctx: CommandContext, key = generateApiKey()): Promise<{ record: ApiKeyRecord; key: string }> {
    if (typeof input.name !== 'string' || !KEY_NAME.test(input.name)) {
      throw invalid('KEY_NAME_INVALID', 'name must be 1–100 letters, digits, ".", "_", "@" or "-", starting with a letter or digit', 'name');
    }
    if (input.name === 'anonymous' || input.name === 'unknown') throw invalid('KEY_NAME_RESERVED', `"${input.name}" is reserved: it cannot be an actor`, 'name');
    if (!isRole(input.role)) throw invalid('ROLE_UNKNOWN', `role must be one of ${ROLES.join(', ')}`, 'role', { allowed: ROLES });
    if (input.actOnBehalf !== undefined && typeof input.actOnBehalf !== 'boolean') throw invalid('ACT_ON_BEHALF_INVALID', 'actOnBehalf must be true or false', 'actOnBehalf');
    const record = {
      id: randomUUID(), name: input.name, role: input.role, actOnBehalf: input.actOnBehalf === true, createdAt: ctx.recordedAt, createdBy: ctx.actor,
    };
    await this.store.insert(record, hashApiKey(key));
    try {
      await this.repo.handle(apiKeyStream(record.id), apiKeyDecider, ctx, () => ({
        type: 'RecordApiKeyCreated' as const, key: { keyId: record.id, name: record.name, role: record.role, actOnBehalf: record.actOnBehalf, via },
      }));
    } catch (err) {
      // The fact could not be recorded: the key must not exist either.
      await this.store.remove(record.id);
      throw err;
    }
    return { record: { ...record, lastUsedAt: null, revokedAt: null }, key };
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.store.list();
  }

  /** The security facts of every key (ApiKeyCreated, ApiKeyRevoked), in log order, hash chains included. */
  async securityEvents(): Promise<StoredEvent[]> {
    const ids = (await this.store.list()).map((k) => apiKeyStream(k.id));
    return ids.length === 0 ? [] : this.repo.store.readStreams(ids);
  }

  /** Revoked in the store first (refused from the next request on), then recorded in the log. */
  async revoke(id: string, via: 'http' | 'cli', ctx: CommandContext): Promise<ApiKeyRecord> {
    const before = await this.store.get(id);
    if (!before) throw new DomainError('API_KEY_NOT_FOUND', `No API key ${id}`, { keyId: id }, 'not_found');
    await this.store.revoke(id, ctx.recordedAt);
    await this.repo.handle(apiKeyStream(id), apiKeyDecider, ctx, () => ({ type: 'RevokeApiKey' as const, keyId: id, via }));
    return (await this.store.get(id))!;
  }

  /** `hash`: the key's `hashApiKey`, when the caller has already computed it (the guard hashes every credential once). */
  async check(key: string, now: number, hash = hashApiKey(key)): Promise<KeyCheck> {
    const record = await this.store.findByHash(hash);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.revokedAt !== null) return { ok: false, reason: 'revoked' };
    if ((this.touched.get(record.id) ?? -Infinity) + TOUCH_EVERY_MS <= now) {
      this.touched.set(record.id, now);
      await this.store.touch(record.id, new Date(now).toISOString());
    }
    return { ok: true, record, principal: keyPrincipal(record) };
  }

  /**
   * At start-up: AR_BOOTSTRAP_API_KEY becomes the admin key when no active admin key exists; otherwise, on a
   * key store that has never held a key, one admin key is generated, written to <dataDir>/admin-api-key (0600)
   * and returned so that the caller prints it once.
   */
  async bootstrap(ctx: CommandContext): Promise<{ generated: string | null; file: string | null }> {
    const keys = await this.store.list();
    const activeAdmin = keys.some((k) => k.role === 'admin' && k.revokedAt === null);
    const wanted = this.config.bootstrapApiKey;
    if (wanted !== null) {
      if (activeAdmin) return { generated: null, file: null };
      const known = await this.store.findByHash(hashApiKey(wanted));
      if (known) {
        this.logger.warn(`AR_BOOTSTRAP_API_KEY is key ${known.id}, ${known.revokedAt ? 'revoked: it is not restored' : `of role ${known.role}`}; no admin key is active`);
        return { generated: null, file: null };
      }
      await this.create({ name: 'bootstrap-admin', role: 'admin' }, 'bootstrap', ctx, wanted);
      return { generated: null, file: null };
    }
    if (keys.length > 0) return { generated: null, file: null };
    const file = join(this.config.dataDir, 'admin-api-key');
    const { key } = await this.create({ name: 'admin', role: 'admin' }, 'bootstrap', ctx);
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    chmodSync(file, 0o600); // an existing file keeps its mode on write

    return { generated: key, file };
  }
}

export function keyPrincipal(record: ApiKeyRecord): Principal {
  const roles: Role[] = [record.role];
  return { id: `key:${record.id}`, name: record.name, kind: 'api_key', roles, permissions: permissionsOf(roles, record.actOnBehalf) };
}
