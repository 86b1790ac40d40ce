import { divideHalfUp } from '../../libs/domain/shared/money';
import { invalid } from '../../libs/domain/shared/errors';
import type { AgingReport } from './aging';

/** A loss rate as an exact fraction (a decimal percent string such as "1.6" → 16/1000). */
export interface LossRate {
  label: string;
  percent: string;
  numerator: bigint;
  denominator: bigint;
}

/**
 * Default provision matrix: the loss rates of IFRS 9's illustrative example (IE 32) for trade receivables.
 * Illustrative only: each entity calibrates its own from its loss history.
 */
export const DEFAULT_ECL_RATES = 'current=0.3%,1-30=1.6%,31-60=3.6%,61-90=6.6%,90+=10.6%';

/** Parses `current=0.3%,1-30=1.6%,…,90+=10.6%` (the `%` may be left out) into rates and the aging bounds they imply ([30, 60, 90]). */
export function parseLossRates(text: string): { rates: LossRate[]; bounds: number[] } {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const rates: LossRate[] = [];
  for (const part of parts) {
    const m = /^(current|\d+-\d+|\d+\+)=(\d{1,3}(?:\.\d{1,6})?)%?$/.exec(part);
    if (!m) throw invalid('ECL_RATES_INVALID', `"${part}" is not bucket=rate% (e.g. 1-30=1.6%)`, 'rates', { rates: text });
    const [int, frac = ''] = m[2].split('.');
    const numerator = BigInt(int + frac);
    const denominator = 100n * 10n ** BigInt(frac.length);
    if (numerator > denominator) throw invalid('ECL_RATES_INVALID', `Rate ${m[2]}% is above 100%`, 'rates', { rates: text });
    rates.push({ label: m[1], percent: m[2], numerator, denominator });
  }
  const bounds: number[] = [];
  const ok = rates.length >= 3 && rates[0].label === 'current' && /\+$/.test(rates[rates.length - 1].label)
    && rates.slice(1, -1).every((r, i) => {
      const [lo, hi] = r.label.split('-').map(Number);
      const expectedLo = i === 0 ? 1 : bounds[i - 1] + 1;
      bounds.push(hi);
      return lo === expectedLo && hi >= lo;
    })
    && Number(rates[rates.length - 1].label.slice(0, -1)) === bounds[bounds.length - 1];
  if (!ok) {
    throw invalid('ECL_RATES_INVALID', 'Rates must cover current, contiguous day ranges and a final N+ bucket (e.g. current=0.3%,1-30=1.6%,31-60=3.6%,90+=10%)', 'rates', { rates: text });
  }
  return { rates, bounds };
}

export interface EclBucket {
  label: string;
  balance: number;
  ratePercent: string;
  loss: number;
}

/** Expected credit loss (IFRS 9 simplified approach): per aging bucket, balance × loss rate, rounded half-up once. */
export interface EclReport {
  asOf: string;
  currency: string | null;
  buckets: EclBucket[];
  totalBalance: number;
  totalLoss: number;
  customers: Array<{ customerId: string; balance: number; loss: number }>;
}

export function lossOf(balance: number, rate: LossRate): number {
  return Number(divideHalfUp(BigInt(balance) * rate.numerator, rate.denominator));
}

export function eclReport(aging: AgingReport, rates: readonly LossRate[]): EclReport {
  const buckets = rates.map((r) => {
    const balance = aging.buckets[r.label] ?? 0;
    return { label: r.label, balance, ratePercent: r.percent, loss: lossOf(balance, r) };
  });
  const customers = aging.customers.map((c) => ({
    customerId: c.customerId, balance: c.total,
    loss: rates.reduce((a, r) => a + lossOf(c.buckets[r.label] ?? 0, r), 0),
  }));
  return {
    asOf: aging.asOf, currency: aging.currency, buckets,
    totalBalance: aging.total, totalLoss: buckets.reduce((a, b) => a + b.loss, 0), customers,
  };
}
