import type { InvoiceIssued } from '../../domain/invoice/invoice.events';
import { chronologicalNumber, formatDocumentNumber, type SeriesTail } from '../../domain/shared/chronological-numbering';
import type { InvoiceNumberReserved } from '../../domain/invoice/invoice-numbering.events';
import { DomainError } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { ConcurrencyError, type EventStore, type StoredEvent } from '../../event-store/event-store.port';
import type { ReadStore } from '../../read-store/read-store.port';
import { describeFailure } from '../../resilience/retry';
import { loadProcessManagerCheckpoint, PARKED_COLLECTION } from '../parked-steps';
import type { CommandContext } from '../command-context';
import { EventSourcedRepository, LoadedStream, MAX_CONCURRENCY_RETRIES } from '../event-sourced-repository';

export const DEFAULT_SERIES = 'INV';

/** Number n of a series, gap-free: `INV-000042`. */
export const formatInvoiceNumber = formatDocumentNumber;

/** A series' count and last number with its document date, from the tail of its reservation stream. */
export async function readSeriesTail(
  store: EventStore, streamId: string, series: string, dateOf: (reservation: StoredEvent) => string,
): Promise<SeriesTail & { event: StoredEvent | undefined }> {
  const [tail] = await store.readStream(streamId, { direction: 'backward', maxCount: 1 });
  return { series, count: tail ? tail.revision + 1 : 0, last: tail ? { number: String(tail.data.number), date: dateOf(tail) } : null, event: tail };
}

const invoiceDateOf = (e: StoredEvent) => (e.data as unknown as InvoiceNumberReserved['data']).invoice.issueDate;

/**
 * The tail of one number series as this process knows it: read from the store once, then advanced in memory by
 * each reservation this process queues for the group commit (ADR 0057). Reservations of several invoices can then
 * be in flight at once — each chained on the one before it, at its exact expected revision — and share one
 * durable commit, instead of one invoice at a time under a lock across two commits.
 *
 * Any failure of a reservation (another process numbered in between, a store error) forgets the tail: the next
 * attempt waits for the reservations still in flight to settle, reads the tail from the store again, and decides
 * again. `epoch` changes with every read, so a decision made before a re-read is never numbered after it.
 */
interface KnownTail {
  epoch: number;
  count: number;
  last: { number: string; date: string } | null;
  /** Revision and hash of the series' last reservation (null: empty series). */
  tail: { revision: number; hash: string } | null;
}

class SeriesCursor {
  private known: KnownTail | null = null;
  private loading: Promise<KnownTail> | null = null;
  private epoch = 0;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly store: EventStore, readonly streamId: string, readonly series: string) {}

  /** The tail to decide against: the known one, else read from the store once nothing of this process is in flight. */
  current(): Promise<KnownTail> {
    if (this.known) return Promise.resolve(this.known);
    this.loading ??= (async () => {
      try {
        await this.settled();
        const t = await readSeriesTail(this.store, this.streamId, this.series, invoiceDateOf);
        this.known = { epoch: ++this.epoch, count: t.count, last: t.last, tail: t.event ? { revision: t.event.revision, hash: t.event.metadata.hash } : null };
        return this.known;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** The known tail if it is still the one of `epoch` (synchronous: nothing else can number in between). */
  still(epoch: number): KnownTail | null {
    return this.known !== null && this.known.epoch === epoch ? this.known : null;
  }

  /** Records a reservation queued at the known tail: the next one chains on it. */
  advance(number: string, date: string, hash: string, pending: Promise<unknown>): void {
    const k = this.known!;
    k.count += 1;
    k.last = { number, date };
    k.tail = { revision: (k.tail?.revision ?? -1) + 1, hash };
    this.inFlight.add(pending);
    const settled = () => this.inFlight.delete(pending);
    pending.then(settled, settled);
  }

  /** Resolves once every reservation this process has in flight has settled. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** A reservation of `epoch` failed: the tail is read from the store again (unless that already happened). */
  forget(epoch: number): void {
    if (this.known?.epoch === epoch) this.known = null;
  }
}

const cursors = new WeakMap<EventStore, Map<string, SeriesCursor>>();

function cursorOf(store: EventStore, series: string): SeriesCursor {
  let byStream = cursors.get(store);
  if (!byStream) cursors.set(store, (byStream = new Map()));
  const streamId = streams.invoiceNumbers(series);
  let c = byStream.get(streamId);
  if (!c) byStream.set(streamId, (c = new SeriesCursor(store, streamId, series)));
  return c;
}

/** Stands for the number while the invoice is decided: replaced by the number assigned when it is queued. */
const UNNUMBERED = 'UNNUMBERED';

/**
 * Takes the next gap-free number of the series (the reservation carries the whole decided invoice), then writes
 * the invoice. If the process stops between the two appends, the process manager finishes the invoice from the
 * reservation with the same event ids, so neither a gap nor a duplicate can appear.
 *
 * `decide` is called once per attempt, after the series tail is known: it must read the credit figures then (they
 * then include every reservation of another process up to that tail) and may return an event that takes no number
 * (held for approval), which is returned as is. The number is assigned after the decision, synchronously with
 * queueing the reservation at the next revision of the tail this process knows (ADR 0057): the serialised section
 * is that assignment, not the decision nor the durable commits. A reservation refused because another process
 * numbered in between is decided again on fresh figures.
 *
 * Numbers follow the dates (ADR 0049): an invoice dated before the last numbered one of the series goes to the
 * back-dated series when `backdatedSeries` is configured, else it is refused (422 INVOICE_DATE_BEFORE_LAST_NUMBERED).
 */
export async function issueWithNextNumber<Other extends { type: string }>(
  repo: EventSourcedRepository,
  invoice: Pick<LoadedStream<unknown>, 'streamId' | 'last'>,
  decide: (number: string) => Promise<InvoiceIssued | Other>,
  ctx: CommandContext,
  numbering: { issueDate: string; backdatedSeries: string | null },
): Promise<{ issued: InvoiceIssued; position: number; pending?: string } | { other: Other }> {
  const primaryCursor = cursorOf(repo.store, DEFAULT_SERIES);
  const backdatedCursor = numbering.backdatedSeries === null ? null : cursorOf(repo.store, numbering.backdatedSeries);
  for (let attempt = 0; attempt < MAX_CONCURRENCY_RETRIES; attempt++) {
    const seen = await primaryCursor.current();
    const seenBackdated = backdatedCursor ? await backdatedCursor.current() : null;
    const decided = await decide(UNNUMBERED);
    if (decided.type !== 'InvoiceIssued') return { other: decided as Other };
    // A store that may apply appends out of call order (EventStoreDB) gets one reservation in flight at a time.
    if (repo.store.appendsInCallOrder !== true) {
      while (primaryCursor.busy || backdatedCursor?.busy) {
        await primaryCursor.settled();
        await backdatedCursor?.settled();
      }
    }
    // From here to the append being queued, nothing awaits: no other reservation of this process can come between.
    const primaryTail = primaryCursor.still(seen.epoch);
    const backdatedTail = backdatedCursor ? backdatedCursor.still(seenBackdated!.epoch) : null;
    if (primaryTail === null || (backdatedCursor !== null && backdatedTail === null)) continue; // re-read: decide again
    const asTail = (series: string, k: KnownTail): SeriesTail => ({ series, count: k.count, last: k.last });
    const { series, number } = chronologicalNumber({
      date: numbering.issueDate,
      primary: asTail(DEFAULT_SERIES, primaryTail),
      backdated: backdatedTail === null ? null : asTail(numbering.backdatedSeries!, backdatedTail),
      refusalCode: 'INVOICE_DATE_BEFORE_LAST_NUMBERED',
      document: 'invoice',
    });
    const cursor = series === DEFAULT_SERIES ? primaryCursor : backdatedCursor!;
    const known = series === DEFAULT_SERIES ? primaryTail : backdatedTail!;
    const issued = { ...decided, data: { ...(decided as InvoiceIssued).data, number } } as InvoiceIssued;
    const reservation: InvoiceNumberReserved = {
      type: 'InvoiceNumberReserved',
      data: { series, number, invoiceId: issued.data.invoiceId, customerId: issued.data.customerId, invoice: issued.data },
    };
    const seriesStream = { streamId: cursor.streamId, last: known.tail };
    const chained = repo.chain(seriesStream, [reservation], ctx);
    if (repo.store.appendManyInOneTransaction === true) {
      // The reservation and the invoice in one transaction of the same group commit (ADR 0115): both or neither, so
      // there is no step between them to complete, and one durable commit instead of two in sequence.
      const invoiceEvents = repo.chain(invoice, [issued], ctx);
      const both = repo.store.appendMany([
        { streamId: seriesStream.streamId, expected: known.tail ? known.tail.revision : 'no_stream', events: chained },
        { streamId: invoice.streamId, expected: invoice.last ? invoice.last.revision : 'no_stream', events: invoiceEvents },
      ]);
      cursor.advance(number, issued.data.issueDate, chained[0].metadata.hash as string, both);
      try {
        const [, written] = await both;
        return { issued, position: written.position };
      } catch (err) {
        // Nothing of the two is written: the number was not taken. A series that moved is decided again on a fresh
        // tail; anything else (the invoice's own stream moved, a store error) is the command's answer.
        cursor.forget(known.epoch);
        if (err instanceof ConcurrencyError && err.streamId === seriesStream.streamId) continue;
        throw err;
      }
    }
    const pending = repo.appendChained(seriesStream, [reservation], chained);
    cursor.advance(number, issued.data.issueDate, chained[0].metadata.hash as string, pending);
    let reservedAt: number;
    try {
      reservedAt = (await pending).position;
    } catch (err) {
      cursor.forget(known.epoch);
      if (err instanceof ConcurrencyError) continue;
      throw err;
    }
    try {
      const written = await repo.append(invoice, [issued], ctx);
      return { issued, position: written.position };
    } catch (err) {
      // The number is taken and the whole invoice recorded with it: the process manager (or a retry of this
      // command) writes the same InvoiceIssued. The caller answers as recorded, with the step pending (ADR 0046).
      return { issued, position: reservedAt, pending: describeFailure(err) };
    }
  }
  throw new DomainError('CONCURRENCY_CONFLICT', `Invoice series ${DEFAULT_SERIES} kept changing`, { series: DEFAULT_SERIES }, 'conflict');
}

/**
 * The reservation of `invoiceId` whose InvoiceIssued may still be missing, or null. Only reservations the process
 * manager has not completed can be missing their invoice: those after its checkpoint (read backward from the series'
 * tail, usually one page of 4) and those it parked. So a retried command finds the number it took the first time,
 * and never takes a second one (ADR 0046).
 */
export async function pendingReservation(
  repo: EventSourcedRepository, readStore: ReadStore, invoiceId: string, backdatedSeries: string | null = null,
): Promise<(StoredEvent & InvoiceNumberReserved) | null> {
  // A back-dated invoice took its number in its own series (ADR 0049): look there too.
  for (const series of backdatedSeries === null ? [DEFAULT_SERIES] : [DEFAULT_SERIES, backdatedSeries]) {
    const found = await pendingReservationIn(repo, readStore, streams.invoiceNumbers(series), 'InvoiceNumberReserved', (d) => d.invoiceId === invoiceId);
    if (found) return found as StoredEvent & InvoiceNumberReserved;
  }
  return null;
}

/**
 * The reservations of one series stream after the process manager's checkpoint, as this process last read them:
 * each lookup reads only the reservations appended since the previous one (by any process), forward from the last
 * revision read, and drops those the process manager has passed. So a command does not re-read and re-parse the
 * whole window the process manager has not reached yet (which grows with the load) — ADR 0057.
 */
interface ReservationWindow {
  /** Last revision read from the store (-1: none yet). */
  readUpTo: number;
  events: StoredEvent[];
  /** The checkpoint the window was last pruned to: a checkpoint moved back (a replay) rebuilds the window. */
  checkpoint: number;
  /** Lookups begun on this window so far: each takes the next ticket. */
  tickets: number;
  /** Every lookup with a ticket up to this one is covered: a forward read begun after it began has completed. */
  covered: number;
  /** The forward read in flight, if any: concurrent lookups share it instead of each reading the same new events. */
  reading: Promise<void> | null;
}

const windows = new WeakMap<EventStore, Map<string, ReservationWindow>>();

async function reservationsAfter(store: EventStore, seriesStream: string, checkpoint: number): Promise<StoredEvent[]> {
  let byStream = windows.get(store);
  if (!byStream) windows.set(store, (byStream = new Map()));
  let w = byStream.get(seriesStream);
  if (w && checkpoint < w.checkpoint) w = undefined;
  if (!w) {
    // First lookup: from the tail backward to the checkpoint, in growing pages (usually one page of 4).
    const found: StoredEvent[] = [];
    let from: number | undefined;
    let readUpTo = -1;
    for (let page = 4; ; page = Math.min(page * 4, 1000)) {
      const events = await store.readStream(seriesStream, { direction: 'backward', maxCount: page, ...(from === undefined ? {} : { fromRevision: from }) });
      if (from === undefined && events.length > 0) readUpTo = events[0].revision;
      let passed = false;
      for (const e of events) {
        if (e.position <= checkpoint) {
          passed = true;
          break;
        }
        found.push(e);
      }
      const last = events[events.length - 1];
      if (passed || events.length < page || last.revision === 0) break;
      from = last.revision - 1;
    }
    // Another lookup may have built the window meanwhile: keep the one that has read further.
    const existing = byStream.get(seriesStream);
    if (existing && existing.readUpTo >= readUpTo && existing.checkpoint <= checkpoint) w = existing;
    else byStream.set(seriesStream, (w = { readUpTo, events: found.reverse(), checkpoint, tickets: 0, covered: 0, reading: null }));
  }
  // The window must hold every reservation appended before this lookup began. A forward read begun after that
  // moment sees them all, so concurrent lookups share one: at 32 concurrent invoices each used to read (and
  // parse) the same ~32 new reservations, 18 % of the command path's busy time (docs/performance.md, "The command
  // path's own ceiling").
  const ticket = ++w.tickets;
  while (w.covered < ticket) {
    if (w.reading === null) w.reading = readForward(store, seriesStream, w);
    await w.reading;
  }
  let passed = 0;
  while (passed < w.events.length && w.events[passed].position <= checkpoint) passed++;
  if (passed > 0) w.events.splice(0, passed);
  w.checkpoint = Math.max(w.checkpoint, checkpoint);
  return w.events;
}

/** One forward read of the series stream past the window, covering every lookup begun before it started. */
async function readForward(store: EventStore, seriesStream: string, w: ReservationWindow): Promise<void> {
  const begunBefore = w.tickets;
  try {
    for (;;) {
      const fresh = await store.readStream(seriesStream, { fromRevision: w.readUpTo + 1, maxCount: 1000 });
      // A window rebuilt meanwhile by another lookup may hold some of them already: only revisions beyond it are added.
      for (const e of fresh) {
        if (e.revision > w.readUpTo) {
          w.events.push(e);
          w.readUpTo = e.revision;
        }
      }
      if (fresh.length < 1000) break;
    }
    w.covered = Math.max(w.covered, begunBefore);
  } finally {
    w.reading = null;
  }
}

/** Same, for any number series: the reservation of type `type` in `seriesStream` whose data matches. */
export async function pendingReservationIn(
  repo: EventSourcedRepository, readStore: ReadStore, seriesStream: string, type: string, matches: (data: Record<string, unknown>) => boolean,
): Promise<StoredEvent | null> {
  const checkpoint = await loadProcessManagerCheckpoint(readStore);
  const match = (e: StoredEvent) => e.type === type && matches(e.data);
  const window = await reservationsAfter(repo.store, seriesStream, checkpoint);
  for (let i = window.length - 1; i >= 0; i--) if (match(window[i])) return window[i];
  const parked = await readStore.find(PARKED_COLLECTION, { type });
  for (const step of parked as Array<{ streamId: string; revision: number }>) {
    if (step.streamId !== seriesStream) continue;
    const [e] = await repo.store.readStream(step.streamId, { fromRevision: step.revision, maxCount: 1 });
    if (e && match(e)) return e;
  }
  return null;
}
