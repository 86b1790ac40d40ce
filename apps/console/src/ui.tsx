import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from './api';
import { money, toMinor } from './money';

export type Async<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; error: ApiError | Error };

/** Runs `load` when its dependencies change; `reload()` runs it again (after an action). */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): [Async<T>, () => void] {
  const [result, setResult] = useState<Async<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setResult({ state: 'loading' });
    load().then((value) => live && setResult({ state: 'ok', value }), (error: Error) => live && setResult({ state: 'error', error }));
    return () => { live = false; };
  }, [...deps, tick]);
  return [result, () => setTick((t) => t + 1)];
}

export function ErrorNote({ error }: { error: ApiError | Error }) {
  if (error instanceof ApiError && error.status === 403) {
    return <p class="muted" role="alert">Not permitted for your role ({error.code}: {error.message}).</p>;
  }
  const code = error instanceof ApiError ? `${error.code}: ` : '';
  return <p class="error" role="alert">{code}{error.message}</p>;
}

/** A titled region that shows its data, a loading line, or the API's error. */
export function Panel<T>({ title, data, children, id }: { title: string; id?: string; data: Async<T>; children: (value: T) => ComponentChildren }) {
  const headingId = `${id ?? title.replace(/\W+/g, '-').toLowerCase()}-h`;
  return (
    <section class="panel" aria-labelledby={headingId} aria-busy={data.state === 'loading'}>
      <h2 id={headingId}>{title}</h2>
      {data.state === 'loading' && <p class="muted">Loading…</p>}
      {data.state === 'error' && <ErrorNote error={data.error} />}
      {data.state === 'ok' && children(data.value)}
    </section>
  );
}

export function Money({ amount, currency }: { amount: string; currency?: string }) {
  return <span class={toMinor(amount) < 0n ? 'num neg' : 'num'}>{money(amount, currency)}</span>;
}

export interface Column<R> {
  key: string;
  label: string;
  /** How the column sorts: text, a number, or a decimal amount (compared as BigInt minor units). */
  sort?: (r: R) => string | number | bigint;
  render: (r: R) => ComponentChildren;
  numeric?: boolean;
  /** Dates and codes: kept on one line. */
  nowrap?: boolean;
}

/** A table whose headers are buttons that sort it (aria-sort says how), keyboard-reachable like any button. */
export function SortableTable<R>({ rows, columns, caption, initial, rowKey }: { rows: R[]; columns: Column<R>[]; caption: string; initial?: { key: string; dir: 'ascending' | 'descending' }; rowKey: (r: R) => string }) {
  const [order, setOrder] = useState(initial ?? { key: columns[0].key, dir: 'ascending' as const });
  const sorted = useMemo(() => {
    const col = columns.find((c) => c.key === order.key);
    if (!col?.sort) return rows;
    const f = col.sort;
    const out = [...rows].sort((a, b) => {
      const x = f(a);
      const y = f(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    return order.dir === 'ascending' ? out : out.reverse();
  }, [rows, order]);
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" class={c.numeric ? 'num' : undefined} aria-sort={c.key === order.key ? order.dir : undefined}>
                {c.sort ? (
                  <button type="button" class="sort" onClick={() => setOrder({ key: c.key, dir: c.key === order.key && order.dir === 'ascending' ? 'descending' : 'ascending' })}>
                    {c.label}<span aria-hidden="true">{c.key === order.key ? (order.dir === 'ascending' ? ' ▲' : ' ▼') : ' ↕'}</span>
                  </button>
                ) : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.length === 0 && <tr><td colSpan={columns.length} class="muted">Nothing here.</td></tr>}
          {sorted.map((r) => <tr key={rowKey(r)}>{columns.map((c) => <td class={c.numeric ? 'num' : c.nowrap ? 'nowrap' : undefined}>{c.render(r)}</td>)}</tr>)}
        </tbody>
      </table>
    </div>
  );
}

/** Vertical bars (SVG), one per labelled amount; the figures are in the bars' titles and in a table beside it. */
export function BarChart({ bars, label }: { bars: Array<{ label: string; amount: string; tone?: string }>; label: string }) {
  const w = 520;
  const h = 220;
  const pad = 28;
  const max = bars.reduce((m, b) => (toMinor(b.amount) > m ? toMinor(b.amount) : m), 1n);
  const bw = (w - pad * 2) / bars.length;
  return (
    <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label} class="chart">
      <line x1={pad} y1={h - pad} x2={w - pad} y2={h - pad} class="axis" />
      {bars.map((b, i) => {
        const v = toMinor(b.amount);
        const bh = Number((v * BigInt(h - pad * 2) * 1000n) / max) / 1000;
        const x = pad + i * bw + bw * 0.15;
        return (
          <g key={b.label}>
            <rect x={x} y={h - pad - bh} width={bw * 0.7} height={Math.max(bh, 0)} class={`bar ${b.tone ?? ''}`}><title>{`${b.label}: ${money(b.amount)}`}</title></rect>
            <text x={x + bw * 0.35} y={h - pad + 16} text-anchor="middle" class="tick">{b.label}</text>
            <text x={x + bw * 0.35} y={h - pad - bh - 6} text-anchor="middle" class="value">{money(b.amount.split('.')[0])}</text>
          </g>
        );
      })}
    </svg>
  );
}

/** A line of points (days), e.g. DSO month by month. */
export function LineChart({ points, label }: { points: Array<{ label: string; value: number }>; label: string }) {
  const w = 520;
  const h = 200;
  const pad = 32;
  const max = Math.max(1, ...points.map((p) => p.value));
  const step = points.length > 1 ? (w - pad * 2) / (points.length - 1) : 0;
  const xy = points.map((p, i) => [pad + i * step, h - pad - (p.value / max) * (h - pad * 2)] as const);
  return (
    <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label} class="chart">
      <line x1={pad} y1={h - pad} x2={w - pad} y2={h - pad} class="axis" />
      <polyline points={xy.map(([x, y]) => `${x},${y}`).join(' ')} class="trend" />
      {points.map((p, i) => (
        <g key={p.label}>
          <circle cx={xy[i][0]} cy={xy[i][1]} r={4} class="dot"><title>{`${p.label}: ${p.value} days`}</title></circle>
          <text x={xy[i][0]} y={h - pad + 16} text-anchor="middle" class="tick">{p.label}</text>
          <text x={xy[i][0]} y={xy[i][1] - 8} text-anchor="middle" class="value">{p.value.toFixed(1)}</text>
        </g>
      ))}
    </svg>
  );
}

export function Badge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'info'; children: ComponentChildren }) {
  return <span class={`badge ${tone}`}>{children}</span>;
}
