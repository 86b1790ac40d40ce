import type { InvoiceIssued } from '../../domain/invoice/invoice.events';
import type { InvoiceNumberReserved } from '../../domain/invoice/invoice-numbering.events';
import { DomainError } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { ConcurrencyError, type StoredEvent } from '../../event-store/event-store.port';
import type { ReadStore } from '../../read-store/read-store.port';
import { describeFailure } from '../../resilience/retry';
import { PARKED_COLLECTION, PROCESS_MANAGER_CHECKPOINT_KEY } from '../parked-steps';
import type { CommandContext } from '../command-context';
import { EventSourcedRepository, LoadedStream, MAX_CONCURRENCY_RETRIES } from '../event-sourced-repository';

export const DEFAULT_SERIES = 'INV';

/** Number n of a series, gap-free: `INV-000042`. */
export function formatInvoiceNumber(series: string, n: number): string {
  return `${series}-${String(n).padStart(6, '0')}`;
}

/**
 * Takes the next gap-free number of the series (the reservation carries the whole decided invoice), then writes
 * the invoice. If the process stops between the two appends, the process manager finishes the invoice from the
 * reservation with the same event ids, so neither a gap nor a duplicate can appear.
 *
 * `decide` is called once per attempt, after the series tail has been read: it must read the credit figures then
 * (they then include every reservation up to that tail) and may return an event that takes no number (held for
 * approval), which is returned as is. The reservation is appended at the tail's exact revision, so a decision made
 * on figures older than another process's reservation fails and is decided again on fresh figures.
 */
export async function issueWithNextNumber<Other extends { type: string }>(
  repo: EventSourcedRepository,
  invoice: Pick<LoadedStream<unknown>, 'streamId' | 'last'>,
  decide: (number: string) => Promise<InvoiceIssued | Other>,
  ctx: CommandContext,
): Promise<{ issued: InvoiceIssued; position: number; pending?: string } | { other: Other }> {
  const seriesStream = streams.invoiceNumbers(DEFAULT_SERIES);
  for (let attempt = 0; attempt < MAX_CONCURRENCY_RETRIES; attempt++) {
    const [tail] = await repo.store.readStream(seriesStream, { direction: 'backward', maxCount: 1 });
    const number = formatInvoiceNumber(DEFAULT_SERIES, tail ? tail.revision + 2 : 1);
    const decided = await decide(number);
    if (decided.type !== 'InvoiceIssued') return { other: decided as Other };
    const issued = decided as InvoiceIssued;
    const reservation: InvoiceNumberReserved = {
      type: 'InvoiceNumberReserved',
      data: { series: DEFAULT_SERIES, number, invoiceId: issued.data.invoiceId, customerId: issued.data.customerId, invoice: issued.data },
    };
    let reservedAt: number;
    try {
      reservedAt = (await repo.append({ streamId: seriesStream, last: tail ? { revision: tail.revision, hash: tail.metadata.hash } : null }, [reservation], ctx)).position;
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
export async function pendingReservation(repo: EventSourcedRepository, readStore: ReadStore, invoiceId: string): Promise<(StoredEvent & InvoiceNumberReserved) | null> {
  const found = await pendingReservationIn(repo, readStore, streams.invoiceNumbers(DEFAULT_SERIES), 'InvoiceNumberReserved', (d) => d.invoiceId === invoiceId);
  return found as (StoredEvent & InvoiceNumberReserved) | null;
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
