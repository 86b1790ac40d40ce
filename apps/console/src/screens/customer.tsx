import { useState } from 'preact/hooks';
import { ApiError, download, enc, q } from '../api';
import { isDate } from '../dates';
import { agingInvoices, balance, credit, history, statement } from '../data';
import { toMinor } from '../money';
import { Badge, ErrorNote, Money, Panel, SortableTable, useAsync } from '../ui';

/** A customer's page: balance, credit position, open items, statement (with its PDF), and the verified history. */
export function CustomerPage({ id, asOf }: { id: string; asOf: string }) {
  const [bal] = useAsync(() => balance(id), [id]);
  const [cred] = useAsync(() => credit(id), [id]);
  const [items] = useAsync(async () => (await agingInvoices(asOf)).filter((i) => i.customerId === id), [id, asOf]);
  const [hist] = useAsync(() => history(id), [id]);
  const name = bal.state === 'ok' ? bal.value.name : cred.state === 'ok' ? cred.value.name : id;
  return (
    <>
      <p class="crumbs"><a href="#/worklist">Worklist</a> › customer</p>
      <h1 tabIndex={-1}>{name} <small>{id}</small></h1>
      <div class="grid">
        <Panel title="Balance" id="balance" data={bal}>
          {(b) => (
            <dl class="figures">
              <div><dt>Outstanding</dt><dd data-testid="outstanding"><Money amount={b.outstanding} currency={b.currency} /></dd></div>
              <div><dt>Invoiced</dt><dd><Money amount={b.invoiced} /></dd></div>
              <div><dt>Paid</dt><dd><Money amount={b.paid} /></dd></div>
              <div><dt>Unapplied cash</dt><dd><Money amount={b.unapplied} /></dd></div>
              <div><dt>Open invoices</dt><dd>{b.openInvoiceCount} of {b.invoiceCount}</dd></div>
            </dl>
          )}
        </Panel>
        <Panel title="Credit position" id="credit" data={cred}>
          {(c) => {
            const used = Math.min(100, Math.max(0, Number(c.utilisationPercent)));
            return (
              <>
                <dl class="figures">
                  <div><dt>Credit limit</dt><dd><Money amount={c.creditLimit} currency={c.currency} /></dd></div>
                  <div><dt>Exposure</dt><dd><Money amount={c.exposure.exposure} /></dd></div>
                  <div><dt>Available</dt><dd><Money amount={c.availableCredit} /></dd></div>
                  <div><dt>Terms</dt><dd>{c.terms.description}</dd></div>
                </dl>
                <label for="utilisation">Limit used: {c.utilisationPercent} %</label>
                <meter id="utilisation" min={0} max={100} low={70} high={90} optimum={0} value={used}>{c.utilisationPercent} %</meter>
                {c.hold.onHold
                  ? <p><Badge tone="bad">On credit hold</Badge> {c.hold.holds.map((h) => `${h.kind}: ${h.reason}`).join('; ')}</p>
                  : <p><Badge tone="ok">No credit hold</Badge></p>}
              </>
            );
          }}
        </Panel>
      </div>
      <Panel title={`Open items as of ${asOf}`} id="open-items" data={items}>
        {(rows) => (
          <SortableTable caption="Open invoices of the customer" rows={rows} rowKey={(r) => r.invoiceId} initial={{ key: 'due', dir: 'ascending' }} columns={[
            { key: 'number', label: 'Invoice', sort: (r) => r.number, render: (r) => r.number },
            { key: 'issue', label: 'Issued', sort: (r) => r.issueDate, render: (r) => r.issueDate },
            { key: 'due', label: 'Due', sort: (r) => r.dueDate, render: (r) => r.dueDate },
            { key: 'dpd', label: 'Days past due', numeric: true, sort: (r) => r.daysPastDue, render: (r) => (r.daysPastDue > 0 ? r.daysPastDue : 'not due') },
            { key: 'open', label: 'Open', numeric: true, sort: (r) => toMinor(r.open), render: (r) => <Money amount={r.open} /> },
            { key: 'pdf', label: 'Document', render: (r) => <InvoicePdf id={r.invoiceId} number={r.number} /> },
          ]} />
        )}
      </Panel>
      <StatementPanel id={id} asOf={asOf} />
      <Panel title="History" id="history" data={hist}>
        {(h) => (
          <>
            {h.verification && (h.verification.verified
              ? <p data-testid="verification"><Badge tone="ok">Hash chains verified</Badge> {h.verification.events} events in {h.verification.streams} streams</p>
              : <p data-testid="verification"><Badge tone="bad">Hash chain broken</Badge> first break: stream {h.verification.firstBreak?.streamId}, revision {h.verification.firstBreak?.revision}, position {h.verification.firstBreak?.position ?? '—'}: {h.verification.firstBreak?.reason}</p>)}
            <ol class="timeline" aria-label="Events of the customer, oldest first">
              {h.events.slice(-200).map((e) => (
                <li key={e.position}>
                  <span class="when">{e.effectiveDate}</span>
                  <span class="what">{e.type}</span>
                  <span class="muted">#{e.position} · {e.streamId}{e.metadata.actor ? ` · ${e.metadata.actor}` : ''}</span>
                </li>
              ))}
            </ol>
            {h.events.length > 200 && <p class="muted">The last 200 of {h.events.length} events.</p>}
          </>
        )}
      </Panel>
    </>
  );
}

/** The invoice as its PDF (Factur-X), fetched with the credential. */
function InvoicePdf({ id, number }: { id: string; number: string }) {
  const [error, setError] = useState<Error | null>(null);
  return (
    <>
      <button type="button" class="small" aria-label={`Download invoice ${number} as PDF`} onClick={() => download(`/invoices/${enc(id)}/pdf`, `${number}.pdf`).then(() => setError(null), setError)}>PDF</button>
      {error && <ErrorNote error={error} />}
    </>
  );
}

function StatementPanel({ id, asOf }: { id: string; asOf: string }) {
  const [from, setFrom] = useState(`${asOf.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(asOf);
  const [period, setPeriod] = useState({ from, to });
  const [data] = useAsync(() => statement(id, period.from, period.to), [id, period.from, period.to]);
  const [pdf, setPdf] = useState<{ state: 'idle' | 'busy' | 'done'; note?: string; error?: ApiError | Error }>({ state: 'idle' });
  const [invalid, setInvalid] = useState(false);
  const getPdf = async () => {
    setPdf({ state: 'busy' });
    try {
      const bytes = await download(`/customers/${enc(id)}/statement.pdf${q(period)}`, `statement-${id}-${period.from}-${period.to}.pdf`);
      setPdf({ state: 'done', note: `Statement PDF downloaded (${bytes} bytes).` });
    } catch (err) {
      setPdf({ state: 'idle', error: err as Error });
    }
  };
  return (
    <Panel title="Statement" id="statement" data={data}>
      {(s) => (
        <>
          <form class="filters" onSubmit={(e) => { e.preventDefault(); const ok = isDate(from) && isDate(to) && from <= to; setInvalid(!ok); if (ok) setPeriod({ from, to }); }}>
            <div><label for="st-from">From</label><input id="st-from" type="date" value={from} required onInput={(e) => setFrom((e.target as HTMLInputElement).value)} /></div>
            <div><label for="st-to">To</label><input id="st-to" type="date" value={to} required onInput={(e) => setTo((e.target as HTMLInputElement).value)} /></div>
            <button type="submit">Show</button>
            <button type="button" onClick={getPdf} disabled={pdf.state === 'busy'}>Download PDF</button>
          </form>
          {invalid && <p role="alert" class="error">The period needs two dates, the first not after the second.</p>}
          {pdf.note && <p role="status" class="note">{pdf.note}</p>}
          {pdf.error && <ErrorNote error={pdf.error} />}
          <div class="table-wrap">
            <table>
              <caption>Statement from {s.from} to {s.to}, opening balance <Money amount={s.opening} currency={s.currency} /></caption>
              <thead><tr><th scope="col">Date</th><th scope="col">Piece</th><th scope="col">Label</th><th scope="col" class="num">Debit</th><th scope="col" class="num">Credit</th><th scope="col" class="num">Balance</th></tr></thead>
              <tbody>
                {s.movements.map((m) => (
                  <tr key={m.position}><td>{m.date}</td><td>{m.pieceRef}</td><td>{m.label}</td><td class="num"><Money amount={m.debit} /></td><td class="num"><Money amount={m.credit} /></td><td class="num"><Money amount={m.balance} /></td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Panel>
  );
}
