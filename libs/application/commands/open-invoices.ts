import { byOldestDue, payable, type OpenInvoice } from '../../domain/payment/payment.allocation';
import type { ReadModels } from '../read-models';

/** Statuses of invoices that may still take money (a written-off one as a recovery). */
export const TAKING_MONEY = ['issued', 'partially_paid', 'written_off', 'disputed', 'in_payment_plan', 'in_collection'] as const;

/** What allocation needs of an open invoice. */
const OPEN_INVOICE_FIELDS = ['invoiceId', 'number', 'issueDate', 'dueDate', 'outstanding', 'currency', 'writtenOff', 'openDispute'] as const;

/** The `invoices` index a payment's oldest-first read walks, one status at a time (ADR 0121). */
export const OLDEST_DUE_SORT: Array<[string, 1]> = [['dueDate', 1], ['issueDate', 1], ['number', 1], ['invoiceId', 1]];

type Row = OpenInvoice & { writtenOff?: number | null; openDispute?: { amount: number } | null };

function toOpenInvoice(d: Row): OpenInvoice {
  return {
    invoiceId: d.invoiceId, number: d.number, issueDate: d.issueDate, dueDate: d.dueDate, outstanding: d.outstanding, currency: d.currency,
    ...((d.writtenOff ?? 0) > 0 ? { recoverable: d.writtenOff as number } : {}),
    // Automatic allocation never pays an amount under dispute (ADR 0032).
    ...(d.openDispute ? { disputed: d.openDispute.amount } : {}),
  };
}

const owing = (o: OpenInvoice) => o.outstanding > 0 || (o.recoverable ?? 0) > 0;

/** What one payment's allocation can touch: the invoices it names, or (automatic lettrage) its reference and the oldest due. */
export type PaymentReach =
  | { kind: 'named'; invoiceIds: readonly string[] }
  | { kind: 'automatic'; amount: number; currency: string; reference: string | null };

/** One status's open invoices of the customer, oldest due first (`OLDEST_DUE_SORT`), at most `limit`. */
export type OldestDuePage = (status: string, limit: number) => Promise<OpenInvoice[]>;

/** First page per status; each further read takes 4 × more. A payment usually settles one to three invoices. */
const FIRST_PAGE = 8;

/**
 * The oldest-due invoices a payment of `amount` can reach, read page by page: a prefix, in `byOldestDue` order, of
 * the customer's every open invoice, long enough that its payable amounts (undisputed, in the payment's currency,
 * `except` the referenced one) cover the payment — or all of them. Automatic lettrage walks that order and stops
 * when the payment is used up, so given this prefix it allocates exactly what it allocates given every open
 * invoice (property test: `open-invoices.spec.ts`).
 *
 * Each status is read in its own index order; the prefix is what lies at or before the earliest last row among the
 * pages that came back full (beyond it a status may hold rows not read yet).
 */
export async function oldestDuePrefix(page: OldestDuePage, amount: number, currency: string, except: string | null): Promise<OpenInvoice[]> {
  // A status whose page came back short is read whole: only the full ones are read again, further.
  let pages: OpenInvoice[][] = TAKING_MONEY.map(() => []);
  let again: boolean[] = TAKING_MONEY.map(() => true);
  for (let limit = FIRST_PAGE; ; limit *= 4) {
    pages = await Promise.all(TAKING_MONEY.map((status, i) => (again[i] ? page(status, limit) : pages[i])));
    again = pages.map((p) => p.length >= limit);
    const rows = pages.flat().filter(owing).sort(byOldestDue);
    const full = pages.filter((_, i) => again[i]);
    if (full.length === 0) return rows;
    const frontier = full.map((p) => p[p.length - 1]).sort(byOldestDue)[0];
    const prefix = rows.filter((o) => byOldestDue(o, frontier) <= 0);
    let covered = 0;
    for (const o of prefix) if (o.invoiceId !== except && o.currency === currency) covered += payable(o);
    if (covered >= amount) return prefix;
  }
}

/**
 * The open invoices a payment's decision needs (ADR 0121), never more than it can touch: the invoices its explicit
 * allocations name, or its referenced invoice and the oldest-due prefix that covers it. The decision given these
 * is the decision given every open invoice of the customer: a wholesaler's thousands of open invoices are not read
 * for each of its payments. Invoices named but not open are simply absent (the decider refuses them, as before).
 */
export async function openInvoicesForPayment(
  readModels: ReadModels, customerId: string, reach: PaymentReach,
  /** Applied to each page before the coverage is counted (apply-credit: each open amount as owed from a date on); returns the same invoices in the same order. */
  adjust: (open: OpenInvoice[]) => Promise<OpenInvoice[]> = async (open) => open,
): Promise<OpenInvoice[]> {
  const statuses = { $in: [...TAKING_MONEY] };
  if (reach.kind === 'named') {
    const ids = [...new Set(reach.invoiceIds.filter((id): id is string => typeof id === 'string'))];
    if (ids.length === 0) return [];
    const docs = await readModels.find<Row>('invoices', { customerId, invoiceId: { $in: ids }, status: statuses }, { fields: OPEN_INVOICE_FIELDS });
    return docs.map(toOpenInvoice).filter(owing);
  }
  const reference = reach.reference?.trim();
  const referenced = reference
    ? (await readModels.find<Row>('invoices', { customerId, number: reference, status: statuses }, { fields: OPEN_INVOICE_FIELDS })).map(toOpenInvoice).filter(owing)
    : [];
  // A reference that names no open invoice allocates nothing (the cash waits for a person): nothing else to read.
  if (reference && referenced.length === 0) return [];
  const page: OldestDuePage = async (status, limit) =>
    adjust((await readModels.find<Row>('invoices', { customerId, status }, { fields: OPEN_INVOICE_FIELDS, sort: OLDEST_DUE_SORT, limit })).map(toOpenInvoice));
  // The reference's invoice (one per number and customer; several only if a number were repeated) is given whole.
  const prefix = await oldestDuePrefix(page, reach.amount, reach.currency, referenced.length === 1 ? referenced[0].invoiceId : null);
  const seen = new Set(prefix.map((o) => o.invoiceId));
  return [...prefix, ...referenced.filter((o) => !seen.has(o.invoiceId))];
}
