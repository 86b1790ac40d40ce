import type { Decider, DomainEvent } from '../domain/shared/decider';
import { fold } from '../domain/shared/decider';
import { DomainError } from '../domain/shared/errors';
import { deterministicUuid } from '../domain/shared/ids';
import { SCHEMA_VERSIONS, type ArEventType } from '../domain/events';
import { ConcurrencyError, type EventStore, type StoredEvent, type StreamAppend } from '../event-store/event-store.port';
import { chainEvents, type UnhashedEvent } from '../event-store/hash-chain';
import type { CommandContext } from './command-context';
import { MAX_CONCURRENCY_RETRIES } from './event-sourced-repository';
import { clearPersonalFields, PERSONAL_EVENT_TYPES } from './privacy/personal-data';
import { enforceAdmission } from './command-admission';

/** One stream as the unit sees it: what is stored, what this unit decided after it, and the state of both. */
interface TrackedStream {
  stored: StoredEvent[];
  state: unknown;
  staged: UnhashedEvent[];
  /** Index in `staged` → the domain event returned to the caller, to fill its position at commit. */
  returned: Array<{ position: number }>;
}

export interface StagedStep<E extends DomainEvent, S> {
  /** The events of this step with their (deterministic) ids; positions are set once the unit commits. */
  events: Array<E & { id: string; position: number }>;
  state: S;
  /** The step's command id was already in the stream: nothing new was decided. */
  replayed: boolean;
  /** Position of the stream's last stored event before this unit (-1: none): the answer to a step that decided nothing. */
  storedPosition: number;
}

/**
 * All the decisions of one command, on as many streams as it touches, appended together (ADR 0030): every
 * step is decided (and may refuse) before anything is written; then one `appendMany` writes every stream at
 * its exact expected revision, or nothing. Each step keeps its own command id, so the events are the ones the
 * step-by-step path (and the process manager) would write: a later replay of a step finds them and adds nothing.
 */
export class UnitOfWork {
  private readonly streams = new Map<string, TrackedStream>();
  private readonly order: string[] = [];

  constructor(private readonly store: EventStore) {}

  /** Decides one command on one stream, against the stream as stored plus what this unit decided on it already. */
  async decide<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    ctx: CommandContext,
    makeCommand: (state: S) => C | Promise<C>,
  ): Promise<StagedStep<E, S>> {
    const tracked = await this.track(streamId, decider);
    const already = tracked.stored.filter((e) => e.metadata.commandId === ctx.commandId);
    if (already.length > 0) {
      return {
        events: already.map((e) => ({ id: e.id, type: e.type, data: e.data, position: e.position }) as unknown as E & { id: string; position: number }),
        state: tracked.state as S,
        replayed: true,
        storedPosition: tracked.stored[tracked.stored.length - 1]?.position ?? -1,
      };
    }
    const command = await makeCommand(tracked.state as S);
    const decided = decider.decide(command, tracked.state as S);
    // Invariant: personal data is sealed on its way to the log, which only EventSourcedRepository does (ADR 0082).
    const personal = decided.find((e) => PERSONAL_EVENT_TYPES.has(e.type));
    if (personal) throw new Error(`${personal.type} carries personal data: append it through EventSourcedRepository, never a unit of work`);
    // A bank entry's payer fields come sealed by the caller (ADR 0090): one in clear would escape erasure.
    const clear = clearPersonalFields(decided);
    if (clear.length > 0) throw new Error(`a unit of work takes personal fields sealed; in clear: ${clear.join(', ')}`);
    const base = tracked.stored.length + tracked.staged.length;
    const events = decided.map((e, i) => {
      const id = deterministicUuid(`${ctx.commandId}|${streamId}|${base + i}`);
      tracked.staged.push({
        id,
        type: e.type,
        data: e.data as unknown as Record<string, unknown>,
        metadata: {
          actor: ctx.actor, recordedAt: ctx.recordedAt, commandId: ctx.commandId, correlationId: ctx.correlationId, causationId: ctx.causationId,
          schemaVersion: SCHEMA_VERSIONS[e.type as ArEventType] ?? 1,
        },
      });
      const out = { ...e, id, position: -1 };
      tracked.returned.push(out);
      return out;
    });
    tracked.state = decided.reduce(decider.evolve, tracked.state as S);
    return { events, state: tracked.state as S, replayed: false, storedPosition: tracked.stored[tracked.stored.length - 1]?.position ?? -1 };
  }

  /** The stream's state as this unit sees it (stored + decided so far). */
  async state<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<S> {
    return (await this.track(streamId, decider)).state as S;
  }

  /** Appends every stream's new events in one all-or-nothing append; the position of the last event written (-1: none). */
  async commit(): Promise<number> {
    const parts: StreamAppend[] = [];
    const owners: TrackedStream[] = [];
    for (const streamId of this.order) {
      const t = this.streams.get(streamId)!;
      if (t.staged.length === 0) continue;
      const tail = t.stored[t.stored.length - 1];
      const previous = tail ? { revision: tail.revision, hash: tail.metadata.hash } : null;
      parts.push({ streamId, expected: tail ? tail.revision : 'no_stream', events: chainEvents(streamId, previous, t.staged) });
      owners.push(t);
    }
    if (parts.length === 0) return -1;
    // The command gate's verdict (closed periods, ADR 0048) holds for every append, this one included.
    enforceAdmission();
    const results = await this.store.appendMany(parts);
    results.forEach((r, i) => {
      const returned = owners[i].returned;
      // Each event's own position as the store answered it: positions are opaque, never derived by arithmetic (ADR 0061).
      returned.forEach((e, j) => { e.position = r.positions[j]; });
    });
    return Math.max(...results.map((r) => r.position));
  }

  private async track<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<TrackedStream> {
    let t = this.streams.get(streamId);
    if (!t) {
      const stored = await this.store.readStream(streamId);
      t = { stored, state: fold(decider, stored as unknown as E[]), staged: [], returned: [] };
      this.streams.set(streamId, t);
      this.order.push(streamId);
    }
    return t;
  }
}

/**
 * Runs `work` in a fresh unit and commits it; on a concurrency conflict the whole command is decided again
 * on fresh state (bounded), never partly kept.
 */
export async function inOneUnit<T>(store: EventStore, work: (uow: UnitOfWork) => Promise<T>): Promise<{ value: T; position: number }> {
  for (let attempt = 0; ; attempt++) {
    const uow = new UnitOfWork(store);
    const value = await work(uow);
    try {
      const position = await uow.commit();
      return { value, position };
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      if (attempt + 1 >= MAX_CONCURRENCY_RETRIES) {
        throw new DomainError('CONCURRENCY_CONFLICT', `Stream ${err.streamId} kept changing; retried ${MAX_CONCURRENCY_RETRIES} times`, { streamId: err.streamId }, 'conflict');
      }
    }
  }
}
