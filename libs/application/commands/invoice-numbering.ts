import type { InvoiceIssued } from '../../domain/invoice/invoice.events';
import { chronologicalNumber, formatDocumentNumber, type SeriesTail } from '../../domain/shared/chronological-numbering';
import type { InvoiceNumberReserved } from '../../domain/invoice/invoice-numbering.events';
import { DomainError } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { ConcurrencyError, type EventStore, type StoredEvent } from '../../event-store/event-store.port';
import type { ReadStore } from '../../read-store/read-store.port';
import { describeFailure } from '../../resilience/retry';
import { PARKED_COLLECTION, PROCESS_MANAGER_CHECKPOINT_KEY } from '../parked-steps';
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
 * Takes the next gap-free number of the series (the reservation carries the whole decided invoice), then writes
 * the invoice. If the process stops between the two appends, the process manager finishes the invoice from the
 * reservation with the same event ids, so neither a gap nor a duplicate can appear.
 *
 * `decide` is called once per attempt, after the series tail has been read: it must read the credit figures then
 * (they then include every reservation up to that tail) and may return an event that takes no number (held for
 * approval), which is returned as is. The reservation is appended at the tail's exact revision, so a decision made
 * on figures older than another process's reservation fails and is decided again on fresh figures.
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
  for (let attempt = 0; attempt < MAX_CONCURRENCY_RETRIES; attempt++) {
    const primary = await readSeriesTail(repo.store, streams.invoiceNumbers(DEFAULT_SERIES), DEFAULT_SERIES, invoiceDateOf);
    const backdated = numbering.backdatedSeries === null ? null
      : await readSeriesTail(repo.store, streams.invoiceNumbers(numbering.backdatedSeries), numbering.backdatedSeries, invoiceDateOf);
    let chosen: { series: string; number: string };
    let refusal: unknown = null;
    try {
      chosen = chronologicalNumber({ date: numbering.issueDate, primary, backdated, refusalCode: 'INVOICE_DATE_BEFORE_LAST_NUMBERED', document: 'invoice' });
    } catch (err) {
      // Only a numbered invoice is refused: one held for approval takes no number (its approval is checked then).
      refusal = err;
      chosen = { series: DEFAULT_SERIES, number: formatInvoiceNumber(DEFAULT_SERIES, primary.count + 1) };
    }
    const { series, number } = chosen;
    const tail = (series === DEFAULT_SERIES ? primary : backdated)?.event;
    const decided = await decide(number);
    if (decided.type !== 'InvoiceIssued') return { other: decided as Other };
    if (refusal !== null) throw refusal;
    const issued = decided as InvoiceIssued;
    const reservation: InvoiceNumberReserved = {
      type: 'InvoiceNumberReserved',
      data: { series, number, invoiceId: issued.data.invoiceId, customerId: issued.data.customerId, invoice: issued.data },
    };
    let reservedAt: number;
    try {
      reservedAt = (await repo.append({ streamId: streams.invoiceNumbers(series), last: tail ? { revision: tail.revision, hash: tail.metadata.hash } : null }, [reservation], ctx)).position;
    } catch (err) {
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

/** Same, for any number series: the reservation of type `type` in `seriesStream` whose data matches. */
export async function pendingReservationIn(
  repo: EventSourcedRepository, readStore: ReadStore, seriesStream: string, type: string, matches: (data: Record<string, unknown>) => boolean,
): Promise<StoredEvent | null> {
  const saved = await readStore.getMeta(PROCESS_MANAGER_CHECKPOINT_KEY);
  const checkpoint = saved === null ? -1 : Number(saved);
  const match = (e: StoredEvent) => e.type === type && matches(e.data);
  let from: number | undefined;
  for (let page = 4; ; page = Math.min(page * 4, 1000)) {
    const events = await repo.store.readStream(seriesStream, { direction: 'backward', maxCount: page, ...(from === undefined ? {} : { fromRevision: from }) });
    for (const e of events) {
      if (e.position <= checkpoint) break;
      if (match(e)) return e;
    }
    const last = events[events.length - 1];
    if (events.length < page || last.position <= checkpoint || last.revision === 0) break;
    from = last.revision - 1;
  }
  const parked = await readStore.find(PARKED_COLLECTION, { type });
  for (const step of parked as Array<{ streamId: string; revision: number }>) {
    if (step.streamId !== seriesStream) continue;
    const [e] = await repo.store.readStream(step.streamId, { fromRevision: step.revision, maxCount: 1 });
    if (e && match(e)) return e;
  }
  return null;
}
