import { enc, post } from '../api';
import { agingInvoices, customerName, forgetInvoices, invoice } from '../data';
import { Money, Panel, useAsync } from '../ui';
import { Decision } from './decision';

/**
 * Open disputes: every open item as of the date whose invoice has an open dispute. Accepting credits the disputed
 * amount (the engine issues the credit note); rejecting resumes dunning. The note is the reason recorded.
 */
export function Disputes({ asOf }: { asOf: string }) {
  const [data, reload] = useAsync(async () => {
    const open = (await agingInvoices(asOf)).invoices;
    const details = await Promise.all(open.map((i) => invoice(i.invoiceId)));
    const disputed = details.filter((d) => d.openDispute !== null);
    const names = await Promise.all(disputed.map((d) => customerName(d.customerId)));
    return disputed.map((d, i) => ({ ...d, name: names[i] }));
  }, [asOf]);
  return (
    <>
      <h1 tabIndex={-1}>Disputes <small>open as of {asOf}</small></h1>
      <Panel title="Open disputes" id="disputes" data={data}>
        {(rows) => rows.length === 0 ? <p class="muted">No open dispute.</p> : (
          <ul class="queue">
            {rows.map((r) => (
              <li key={r.openDispute!.disputeId}>
                <p><strong>{r.number}</strong> of <a href={`#/customers/${enc(r.customerId)}`}>{r.name}</a>: <Money amount={r.openDispute!.amount} currency={r.currency} /> contested
                  {' '}since {r.openDispute!.openedOn} — “{r.openDispute!.reason}”. Outstanding <Money amount={r.outstanding} />.</p>
                <Decision label={r.openDispute!.disputeId} needsReason={{ approve: true, reject: true }} approveLabel="Accept (credit note)" rejectLabel="Reject (resume dunning)"
                  onDecide={async (d, note) => {
                    await post(`/invoices/${enc(r.id)}/disputes/${enc(r.openDispute!.disputeId)}/resolve`, { outcome: d === 'approve' ? 'accepted' : 'rejected', note, on: asOf });
                    forgetInvoices();
                    setTimeout(reload, 1500);
                    return d === 'approve' ? 'Accepted: a credit note for the disputed amount is issued.' : 'Rejected: dunning resumes.';
                  }} />
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </>
  );
}
