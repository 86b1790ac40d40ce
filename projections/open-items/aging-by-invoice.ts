import { toEpochDay, type CalendarDate } from '../../libs/domain/shared/dates';
import { bucketIndex, bucketLabels, DEFAULT_AGING_BUCKETS, type AgingItem } from './aging';

export interface InvoiceAgingRow {
  customerId: string;
  invoiceId: string;
  number: string;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  daysPastDue: number;
  bucket: string;
  open: number;
}

/** The aging's detail: each invoice open as of `asOf` with its bucket (same rules as `agingReport`). */
export function agingByInvoice(
  items: ReadonlyArray<AgingItem & { invoiceId: string; number: string }>,
  asOf: CalendarDate,
  options: { buckets?: readonly number[]; currency: string | null },
): InvoiceAgingRow[] {
  const bounds = options.buckets ?? DEFAULT_AGING_BUCKETS;
  const labels = bucketLabels(bounds);
  const asOfDay = toEpochDay(asOf);
  const rows: InvoiceAgingRow[] = [];
  for (const it of items) {
    if (it.currency !== options.currency || it.issueDate > asOf) continue;
    let open = it.total;
    for (const m of it.movements) if (m.on <= asOf) open -= m.amount;
    if (open === 0) continue;
    const daysPastDue = asOfDay - toEpochDay(it.dueDate);
    rows.push({ customerId: it.customerId, invoiceId: it.invoiceId, number: it.number, issueDate: it.issueDate, dueDate: it.dueDate, daysPastDue, bucket: labels[bucketIndex(daysPastDue, bounds)], open });
  }
  return rows.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.number < b.number ? -1 : 1));
}
