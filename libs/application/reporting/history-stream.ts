import { Inject, Injectable } from '@nestjs/common';
import type { CustomerStream } from '../../../projections';
import { AccountFold, type AccountState } from '../../domain/reporting/account-state';
import { effectiveBy, effectiveDate } from '../../domain/reporting/effective-date';
import { parseDate, type CalendarDate } from '../../domain/shared/dates';
import { DomainError } from '../../domain/shared/errors';
import { EVENT_STORE, type EventStore, type StoredEvent } from '../../event-store/event-store.port';
import { AnchorCheck, ChainVerifier, earliestBreak, type ChainBreak, type StreamAnchor } from '../../event-store/hash-chain';
import type { AppConfig } from '../config';
import { PersonalData } from '../privacy/personal-data';
import type { QueryResult } from '../queries/queries';
import { ReadModels } from '../read-models';
import { APP_CONFIG } from '../tokens';
import type { HistoryEvent, ReplayHistoryQuery, Verification } from './history-replay';

/** What the first pass of a replay found: everything of `CustomerHistory` but its events, and where to read them. */
export interface HistorySummary {
  customerId: string;
  asOf: CalendarDate | null;
  verification: Verification | null;
  state: AccountState;
  /** Events kept (effective by `asOf`), i.e. how many the second pass gives. */
  events: number;
  /** The streams read, and what the first pass read of them: the second pass reads exactly that. */
  streamIds: readonly string[];
  read: number;
  lastPosition: number | null;
}

/** Pass 1's verification, one event at a time: the chains (stopped at their first break) and the anchors. */
class ReplayVerifier {
  private readonly chains = new ChainVerifier();
  private chainBreak: (ChainBreak & { position: number }) | null = null;
  private readonly anchors: AnchorCheck;
  private events = 0;

  constructor(private readonly streams: readonly StreamAnchor[]) {
    this.anchors = new AnchorCheck(streams);
  }

  add(e: StoredEvent): void {
    this.events += 1;
    // As verifyChainsInLogOrder: the links after the first break are not hashed.
    if (this.chainBreak === null) this.chainBreak = this.chains.next(e);
    this.anchors.add(e);
  }

  result(): Verification {
    const firstBreak = earliestBreak(this.chainBreak, this.anchors.firstBreak());
    return { verified: firstBreak === null, events: this.events, streams: this.streams.length, firstBreak };
  }
}

const historyEvent = (e: StoredEvent): HistoryEvent => ({
  position: e.position, streamId: e.streamId, revision: e.revision, id: e.id, type: e.type, effectiveDate: effectiveDate(e), data: e.data, metadata: e.metadata,
});

/**
 * The auditor's replay in flat memory (ADR 0109), the same answer as `ReplayHistoryHandler` in two passes over
 * the customer's streams, read in pages (`readStreamsPaged`, AR_HISTORY_PAGE_SIZE events each): `summarize` reads
 * every page to verify the chains and anchors and fold the account; `events` reads the same events again, page
 * by page, for the caller to write out. Both read up to the same position, so they see the same events.
 */
@Injectable()
export class HistoryReplay {
  constructor(
    private readonly rm: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly pii: PersonalData,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'historyPageSize'>,
  ) {}

  /** Pass 1. Every refusal (400 asOf, 404 customer) happens here, before the caller has written anything. */
  async summarize(q: ReplayHistoryQuery): Promise<QueryResult<HistorySummary>> {
    const asOf = q.asOf === undefined ? undefined : parseDate(q.asOf, 'asOf');
    const f = await this.rm.catchUp(['customer-streams']);
    const streams = await this.rm.find<CustomerStream>('customer-streams', { customerId: q.customerId });
    if (streams.length === 0) throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${q.customerId} not found`, { id: q.customerId }, 'not_found');
    // Read after the anchors: every anchored event is at or before it, and so is every event this replay reads.
    const head = await this.store.headPosition();
    const streamIds = streams.map((s) => s.streamId);
    const verifier = q.verify ? new ReplayVerifier(streams) : null;
    const fold = new AccountFold(q.customerId);
    let kept = 0;
    let read = 0;
    let lastPosition: number | null = null;
    for await (const page of this.store.readStreamsPaged(streamIds, { pageSize: this.config.historyPageSize, upToPosition: head })) {
      // Verified over what is stored (sealed); folded through the decrypting view (ADR 0082).
      if (verifier) for (const e of page) verifier.add(e);
      for (const e of await this.pii.open(page)) {
        if (!effectiveBy(e, asOf)) continue;
        kept += 1;
        fold.add(e);
      }
      read += page.length;
      lastPosition = page[page.length - 1].position;
    }
    return { ...f, value: { customerId: q.customerId, asOf: asOf ?? null, verification: verifier?.result() ?? null, state: fold.state(), events: kept, streamIds, read, lastPosition } };
  }

  /** Pass 2: the kept events, decrypted, in pages (none empty); exactly those pass 1 read, or an error. */
  async *events(h: HistorySummary): AsyncGenerator<HistoryEvent[]> {
    if (h.lastPosition === null) return;
    const asOf = h.asOf ?? undefined;
    let read = 0;
    for await (const page of this.store.readStreamsPaged(h.streamIds, { pageSize: this.config.historyPageSize, upToPosition: h.lastPosition })) {
      read += page.length;
      const kept: HistoryEvent[] = [];
      for (const e of await this.pii.open(page)) if (effectiveBy(e, asOf)) kept.push(historyEvent(e));
      if (kept.length > 0) yield kept;
    }
    // Events are never deleted: a second read of the same streams up to the same position gives the same events.
    if (read !== h.read) throw new Error(`History of ${h.customerId}: the second pass read ${read} events, the first ${h.read}`);
  }
}
