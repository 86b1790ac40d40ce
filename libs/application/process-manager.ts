import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { invoiceDecider } from '../domain/invoice/invoice.decider';
import type { InvoiceNumberReserved } from '../domain/invoice/invoice-numbering.events';
import type { PaymentAllocated } from '../domain/payment/payment.events';
import { streams } from '../domain/shared/ids';
import { EVENT_STORE, type EventStore, type StoredEvent } from '../event-store/event-store.port';
import { type ReadStore } from '../read-store/read-store.port';
import { causedBy, identityOf } from './command-context';
import { ApplyPaymentCommand } from './commands/invoice.commands';
import { allocationCommandId } from './commands/payment.commands';
import { UnapplyPaymentCommand, unapplyCommandId } from './commands/collection.commands';
import type { PaymentDeallocated } from '../domain/payment/payment.collection.events';
import type { CreditNoteAllocated, CreditNoteIssued, CreditNoteNumberReserved } from '../domain/credit-note/credit-note.events';
import type { DisputeResolved } from '../domain/invoice/invoice.collection.events';
import { creditNoteDecider } from '../domain/credit-note/credit-note.decider';
import { applyCreditNoteEvents, creditNoteForDispute } from './commands/credit-note.commands';
import type { ReminderSent } from '../domain/invoice/invoice.collection.events';
import { CREDIT_HOLDS, type CreditHolds, DunningMailer } from './dunning/dunning';
import type { PaymentPlanEvent } from '../domain/payment-plan/payment-plan.events';
import { paymentPlanDecider } from '../domain/payment-plan/payment-plan.decider';
import { applyPlanEvents } from './commands/payment-plan.commands';
import { EventSourcedRepository } from './event-sourced-repository';
import { ConcurrencyError } from '../event-store/event-store.port';
import { DomainError } from '../domain/shared/errors';
import { backoffMs, DEFAULT_RETRY_POLICY, describeFailure, isTransientStoreError, Sleeper, type RetryPolicy } from '../resilience/retry';
import { ResilientFollower, type FollowHealth } from '../projection-runtime/resilient-subscription';
import { LAG_COUNT_CAP } from '../projection-runtime/projector';
import { APP_CONFIG, WORKER_READ_STORE } from './tokens';
import type { AppConfig } from './config';
import { findOrphans } from './reporting/workflow-orphans';
import { loadParkedSteps, loadProcessManagerCheckpoint, PROCESS_MANAGER_CHECKPOINT_KEY, processManagerCheckpointText, writeParkedSteps, type ParkedStep } from './parked-steps';

export type { ParkedStep } from './parked-steps';


/** The events that start a workflow step (the step is the follow-up command or append). */
export const WORKFLOW_EVENT_TYPES: ReadonlySet<string> = new Set([
  'PaymentAllocated', 'PaymentDeallocated', 'CreditNoteIssued', 'CreditNoteAllocated', 'DisputeResolved',
  'PaymentPlanAgreed', 'PaymentPlanBroken', 'PaymentPlanCompleted', 'ReminderSent', 'CreditNoteNumberReserved', 'InvoiceNumberReserved',
]);

export interface RetryingStep {
  position: number;
  eventId: string;
  type: string;
  lane: string;
  attempts: number;
  transient: boolean;
  error: string;
  nextAttemptInMs: number;
}

export interface ProcessManagerStatus {
  /**
   * `live`: following; `catching_up`: reading the log to its end (at start, after a resubscription); `retrying`: a
   * step (or the log, or its checkpoint) is failing and is being retried; `stopped`.
   */
  state: 'live' | 'catching_up' | 'retrying' | 'stopped';
  checkpoint: number;
  head: number;
  lag: number;
  retrying: RetryingStep | null;
  parked: ParkedStep[];
  lastError: string | null;
}

/** Outcome of re-running steps (`ar process retry`, `ar process repair`). */
export interface StepRun {
  position: number;
  type: string;
  streamId: string;
  lane: string;
  outcome: 'completed' | 'failed' | 'skipped';
  error?: string;
}

class Stopped extends Error {
  constructor() {
    super('process manager stopped');
  }
}

/** The customer a step belongs to (its lane); every workflow event carries it. */
export function laneOf(e: StoredEvent): string {
  const customerId = (e.data as { customerId?: unknown }).customerId;
  return typeof customerId === 'string' ? `customer:${customerId}` : `stream:${e.streamId}`;
}

/** Worth another attempt without anyone fixing anything: a busy or unreachable store, a lost race. */
export function isRetryableStepError(error: unknown): boolean {
  if (isTransientStoreError(error) || error instanceof ConcurrencyError) return true;
  return error instanceof DomainError && (error.code === 'CONCURRENCY_CONFLICT' || error.code === 'READ_MODEL_BEHIND');
}

/**
 * Drives the cross-aggregate steps from the log, idempotently:
 * - PaymentAllocated → ApplyPayment on the invoice (command id derived from payment + invoice);
 * - InvoiceNumberReserved without its invoice → write the InvoiceIssued it carries (same event ids); …
 * The command path performs the same steps synchronously; this catches up after a crash or a failure between appends.
 *
 * No step is passed over (ADR 0045): a failing step is retried with capped backoff; a transient failure (busy or
 * unreachable store) is retried until it succeeds, holding the checkpoint; a step failing for another reason
 * `maxAttempts` times is parked (persisted in the read store, shown in status) and later steps of the same
 * customer are parked behind it, in order, while other customers' steps go on. The checkpoint is saved after each
 * batch whose every step completed or was parked; replaying a batch is harmless because every step is idempotent.
 */
@Injectable()
export class ProcessManager {
  private readonly logger = new Logger('ProcessManager');
  private follower: ResilientFollower | null = null;
  private readonly sleeper = new Sleeper();
  private readonly policy: RetryPolicy;
  private stopped = true;
  private checkpoint = -1;
  /** Parked steps by position, as last read from or written to the read store. */
  private parked = new Map<number, ParkedStep>();
  private retrying: RetryingStep | null = null;
  lastError: string | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(WORKER_READ_STORE) private readonly meta: ReadStore,
    private readonly commandBus: CommandBus,
    private readonly repo: EventSourcedRepository,
    private readonly mailer: DunningMailer,
    @Inject(CREDIT_HOLDS) private readonly holds: CreditHolds,
    @Optional() @Inject(APP_CONFIG) config?: AppConfig,
  ) {
    this.policy = config?.stepRetry ?? DEFAULT_RETRY_POLICY;
  }

  /**
   * Finishes the backlog (steps interrupted by a crash) before the API serves, then follows the log. If the backlog
   * meets a failing step, start() returns once it is being retried (the API serves meanwhile, and says so in status).
   */
  async start(): Promise<void> {
    this.stopped = false;
    await this.untilStarted();
    let settle!: () => void;
    const started = new Promise<void>((resolve) => { settle = resolve; });
    this.onRetrying = settle;
    this.follower = new ResilientFollower({
      store: this.events,
      policy: this.policy,
      from: () => this.checkpoint,
      catchUp: async () => {
        // Multi-stream appends a crash cut short (EventStoreDB only, ADR 0030) are finished before their follow-on steps.
        const finished = await this.events.completeInterruptedAppends();
        if (finished > 0) this.logger.warn(`Finished ${finished} multi-stream append(s) interrupted by a crash`);
        for (;;) {
          const batch = await this.events.readAll(this.checkpoint, 1000);
          if (batch.length === 0 || this.stopped) break;
          await this.process(batch);
        }
        settle();
      },
      onEvents: (batch) => this.process(batch),
      onFailure: (error, failures, delayMs) => {
        if (error instanceof Stopped) return;
        this.lastError = `reading the log: ${describeFailure(error)}`;
        this.retrying = { position: this.checkpoint, eventId: '', type: 'log', lane: '', attempts: failures, transient: isTransientStoreError(error), error: this.lastError, nextAttemptInMs: delayMs };
        this.logger.warn(`${this.lastError}; resuming after ${this.checkpoint} in ${delayMs} ms`);
        settle();
      },
      onRecovered: () => { this.retrying = null; },
    });
    await started;
    this.onRetrying = null;
  }

  /** Called once the first retry begins, so that start() does not wait for a store to come back. */
  private onRetrying: (() => void) | null = null;

  private async untilStarted(): Promise<void> {
    for (let failures = 1; ; failures++) {
      try {
        this.checkpoint = await loadProcessManagerCheckpoint(this.meta);
        this.parked = await loadParkedSteps(this.meta);
        return;
      } catch (error) {
        if (!isTransientStoreError(error) || this.stopped) throw error;
        this.logger.warn(`reading the checkpoint: ${describeFailure(error)}`);
        await this.sleeper.sleep(backoffMs(this.policy, failures));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeper.cancel();
    await this.follower?.close();
    this.follower = null;
  }

  /** The log subscription's state in this process, null when stopped (GET /projections, readiness, metrics). */
  subscriptionHealth(): FollowHealth | null {
    return !this.stopped && this.follower ? this.follower.health() : null;
  }

  async status(): Promise<ProcessManagerStatus> {
    const head = await this.events.headPosition();
    const running = !this.stopped && this.follower !== null;
    let checkpoint = this.checkpoint;
    if (!running) {
      // Another process (the API, a worker) runs it: what it has saved.
      checkpoint = await loadProcessManagerCheckpoint(this.meta);
    }
    // As saved: `ar process retry` in another process may have unparked steps.
    let parked: ParkedStep[];
    try {
      parked = [...(await loadParkedSteps(this.meta)).values()];
    } catch {
      parked = [...this.parked.values()];
    }
    parked.sort((a, b) => a.position - b.position);
    const following = running ? this.follower?.health().state : undefined;
    // Lag in events, counted by the store: positions are opaque (ADR 0061).
    const lag = await this.events.countAfter(checkpoint, LAG_COUNT_CAP);
    return {
      state: !running ? 'stopped' : this.retrying || following === 'retrying' ? 'retrying' : following === 'catching_up' && lag > 0 ? 'catching_up' : 'live',
      checkpoint, head, lag,
      retrying: this.retrying, parked, lastError: this.lastError,
    };
  }

  private async process(batch: readonly StoredEvent[]): Promise<void> {
    for (const e of batch) {
      if (this.stopped) throw new Stopped();
      await this.handle(e);
    }
    const position = batch[batch.length - 1].position;
    await this.persistently('saving the checkpoint', () => this.meta.setMeta(PROCESS_MANAGER_CHECKPOINT_KEY, processManagerCheckpointText(position)));
    this.checkpoint = position;
    this.retrying = null;
  }

  private async handle(e: StoredEvent): Promise<void> {
    if (!WORKFLOW_EVENT_TYPES.has(e.type) || this.parked.has(e.position)) return;
    const lane = laneOf(e);
    const blocker = await this.blockerOf(lane);
    if (blocker !== null) {
      await this.park(e, lane, 0, `waiting behind the parked step at position ${blocker} of the same customer`, blocker);
      return;
    }
    for (let attempts = 1; ; attempts++) {
      try {
        await this.runStep(e);
        if (this.retrying?.position === e.position) this.retrying = null;
        return;
      } catch (error) {
        if (this.stopped) throw new Stopped();
        const transient = isRetryableStepError(error);
        const message = describeFailure(error);
        this.lastError = `${e.type}@${e.position}: ${message}`;
        if (!transient && attempts >= this.policy.maxAttempts) {
          this.logger.error(`${this.lastError}; parked after ${attempts} attempts`);
          await this.park(e, lane, attempts, message, null);
          this.retrying = null;
          return;
        }
        const delay = backoffMs(this.policy, attempts);
        this.retrying = { position: e.position, eventId: e.id, type: e.type, lane, attempts, transient, error: message, nextAttemptInMs: delay };
        this.logger.warn(`${this.lastError}; attempt ${attempts + 1} in ${delay} ms`);
        this.onRetrying?.();
        await this.sleeper.sleep(delay);
        if (this.stopped) throw new Stopped();
      }
    }
  }

  /** The earliest parked step of a lane, re-read from the store (`ar process retry` may have cleared it elsewhere). */
  private async blockerOf(lane: string): Promise<number | null> {
    if (![...this.parked.values()].some((p) => p.lane === lane)) return null;
    this.parked = await this.persistently('reading parked steps', () => loadParkedSteps(this.meta));
    const positions = [...this.parked.values()].filter((p) => p.lane === lane).map((p) => p.position);
    return positions.length === 0 ? null : Math.min(...positions);
  }

  private async park(e: StoredEvent, lane: string, attempts: number, error: string, blockedBy: number | null): Promise<void> {
    const step: ParkedStep = {
      position: e.position, eventId: e.id, type: e.type, streamId: e.streamId, revision: e.revision, lane, attempts, error, blockedBy,
      parkedAt: new Date().toISOString(),
    };
    await this.persistently('parking a step', () => writeParkedSteps(this.meta, [step], []));
    this.parked.set(e.position, step);
  }

  /** Retries a bookkeeping write to the read store for as long as it fails transiently (never skips the step). */
  private async persistently<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let failures = 1; ; failures++) {
      try {
        const result = await fn();
        return result;
      } catch (error) {
        if (this.stopped) throw new Stopped();
        if (!isTransientStoreError(error)) throw error;
        const delay = backoffMs(this.policy, failures);
        this.lastError = `${what}: ${describeFailure(error)}`;
        this.retrying = { position: this.checkpoint, eventId: '', type: what, lane: '', attempts: failures, transient: true, error: this.lastError, nextAttemptInMs: delay };
        this.logger.warn(`${this.lastError}; attempt ${failures + 1} in ${delay} ms`);
        this.onRetrying?.();
        await this.sleeper.sleep(delay);
        if (this.stopped) throw new Stopped();
      }
    }
  }

  /**
   * `ar process retry`: re-runs the parked steps, lane by lane in log order, once their cause is fixed. A step that
   * completes is unparked; one that fails again stays parked (its lane's later steps with it). Run by the CLI while
   * the API's process manager follows the log: that one re-reads the parked steps before it parks behind them.
   */
  async retryParked(): Promise<StepRun[]> {
    const runs: StepRun[] = [];
    const parked = [...(await loadParkedSteps(this.meta)).values()].sort((a, b) => a.position - b.position);
    const failedLanes = new Set<string>();
    for (const step of parked) {
      if (failedLanes.has(step.lane)) {
        runs.push({ position: step.position, type: step.type, streamId: step.streamId, lane: step.lane, outcome: 'skipped', error: 'an earlier step of this customer is still parked' });
        continue;
      }
      const [event] = await this.events.readStream(step.streamId, { fromRevision: step.revision, maxCount: 1 });
      const run = await this.runOnce(event ?? null, step);
      runs.push(run);
      if (run.outcome === 'completed') await writeParkedSteps(this.meta, [], [step.position]);
      else {
        failedLanes.add(step.lane);
        await writeParkedSteps(this.meta, [{ ...step, attempts: step.attempts + 1, error: run.error ?? 'failed', blockedBy: null }], []);
      }
    }
    this.parked = await loadParkedSteps(this.meta);
    return runs;
  }

  /**
   * `ar process repair`: completes, as events, the workflow steps an earlier version passed over (its checkpoint moved
   * past a failed step): every orphan up to the checkpoint (ADR 0047). A completed orphan that was parked is unparked.
   */
  async repairOrphans(): Promise<{ checked: number; runs: StepRun[] }> {
    const found = await findOrphans(this.events, await loadProcessManagerCheckpoint(this.meta));
    const parked = await loadParkedSteps(this.meta);
    const runs: StepRun[] = [];
    for (const o of found.orphans) {
      const [event] = await this.events.readStream(o.streamId, { fromRevision: o.revision, maxCount: 1 });
      const run = await this.runOnce(event ?? null, { position: o.position, type: o.type, streamId: o.streamId, lane: event ? laneOf(event) : o.customerId });
      runs.push(run);
      if (run.outcome === 'completed' && parked.has(o.position)) await writeParkedSteps(this.meta, [], [o.position]);
    }
    this.parked = await loadParkedSteps(this.meta);
    return { checked: found.checked, runs };
  }

  /** Runs one step now (bounded: transient failures retried up to maxAttempts with backoff). */
  async runOnce(event: StoredEvent | null, where: { position: number; type: string; streamId: string; lane: string }): Promise<StepRun> {
    const base = { position: where.position, type: where.type, streamId: where.streamId, lane: where.lane };
    if (event === null || event.type !== where.type) return { ...base, outcome: 'failed', error: `event not found at ${where.streamId}` };
    for (let attempts = 1; ; attempts++) {
      try {
        await this.runStep(event);
        return { ...base, outcome: 'completed' };
      } catch (error) {
        if (!isRetryableStepError(error) || attempts >= this.policy.maxAttempts) return { ...base, outcome: 'failed', error: describeFailure(error) };
        await this.sleeper.sleep(backoffMs(this.policy, attempts));
      }
    }
  }

  /** The follow-up of one workflow event; idempotent (same command ids, same event ids). Throws when it fails. */
  async runStep(e: StoredEvent): Promise<void> {
    if (e.type === 'PaymentAllocated') await this.applyAllocation(e as unknown as StoredEvent & PaymentAllocated);
    else if (e.type === 'PaymentDeallocated') await this.unapply(e as unknown as StoredEvent & PaymentDeallocated);
    else if (e.type === 'CreditNoteIssued' || e.type === 'CreditNoteAllocated') {
      await applyCreditNoteEvents(this.commandBus, e.metadata, [e as unknown as StoredEvent & (CreditNoteIssued | CreditNoteAllocated)]);
    } else if (e.type === 'DisputeResolved') {
      const issue = creditNoteForDispute(e as unknown as StoredEvent & DisputeResolved, e.metadata);
      if (issue) await this.commandBus.execute(issue);
    } else if (e.type === 'PaymentPlanAgreed' || e.type === 'PaymentPlanBroken' || e.type === 'PaymentPlanCompleted') {
      const plan = await this.repo.load(streams.paymentPlan((e.data as { planId: string }).planId), paymentPlanDecider);
      const invoiceIds = plan.state.status === 'none' ? [] : plan.state.invoiceIds;
      await applyPlanEvents(this.commandBus, e.metadata, [e as unknown as StoredEvent & PaymentPlanEvent], invoiceIds);
    } else if (e.type === 'ReminderSent') {
      // Delivered by the run; this finishes a delivery a crash interrupted (the outbox sends an id once).
      const sent = (e as unknown as StoredEvent & ReminderSent).data;
      await this.mailer.deliver(e.id, sent);
      // …and a credit hold the level asked for (same command id as the run's request: placed once).
      if (sent.creditHold) {
        const invoice = await this.repo.load(streams.invoice(sent.invoiceId), invoiceDecider);
        const number = 'number' in invoice.state ? invoice.state.number : sent.invoiceId;
        await this.holds.requestHold(sent.customerId, `Dunning level ${sent.level} (${sent.name}) on invoice ${number}`, { eventId: e.id, ctx: e.metadata });
      }
    } else if (e.type === 'CreditNoteNumberReserved') await this.completeCreditNote(e as unknown as StoredEvent & CreditNoteNumberReserved);
    else if (e.type === 'InvoiceNumberReserved') await this.completeInvoice(e as unknown as StoredEvent & InvoiceNumberReserved);
  }

  private async applyAllocation(e: StoredEvent & PaymentAllocated): Promise<void> {
    const d = e.data;
    await this.commandBus.execute(new ApplyPaymentCommand(d.invoiceId, d.paymentId, d.amount, d.receivedOn,
      causedBy(e.metadata, e.id, allocationCommandId(d)), d.allocationId, d.appliedOn));
  }

  private async unapply(e: StoredEvent & PaymentDeallocated): Promise<void> {
    const d = e.data;
    await this.commandBus.execute(new UnapplyPaymentCommand(d.invoiceId, d.paymentId, d.amount, d.on, d.reason, causedBy(e.metadata, e.id, unapplyCommandId(e.id))));
  }

  private async completeCreditNote(e: StoredEvent & CreditNoteNumberReserved): Promise<void> {
    const stream = await this.repo.load(streams.creditNote(e.data.creditNoteId), creditNoteDecider);
    if (stream.last !== null) return;
    const m = e.metadata;
    await this.repo.append(stream, [{ type: 'CreditNoteIssued', data: e.data.creditNote }], {
      ...identityOf(m), recordedAt: m.recordedAt, commandId: m.commandId, correlationId: m.correlationId, causationId: m.causationId,
    });
  }

  private async completeInvoice(e: StoredEvent & InvoiceNumberReserved): Promise<void> {
    const stream = await this.repo.load(streams.invoice(e.data.invoiceId), invoiceDecider);
    // An invoice held for approval exists already: its approval's reservation still needs the InvoiceIssued.
    if (stream.last !== null && stream.state.status !== 'pending_approval') return;
    const m = e.metadata;
    await this.repo.append(stream, [{ type: 'InvoiceIssued', data: e.data.invoice }], {
      ...identityOf(m), recordedAt: m.recordedAt, commandId: m.commandId, correlationId: m.correlationId, causationId: m.causationId,
    });
  }
}
