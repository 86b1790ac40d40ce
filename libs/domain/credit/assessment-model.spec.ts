import { altmanZ2, assess, AssessmentInputs, Financials, NoEvidenceError, ratingOf, zoneOf, zPoints } from './assessment-model';
import { paymentBehaviour } from './payment-behaviour';

/** Amounts in minor units (EUR cents): 1 000 000.00 EUR = 100_000_000. */
const M = (euros: number) => euros * 100;
const noFinancials: Financials = {
  workingCapital: null, retainedEarnings: null, ebit: null, bookEquity: null, totalAssets: null, totalLiabilities: null, annualRevenue: null,
};
const safe: Financials = {
  workingCapital: M(200_000), retainedEarnings: M(300_000), ebit: M(100_000), bookEquity: M(500_000),
  totalAssets: M(1_000_000), totalLiabilities: M(500_000), annualRevenue: M(5_000_000),
};
const noHistory = paymentBehaviour([], '2026-06-30');

describe("Altman Z''-score (private firms), checked against hand computations", () => {
  it('safe zone: X1 0.2, X2 0.3, X3 0.1, X4 1.0 → 1.312 + 0.978 + 0.672 + 1.05 = 4.012', () => {
    expect(altmanZ2(safe)).toEqual({ x1: 0.2, x2: 0.3, x3: 0.1, x4: 1, z: 4.012 });
    expect(zoneOf(4.012)).toBe('safe');
    // 70 + 30 × (4.012 − 2.60) / 2.40 = 87.65 → 88
    expect(zPoints(4.012)).toBe(88);
  });

  it('grey zone: X1 0.05, X2 0.1, X3 0.03, X4 0.25 → 0.328 + 0.326 + 0.2016 + 0.2625 = 1.1181', () => {
    const f = { ...safe, workingCapital: M(100_000), retainedEarnings: M(200_000), ebit: M(60_000), bookEquity: M(400_000), totalAssets: M(2_000_000), totalLiabilities: M(1_600_000) };
    expect(altmanZ2(f)).toEqual({ x1: 0.05, x2: 0.1, x3: 0.03, x4: 0.25, z: 1.1181 });
    expect(zoneOf(1.1181)).toBe('grey');
    // 30 + 40 × (1.1181 − 1.10) / 1.50 = 30.48 → 30
    expect(zPoints(1.1181)).toBe(30);
  });

  it('distress zone with negative working capital and retained earnings: −0.656 − 0.163 + 0.0672 + 0.11667 = −0.6351', () => {
    const f = { ...safe, workingCapital: M(-100_000), retainedEarnings: M(-50_000), ebit: M(10_000), bookEquity: M(100_000), totalLiabilities: M(900_000) };
    expect(altmanZ2(f)).toEqual({ x1: -0.1, x2: -0.05, x3: 0.01, x4: 0.1111, z: -0.6351 });
    expect(zoneOf(-0.6351)).toBe('distress');
    expect(zPoints(-0.6351)).toBe(0);
  });

  it('zone borders: 2.60 is grey, above is safe; 1.10 is grey, below is distress', () => {
    expect([zoneOf(2.6), zoneOf(2.6001), zoneOf(1.1), zoneOf(1.0999)]).toEqual(['grey', 'safe', 'grey', 'distress']);
    expect([zPoints(0), zPoints(1.1), zPoints(2.6), zPoints(5), zPoints(9)]).toEqual([0, 30, 70, 100, 100]);
  });

  it('names what is missing instead of counting it as zero, and refuses to divide by zero liabilities', () => {
    expect(altmanZ2({ ...safe, ebit: null, bookEquity: null })).toEqual({ missing: ['ebit', 'bookEquity'], reason: 'missing ebit, bookEquity' });
    expect(altmanZ2({ ...safe, totalLiabilities: 0 })).toEqual({ missing: [], reason: 'total liabilities is zero: X4 is undefined' });
  });
});

describe('payment behaviour from the invoices read model', () => {
  it('counts the invoices due in the 12 months before the date, late ones, average days late and open disputes', () => {
    const b = paymentBehaviour([
      { invoiceId: 'a', dueDate: '2026-01-10', settledOn: '2026-01-05', status: 'paid' },
      { invoiceId: 'b', dueDate: '2026-02-01', settledOn: '2026-02-11', status: 'paid' },
      { invoiceId: 'c', dueDate: '2026-06-20', settledOn: null, status: 'issued' },
      { invoiceId: 'd', dueDate: '2025-06-30', settledOn: '2025-09-30', status: 'paid' },
      { invoiceId: 'e', dueDate: '2026-07-15', settledOn: null, status: 'issued' },
      { invoiceId: 'f', dueDate: '2026-06-25', settledOn: null, status: 'disputed' },
    ], '2026-06-30');
    // due in window: a (0), b (10), c (10 so far), f (5 so far) → 25 / 4 = 6.25 days; 3 of 4 late
    expect(b).toMatchObject({ window: { from: '2025-07-01', to: '2026-06-30' }, invoicesDue: 4, paidLate: 3, averageDaysLate: 6.25, openDisputes: 1 });
    expect(b.disputesSource).toMatch(/status is 'disputed'/);
  });
});

describe('credit assessment model', () => {
  const full: AssessmentInputs = {
    financials: safe,
    yearsInBusiness: 12,
    externalRating: { agency: 'Banque de France', grade: 'B' },
    paymentBehaviour: { ...noHistory, invoicesDue: 4, paidLate: 1, averageDaysLate: 5, openDisputes: 0 },
  };

  it('scores every component and explains it: (50×88 + 30×83 + 10×100 + 10×80) / 100 = 86.9 → 87, rating A', () => {
    const { breakdown, result } = assess(full, 'FR');
    // behaviour: (100 − 25)/2 + (100 − 2×5)/2 = 37.5 + 45 = 82.5 → 83
    expect(breakdown.components.map((c) => [c.name, c.points])).toEqual([['altman_z2', 88], ['payment_behaviour', 83], ['years_in_business', 100], ['external_rating', 80]]);
    expect(breakdown.missingInputs).toEqual([]);
    // limit: 5 000 000.00 × 10 % × 100 % = 500 000.00; terms net 60 (the French cap)
    expect(result).toEqual({
      score: 87, rating: 'A', confidence: 100, zScore: 4.012, zone: 'safe', recommendedLimit: M(500_000),
      recommendedTerms: { type: 'net', days: 60 }, recommendedTermsDescription: 'net 60',
    });
  });

  it('lowers the confidence for missing inputs and says so, scoring the rest: (10×50 + 10×60) / 20 = 55 → C', () => {
    const { breakdown, result } = assess({
      financials: { ...noFinancials, annualRevenue: M(1_000_000) }, yearsInBusiness: 5, externalRating: { agency: 'X', grade: 'C' }, paymentBehaviour: noHistory,
    }, 'FR');
    expect(result).toMatchObject({ score: 55, rating: 'C', confidence: 20, zScore: null, zone: null, recommendedTerms: { type: 'net', days: 30 } });
    // 1 000 000.00 × 5 % × 20 % = 10 000.00
    expect(result.recommendedLimit).toBe(M(10_000));
    expect(breakdown.missingInputs).toEqual(['workingCapital', 'retainedEarnings', 'ebit', 'bookEquity', 'totalAssets', 'totalLiabilities', 'paymentHistory']);
    expect(breakdown.notes[0]).toMatch(/confidence 20 %: altman_z2, payment_behaviour left out/);
  });

  it('gives no recommended limit without revenue, and caps recommended terms only where a legal cap exists', () => {
    const { result, breakdown } = assess({ ...full, financials: { ...safe, annualRevenue: null } }, 'US');
    expect(result.recommendedLimit).toBeNull();
    expect(breakdown.missingInputs).toContain('annualRevenue');
    expect(result.recommendedTerms).toEqual({ type: 'net', days: 60 });
  });

  it('rates by score bands', () => {
    expect([80, 79, 65, 64, 50, 49, 35, 34, 0].map(ratingOf)).toEqual(['A', 'B', 'B', 'C', 'C', 'D', 'D', 'E', 'E']);
  });

  it('takes open disputes off the behaviour points, never below zero', () => {
    const { breakdown } = assess({ ...full, paymentBehaviour: { ...full.paymentBehaviour, openDisputes: 20 } }, 'FR');
    expect(breakdown.components[1].points).toBe(0);
  });

  it('refuses when nothing at all can be computed', () => {
    expect(() => assess({ financials: noFinancials, yearsInBusiness: null, externalRating: null, paymentBehaviour: noHistory }, 'FR')).toThrow(NoEvidenceError);
  });
});
