import { Inject, Injectable } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { CustomerStream } from '../../../projections';
import { foldAccount, type AccountState } from '../../domain/reporting/account-state';
import { effectiveBy, effectiveDate } from '../../domain/reporting/effective-date';
import { parseDate, type CalendarDate } from '../../domain/shared/dates';
import { DomainError } from '../../domain/shared/errors';
import { EVENT_STORE, type EventStore, type StoredEvent } from '../../event-store/event-store.port';
import { checkAnchors, earliestBreak, verifyChainsInLogOrder, type ChainBreak } from '../../event-store/hash-chain';
import { ReadModels } from '../read-models';
import { PersonalData } from '../privacy/personal-data';
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
  /** The break earliest in the log; `position` null for a truncation (the first missing event's position is unknown). */
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
 * The auditor's replay in one piece: the customer's streams (listed by the customer-streams read model) are read
 * from the log itself in one `readStreams` call (global order), optionally cut at an as-of date (effective business
 * date) and folded into the account state; with `verify`, every stream's hash chain is recomputed from its events.
 * Memory grows with the history: HTTP and the CLI use the paged replay (history-stream.ts, ADR 0109), which gives
 * the same answer; this one stays as the reference it is tested and measured against.
 */
@Injectable()
@QueryHandler(ReplayHistoryQuery)
export class ReplayHistoryHandler implements IQueryHandler<ReplayHistoryQuery, QueryResult<CustomerHistory>> {
  constructor(private readonly rm: ReadModels, @Inject(EVENT_STORE) private readonly events: EventStore, private readonly pii: PersonalData) {}

  async execute(q: ReplayHistoryQuery): Promise<QueryResult<CustomerHistory>> {
    const asOf = q.asOf === undefined ? undefined : parseDate(q.asOf, 'asOf');
    const f = await this.rm.catchUp(['customer-streams']);
    const streams = await this.rm.find<CustomerStream>('customer-streams', { customerId: q.customerId });
    if (streams.length === 0) throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${q.customerId} not found`, { id: q.customerId }, 'not_found');
    // One read for all the streams, already in global order: nothing to merge or sort here.
    const all = await this.events.readStreams(streams.map((s) => s.streamId));
    let verification: Verification | null = null;
    if (q.verify) {
      // The chains, then the anchors (a stream cut short, gone, or rewritten with recomputed hashes): the earliest break.
      const firstBreak = earliestBreak(verifyChainsInLogOrder(all), checkAnchors(all, streams));
      verification = { verified: firstBreak === null, events: all.length, streams: streams.length, firstBreak };
    }
    // Verified over what is stored (sealed); shown through the decrypting view (ADR 0082).
    const shown = await this.pii.open(all);
    const kept: HistoryEvent[] = [];
    for (let i = 0; i < shown.length; i++) {
      const e = shown[i];
      if (!effectiveBy(e, asOf)) continue;
      kept.push({ position: e.position, streamId: e.streamId, revision: e.revision, id: e.id, type: e.type, effectiveDate: effectiveDate(e), data: e.data, metadata: e.metadata });
    }
    const state = foldAccount(q.customerId, kept);
    return { ...f, value: { customerId: q.customerId, asOf: asOf ?? null, events: kept, state, verification } };
  }
}
