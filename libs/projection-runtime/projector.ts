import type { EventStore, StoredEvent, Subscription } from '../event-store/event-store.port';
import type { ReadStore } from '../read-store/read-store.port';
import { batchCommitted, DEFAULT_FLUSH_POLICY, forgetCached, liveDocCache, prepareBatch, type FlushPolicy, type PreparedBatch } from './apply-batch';
import { buildingKey, liveKey } from './generations';
import { describeError, followForeignSwap, LIVE_TTL_MS, openSlot, type Slot } from './live-slot';
import { PositionWaiters } from './position-waiters';
import { ResilientFollower, type FollowHealth } from './resilient-subscription';
import { DEFAULT_RETRY_POLICY, describeFailure, isTransientStoreError, type RetryPolicy } from '../resilience/retry';
import { ProjectionError } from './apply-batch';
import type { Projection } from './projection';
import { rebuildProjections, verifyProjection, type RebuildHost, type RebuildProgress, type RebuildStager, type VerifyResult } from './rebuilder';

export interface ProjectorLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProjectorOptions {
  eventStore: EventStore;
  readStore: ReadStore;
  projections: readonly Projection[];
  /** Events per live batch (one getMany per projection, one commitBatches for all of them per batch, ADR 0102). */
  batchSize?: number;
  /** Events per `readAll` when rebuilding. */
  rebuildBatchSize?: number;
  /** Memory and time budgets of a rebuild's buffered writes (default DEFAULT_FLUSH_POLICY, ADR 0026). */
  rebuildFlush?: Partial<FlushPolicy>;
  logger?: ProjectorLogger;
  /**
   * Backoff between attempts after a store error, and attempts before a non-transient one parks the projection
   * (ADR 0045); default DEFAULT_RETRY_POLICY.
   */
  retry?: Partial<RetryPolicy>;
  /** Draws the backoff jitter, in [0, 1) (default Math.random; injected by tests). */
  random?: () => number;
}

/**
 * `live`: following the log; `catching_up`: reading the log up to its end (at start, after a resubscription);
 * `retrying`: a store error — it resumes from its checkpoint after a backoff, nothing
 * skipped; `parked`: the projection's own code threw on an event, or a non-transient store error persisted
 * `maxAttempts` times — it stays stopped at its checkpoint until a fix is deployed (restart) or it is rebuilt;
 * `stopped`: this process does not run it (a CLI, or the API with AR_PROJECTOR=off): checkpoint and lag as stored.
 */
export type ProjectionState = 'live' | 'catching_up' | 'retrying' | 'parked' | 'stopped';

export interface ProjectionStatus {
  name: string;
  version: number;
  collection: string | null;
  checkpoint: number;
  head: number;
  lag: number;
  state: ProjectionState;
  /** Consecutive failed attempts while retrying (0 when live). */
  failures: number;
  lastError: string | null;
  building: { collection: string; checkpoint: number } | null;
}

/** Thrown out of a delivery when a projection failed to write it: the follower resubscribes from the checkpoints. */
class SlotsRetrying extends Error {
  constructor(readonly failures: string[]) {
    super(`Projection store error, retrying — ${failures.join('; ')}`);
  }
}

/** Most events counted for a lag: beyond it the status says LAG_COUNT_CAP (far behind either way). */
export const LAG_COUNT_CAP = 10_000;

const SILENT: ProjectorLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Runs projections: keeps each projection's live collection up to date from the log (batched: every projection's
 * batch and checkpoint in one read-store transaction, ADR 0102), and rebuilds/verifies them blue/green.
 */
export class Projector implements RebuildHost {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly rebuildBatchSize: number;
  readonly rebuildFlush: FlushPolicy;
  private readonly projections: readonly Projection[];
  private readonly batchSize: number;
  private readonly logger: ProjectorLogger;
  private readonly slots = new Map<string, Slot>();
  private readonly liveCache = new Map<string, { collection: string | null; at: number }>();
  private readonly waiters = new PositionWaiters();
  private lock: Promise<unknown> = Promise.resolve();
  private subscription: Subscription | null = null;
  private follower: ResilientFollower | null = null;
  private readonly random: () => number;
  private readonly retry: RetryPolicy;
  /** Last failure to read or follow the log itself (every projection retries), null once a delivery succeeds. */
  private logError: { error: string; failures: number } | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly jobs = new Set<string>();
  /** Last position the live loop has processed (for re-reading after a swap done elsewhere). */
  private delivered = -1;

  constructor(options: ProjectorOptions) {
    this.eventStore = options.eventStore;
    this.readStore = options.readStore;
    this.projections = options.projections;
    this.batchSize = options.batchSize ?? 2000;
    this.rebuildBatchSize = options.rebuildBatchSize ?? 10_000;
    this.rebuildFlush = { ...DEFAULT_FLUSH_POLICY, ...options.rebuildFlush };
    this.logger = options.logger ?? SILENT;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.random = options.random ?? Math.random;
    const names = new Set(this.projections.map((p) => p.name));
    if (names.size !== this.projections.length) throw new Error('Projection names must be unique');
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.stopped = false;
    for (const p of this.projections) {
      const slot = await openSlot(this, p, this.logger);
      // This process is the live collection's one writer while it runs the slot: it keeps what it last committed.
      slot.cache = liveDocCache(slot.collection);
      this.slots.set(p.name, slot);
      this.liveCache.set(p.name, { collection: slot.collection, at: Date.now() });
    }
    this.running = Promise.resolve(this.run());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await this.subscription?.close();
    await this.lock;
    this.subscription = null;
    this.running = null;
    this.slots.clear();
    this.waiters.cancelAll();
  }

  /** Physical collection queries should read for a projection (null before its first start). */
  async liveCollection(name: string): Promise<string | null> {
    const cached = this.liveCache.get(name);
    if (cached && Date.now() - cached.at < LIVE_TTL_MS) return cached.collection;
    const collection = (await this.readStore.getMeta(liveKey(name))) || null;
    this.liveCache.set(name, { collection, at: Date.now() });
    return collection;
  }

  /** True as soon as every live projection (or the named ones) has applied `position`; false on timeout. */
  async waitForPosition(position: number, timeoutMs: number, names?: readonly string[]): Promise<boolean> {
    if (await this.reached(position, names)) return true;
    return this.waiters.wait(position, names, timeoutMs, () => this.reached(position, names));
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.eventStore.headPosition();
    const lags = new Map<number, Promise<number>>();
    // Lag in events, counted by the store (positions are opaque: no head − checkpoint, ADR 0061), at most LAG_COUNT_CAP.
    const lagOf = (checkpoint: number) => lags.get(checkpoint) ?? lags.set(checkpoint, this.eventStore.countAfter(checkpoint, LAG_COUNT_CAP)).get(checkpoint)!;
    const result: ProjectionStatus[] = [];
    for (const p of this.projections) {
      const slot = this.slots.get(p.name);
      const collection = slot?.collection ?? (await this.liveCollection(p.name));
      const checkpoint = slot?.checkpoint ?? (collection ? (await this.readStore.getCheckpoint(collection))?.position ?? -1 : -1);
      const buildingCollection = await this.readStore.getMeta(buildingKey(p.name));
      const building = buildingCollection && buildingCollection !== collection
        ? { collection: buildingCollection, checkpoint: (await this.readStore.getCheckpoint(buildingCollection))?.position ?? -1 }
        : null;
      const lag = await lagOf(checkpoint);
      const failures = slot?.failed ? 0 : Math.max(slot?.failures ?? 0, this.logError?.failures ?? 0);
      const following = this.follower?.health().state;
      const state: ProjectionState = !slot ? 'stopped' : slot.failed ? 'parked' : failures > 0 || following === 'retrying' ? 'retrying'
        : following === 'catching_up' && lag > 0 ? 'catching_up' : 'live';
      const lastError = slot?.lastError ?? (state === 'retrying' ? this.logError?.error ?? null : null);
      result.push({ name: p.name, version: p.version, collection, checkpoint, head, lag, state, failures, lastError, building });
    }
    return result;
  }

  /**
   * The log subscription's state in this process (catching_up, live, retrying with the last error), null when this
   * process does not project: what GET /projections, readiness and the metrics read (ADR 0061).
   */
  subscriptionHealth(): FollowHealth | null {
    return this.follower && this.running ? this.follower.health() : null;
  }

  /**
   * Blue/green rebuild of the named projections (default: all), resuming an interrupted one. With a `stager`, the
   * fresh generations are built by it (e.g. on worker threads, ADR 0119) before this process catches them up and swaps.
   */
  async rebuild(names?: readonly string[], onProgress?: (p: RebuildProgress) => void, stager?: RebuildStager): Promise<void> {
    const projections = this.select(names);
    await this.claim(projections.map((p) => `rebuild:${p.name}`), () => rebuildProjections(this, projections, onProgress, stager));
  }

  /** Rebuilds into a scratch collection and compares it with the live documents. */
  async verify(name: string): Promise<VerifyResult> {
    const [p] = this.select([name]);
    return this.claim([`verify:${name}`], () => verifyProjection(this, p));
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.lock.then(fn);
    this.lock = result.catch(() => undefined);
    return result;
  }

  swapped(name: string, collection: string, checkpoint: number): void {
    this.liveCache.set(name, { collection, at: Date.now() });
    const slot = this.slots.get(name);
    if (slot) {
      Object.assign(slot, { collection, checkpoint, failed: false, failures: 0, lastError: null, checkedAt: Date.now() });
      forgetCached(slot);
    }
    this.notify();
  }

  async liveState(name: string): Promise<{ collection: string; checkpoint: number }> {
    const slot = this.slots.get(name);
    if (slot) return { collection: slot.collection, checkpoint: slot.checkpoint };
    const collection = await this.readStore.getMeta(liveKey(name));
    if (!collection) throw new Error(`Projection ${name} has no live collection`);
    return { collection, checkpoint: (await this.readStore.getCheckpoint(collection))?.position ?? -1 };
  }

  /**
   * Catch up with large reads, then follow the log with the store's subscription. A store error (reading the
   * log, or writing a projection's batch) drops the subscription: after a capped backoff everything resumes
   * from the lowest checkpoint of the projections not parked; nothing is skipped (ADR 0045).
   */
  private run(): void {
    const follower = new ResilientFollower({
      store: this.eventStore,
      policy: this.retry,
      random: this.random,
      from: () => this.minCheckpoint(),
      catchUp: async () => {
        let from = this.minCheckpoint();
        this.delivered = Math.max(this.delivered, from);
        for (;;) {
          if (this.stopped) return;
          const events = await this.eventStore.readAll(from, this.batchSize);
          if (events.length === 0) break;
          await this.exclusive(() => this.applyLive(events));
          follower.healthy();
          from = events[events.length - 1].position;
        }
      },
      onEvents: async (events) => {
        for (let i = 0; i < events.length && !this.stopped; i += this.batchSize) {
          await this.exclusive(() => this.applyLive(events.slice(i, i + this.batchSize)));
        }
      },
      onFailure: (error, failures, delayMs) => {
        if (!(error instanceof SlotsRetrying)) this.logError = { error: describeFailure(error), failures };
        this.logger.warn(`Projector: ${describeFailure(error)}; attempt ${failures + 1} from the checkpoints in ${delayMs} ms`);
      },
      onRecovered: () => {
        this.logError = null;
        this.logger.log('Projector: following the log again');
      },
    });
    this.subscription = follower;
    this.follower = follower;
  }

  /**
   * One log batch for every live projection: each reads and evolves its documents in memory, then all of them are
   * written in ONE read-store transaction with their checkpoints (`commitBatches`, ADR 0102), instead of a commit per
   * projection. A projection whose code throws is parked; one whose batch alone fails to write is rolled back alone
   * and retried. Stores without `commitBatches` get one `commitBatch` per projection, as before.
   */
  private async applyLive(events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0 || this.stopped) return;
    const at = new Date().toISOString();
    const retrying: string[] = [];
    // All projections write to the one read store: once it answered busy, locked or unreachable, the others are not
    // tried in this round (each would wait out the busy timeout, synchronously on SQLite, freezing the process for
    // projections × timeout); they resume with it from their checkpoints after the backoff.
    let storeDown: string | null = null;
    const notTried = (slot: Slot) => {
      forgetCached(slot);
      slot.lastError = `not tried, the read store is unavailable: ${storeDown}`;
      retrying.push(`${slot.projection.name}: ${slot.lastError}`);
    };
    const failed = (slot: Slot, error: unknown) => {
      if (this.failed(slot, error, retrying) && storeDown === null) storeDown = slot.lastError;
    };
    const prepared: Array<{ slot: Slot; batch: PreparedBatch }> = [];
    for (const slot of this.slots.values()) {
      if (slot.failed) continue;
      if (storeDown !== null) {
        notTried(slot);
        continue;
      }
      try {
        if (await followForeignSwap(this, slot, this.delivered, this.logger)) {
          this.liveCache.set(slot.projection.name, { collection: slot.collection, at: Date.now() });
        }
        const batch = await prepareBatch(this.readStore, slot, events);
        if (batch === null) this.succeeded(slot);
        else prepared.push({ slot, batch });
      } catch (error) {
        failed(slot, error);
      }
    }
    if (storeDown !== null) {
      for (const { slot } of prepared) notTried(slot);
    } else if (prepared.length > 0 && this.readStore.commitBatches) {
      let outcomes: Awaited<ReturnType<NonNullable<ReadStore['commitBatches']>>> | null = null;
      try {
        outcomes = await this.readStore.commitBatches(prepared.map(({ slot, batch }) => ({ projection: slot.collection, changes: batch.changes, checkpoint: batch.checkpoint })), at);
      } catch (error) {
        for (const { slot } of prepared) failed(slot, error);
      }
      if (outcomes !== null) {
        for (let i = 0; i < prepared.length; i++) {
          const { slot, batch } = prepared[i];
          const outcome = outcomes[i];
          if (outcome === null) this.committed(slot, batch);
          else failed(slot, outcome.error);
        }
      }
    } else {
      for (const { slot, batch } of prepared) {
        if (storeDown !== null) {
          notTried(slot);
          continue;
        }
        try {
          await this.readStore.commitBatch(slot.collection, batch.changes, batch.checkpoint, at);
          this.committed(slot, batch);
        } catch (error) {
          failed(slot, error);
        }
      }
    }
    this.delivered = Math.max(this.delivered, events[events.length - 1].position);
    this.notify();
    // A projection that could not write its batch is behind the others: re-read from the lowest checkpoint.
    if (retrying.length > 0) throw new SlotsRetrying(retrying);
    this.logError = null;
  }

  private committed(slot: Slot, batch: PreparedBatch): void {
    batchCommitted(slot, batch);
    slot.checkpoint = batch.checkpoint;
    this.succeeded(slot);
  }

  private succeeded(slot: Slot): void {
    if (slot.failures > 0) {
      this.logger.log(`Projection ${slot.projection.name} recovered at ${slot.checkpoint} after ${slot.failures} failed attempt(s)`);
      slot.failures = 0;
    }
    slot.lastError = null;
  }

  /** Records a slot's failure: parked, or retrying. True when the error says the store itself is unavailable. */
  private failed(slot: Slot, error: unknown, retrying: string[]): boolean {
    forgetCached(slot); // its batch was not committed: only the store knows what it holds
    slot.lastError = describeFailure(error);
    // Its own code refused an event (the same event fails the same way on every attempt), or a store error that is
    // not transient kept failing: parked. A transient one (busy, locked, unreachable) is retried for as long as it lasts.
    if (error instanceof ProjectionError || (!isTransientStoreError(error) && slot.failures + 1 >= this.retry.maxAttempts)) {
      slot.failed = true;
      slot.failures = 0;
      this.logger.error(`Projection ${slot.projection.name} parked at ${slot.checkpoint}: ${slot.lastError}`);
      return false;
    }
    slot.failures += 1;
    retrying.push(`${slot.projection.name}: ${slot.lastError}`);
    return isTransientStoreError(error);
  }

  private notify(): void {
    this.waiters.notify((position, names) => this.reachedInMemory(position, names));
  }

  private reachedInMemory(position: number, names: readonly string[] | undefined): boolean {
    if (this.slots.size === 0) return false;
    for (const slot of this.slots.values()) {
      if ((!names || names.includes(slot.projection.name)) && slot.checkpoint < position) return false;
    }
    return true;
  }

  /** In-process state when running; otherwise the checkpoints in the read store (another process projects). */
  private async reached(position: number, names: readonly string[] | undefined): Promise<boolean> {
    if (this.slots.size > 0) return this.reachedInMemory(position, names);
    for (const p of this.projections) {
      if (names && !names.includes(p.name)) continue;
      const live = await this.liveCollection(p.name);
      const checkpoint = live ? (await this.readStore.getCheckpoint(live))?.position ?? -1 : -1;
      if (checkpoint < position) return false;
    }
    return true;
  }

  private minCheckpoint(): number {
    const active = [...this.slots.values()].filter((s) => !s.failed).map((s) => s.checkpoint);
    return active.length > 0 ? Math.min(...active) : -1;
  }

  /** One rebuild (or verify) of a projection at a time in this process: they would share a collection. */
  private async claim<T>(jobs: string[], fn: () => Promise<T>): Promise<T> {
    const busy = jobs.filter((job) => this.jobs.has(job));
    if (busy.length > 0) throw new Error(`Already running: ${busy.join(', ')}`);
    for (const job of jobs) this.jobs.add(job);
    try {
      return await fn();
    } finally {
      for (const job of jobs) this.jobs.delete(job);
    }
  }

  private select(names: readonly string[] | undefined): Projection[] {
    if (!names) return [...this.projections];
    return names.map((name) => {
      const p = this.projections.find((q) => q.name === name);
      if (!p) throw new Error(`Unknown projection ${name}`);
      return p;
    });
  }
}
