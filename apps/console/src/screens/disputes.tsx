import { enc, post } from '../api';
import { customerNames, openDisputes } from '../data';
import { Money, Panel, useAsync } from '../ui';
import { Decision } from './decision';

/**
 * Open disputes, oldest first (`GET /disputes?status=open`). Accepting credits the disputed amount (the engine
 * issues the credit note); rejecting resumes dunning. The note is the reason recorded; the date is the "as of" date.
 */
export function Disputes({ asOf }: { asOf: string }) {
  const [data, reload] = useAsync(async () => {
    const [open, names] = await Promise.all([openDisputes(), customerNames()]);
    return { ...open, rows: open.rows.map((d) => ({ ...d, name: names.get(d.customerId) ?? d.customerId })) };
  }, []);
  return (
    <>
      <h1 tabIndex={-1}>Disputes <small>open</small></h1>
      <Panel title="Open disputes" id="disputes" data={data}>
        {({ rows, total }) => rows.length === 0 ? <p class="muted">No open dispute.</p> : (
          <>
            <p class="muted" role="status">{total} open {total === 1 ? 'dispute' : 'disputes'}{rows.length < total ? `, the oldest ${rows.length} shown` : ''}</p>
            <ul class="queue">
              {rows.map((r) => (
                <li key={r.id}>
                  <p><strong>{r.invoiceNumber}</strong> of <a href={`#/customers/${enc(r.customerId)}`}>{r.name}</a>: <Money amount={r.amount} currency={r.currency} /> contested
                    {' '}since {r.openedOn} — “{r.reason}”.</p>
                  <Decision label={r.id} needsReason={{ approve: true, reject: true }} approveLabel="Accept (credit note)" rejectLabel="Reject (resume dunning)"
                    onDecide={async (d, note) => {
                      await post(`/invoices/${enc(r.invoiceId)}/disputes/${enc(r.id)}/resolve`, { outcome: d === 'approve' ? 'accepted' : 'rejected', note, on: asOf > r.openedOn ? asOf : r.openedOn });
                      setTimeout(reload, 1500);
                      return d === 'approve' ? 'Accepted: a credit note for the disputed amount is issued.' : 'Rejected: dunning resumes.';
                    }} />
                </li>
              ))}
            </ul>
          </>
        )}
      </Panel>
    </>
  );
}
