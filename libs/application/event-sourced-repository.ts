import { Inject, Injectable, Optional } from '@nestjs/common';
import { Decider, DomainEvent, fold } from '../domain/shared/decider';
import { DomainError } from '../domain/shared/errors';
import { deterministicUuid } from '../domain/shared/ids';
import { SCHEMA_VERSIONS, type ArEventType } from '../domain/events';
import { SECURITY_SCHEMA_VERSIONS, type ApiKeyEvent } from '../domain/security/api-key.events';
import { ConcurrencyError, EVENT_STORE, type AppendResult, type EventStore, type NewEvent, type StoredEvent } from '../event-store/event-store.port';
import { chainEvents } from '../event-store/hash-chain';
import { identityOf, type CommandContext } from './command-context';
import { enforceAdmission } from './command-admission';
import { PersonalData } from './privacy/personal-data';

export interface LoadedStream<S> {
  streamId: string;
  state: S;
  events: StoredEvent[];
  /** Revision and hash of the last event, null when the stream does not exist. */
  last: { revision: number; hash: string } | null;
}

export interface HandledCommand<E extends DomainEvent> {
  /** The events this command wrote, or wrote the first time (idempotent retry). */
  events: Array<E & { position: number }>;
  /** Global position of the last event of this command (0 events: the stream's current last position). */
  position: number;
  replayed: boolean;
}

export const MAX_CONCURRENCY_RETRIES = 5;

/**
 * Loads a stream, folds it with the decider's evolve, and appends new events with the exact expected
 * revision, their metadata and hash chain. A command whose id is already in the stream is not decided
 * again: the events it wrote are returned (idempotency by command id).
 */
@Injectable()
export class EventSourcedRepository {
  /** Without `pii` (bare test wiring) personal fields are stored as given. */
  constructor(@Inject(EVENT_STORE) readonly store: EventStore, @Optional() private readonly pii?: PersonalData) {}

  /**
   * `open`: fold the personal fields in clear (a decision that compares them); by default they stay sealed, as
   * stored, so the command path decrypts nothing (ADR 0082).
   */
  async load<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>, options: { open?: boolean } = {}): Promise<LoadedStream<S>> {
    const stored = await this.store.readStream(streamId);
    const events = options.open && this.pii ? await this.pii.open(stored) : stored;
    const state = fold(decider, events as unknown as E[]);
    const tail = events[events.length - 1];
    return { streamId, state, events, last: tail ? { revision: tail.revision, hash: tail.metadata.hash } : null };
  }

  async append<E extends DomainEvent>(
    stream: Pick<LoadedStream<unknown>, 'streamId' | 'last'>,
    events: readonly E[],
    ctx: CommandContext,
  ): Promise<AppendResult & { stored: Array<E & { position: number; id: string }> }> {
    // The hash chain is over what is stored: personal fields sealed with the customer's key (ADR 0082).
    const toStore = this.pii ? await this.pii.seal(events, ctx.recordedAt) : events;
    return this.appendChained(stream, events, this.chain(stream, toStore, ctx));
  }

  /**
   * The events with their ids, metadata and hash chain after `stream.last`, computed synchronously (so a caller can
   * know the new tail's hash before the append is durable); throws the command gate's refusal first.
   */
  chain<E extends DomainEvent>(stream: Pick<LoadedStream<unknown>, 'streamId' | 'last'>, events: readonly E[], ctx: CommandContext): NewEvent[] {
    // A command the gate refused (e.g. dated in a closed period) writes nothing, whichever handler runs it.
    enforceAdmission();
    const base = stream.last ? stream.last.revision + 1 : 0;
    // Synchronous, so it can run in the numbering's no-await window (ADR 0057): events carrying personal fields are
    // sealed before (`append`); one still in clear here would escape erasure, so it is refused.
    const clear = this.pii?.clearFields(events) ?? [];
    if (clear.length > 0) throw new Error(`chain() takes sealed events; in clear: ${clear.join(', ')}`);
    return chainEvents(stream.streamId, stream.last, events.map((e, i) => ({
      id: deterministicUuid(`${ctx.commandId}|${stream.streamId}|${base + i}`),
      type: e.type,
      data: e.data as unknown as Record<string, unknown>,
      metadata: {
        ...identityOf(ctx),
        recordedAt: ctx.recordedAt,
        commandId: ctx.commandId,
        correlationId: ctx.correlationId,
        causationId: ctx.causationId,
        schemaVersion: SCHEMA_VERSIONS[e.type as ArEventType] ?? SECURITY_SCHEMA_VERSIONS[e.type as ApiKeyEvent['type']] ?? 1,
      },
    })));
  }

  /** Appends events chained by `chain` at the stream's exact expected revision. */
  async appendChained<E extends DomainEvent>(
    stream: Pick<LoadedStream<unknown>, 'streamId' | 'last'>,
    events: readonly E[],
    chained: NewEvent[],
  ): Promise<AppendResult & { stored: Array<E & { position: number; id: string }> }> {
    const result = await this.store.append(stream.streamId, stream.last ? stream.last.revision : 'no_stream', chained);
    // Each event's own position as the store answered it: positions are opaque, never derived by arithmetic (ADR 0061).
    const stored = events.map((e, i) => ({ ...e, id: chained[i].id, position: result.positions[i] }));
    return { ...result, stored };
  }

  /**
   * Load → decide → append, retried with fresh state on a concurrency conflict (bounded).
   * `decide` may be async to gather inputs, but must take them from the state it is given.
   */
  async handle<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    ctx: CommandContext,
    makeCommand: (state: S) => C | Promise<C>,
    options: { open?: boolean } = {},
  ): Promise<HandledCommand<E> & { state: S }> {
    for (let attempt = 0; ; attempt++) {
      const stream = await this.load(streamId, decider, options);
      const already = stream.events.filter((e) => e.metadata.commandId === ctx.commandId);
      if (already.length > 0) {
        return {
          events: already.map((e) => ({ id: e.id, type: e.type, data: e.data, position: e.position }) as unknown as E & { position: number }),
          position: already[already.length - 1].position,
          replayed: true,
          state: stream.state,
        };
      }
      const command = await makeCommand(stream.state);
      const decided = decider.decide(command, stream.state);
      if (decided.length === 0) {
        const tail = stream.events[stream.events.length - 1];
        return { events: [], position: tail ? tail.position : -1, replayed: false, state: stream.state };
      }
      try {
        const written = await this.append(stream, decided, ctx);
        const state = decided.reduce(decider.evolve, stream.state);
        return { events: written.stored, position: written.position, replayed: false, state };
      } catch (err) {
        if (!(err instanceof ConcurrencyError)) throw err;
        if (attempt + 1 >= MAX_CONCURRENCY_RETRIES) {
          throw new DomainError('CONCURRENCY_CONFLICT', `Stream ${streamId} kept changing; retried ${MAX_CONCURRENCY_RETRIES} times`, { streamId }, 'conflict');
        }
      }
    }
  }
}
