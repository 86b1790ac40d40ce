import { invalid } from './errors';
import { divideHalfUp, parseScaled } from './money';

/**
 * VAT breakdown (EN 16931 BG-23, "VAT breakdown"): one entry per rate, the taxable base (BT-116, sum of the
 * line nets at that rate) and the VAT amount (BT-117), integer minor units. `rate` is canonical ("0.20",
 * "0.055"): rates written "0.2" and "0.200" are the same rate.
 */
export interface VatRateAmount {
  rate: string;
  base: number;
  amount: number;
}

/** Rates carry at most 4 decimals ("0.055"); scaled by 10 000 inside. */
export const RATE_DECIMALS = 4;
const SCALE = 10n ** BigInt(RATE_DECIMALS);

/** A rate string → its value scaled by 10 000 (0.20 → 2000n); refuses anything outside 0…1. */
export function scaledRate(rate: string, field = 'taxRate'): bigint {
  const scaled = parseScaled(rate, RATE_DECIMALS, field);
  if (scaled < 0n || scaled > SCALE) throw invalid('TAX_RATE_OUT_OF_RANGE', `${field} must be between 0 and 1`, field);
  return scaled;
}

/** Canonical text of a scaled rate: trailing zeros dropped, at least two decimals (2000n → "0.20", 550n → "0.055"). */
export function canonicalRate(scaled: bigint): string {
  const int = scaled / SCALE;
  let frac = (scaled % SCALE).toString().padStart(RATE_DECIMALS, '0').replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `${int}.${frac}`;
}

/** Same rate whatever its spelling ("0.2" = "0.20"). */
export function sameRate(a: string, b: string): boolean {
  return scaledRate(a) === scaledRate(b);
}

/** Entries sorted by rate, highest first (the standard rate leads, as on a printed invoice). */
function sorted(entries: Map<bigint, VatRateAmount>): VatRateAmount[] {
  return [...entries.entries()].sort(([a], [b]) => (a > b ? -1 : a < b ? 1 : 0)).map(([, e]) => e);
}

/**
 * EN 16931 BR-CO-17: for each rate, VAT = (sum of the line nets at that rate) × rate, rounded half-up to the
 * minor unit once per rate — never the sum of per-line roundings. Products in BigInt.
 */
export function vatByRate(lines: ReadonlyArray<{ net: number; taxRate: string }>): VatRateAmount[] {
  const bases = new Map<bigint, bigint>();
  lines.forEach((l, i) => {
    const r = scaledRate(l.taxRate, `lines[${i}].taxRate`);
    bases.set(r, (bases.get(r) ?? 0n) + BigInt(l.net));
  });
  const out = new Map<bigint, VatRateAmount>();
  for (const [r, base] of bases) out.set(r, { rate: canonicalRate(r), base: Number(base), amount: Number(divideHalfUp(base * r, SCALE)) });
  return sorted(out);
}

/**
 * The breakdown of a document written before VAT per rate (schema v1): grouped by rate from the per-line
 * figures it was issued with (base = Σ line nets, amount = Σ line taxes), so its totals never change.
 */
export function vatByRateAsIssued(lines: ReadonlyArray<{ net: number; tax?: number; taxRate: string }>): VatRateAmount[] {
  const out = new Map<bigint, VatRateAmount>();
  for (const l of lines) {
    const r = scaledRate(l.taxRate);
    const e = out.get(r) ?? { rate: canonicalRate(r), base: 0, amount: 0 };
    out.set(r, { rate: e.rate, base: e.base + l.net, amount: e.amount + (l.tax ?? 0) });
  }
  return sorted(out);
}

export const vatTotal = (b: readonly VatRateAmount[]): number => b.reduce((s, e) => s + e.amount, 0);
export const baseTotal = (b: readonly VatRateAmount[]): number => b.reduce((s, e) => s + e.base, 0);
export const grossTotal = (b: readonly VatRateAmount[]): number => baseTotal(b) + vatTotal(b);

/** a + b (or a − b with sign −1), rate by rate; entries that reach zero base and zero VAT are dropped. */
export function combine(a: readonly VatRateAmount[], b: readonly VatRateAmount[], sign: 1 | -1 = 1): VatRateAmount[] {
  const out = new Map<bigint, VatRateAmount>();
  for (const e of a) out.set(scaledRate(e.rate), { ...e });
  for (const e of b) {
    const r = scaledRate(e.rate);
    const cur = out.get(r) ?? { rate: canonicalRate(r), base: 0, amount: 0 };
    out.set(r, { rate: cur.rate, base: cur.base + sign * e.base, amount: cur.amount + sign * e.amount });
  }
  for (const [r, e] of out) if (e.base === 0 && e.amount === 0) out.delete(r);
  return sorted(out);
}

/**
 * Splits `amount` in proportion to integer weights, exactly (the parts sum to `amount`): each part is
 * floor(amount × weight / Σ weights), and the minor units left over go one each to the largest fractional
 * remainders, ties to the earlier weight (largest-remainder method). With amount ≤ Σ weights no part exceeds
 * its weight; with amount = Σ weights every part equals its weight.
 */
export function allocateProportionally(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (total === 0n) return weights.map(() => 0);
  const a = BigInt(amount);
  const parts = weights.map((w) => (a * BigInt(w)) / total);
  const remainders = weights.map((w, i) => ({ i, r: (a * BigInt(w)) % total }));
  let left = a - parts.reduce((s, p) => s + p, 0n);
  remainders.sort((x, y) => (x.r > y.r ? -1 : x.r < y.r ? 1 : x.i - y.i));
  for (const { i } of remainders) {
    if (left <= 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

/**
 * A gross amount (VAT included) split across a breakdown in proportion to each rate's base and VAT
 * (CGI art. 267 II-1°: a reduction lowers the taxable base and the VAT of each rate in proportion). The base
 * and VAT parts of every rate are weights of one largest-remainder split, so the result sums exactly to
 * `gross`, and the whole breakdown's gross gives the breakdown itself.
 */
export function splitGrossAcross(gross: number, breakdown: readonly VatRateAmount[]): VatRateAmount[] {
  const weights = breakdown.flatMap((e) => [e.base, e.amount]);
  const parts = allocateProportionally(gross, weights);
  return breakdown
    .map((e, i) => ({ rate: e.rate, base: parts[2 * i], amount: parts[2 * i + 1] }))
    .filter((e) => e.base !== 0 || e.amount !== 0);
}

/** Gross → base + VAT at one rate: base = half-up(gross / (1 + rate)), VAT = gross − base. */
export function splitGrossAtRate(gross: number, rate: string, field = 'taxRate'): VatRateAmount {
  const r = scaledRate(rate, field);
  const base = Number(divideHalfUp(BigInt(gross) * SCALE, SCALE + r));
  return { rate: canonicalRate(r), base, amount: gross - base };
}

/**
 * The VAT share of `amount` taken out of `pool` (gross `poolGross`, of which `vat` is VAT-bearing by rate and
 * the rest, e.g. late charges, bears none), in proportion by largest remainder; all of it when amount = poolGross.
 */
export function vatShareFromPool(amount: number, vat: readonly VatRateAmount[], poolGross: number): VatRateAmount[] {
  if (vat.length === 0 || amount <= 0) return [];
  const outside = Math.max(0, poolGross - grossTotal(vat));
  const parts = allocateProportionally(Math.min(amount, grossTotal(vat) + outside), [...vat.flatMap((e) => [e.base, e.amount]), outside]);
  return vat.map((e, i) => ({ rate: e.rate, base: parts[2 * i], amount: parts[2 * i + 1] })).filter((e) => e.base !== 0 || e.amount !== 0);
}
