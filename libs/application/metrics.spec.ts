import { DomainError } from '../domain/shared/errors';
import { ConcurrencyError, type EventStore } from '../event-store/event-store.port';
import { eventsAfter } from '../projection-runtime/lag';
import { AppMetrics, commandOutcome, instrumentCommandBus } from './metrics';
import { ReadinessChecks } from './readiness';

describe('metrics (ADR 0065)', () => {
  it('classifies a command outcome as the error filter maps statuses', () => {
    expect(commandOutcome(new DomainError('X', 'x', {}, 'rule'))).toBe('rule');
    expect(commandOutcome(new DomainError('X', 'x', {}, 'invalid'))).toBe('invalid');
    expect(commandOutcome(new DomainError('X', 'x', {}, 'not_found'))).toBe('not_found');
    expect(commandOutcome(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe('unavailable');
    expect(commandOutcome(new ConcurrencyError('s', 1, 2))).toBe('conflict');
    expect(commandOutcome(new TypeError('bug'))).toBe('error');
  });

  it('counts commands by class name and outcome, and lets the result and the error through', async () => {
    class PayCommand {}
    const metrics = new AppMetrics();
    const bus = { execute: async (c: object) => { if ((c as { fail?: boolean }).fail) throw new DomainError('NO', 'no', {}, 'rule'); return 42; } };
    instrumentCommandBus(bus, metrics);
    expect(await bus.execute(new PayCommand())).toBe(42);
    await expect(bus.execute(Object.assign(new PayCommand(), { fail: true }))).rejects.toThrow('no');
    const text = await metrics.metrics();
    expect(text).toMatch(/^ar_commands_total\{command="PayCommand",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^ar_commands_total\{command="PayCommand",outcome="rule"\} 1$/m);
    expect(text).toMatch(/^ar_command_duration_seconds_count\{command="PayCommand"\} 2$/m);
  });

  it('times appends on the store instance itself (same object, other methods untouched)', async () => {
    const metrics = new AppMetrics();
    const store = { append: async () => ({ nextRevision: 0, position: 1 }), appendMany: async () => [], headPosition: async () => 1 } as unknown as EventStore;
    const head = store.headPosition;
    expect(metrics.instrumentAppends(store)).toBe(store);
    await store.append('s', 'no_stream', []);
    await store.appendMany([]);
    expect(store.headPosition).toBe(head);
    const text = await metrics.metrics();
    expect(text).toMatch(/^ar_event_store_append_duration_seconds_count\{operation="append"\} 1$/m);
    expect(text).toMatch(/^ar_event_store_append_duration_seconds_count\{operation="append_many"\} 1$/m);
  });
});

describe('lag counted, not subtracted (ADR 0065)', () => {
  // Positions as EventStoreDB gives them: byte offsets, far apart. 3 events after the checkpoint 200, whatever 9000 − 200 says.
  const positions = [100, 200, 4100, 6000, 9000];
  const store = { readAll: async (after: number, max: number) => positions.filter((p) => p > after).slice(0, max).map((position) => ({ position, metadata: { recordedAt: '2026-12-01T00:00:00Z' } })) } as unknown as EventStore;

  it('counts the events after a checkpoint, up to a cap', async () => {
    expect(await eventsAfter(store, 200, 10_000)).toBe(3);
    expect(await eventsAfter(store, -1, 10_000)).toBe(5);
    expect(await eventsAfter(store, 9000, 10_000)).toBe(0);
    expect(await eventsAfter(store, -1, 2)).toBe(2);
  });
});

describe('ReadinessChecks (ADR 0065)', () => {
  it('registers named checks, replaces by name, and a removal removes only its own', () => {
    const checks = new ReadinessChecks();
    const a = () => ({ up: true });
    const b = () => ({ up: false });
    const removeA = checks.register('lease', a);
    checks.register('lease', b);
    removeA();
    expect(checks.list()).toEqual([['lease', b]]);
    expect(() => checks.register('has space', a)).toThrow(/identifier/);
  });
});
