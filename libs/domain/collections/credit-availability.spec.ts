import { creditAvailableFrom, leastOpenFrom, sourcesExistingOn } from './credit-availability';

/** ADR 0013's invariant "no customer credit is negative as of any date", enforced on the date a movement takes effect (issue 10 item 9, ADR 0031). */
describe('credit available from a date', () => {
  // Credit: +300.00 on 02-01 (p1), +200.00 on 02-10 (p2), −250.00 on 02-20 (applied to an invoice).
  const movements = [{ on: '2026-02-01', amount: 30_000 }, { on: '2026-02-10', amount: 20_000 }, { on: '2026-02-20', amount: -25_000 }];

  it('before any credit existed, nothing', () => {
    // as of 01-15: 0
    expect(creditAvailableFrom(movements, '2026-01-15')).toBe(0);
  });
  it('is the credit on that date when nothing later lowers it below', () => {
    // as of 02-05: 300.00; later: 02-10 → 500.00, 02-20 → 250.00; min(300, 500, 250) = 250.00
    expect(creditAvailableFrom(movements, '2026-02-05')).toBe(25_000);
    // as of 02-25: 300 + 200 − 250 = 250.00, nothing later
    expect(creditAvailableFrom(movements, '2026-02-25')).toBe(25_000);
  });
  it('is bounded by a later use: a back-dated refund may not take what a later allocation already used', () => {
    // +300.00 on 02-01, −300.00 on 02-05 (applied), +300.00 on 03-01 (re-allocated back to credit).
    // Refund dated 02-10: as of 02-10 the credit is 0.00 → nothing available, though the balance today is 300.00.
    const m = [{ on: '2026-02-01', amount: 30_000 }, { on: '2026-02-05', amount: -30_000 }, { on: '2026-03-01', amount: 30_000 }];
    expect(creditAvailableFrom(m, '2026-02-10')).toBe(0);
    expect(creditAvailableFrom(m, '2026-03-01')).toBe(30_000);
  });
  it('keeps the sources that existed on the date', () => {
    const sources = [{ id: 'p1', date: '2026-02-01' }, { id: 'p2', date: '2026-02-10' }];
    expect(sourcesExistingOn(sources, '2026-02-09').map((s) => s.id)).toEqual(['p1']);
    expect(sourcesExistingOn(sources, '2026-02-10').map((s) => s.id)).toEqual(['p1', 'p2']);
  });
});

describe('least open amount of an invoice from a date (ADR 0032)', () => {
  // 100.00 invoice; 30.00 paid 02-10; 10.00 late charges assessed through 04-30 (a charge is a negative movement).
  const item = { total: 10_000, movements: [{ on: '2026-02-10', amount: 3_000 }, { on: '2026-04-30', amount: -1_000 }] };
  it('is what is owed on that date when nothing later lowers it', () => {
    // from 03-01: open 100 − 30 = 70.00 on 03-01, 80.00 from 04-30 → least 70.00 (the charges are not owed on 03-01)
    expect(leastOpenFrom(item, '2026-03-01')).toBe(7_000);
    // from 05-01: 80.00
    expect(leastOpenFrom(item, '2026-05-01')).toBe(8_000);
  });
  it('is bounded by a later payment', () => {
    // from 02-01: 100.00 on 02-01, 70.00 from 02-10, 80.00 from 04-30 → 70.00
    expect(leastOpenFrom(item, '2026-02-01')).toBe(7_000);
  });
});
