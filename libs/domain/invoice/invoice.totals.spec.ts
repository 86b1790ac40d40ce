import { DomainError } from '../shared/errors';
import { computeInvoiceTotals, InvoiceLineInput } from './invoice.totals';

const line = (quantity: string, unitPrice: number, taxRate: string): InvoiceLineInput =>
  ({ description: 'item', quantity, unitPrice, taxRate });

/** One line alone: its rate's base is its net, and the VAT is rounded once on it. */
const figures = (l: InvoiceLineInput) => {
  const t = computeInvoiceTotals([l]);
  return { net: t.lines[0].net, tax: t.tax, gross: t.total };
};

describe('computeInvoiceTotals', () => {
  it.each([
    // quantity × unit price, rounded half-up once to the minor unit
    ['0.5', 1, '0', 1, 0],
    ['0.4999', 1, '0', 0, 0],
    ['0.0001', 5_000, '0', 1, 0],
    ['0.0001', 4_999, '0', 0, 0],
    ['1.5', 3, '0', 5, 0],
    // tax = net × rate, half-up
    ['1', 50, '0.01', 50, 1],
    ['1', 49, '0.01', 49, 0],
    ['1', 1_000, '0.055', 1_000, 55],
    ['1', 1_010, '0.055', 1_010, 56], // 55.55 → 56
    ['1', 1_009, '0.055', 1_009, 55], // 55.495 → 55
    ['3', 12_000, '0.20', 36_000, 7_200],
    ['1', 1_234, '1', 1_234, 1_234],
  ])('%s × %i at %s → net %i, tax %i', (quantity, unitPrice, taxRate, net, tax) => {
    expect(figures(line(quantity, unitPrice, taxRate))).toEqual({ net, tax, gross: net + tax });
  });

  it('rounds VAT once per rate on the sum of the line nets, not per line (EN 16931 BR-CO-17; BR-CO-14 for the total)', () => {
    // 5.5 %: 10.09 + 10.09 = 20.18; 20.18 × 0.055 = 1.1099 → 1.11 (per line: 0.55495 → 0.55, twice = 1.10).
    // 20 %:  33.33 + 33.33 = 66.66; 66.66 × 0.20 = 13.332 → 13.33 (per line: 6.666 → 6.67, twice = 13.34).
    // Total VAT 1.11 + 13.33 = 14.44; net 20.18 + 66.66 = 86.84; gross 101.28.
    const totals = computeInvoiceTotals([line('1', 1_009, '0.055'), line('1', 3_333, '0.20'), line('1', 1_009, '0.055'), line('1', 3_333, '0.2')]);
    expect(totals.vatBreakdown).toEqual([{ rate: '0.20', base: 6_666, amount: 1_333 }, { rate: '0.055', base: 2_018, amount: 111 }]);
    expect(totals).toMatchObject({ net: 8_684, tax: 1_444, total: 10_128 });
    expect(totals.lines.map((l) => l.net)).toEqual([1_009, 3_333, 1_009, 3_333]);
    expect(totals.lines[0]).not.toHaveProperty('tax');
  });

  it('one rate, three lines: the per-rate figure differs from the sum of the per-line figures', () => {
    // 3 × 0.05 at 10 %: base 0.15, VAT 0.015 → 0.02 (half-up); per line 0.005 → 0.01 each = 0.03.
    const totals = computeInvoiceTotals([line('1', 5, '0.10'), line('1', 5, '0.10'), line('1', 5, '0.10')]);
    expect(totals.vatBreakdown).toEqual([{ rate: '0.10', base: 15, amount: 2 }]);
    expect(totals).toMatchObject({ net: 15, tax: 2, total: 17 });
  });

  it('keeps quantity and tax rate as the decimal strings given; the breakdown names the rate canonically', () => {
    const totals = computeInvoiceTotals([line('2.50', 100, '0.200')]);
    expect(totals.lines[0]).toEqual({ description: 'item', quantity: '2.50', unitPrice: 100, taxRate: '0.200', net: 250 });
    expect(totals.vatBreakdown).toEqual([{ rate: '0.20', base: 250, amount: 50 }]);
  });

  it('computes intermediate products beyond 2^53 exactly, in BigInt', () => {
    // 0.0003 × 9 007 199 254 740 991 = 2 702 159 776 422.2973: the scaled product exceeds 2^53
    expect(figures(line('0.0003', Number.MAX_SAFE_INTEGER, '0')).net).toBe(2_702_159_776_422);
    // Σ of the nets at one rate beyond 2^53 is refused, not rounded: 2 × 4 503 599 627 370 497 > 2^53 − 1.
    expect(() => computeInvoiceTotals([line('1', 4_503_599_627_370_497, '0'), line('1', 4_503_599_627_370_497, '0')])).toThrow(expect.objectContaining({ code: 'AMOUNT_OUT_OF_RANGE' }));
    // 4 503 599 627 370 497 × 0.5 = 2 251 799 813 685 248.5 → half-up
    expect(figures(line('1', 4_503_599_627_370_497, '0.5'))).toEqual({
      net: 4_503_599_627_370_497, tax: 2_251_799_813_685_249, gross: 6_755_399_441_055_746,
    });
  });

  it('refuses amounts beyond the safe integer range', () => {
    const huge = line('99999999', Number.MAX_SAFE_INTEGER, '0.2');
    try {
      computeInvoiceTotals([huge]);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('AMOUNT_OUT_OF_RANGE');
      expect((error as DomainError).kind).toBe('invalid');
    }
  });

  it('refuses a line that is not an object', () => {
    expect(() => computeInvoiceTotals([null as unknown as InvoiceLineInput])).toThrow(expect.objectContaining({ code: 'LINE_MALFORMED' }));
  });
});
