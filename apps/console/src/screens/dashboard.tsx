import { useEffect } from 'preact/hooks';
import { addDays, monthEndBefore } from '../dates';
import { aging, BUCKETS, customerNames, dso } from '../data';
import { fromMinor, money, percent, toMinor } from '../money';
import { BarChart, LineChart, Money, Panel, useAsync } from '../ui';

const TONES: Record<string, string> = { current: 'ok', '1-30': 'warn1', '31-60': 'warn2', '61-90': 'bad1', '90+': 'bad2' };

/** DSO at the as-of date and the five month ends before it, each over the 91 days up to it (the simple method). */
async function dsoTrend(asOf: string) {
  const ends = [5, 4, 3, 2, 1].map((k) => monthEndBefore(asOf, k)).concat(asOf);
  return Promise.all(ends.map(async (to) => ({ label: to.slice(0, 7) === asOf.slice(0, 7) ? to.slice(5) : to.slice(0, 7), to, value: (await dso(addDays(to, -90), to)).dso ?? 0 })));
}

export function Dashboard({ asOf }: { asOf: string }) {
  const [report] = useAsync(async () => {
    const [a, names] = await Promise.all([aging(asOf), customerNames()]);
    const top = [...a.customers].sort((x, y) => (toMinor(y.total) > toMinor(x.total) ? 1 : toMinor(y.total) < toMinor(x.total) ? -1 : 0)).slice(0, 5);
    return { a, top: top.map((c) => ({ ...c, name: names.get(c.customerId) ?? c.customerId })) };
  }, [asOf]);
  const [trend] = useAsync(() => dsoTrend(asOf), [asOf]);
  const ready = report.state !== 'loading' && trend.state !== 'loading';
  useEffect(() => { if (ready && performance.getEntriesByName('ar:dashboard-ready').length === 0) performance.mark('ar:dashboard-ready'); }, [ready]);
  return (
    <>
      <h1 tabIndex={-1}>Dashboard <small>as of {asOf}</small></h1>
      <div class="grid">
        <Panel title="Receivables by age" id="aging" data={report}>
          {({ a }) => {
            const overdue = fromMinor(BUCKETS.filter((b) => b !== 'current').reduce((s, b) => s + toMinor(a.buckets[b]), 0n));
            return (
              <>
                <dl class="figures">
                  <div><dt>Total open</dt><dd><Money amount={a.total} currency={a.currency} /></dd></div>
                  <div><dt>Overdue</dt><dd data-testid="overdue-total"><Money amount={overdue} currency={a.currency} /></dd></div>
                  <div><dt>Overdue share</dt><dd>{percent(overdue, a.total)}</dd></div>
                </dl>
                <BarChart label={`Open receivables by days past due, in ${a.currency}`} bars={BUCKETS.map((b) => ({ label: b === 'current' ? 'not due' : `${b} d`, amount: a.buckets[b], tone: TONES[b] }))} />
                <div class="table-wrap"><table class="compact">
                  <caption class="sr-only">Aging buckets</caption>
                  <thead><tr>{BUCKETS.map((b) => <th scope="col" class="num">{b === 'current' ? 'Not due' : `${b} days`}</th>)}</tr></thead>
                  <tbody><tr>{BUCKETS.map((b) => <td class="num">{money(a.buckets[b])}</td>)}</tr></tbody>
                </table></div>
              </>
            );
          }}
        </Panel>
        <Panel title="Days sales outstanding" id="dso" data={trend}>
          {(points) => (
            <>
              <p class="muted">Simple method, over the 91 days up to each month end.</p>
              <LineChart label="DSO in days at each month end" points={points} />
            </>
          )}
        </Panel>
        <Panel title="Top debtors" id="debtors" data={report}>
          {({ a, top }) => (
            <table>
              <caption class="sr-only">Customers with the largest open balance</caption>
              <thead><tr><th scope="col">Customer</th><th scope="col" class="num">Open</th><th scope="col" class="num">Overdue</th></tr></thead>
              <tbody>
                {top.map((c) => (
                  <tr>
                    <td><a href={`#/customers/${encodeURIComponent(c.customerId)}`}>{c.name}</a></td>
                    <td class="num"><Money amount={c.total} currency={a.currency} /></td>
                    <td class="num"><Money amount={fromMinor(toMinor(c.total) - toMinor(c.buckets.current))} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      </div>
    </>
  );
}
