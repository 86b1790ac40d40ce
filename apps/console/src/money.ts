/**
 * Amounts arrive as decimal strings ("1234.56", "-20.00"): the console compares, sums and scales them as BigInt
 * minor units, never as floats, and shows them grouped by thousands.
 */
export function toMinor(amount: string): bigint {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!m) return 0n;
  const fraction = (m[3] ?? '').padEnd(2, '0').slice(0, 2);
  const v = BigInt(m[2]) * 100n + BigInt(fraction);
  return m[1] ? -v : v;
}

export function fromMinor(minor: bigint): string {
  const neg = minor < 0n;
  const abs = neg ? -minor : minor;
  return `${neg ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function sum(amounts: readonly string[]): string {
  return fromMinor(amounts.reduce((s, a) => s + toMinor(a), 0n));
}

/** "1234567.80" → "1 234 567.80" (narrow no-break spaces), with the currency after it when given. */
export function money(amount: string, currency?: string): string {
  const [int, frac = '00'] = amount.replace(/^-/, '').split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${amount.startsWith('-') ? '−' : ''}${grouped}.${frac}${currency ? ` ${currency}` : ''}`;
}

/** The share a/b as a percentage with one decimal, rounded half-up, computed in integers. */
export function percent(a: string, b: string): string {
  const num = toMinor(a) * 1000n;
  const den = toMinor(b);
  if (den === 0n) return '—';
  const tenths = (num * 2n + den) / (den * 2n);
  return `${tenths / 10n}.${tenths % 10n} %`;
}
