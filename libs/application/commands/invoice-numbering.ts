import type { InvoiceIssued } from '../../domain/invoice/invoice.events';
import type { InvoiceNumberReserved } from '../../domain/invoice/invoice-numbering.events';
import { DomainError } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { ConcurrencyError } from '../../event-store/event-store.port';
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
): Promise<{ issued: InvoiceIssued; position: number } | { other: Other }> {
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
    try {
      await repo.append({ streamId: seriesStream, last: tail ? { revision: tail.revision, hash: tail.metadata.hash } : null }, [reservation], ctx);
    } catch (err) {
      if (err instanceof ConcurrencyError) continue;
      throw err;
    }
    const written = await repo.append(invoice, [issued], ctx);
    return { issued, position: written.position };
  }
  throw new DomainError('CONCURRENCY_CONFLICT', `Invoice series ${DEFAULT_SERIES} kept changing`, { series: DEFAULT_SERIES }, 'conflict');
}
