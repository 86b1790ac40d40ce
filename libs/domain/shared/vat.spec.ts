import fc from 'fast-check';
import { allocateProportionally, canonicalRate, combine, grossTotal, scaledRate, splitGrossAcross, splitGrossAtRate, vatByRate, vatByRateAsIssued } from './vat';
import { upcastCreditNoteIssued, upcastInvoiceIssued, vatBreakdownOf } from '../upcasters';
import { issuedV1 as issued } from '../invoice/invoice.fixtures';

describe('VAT by rate', () => {
  it('names a rate canonically whatever its spelling', () => {
    expect(['0.2', '0.20', '0.2000', '0.055', '0', '1'].map((r) => canonicalRate(scaledRate(r)))).toEqual(['0.20', '0.20', '0.20', '0.055', '0.00', '1.00']);
    expect(() => scaledRate('1.01')).toThrow(expect.objectContaining({ code: 'TAX_RATE_OUT_OF_RANGE' }));
  });

  it('groups lines by rate, highest rate first, VAT half-up once per rate (EN 16931 BR-CO-17)', () => {
    // 20 %: 0.10 + 0.15 = 0.25 → 0.05; 5.5 %: 0.09 → 0.00495 → 0.00; 0 %: 1.00 → 0.00.
    expect(vatByRate([{ net: 10, taxRate: '0.2' }, { net: 9, taxRate: '0.055' }, { net: 100, taxRate: '0' }, { net: 15, taxRate: '0.20' }]))
      .toEqual([{ rate: '0.20', base: 25, amount: 5 }, { rate: '0.055', base: 9, amount: 0 }, { rate: '0.00', base: 100, amount: 0 }]);
  });

  it('splits an amount exactly by largest remainder, ties to the earlier weight', () => {
    // 100 over 1:1:1 → 33.33… each, 1 left → the first: 34, 33, 33.
    expect(allocateProportionally(100, [1, 1, 1])).toEqual([34, 33, 33]);
    // 10 over 3:7 → exact 3 and 7.
    expect(allocateProportionally(10, [3, 7])).toEqual([3, 7]);
    // 5 over 2:2:1 → 2, 2, 1 exactly.
    expect(allocateProportionally(5, [2, 2, 1])).toEqual([2, 2, 1]);
    // 1 over 1:3 → 0.25, 0.75: the larger remainder (second) takes it.
    expect(allocateProportionally(1, [1, 3])).toEqual([0, 1]);
    expect(allocateProportionally(7, [0, 0])).toEqual([0, 0]);
  });

  it('property: parts sum to the amount, none exceeds its weight when amount ≤ Σ weights (seed printed on failure)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), (weights, share) => {
      const total = weights.reduce((a, b) => a + b, 0);
      const amount = Math.floor(total * share);
      const parts = allocateProportionally(amount, weights);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total === 0 ? 0 : amount);
      parts.forEach((p, i) => expect(p).toBeLessThanOrEqual(weights[i]));
      if (amount === total) expect(parts).toEqual(weights);
    }), { verbose: 1 });
  });

  it('splits a gross amount across rates in proportion to each base and VAT (CGI art. 267 II-1°)', () => {
    // Invoice: 20 % base 1 000.00 VAT 200.00; 5.5 % base 100.00 VAT 5.50; gross 1 305.50.
    // Credit 130.55 (10 %): 20 %: base 100.00, VAT 20.00; 5.5 %: base 10.00, VAT 0.55 — exact, nothing left over.
    const b = [{ rate: '0.20', base: 100_000, amount: 20_000 }, { rate: '0.055', base: 10_000, amount: 550 }];
    expect(splitGrossAcross(13_055, b)).toEqual([{ rate: '0.20', base: 10_000, amount: 2_000 }, { rate: '0.055', base: 1_000, amount: 55 }]);
    // 100.00 = 10 000 cents over weights 100 000, 20 000, 10 000, 550 (Σ 130 550): 7 659.977, 1 531.980, 765.990, 42.129;
    // floors Σ 9 997, the 3 cents left go to the largest remainders (.990, .980, .977): 7 660, 1 532, 766, 42.
    const parts = splitGrossAcross(10_000, b);
    expect(grossTotal(parts)).toBe(10_000);
    expect(parts).toEqual([{ rate: '0.20', base: 7_660, amount: 1_532 }, { rate: '0.055', base: 766, amount: 42 }]);
    expect(splitGrossAcross(grossTotal(b), b)).toEqual(b);
  });

  it('splits a gross at one rate: base = half-up(gross / (1 + rate)), VAT the rest', () => {
    // 10.00 at 5.5 %: 10.00 / 1.055 = 9.4786 → 9.48; VAT 0.52.
    expect(splitGrossAtRate(1_000, '0.055')).toEqual({ rate: '0.055', base: 948, amount: 52 });
  });

  it('adds and subtracts breakdowns rate by rate, dropping rates that reach zero', () => {
    const a = [{ rate: '0.20', base: 1_000, amount: 200 }, { rate: '0.055', base: 100, amount: 6 }];
    expect(combine(a, [{ rate: '0.2', base: 1_000, amount: 200 }], -1)).toEqual([{ rate: '0.055', base: 100, amount: 6 }]);
    expect(combine(a, [{ rate: '0.10', base: 50, amount: 5 }])).toEqual([...a.slice(0, 1), { rate: '0.10', base: 50, amount: 5 }, a[1]]);
  });
});

describe('upcasting v1 documents (VAT per line) to v2 (VAT by rate)', () => {
  it('groups the per-line figures as issued: the tax and total of an issued invoice never change', () => {
    // v1 fixture: 20 % line 360.00 / 72.00; 5.5 % line 49.98 / 2.75 (rounded per line when issued).
    const up = upcastInvoiceIssued(issued.data);
    expect(up.vatBreakdown).toEqual([{ rate: '0.20', base: 36_000, amount: 7_200 }, { rate: '0.055', base: 4_998, amount: 275 }]);
    expect(up.vatBreakdown.reduce((s, e) => s + e.amount, 0)).toBe(issued.data.tax);
    expect(upcastInvoiceIssued(up)).toBe(up);
    // Two v1 lines of 10.09 at 5.5 %: 0.55 + 0.55 = 1.10 as issued (per rate today it would be 1.11).
    expect(vatByRateAsIssued([{ net: 1_009, tax: 55, taxRate: '0.055' }, { net: 1_009, tax: 55, taxRate: '0.055' }])).toEqual([{ rate: '0.055', base: 2_018, amount: 110 }]);
  });

  it('a v1 credit note for an amount has no rate: an empty breakdown, its net and tax stay the figures of record', () => {
    const v1 = { creditNoteId: 'n', customerId: 'c', number: 'CN-1', currency: 'EUR', issueDate: '2024-01-01', invoiceId: 'i', reason: 'r', lines: [], net: 1_000, tax: 200, total: 1_200, appliedToInvoice: 1_200, unapplied: 0, disputeId: null };
    expect(upcastCreditNoteIssued(v1)).toMatchObject({ vatBreakdown: [], net: 1_000, tax: 200 });
    expect(vatBreakdownOf(v1)).toEqual([]);
  });
});
