import { Inject, Injectable } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { CustomerStream } from '../../../projections';
import { foldAccount, type AccountState } from '../../domain/reporting/account-state';
import { effectiveBy, effectiveDate } from '../../domain/reporting/effective-date';
import { parseDate, type CalendarDate } from '../../domain/shared/dates';
import { DomainError } from '../../domain/shared/errors';
import { EVENT_STORE, type EventStore, type StoredEvent } from '../../event-store/event-store.port';
import { verifyChain, type ChainBreak } from '../../event-store/hash-chain';
import { ReadModels } from '../read-models';
import type { QueryResult } from '../queries/queries';

export interface HistoryEvent {
  position: number;
  streamId: string;
  revision: number;
  id: string;
  type: string;
  /** The business date the fact took effect (what `asOf` filters on). */
  effectiveDate: CalendarDate;
  data: Record<string, unknown>;
  metadata: StoredEvent['metadata'];
}

export interface Verification {
  verified: boolean;
  /** Events and streams whose chains were recomputed (every event of every stream, whatever `asOf`). */
  events: number;
  streams: number;
  /** The broken link earliest in the log, if any. */
  firstBreak: (ChainBreak & { position: number | null }) | null;
}

export interface CustomerHistory {
  customerId: string;
  asOf: CalendarDate | null;
  events: HistoryEvent[];
  state: AccountState;
  verification: Verification | null;
}

export class ReplayHistoryQuery {
  constructor(readonly customerId: string, readonly asOf?: string, readonly verify = false) {}
}

/**
 * The auditor's replay: the customer's streams (listed by the customer-streams read model) are read from the
 * log itself, merged in global order, optionally cut at an as-of date (effective business date) and folded
 * into the account state; with `verify`, every stream's hash chain is recomputed from its events.
 */
@Injectable()
@QueryHandler(ReplayHistoryQuery)
export class ReplayHistoryHandler implements IQueryHandler<ReplayHistoryQuery, QueryResult<CustomerHistory>> {
  constructor(private readonly rm: ReadModels, @Inject(EVENT_STORE) private readonly events: EventStore) {}

  async execute(q: ReplayHistoryQuery): Promise<QueryResult<CustomerHistory>> {
    const asOf = q.asOf === undefined ? undefined : parseDate(q.asOf, 'asOf');
    const f = await this.rm.catchUp(['customer-streams']);
    const streams = await this.rm.find<CustomerStream>('customer-streams', { customerId: q.customerId });
    if (streams.length === 0) throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${q.customerId} not found`, { id: q.customerId }, 'not_found');
    // One stream after the other: with an embedded store, thousands of concurrent reads only add scheduling cost.
    const perStream: StoredEvent[][] = [];
    for (const s of streams) perStream.push(await this.events.readStream(s.streamId));
    let verification: Verification | null = null;
    if (q.verify) {
      let first: Verification['firstBreak'] = null;
      let count = 0;
      for (const events of perStream) {
        count += events.length;
        const broken = verifyChain(events);
        if (broken === null) continue;
        const position = events.find((e) => e.revision === broken.revision)?.position ?? null;
        if (first === null || (position ?? Infinity) < (first.position ?? Infinity)) first = { ...broken, position };
      }
      verification = { verified: first === null, events: count, streams: streams.length, firstBreak: first };
    }
    const all = mergeByPosition(perStream);
    const kept: HistoryEvent[] = [];
    for (const e of all) {
      if (!effectiveBy(e, asOf)) continue;
      const on = effectiveDate(e);
      kept.push({ position: e.position, streamId: e.streamId, revision: e.revision, id: e.id, type: e.type, effectiveDate: on, data: e.data, metadata: e.metadata });
    }
    const state = foldAccount(q.customerId, kept);
    return { ...f, value: { customerId: q.customerId, asOf: asOf ?? null, events: kept, state, verification } };
  }
}

function mergeByPosition(streams: readonly StoredEvent[][]): StoredEvent[] {
  const all: StoredEvent[] = [];
  for (const s of streams) for (const e of s) all.push(e);
  return all.sort((a, b) => a.position - b.position);
}
