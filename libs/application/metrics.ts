import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DomainError } from '../domain/shared/errors';
import { ConcurrencyError, type EventStore } from '../event-store/event-store.port';
import type { Projector } from '../projection-runtime/projector';
import { eventsAfter, oldestUnapplied } from '../projection-runtime/lag';
import { isTransientStoreError } from '../resilience/retry';
import type { ProcessManager } from './process-manager';

/** Buckets of request and append durations, in seconds: 1 ms to 10 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Lag above this many events is reported as this many (a scrape counts, it never does position arithmetic: ADR 0065). */
export const LAG_COUNT_CAP = 10_000;

export type CommandOutcome = 'ok' | 'invalid' | 'not_found' | 'conflict' | 'rule' | 'unavailable' | 'error';

/** The outcome label of a command's failure, by the same classes the HTTP error filter maps to statuses. */
export function commandOutcome(error: unknown): CommandOutcome {
  if (isTransientStoreError(error)) return 'unavailable';
  if (error instanceof DomainError) return error.kind;
  if (error instanceof ConcurrencyError) return 'conflict';
  return 'error';
}

/**
 * The process's Prometheus metrics (ADR 0065), one registry per application instance (tests run several in one
 * process). Counters and histograms are fed on the request and command paths (an `hrtime` and an observation
 * each); the background work's gauges are read from the stores at scrape time.
 */
export class AppMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly commands: Counter<'command' | 'outcome'>;
  readonly commandDuration: Histogram<'command'>;
  readonly appendDuration: Histogram<'operation'>;

  constructor() {
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'ar_http_request_duration_seconds',
      help: 'HTTP request duration by method, route template (/invoices/:id, or "unmatched") and status code',
      labelNames: ['method', 'route', 'status'], buckets: LATENCY_BUCKETS, registers,
    });
    this.commands = new Counter({
      name: 'ar_commands_total', help: 'Commands handled, by command type and outcome (ok, invalid, not_found, conflict, rule, unavailable, error)',
      labelNames: ['command', 'outcome'], registers,
    });
    this.commandDuration = new Histogram({
      name: 'ar_command_duration_seconds', help: 'Command handling duration (decide and append), by command type',
      labelNames: ['command'], buckets: LATENCY_BUCKETS, registers,
    });
    this.appendDuration = new Histogram({
      name: 'ar_event_store_append_duration_seconds', help: 'Event store append duration: one stream (append) or one all-or-nothing plan (append_many)',
      labelNames: ['operation'], buckets: LATENCY_BUCKETS, registers,
    });
  }

  /** Counts a command's outcome and its duration (`startedAt`: process.hrtime.bigint() when it began). */
  recordCommand(command: string, startedAt: bigint, error?: unknown): void {
    this.commands.inc({ command, outcome: error === undefined ? 'ok' : commandOutcome(error) });
    this.commandDuration.observe({ command }, seconds(startedAt));
  }

  /** Times every append of the store: the instance's own methods are wrapped, so identity and the rest stay. */
  instrumentAppends<T extends EventStore>(store: T): T {
    const append = store.append.bind(store);
    const appendMany = store.appendMany.bind(store);
    const timed = <A extends unknown[], R>(operation: string, fn: (...a: A) => Promise<R>) => async (...args: A): Promise<R> => {
      const started = process.hrtime.bigint();
      try {
        return await fn(...args);
      } finally {
        this.appendDuration.observe({ operation }, seconds(started));
      }
    };
    store.append = timed('append', append);
    store.appendMany = timed('append_many', appendMany);
    return store;
  }

  /** The background work's gauges, read at scrape time from the projector, the process manager and the log. */
  registerBackground(projector: Projector, processManager: ProcessManager, events: EventStore, now: () => number = Date.now): void {
    const registers = [this.registry];
    const projectionStates = ['live', 'catching_up', 'retrying', 'parked', 'stopped'] as const;
    const pmStates = ['live', 'catching_up', 'retrying', 'stopped'] as const;
    const subscriptionStates = ['live', 'retrying', 'stopped'] as const;
    // One scrape reads the status once, whichever gauge asks first.
    let scrape: Promise<Snapshot> | null = null;
    const snapshot = (): Promise<Snapshot> => {
      scrape ??= takeSnapshot(projector, processManager, events, now).finally(() => setImmediate(() => { scrape = null; }));
      return scrape;
    };
    new Gauge({
      name: 'ar_projection_state', help: 'Projection state: 1 for the state it is in (live, retrying, parked, stopped), 0 for the others',
      labelNames: ['projection', 'state'], registers,
      async collect() {
        this.reset();
        for (const p of (await snapshot()).projections) for (const s of projectionStates) this.set({ projection: p.name, state: s }, p.state === s ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ar_projection_lag_events', help: `Events of the log the projection has not applied yet, counted (at most ${LAG_COUNT_CAP})`, labelNames: ['projection'], registers,
      async collect() {
        this.reset();
        for (const p of (await snapshot()).projections) this.set({ projection: p.name }, p.lagEvents);
      },
    });
    new Gauge({
      name: 'ar_projection_lag_seconds', help: 'Age of the oldest event the projection has not applied yet (0 when caught up)', labelNames: ['projection'], registers,
      async collect() {
        this.reset();
        for (const p of (await snapshot()).projections) this.set({ projection: p.name }, p.lagSeconds);
      },
    });
    new Gauge({
      name: 'ar_projection_failures', help: 'Consecutive failed attempts of a retrying projection (0 when live)', labelNames: ['projection'], registers,
      async collect() {
        this.reset();
        for (const p of (await snapshot()).projections) this.set({ projection: p.name }, p.failures);
      },
    });
    new Gauge({
      name: 'ar_projection_rebuilding', help: 'Projections being rebuilt (blue/green, ar projections rebuild): 1 while a building collection exists',
      labelNames: ['projection'], registers,
      async collect() {
        this.reset();
        for (const p of (await snapshot()).projections) this.set({ projection: p.name }, p.rebuildRemaining === null ? 0 : 1);
      },
    });
    new Gauge({
      name: 'ar_projection_rebuild_remaining_events', help: `Events the building collection of a rebuild has still to apply, counted (at most ${LAG_COUNT_CAP}); absent when not rebuilding`,
      labelNames: ['projection'], registers,
      async collect() {
        this.reset();
        for (const p of (await snapshot()).projections) if (p.rebuildRemaining !== null) this.set({ projection: p.name }, p.rebuildRemaining);
      },
    });
    new Gauge({
      name: 'ar_subscription_state', help: 'State of the log subscriptions of this process (projector, process_manager): 1 for the state it is in (live, retrying, stopped)',
      labelNames: ['subscriber', 'state'], registers,
      async collect() {
        this.reset();
        const s = await snapshot();
        for (const st of subscriptionStates) {
          this.set({ subscriber: 'projector', state: st }, s.projectorSubscription === st ? 1 : 0);
          this.set({ subscriber: 'process_manager', state: st }, s.pm.state === st ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: 'ar_process_manager_state', help: 'Process manager state: 1 for the state it is in (live, retrying, stopped)', labelNames: ['state'], registers,
      async collect() {
        const { state } = (await snapshot()).pm;
        for (const s of pmStates) this.set({ state: s }, state === s ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ar_process_manager_lag_events', help: `Events of the log the process manager has not handled yet, counted (at most ${LAG_COUNT_CAP})`, registers,
      async collect() { this.set((await snapshot()).pm.lagEvents); },
    });
    new Gauge({
      name: 'ar_workflow_steps_parked', help: 'Workflow steps parked after failing for a non-transient reason (ar process status; ar process retry once fixed)', registers,
      async collect() { this.set((await snapshot()).pm.parked); },
    });
    new Gauge({
      name: 'ar_workflow_step_retry_attempts', help: 'Attempts of the workflow step being retried (0 when none is)', registers,
      async collect() { this.set((await snapshot()).pm.retryAttempts); },
    });
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

interface Snapshot {
  projections: Array<{ name: string; state: string; failures: number; lagEvents: number; lagSeconds: number; rebuildRemaining: number | null }>;
  projectorSubscription: 'live' | 'retrying' | 'stopped';
  pm: { state: string; lagEvents: number; parked: number; retryAttempts: number };
}

async function takeSnapshot(projector: Projector, processManager: ProcessManager, events: EventStore, now: () => number): Promise<Snapshot> {
  const [statuses, pm] = await Promise.all([projector.status(), processManager.status()]);
  // Projections share checkpoints most of the time: count once per distinct position.
  const counted = new Map<number, Promise<number>>();
  const count = (after: number) => {
    let c = counted.get(after);
    if (!c) { c = eventsAfter(events, after, LAG_COUNT_CAP); counted.set(after, c); }
    return c;
  };
  const ages = new Map<number, Promise<number>>();
  const age = (after: number) => {
    let a = ages.get(after);
    if (!a) {
      a = oldestUnapplied(events, after).then((at) => (at === null ? 0 : Math.max(0, (now() - Date.parse(at)) / 1000)));
      ages.set(after, a);
    }
    return a;
  };
  const projections = await Promise.all(statuses.map(async (p) => ({
    name: p.name, state: p.state, failures: p.failures,
    lagEvents: await count(p.checkpoint),
    lagSeconds: await age(p.checkpoint),
    rebuildRemaining: p.building ? await count(p.building.checkpoint) : null,
  })));
  const running = statuses.filter((p) => p.state !== 'stopped');
  const projectorSubscription = running.length === 0 ? 'stopped' : running.some((p) => p.state === 'retrying') ? 'retrying' : 'live';
  return {
    projections,
    projectorSubscription,
    pm: { state: pm.state, lagEvents: await count(pm.checkpoint), parked: pm.parked.length, retryAttempts: pm.retrying?.attempts ?? 0 },
  };
}

function seconds(startedAt: bigint): number {
  return Number(process.hrtime.bigint() - startedAt) / 1e9;
}

/** The command bus's `execute`, as the instrumentation sees it. */
interface ExecutesCommands {
  execute(command: object, ...rest: unknown[]): Promise<unknown>;
}

/** Counts every command the bus executes (HTTP, CLI, process manager), by its class name and outcome. */
export function instrumentCommandBus(bus: ExecutesCommands, metrics: AppMetrics): void {
  const execute = bus.execute.bind(bus);
  bus.execute = async (command: object, ...rest: unknown[]) => {
    const started = process.hrtime.bigint();
    const name = command.constructor?.name ?? 'unknown';
    try {
      const result = await execute(command, ...rest);
      metrics.recordCommand(name, started);
      return result;
    } catch (err) {
      metrics.recordCommand(name, started, err);
      throw err;
    }
  };
}
