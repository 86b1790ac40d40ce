import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backoffMs, DEFAULT_RETRY_POLICY, isTransientStoreError, Sleeper } from './retry';

describe('retry rules (ADR 0045)', () => {
  it('backs off exponentially from the base and never beyond the cap', () => {
    // 100 · 2^(n−1): 100, 200, 400, 800, 1600, 3200, then capped at 5000.
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffMs(DEFAULT_RETRY_POLICY, n))).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    expect(backoffMs({ baseDelayMs: 20, maxDelayMs: 200 }, 0)).toBe(20);
  });

  it('calls a real SQLite busy error transient (a second connection holding BEGIN EXCLUSIVE)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ar-busy-'));
    const path = join(dir, 'x.sqlite');
    const holder = new Database(path);
    holder.pragma('journal_mode = WAL');
    holder.exec('CREATE TABLE t (x)');
    holder.exec('BEGIN EXCLUSIVE');
    const writer = new Database(path, { timeout: 10 });
    let caught: unknown = null;
    try {
      writer.exec('INSERT INTO t VALUES (1)');
    } catch (error) {
      caught = error;
    } finally {
      holder.exec('COMMIT');
      holder.close();
      writer.close();
      rmSync(dir, { recursive: true, force: true });
    }
    expect((caught as { code?: string }).code).toMatch(/^SQLITE_BUSY/);
    expect(isTransientStoreError(caught)).toBe(true);
  });

  it('tells transient store errors from everything else', () => {
    const transient = [
      Object.assign(new Error('database table is locked'), { code: 'SQLITE_LOCKED_SHAREDCACHE' }),
      Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' }),
      Object.assign(new Error('write'), { errorLabels: ['RetryableWriteError'] }),
      Object.assign(new Error('unavailable'), { type: 'unavailable' }),
      new Error('wrapped', { cause: Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }) }),
    ];
    const permanent = [
      new Error('refused'), Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }), Object.assign(new Error('x'), { code: 'PAYMENT_EXCEEDS_OUTSTANDING' }),
      'text', null, undefined, 42,
    ];
    expect(transient.map(isTransientStoreError)).toEqual(transient.map(() => true));
    expect(permanent.map(isTransientStoreError)).toEqual(permanent.map(() => false));
  });

  it('a cancelled sleep ends at once', async () => {
    const sleeper = new Sleeper();
    const started = Date.now();
    const sleeping = sleeper.sleep(10_000);
    sleeper.cancel();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
