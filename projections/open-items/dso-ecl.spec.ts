import { agingReport, type AgingItem } from './aging';
import { dsoReport } from './dso';
import { eclReport, lossOf, parseLossRates } from './ecl';

const item = (issueDate: string, dueDate: string, total: number, movements: AgingItem['movements'] = []): AgingItem =>
  ({ customerId: 'c1', currency: 'EUR', issueDate, dueDate, total, movements });

describe('DSO', () => {
  const items = [
    item('2024-01-10', '2024-02-09', 30_000, [{ on: '2024-02-09', amount: 30_000 }]),
    item('2024-02-10', '2024-03-11', 60_000, [{ on: '2024-03-01', amount: 20_000 }]),
    item('2024-03-05', '2024-04-04', 90_000),
    item('2024-04-01', '2024-05-01', 10_000),
  ];

  it('simple: receivables at the end ÷ credit sales of the period × days', () => {
    const d = dsoReport(items, { from: '2024-01-01', to: '2024-03-31' }, 'simple', 'EUR');
    expect(d).toMatchObject({ days: 91, receivables: 130_000, creditSales: 180_000 });
    expect(d.dso).toBe(Math.round((130_000 / 180_000) * 91 * 10) / 10);
  });

  it('countback: whole months of sales the receivables exceed, then a share of the month they run out in', () => {
    // 130 000 open: March sales 90 000 (31 days), then 40 000 of February's 60 000 (29 days).
    const d = dsoReport(items, { from: '2024-01-01', to: '2024-03-31' }, 'countback', 'EUR');
    expect(d.dso).toBe(Math.round((31 + (40_000 / 60_000) * 29) * 10) / 10);
  });

  it('no credit sales: no DSO rather than a division by zero', () => {
    expect(dsoReport(items, { from: '2025-01-01', to: '2025-01-31' }, 'simple', 'EUR').dso).toBeNull();
  });
});

describe('expected credit loss', () => {
  it('parses rates and derives the aging buckets from them', () => {
    const { rates, bounds } = parseLossRates('current=0.3%,1-30=1.6%,31-60=3.6%,61-90=6.6%,90+=10.6%');
    expect(bounds).toEqual([30, 60, 90]);
    expect(rates.map((r) => [r.label, r.percent])).toEqual([['current', '0.3'], ['1-30', '1.6'], ['31-60', '3.6'], ['61-90', '6.6'], ['90+', '10.6']]);
    expect(parseLossRates('current=0.3,1-30=1.6,30+=5').bounds).toEqual([30]);
  });

  it('refuses rates that do not tile the days past due', () => {
    for (const bad of ['1-30=1%,90+=2%', 'current=1%,1-30=2%,40-60=3%,60+=4%', 'current=1%,1-30=2%,30+=101%', 'current=x']) {
      expect(() => parseLossRates(bad)).toThrow(expect.objectContaining({ code: 'ECL_RATES_INVALID' }));
    }
  });

  it('loss = bucket balance × rate, rounded half-up once per bucket', () => {
    const { rates, bounds } = parseLossRates('current=0.5%,1-30=2%,30+=50%');
    expect(lossOf(101, rates[0])).toBe(1); // 0.505 → 1
    const aging = agingReport([item('2024-01-01', '2024-01-31', 10_001), item('2024-01-01', '2024-03-15', 333), item('2024-01-01', '2024-03-01', 777)], '2024-03-10', { buckets: bounds });
    const e = eclReport(aging, rates);
    expect(e.buckets.map((b) => [b.label, b.balance, b.loss])).toEqual([['current', 333, 2], ['1-30', 777, 16], ['30+', 10_001, 5_001]]);
    expect(e.totalLoss).toBe(2 + 16 + 5_001);
  });
});
