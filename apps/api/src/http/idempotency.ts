import { CanActivate, ExecutionContext, Global, HttpStatus, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Request, Response } from 'express';
import type { AppConfig } from '../../../../libs/application/config';
import { privateDir, privateFile } from '../../../../libs/application/data-dir';
import { APP_CONFIG } from '../../../../libs/application/tokens';
import { edgeError } from './edge';
import { holdIdempotencyClaim } from './idempotency-claim';

export { releaseIdempotencyClaim } from './idempotency-claim';

/**
 * Idempotency-Key reuse (ADR 0044). The first request that uses a key records a fingerprint of itself
 * (method, path with query, canonical JSON body); a later request with the same key and another fingerprint
 * is refused with 422 IDEMPOTENCY_KEY_REUSED before it runs. The fingerprint is independent of the command
 * id (which decides *what* a retry replays): this only decides *whether* a request may be a retry at all.
 */
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const HEADER_VALUE = /^[\x21-\x7e]{1,200}$/;

/** JSON with object keys sorted at every level: the same body, however its keys were ordered. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>).sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  // An absent body and `{}` are one request: clients differ in whether they send it.
  const canonical = canonicalJson(body === undefined ? {} : body);
  return createHash('sha256').update(`${method.toUpperCase()}\n${path}\n${canonical}`).digest('hex');
}

/**
 * The principal a key belongs to: keys are per principal, so two callers never collide on a key.
 * Set by the AuthGuard (apps/api/src/auth), the global guard, which runs before the route's IdempotencyGuard.
 */
export function idempotencyScope(req: Request): string {
  const principal = (req as Request & { principal?: { id?: unknown } }).principal;
  return typeof principal?.id === 'string' ? principal.id : '';
}

export type Claim =
  | { outcome: 'new'; token: string }
  | { outcome: 'same' }
  | { outcome: 'different'; first: { method: string; path: string; at: string } };

/** `<dataDir>/idempotency.sqlite`: one row per (principal, key), the fingerprint of its first request. */
export class RequestFingerprints {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly remove: Database.Statement;

  constructor(path: string) {
    privateFile(path);
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL: survives kill -9; a power cut may lose the last rows, and those keys fall back to ADR 0008.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000'); // two API processes on one data directory
    this.db.exec(`CREATE TABLE IF NOT EXISTS request_fingerprints (
      scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
      first_seen_at TEXT NOT NULL, claim TEXT NOT NULL, PRIMARY KEY (scope, key)) WITHOUT ROWID`);
    this.insert = this.db.prepare('INSERT INTO request_fingerprints VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
    this.select = this.db.prepare('SELECT fingerprint, method, path, first_seen_at AS at FROM request_fingerprints WHERE scope = ? AND key = ?');
    this.remove = this.db.prepare('DELETE FROM request_fingerprints WHERE scope = ? AND key = ? AND claim = ?');
  }

  /** Atomic: of two concurrent first uses, one inserts and the other compares with it. */
  claim(scope: string, key: string, fingerprint: string, method: string, path: string, at: string): Claim {
    const token = randomUUID();
    if (this.insert.run(scope, key, fingerprint, method, path, at, token).changes === 1) return { outcome: 'new', token };
    const row = this.select.get(scope, key) as { fingerprint: string; method: string; path: string; at: string } | undefined;
    if (!row) return this.claim(scope, key, fingerprint, method, path, at);
    return row.fingerprint === fingerprint ? { outcome: 'same' } : { outcome: 'different', first: { method: row.method, path: row.path, at: row.at } };
  }

  /** The first request failed (4xx/5xx, nothing written): the key is free again. */
  release(scope: string, key: string, token: string): void {
    this.remove.run(scope, key, token);
  }

  /** A retry succeeded after its first attempt released the key: bind the key again. */
  keep(scope: string, key: string, fingerprint: string, method: string, path: string, at: string): void {
    this.insert.run(scope, key, fingerprint, method, path, at, randomUUID());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * The check, as a route guard attached by `@ApiCommand` (ADR 0098): guards run after the AuthGuard (the key is
 * per principal) and before the pipes, so a reused key is refused before validation, as when this was an
 * interceptor, without the interceptor's rxjs pipeline and per-request `AsyncResource.bind`. The outcome of
 * the write is seen where it is decided: the error filter releases a fresh claim of a failed write (before it
 * answers), and a retry (`same`) that succeeds re-binds its key when its answer is finished (the first attempt
 * may have failed and released it meanwhile).
 */
@Injectable()
export class IdempotencyGuard implements CanActivate {
  constructor(private readonly fingerprints: RequestFingerprints) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const key = req.headers['idempotency-key'];
    // A malformed key is refused by the command decorator (HEADER_MALFORMED); nothing to bind here.
    if (!WRITES.has(req.method) || typeof key !== 'string' || !HEADER_VALUE.test(key)) return true;
    const scope = idempotencyScope(req);
    const path = req.originalUrl;
    const fingerprint = requestFingerprint(req.method, path, req.body);
    const at = new Date().toISOString();
    const claim = this.fingerprints.claim(scope, key, fingerprint, req.method, path, at);
    if (claim.outcome === 'different') {
      throw edgeError(HttpStatus.UNPROCESSABLE_ENTITY, 'IDEMPOTENCY_KEY_REUSED',
        `Idempotency-Key was first used for another request (${claim.first.method} ${claim.first.path} at ${claim.first.at}); use a new key for a new request`,
        { field: 'Idempotency-Key', firstRequest: claim.first });
    }
    if (claim.outcome === 'new') {
      holdIdempotencyClaim(req, () => this.fingerprints.release(scope, key, claim.token));
    } else {
      let failed = false;
      holdIdempotencyClaim(req, () => { failed = true; });
      const res = context.switchToHttp().getResponse<Response>();
      res.once('finish', () => {
        if (!failed && res.statusCode < 400) this.fingerprints.keep(scope, key, fingerprint, req.method, path, at);
      });
    }
    return true;
  }
}

@Injectable()
class FingerprintsLifecycle implements OnApplicationShutdown {
  constructor(@Inject(RequestFingerprints) private readonly fingerprints: RequestFingerprints) {}

  onApplicationShutdown(): void {
    this.fingerprints.close();
  }
}

/**
 * The fingerprint store and the guard, for every module's controllers. The guard is attached to the writes only,
 * by `@ApiCommand` (ADR 0094, 0098): reads never pay for a check that returns at once on GET.
 */
@Global()
@Module({
  providers: [
    {
      provide: RequestFingerprints,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        privateDir(config.dataDir);
        return new RequestFingerprints(join(config.dataDir, 'idempotency.sqlite'));
      },
    },
    IdempotencyGuard,
    FingerprintsLifecycle,
  ],
  exports: [RequestFingerprints, IdempotencyGuard],
})
export class IdempotencyModule {}
