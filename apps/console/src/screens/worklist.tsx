import { useMemo, useState } from 'preact/hooks';
import { enc, get, post } from '../api';
import { worklist, type WorkItem } from '../data';
import { Decision } from './decision';
import { toMinor } from '../money';
import { Badge, Money, Panel, SortableTable, useAsync, type Column } from '../ui';

const COLUMNS: Column<WorkItem>[] = [
  { key: 'customer', label: 'Customer', sort: (r) => r.customerName.toLowerCase(), render: (r) => <a href={`#/customers/${encodeURIComponent(r.customerId)}`}>{r.customerName}</a> },
  { key: 'number', label: 'Invoice', nowrap: true, sort: (r) => r.number, render: (r) => r.number },
  { key: 'due', label: 'Due', nowrap: true, sort: (r) => r.dueDate, render: (r) => r.dueDate },
  { key: 'dpd', label: 'Days past due', numeric: true, sort: (r) => r.daysPastDue, render: (r) => r.daysPastDue },
  { key: 'open', label: 'Outstanding', numeric: true, sort: (r) => toMinor(r.outstanding), render: (r) => <Money amount={r.outstanding} currency={r.currency} /> },
  { key: 'level', label: 'Dunning level', numeric: true, sort: (r) => r.dunningLevel, render: (r) => (r.lastReminder ? <span>{r.dunningLevel} <span class="muted">sent {r.lastReminder.asOf}</span></span> : 'none') },
  { key: 'next', label: 'Next action', sort: (r) => r.nextAction, render: (r) => r.nextAction },
  { key: 'nextDate', label: 'On', nowrap: true, sort: (r) => r.nextDate ?? '9999', render: (r) => r.nextDate ?? '—' },
  {
    key: 'flags', label: 'Dispute / plan', sort: (r) => (r.disputed ? 4 : 0) + (r.planId ? 2 : 0) + (r.inCollection ? 1 : 0),
    render: (r) => (
      <>
        {r.disputed && <Badge tone="warn">disputed</Badge>}
        {r.planId && <Badge tone="info">payment plan</Badge>}
        {r.inCollection && <Badge tone="bad">collection agency</Badge>}
      </>
    ),
  },
];

type Filter = 'all' | 'disputed' | 'plan' | 'actionable' | 'collection';

/** Overdue invoices, most days past due first, filterable by customer or number and by what needs doing. */
export function Worklist({ asOf }: { asOf: string }) {
  const [data] = useAsync(() => worklist(asOf), [asOf]);
  const [text, setText] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [minDays, setMinDays] = useState('');
  return (
    <>
      <h1 tabIndex={-1}>Worklist <small>overdue as of {asOf}</small></h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div><label for="wl-q">Customer or invoice</label><input id="wl-q" type="search" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} /></div>
        <div>
          <label for="wl-filter">Show</label>
          <select id="wl-filter" value={filter} onChange={(e) => setFilter((e.target as HTMLSelectElement).value as Filter)}>
            <option value="all">All overdue</option>
            <option value="actionable">Next action due now</option>
            <option value="disputed">Disputed</option>
            <option value="plan">Under a payment plan</option>
            <option value="collection">With the collection agency</option>
          </select>
        </div>
        <div><label for="wl-days">At least days past due</label><input id="wl-days" type="number" min="0" inputMode="numeric" value={minDays} onInput={(e) => setMinDays((e.target as HTMLInputElement).value)} /></div>
      </form>
      <Panel title="Overdue invoices" id="worklist" data={data}>
        {({ rows, total }) => <Rows rows={rows} total={total} text={text} filter={filter} minDays={minDays} asOf={asOf} />}
      </Panel>
      <Receipts />
    </>
  );
}

interface Suggestion {
  id: string; bookingDate: string; amount: string; currency: string; debtorName: string | null; remittance: string; bankRef: string;
  candidates: Array<{ customerId: string; rule: string; confidence: number; evidence: string[]; allocations: Array<{ invoiceId: string; number: string; amount: string }>; unapplied: string; shortfall?: string }>;
}

/**
 * Bank receipts the cash application could not apply alone (`GET /cash-application/suggestions`, ADR 0085): the
 * best candidate with its evidence; accepting records the receipt (and teaches the payer's IBAN), rejecting leaves
 * the entry in suspense (471) for a manual match.
 */
function Receipts() {
  const [data, reload] = useAsync(() => get<{ items: Suggestion[]; count: number }>('/cash-application/suggestions'), []);
  return (
    <Panel title="Bank receipts to match" id="receipts" data={data}>
      {({ items, count }) => count === 0 ? <p class="muted">No bank receipt waits for a clerk.</p> : (
        <>
          <p class="muted" role="status">{count} bank {count === 1 ? 'receipt waits' : 'receipts wait'} for a clerk</p>
          <ul class="queue">
            {items.map((e) => <ReceiptItem key={e.id} e={e} reload={reload} />)}
          </ul>
        </>
      )}
    </Panel>
  );
}

/** One receipt waiting: paid short within the tolerance, the clerk may write the difference off as bank fees (627, ADR 0088). */
function ReceiptItem({ e, reload }: { e: Suggestion; reload: () => void }) {
  const best = e.candidates[0];
  const [fees, setFees] = useState(false);
  return (
    <li>
      <p><strong><Money amount={e.amount} currency={e.currency} /></strong> received {e.bookingDate} from {e.debtorName ?? 'an unnamed payer'}
        {e.remittance ? <> (“{e.remittance}”)</> : null}, bank reference {e.bankRef}.</p>
      {best && (
        <p>Best match: <a href={`#/customers/${enc(best.customerId)}`}>{best.customerId}</a>, {best.allocations.map((a) => `${a.number} ${a.amount}`).join(', ') || 'customer credit'}
          {' '}— confidence {best.confidence} ({best.rule.replace(/_/g, ' ')}): {best.evidence.join('; ')}{best.shortfall ? `; ${best.shortfall} short` : ''}.</p>
      )}
      {best?.shortfall && (
        <p><label><input type="checkbox" checked={fees} onChange={(ev) => setFees((ev.target as HTMLInputElement).checked)} />
          {' '}Write the {best.shortfall} short off as bank fees (627)</label></p>
      )}
      <Decision label={e.id} needsReason={{ approve: false, reject: true }} approveLabel="Accept the match" rejectLabel="Reject (leave in suspense)"
        onDecide={async (d, reason) => {
          if (d === 'approve') await post(`/cash-application/suggestions/${enc(e.id)}/accept`, fees ? { acceptBankFees: true } : {});
          else await post(`/cash-application/suggestions/${enc(e.id)}/reject`, { reason });
          setTimeout(reload, 1500);
          if (d !== 'approve') return 'Rejected: the entry stays in suspense for a manual match.';
          return fees ? `Accepted: the receipt is recorded for the customer and ${best?.shortfall} written off as bank fees.` : 'Accepted: the receipt is recorded for the customer.';
        }} />
    </li>
  );
}

function Rows({ rows, total, text, filter, minDays, asOf }: { rows: WorkItem[]; total: number; text: string; filter: Filter; minDays: string; asOf: string }) {
  const shown = useMemo(() => {
    const t = text.trim().toLowerCase();
    const min = /^\d+$/.test(minDays) ? Number(minDays) : 0;
    return rows.filter((r) => (!t || r.customerName.toLowerCase().includes(t) || r.number.toLowerCase().includes(t) || r.customerId.includes(t))
      && r.daysPastDue >= min
      && (filter === 'all' || (filter === 'disputed' && r.disputed) || (filter === 'plan' && r.planId !== null)
        || (filter === 'collection' && r.inCollection) || (filter === 'actionable' && r.nextDate === asOf)));
  }, [rows, text, filter, minDays]);
  return (
    <>
      <p class="muted" role="status">{shown.length} of {rows.length} overdue invoices{rows.length < total ? ` (the ${rows.length} due first of ${total})` : ''}</p>
      <SortableTable caption="Overdue invoices; select a column header to sort" rows={shown} columns={COLUMNS} rowKey={(r) => r.id} initial={{ key: 'dpd', dir: 'descending' }} />
    </>
  );
}
