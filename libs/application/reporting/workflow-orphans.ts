import type { StoredEvent } from '../../event-store/event-store.port';
import { logBatches } from '../../event-store/log-batches';
import type { EventStore } from '../../event-store/event-store.port';

/**
 * A workflow's first step without its second (ADR 0047): a PaymentAllocated whose invoice never got the
 * PaymentApplied, a reserved invoice or credit-note number whose document was never issued, a dunning level's
 * credit hold never placed. Reported with the first step's position.
 */
export interface Orphan {
  kind: 'allocation_not_applied' | 'invoice_not_issued' | 'credit_note_not_issued' | 'hold_not_placed';
  position: number;
  eventId: string;
  type: string;
  streamId: string;
  revision: number;
  customerId: string;
  /** What is missing, in words an operator can act on. */
  missing: string;
}

export interface WorkflowCompleteness {
  /** The process manager's checkpoint: first steps after it are still in flight, not orphans. */
  caughtUpTo: number;
  /** First steps checked (at or before `caughtUpTo`). */
  checked: number;
  /** First steps after `caughtUpTo` (the process manager has not reached them yet). */
  inFlight: number;
  orphans: Orphan[];
}

type Pending = Omit<Orphan, 'missing'> & { missing: string };

/** Fed the log in order; `result()` lists the first steps whose second never appeared anywhere in the log. */
export class WorkflowTracker {
  private readonly pending = new Map<string, Pending>();
  private readonly done = new Set<string>();
  /** Customers under a manual hold right now (in log order): a hold requested then is already satisfied. */
  private readonly onManualHold = new Set<string>();
  private inFlight = 0;
  private checked = 0;

  constructor(private readonly caughtUpTo: number) {}

  next(e: StoredEvent): void {
    const d = e.data as Record<string, unknown>;
    const customerId = String(d.customerId ?? '');
    const first = (key: string, kind: Orphan['kind'], missing: string) => {
      if (e.position > this.caughtUpTo) {
        this.inFlight++;
        return;
      }
      this.checked++;
      if (this.done.has(key)) return;
      this.pending.set(key, { kind, position: e.position, eventId: e.id, type: e.type, streamId: e.streamId, revision: e.revision, customerId, missing });
    };
    const second = (key: string) => {
      this.done.add(key);
      this.pending.delete(key);
    };
    switch (e.type) {
      case 'PaymentAllocated': {
        const allocation = String(d.allocationId ?? d.paymentId);
        first(`apply|${String(d.invoiceId)}|${allocation}`, 'allocation_not_applied', `PaymentApplied of payment ${String(d.paymentId)} on invoice ${String(d.invoiceId)}`);
        break;
      }
      case 'PaymentApplied':
        second(`apply|${String(d.invoiceId)}|${String(d.allocationId ?? d.paymentId)}`);
        break;
      case 'InvoiceNumberReserved':
        first(`invoice|${String(d.invoiceId)}|${String(d.number)}`, 'invoice_not_issued', `InvoiceIssued of invoice ${String(d.invoiceId)} with number ${String(d.number)}`);
        break;
      case 'InvoiceIssued':
        second(`invoice|${String(d.invoiceId)}|${String(d.number)}`);
        break;
      case 'CreditNoteNumberReserved':
        first(`credit-note|${String(d.creditNoteId)}`, 'credit_note_not_issued', `CreditNoteIssued of credit note ${String(d.creditNoteId)} with number ${String(d.number)}`);
        break;
      case 'CreditNoteIssued':
        second(`credit-note|${String(d.creditNoteId)}`);
        break;
      case 'ReminderSent':
        if (d.creditHold === true && !this.onManualHold.has(customerId)) {
          first(`hold|${e.id}`, 'hold_not_placed', `CreditHoldPlaced (manual) for customer ${customerId} asked by dunning level ${String(d.level)}`);
        }
        break;
      case 'CreditHoldPlaced':
        if (d.kind === 'manual') {
          this.onManualHold.add(customerId);
          // The hold asked for (command id credit-hold|<ReminderSent id>), or any manual hold placed since: satisfied.
          const asked = /^credit-hold\|(.+)$/.exec(e.metadata.commandId)?.[1];
          if (asked) second(`hold|${asked}`);
          for (const [key, p] of this.pending) if (p.kind === 'hold_not_placed' && p.customerId === customerId) second(key);
        }
        break;
      case 'CreditHoldReleased':
        if (d.kind === 'manual') this.onManualHold.delete(customerId);
        break;
      default:
        break;
    }
  }

  result(): WorkflowCompleteness {
    const orphans = [...this.pending.values()].sort((a, b) => a.position - b.position);
    return { caughtUpTo: this.caughtUpTo, checked: this.checked, inFlight: this.inFlight, orphans };
  }
}

/** Reads the whole log once and lists every orphan at or before `caughtUpTo` (the process manager's checkpoint). */
export async function findOrphans(store: EventStore, caughtUpTo: number, batchSize = 10_000): Promise<WorkflowCompleteness> {
  const tracker = new WorkflowTracker(caughtUpTo);
  for await (const batch of logBatches(store, -1, batchSize)) for (const e of batch) tracker.next(e);
  return tracker.result();
}
