/** Business dates are `YYYY-MM-DD` strings; arithmetic goes through UTC midnight so no time zone shifts a day. */
export function isDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
}

export function addDays(d: string, n: number): string {
  const t = Date.parse(`${d}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The last day of the month `k` months before the month of `d` (k = 0: d's own month end). */
export function monthEndBefore(d: string, k: number): string {
  const [y, m] = d.split('-').map(Number);
  const idx = y * 12 + (m - 1) - k + 1; // the month after, whose day 0 is our month end
  const t = Date.UTC(Math.floor(idx / 12), idx % 12, 0);
  return new Date(t).toISOString().slice(0, 10);
}

/** Today in the browser's calendar (the default "as of" date). */
export function today(): string {
  const n = new Date();
  return `${n.getFullYear()}-${String(n.getMonth() + 1).padStart(2, '0')}-${String(n.getDate()).padStart(2, '0')}`;
}
