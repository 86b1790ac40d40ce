import { enc, post } from '../api';
import { approvalRequests, customerNames, pendingApprovals, type ApprovalRequest } from '../data';
import { Money, Panel, useAsync } from '../ui';
import { Decision } from './decision';

/** The credit manager's queues: invoices held over the credit limit, and four-eyes requests (write-offs, limit increases). */
export function Approvals({ asOf }: { asOf: string }) {
  const [held, reloadHeld] = useAsync(pendingApprovals, []);
  const [requests, reloadRequests] = useAsync(async () => {
    const [r, names] = await Promise.all([approvalRequests(), customerNames()]);
    return r.requests.map((x) => ({ ...x, name: names.get(x.customerId) ?? x.customerId }));
  }, []);
  return (
    <>
      <h1 tabIndex={-1}>Approvals</h1>
      <Panel title="Invoices held for approval" id="held" data={held}>
        {(h) => {
          const rows = h.customers.flatMap((c) => c.invoices.map((i) => ({ ...i, customer: c })));
          if (rows.length === 0) return <p class="muted">No invoice is held.</p>;
          return (
            <ul class="queue">
              {rows.map((r) => (
                <li key={r.invoiceId}>
                  <p><strong>{r.invoiceId}</strong> for <a href={`#/customers/${enc(r.customer.customerId)}`}>{r.customer.name}</a>: <Money amount={r.total} currency={r.customer.currency} />, issued {r.issueDate}.
                    {' '}Limit <Money amount={r.customer.creditLimit} />, exposure <Money amount={r.customer.exposure} />{r.customer.onHold ? ', on credit hold' : ''}.</p>
                  <Decision label={r.invoiceId} needsReason={{ approve: true, reject: true }} onDecide={async (d, reason) => {
                    const body = d === 'approve' ? { reason, issueDate: asOf > r.issueDate ? asOf : r.issueDate } : { reason };
                    const out = await post<{ number?: string; status: string }>(`/invoices/${enc(r.invoiceId)}/${d}`, body);
                    setTimeout(reloadHeld, 1500);
                    return d === 'approve' ? `Approved: issued as ${out.number ?? r.invoiceId} (${out.status}).` : 'Rejected: it will never be a receivable.';
                  }} />
                </li>
              ))}
            </ul>
          );
        }}
      </Panel>
      <Panel title="Write-offs and credit-limit increases" id="requests" data={requests}>
        {(rows) => rows.length === 0 ? <p class="muted">No request is waiting.</p> : (
          <ul class="queue">
            {rows.map((r) => <RequestItem key={r.requestId} r={r} reload={reloadRequests} />)}
          </ul>
        )}
      </Panel>
    </>
  );
}

function RequestItem({ r, reload }: { r: ApprovalRequest & { name: string }; reload: () => void }) {
  const writeOff = r.kind === 'write_off';
  const base = writeOff ? `/invoices/${enc(r.invoiceId ?? '')}/write-off` : `/customers/${enc(r.customerId)}/credit-limit`;
  return (
    <li>
      <p>
        <strong>{writeOff ? 'Write-off' : 'Credit-limit increase'}</strong> for <a href={`#/customers/${enc(r.customerId)}`}>{r.name}</a>
        {writeOff ? <>: <Money amount={r.amount ?? '0.00'} currency={r.currency} /> of {r.invoiceId}</> : <>: <Money amount={r.previousLimit ?? '0.00'} /> → <Money amount={r.newLimit ?? '0.00'} currency={r.currency} /></>}
        {' '}— “{r.reason}”, asked by {r.requestedBy} at {r.requestedAt.slice(0, 16).replace('T', ' ')} UTC.
      </p>
      <Decision label={r.requestId} needsReason={{ approve: false, reject: true }} onDecide={async (d, reason) => {
        await post(`${base}/${d}`, d === 'reject' ? { reason } : {});
        setTimeout(reload, 1500);
        return d === 'approve' ? (writeOff ? 'Approved: the invoice is written off.' : 'Approved: the new limit is in force.') : 'Rejected.';
      }} />
    </li>
  );
}
