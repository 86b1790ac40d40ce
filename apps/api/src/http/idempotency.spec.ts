import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { IdempotencyGuard, releaseIdempotencyClaim, RequestFingerprints } from './idempotency';

/** The guard's claim, its release by the error filter and a retry's re-binding (ADR 0044, 0098), without HTTP. */
describe('IdempotencyGuard', () => {
  let dir: string;
  let fingerprints: RequestFingerprints;
  let guard: IdempotencyGuard;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ar-idem-'));
    fingerprints = new RequestFingerprints(join(dir, 'idempotency.sqlite'));
    guard = new IdempotencyGuard(fingerprints);
  });
  afterEach(() => {
    fingerprints.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (amount: string, key = 'k-1') => {
    const req = { method: 'PUT', originalUrl: '/customers/c1/credit-limit', headers: { 'idempotency-key': key }, body: { amount }, principal: { id: 'p1' } } as unknown as Request;
    const res = Object.assign(new EventEmitter(), { statusCode: 200 });
    const context = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ExecutionContext;
    return { req, res, run: () => guard.canActivate(context) };
  };
  const refusedCode = (fn: () => unknown) => {
    try {
      fn();
      return null;
    } catch (err) {
      return ((err as { getResponse(): { code: string } }).getResponse()).code;
    }
  };

  it('binds the key to the first request and refuses another under it', () => {
    expect(write('100.00').run()).toBe(true);
    expect(refusedCode(() => write('200.00').run())).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(write('100.00').run()).toBe(true);
  });

  it('frees the key when the first request fails (the error filter releases it)', () => {
    const first = write('100.00');
    first.run();
    releaseIdempotencyClaim(first.req);
    expect(write('200.00').run()).toBe(true);
  });

  it('re-binds the key when a retry succeeds after its first attempt failed meanwhile', () => {
    const first = write('100.00');
    first.run();
    const retry = write('100.00');
    retry.run();
    releaseIdempotencyClaim(first.req); // the first attempt failed while the retry ran
    retry.res.statusCode = 200;
    retry.res.emit('finish');
    expect(refusedCode(() => write('200.00').run())).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('does not re-bind the key for a retry that failed too', () => {
    const first = write('100.00');
    first.run();
    const retry = write('100.00');
    retry.run();
    releaseIdempotencyClaim(first.req);
    releaseIdempotencyClaim(retry.req);
    retry.res.statusCode = 409;
    retry.res.emit('finish');
    expect(write('200.00').run()).toBe(true);
  });

  it('claims nothing for a read or a request without a key', () => {
    const read = write('100.00');
    (read.req as { method: string }).method = 'GET';
    read.run();
    expect(write('200.00').run()).toBe(true);
    releaseIdempotencyClaim(undefined);
  });
});
