import { DomainError } from '../shared/errors';
import { computeInvoiceTotals, InvoiceLineInput } from './invoice.totals';

const line = (quantity: string, unitPrice: number, taxRate: string): InvoiceLineInput =>
  ({ description: 'item', quantity, unitPrice, taxRate });

const figures = (l: InvoiceLineInput) => {
  const [{ net, tax, gross }] = computeInvoiceTotals([l]).lines;
  return { net, tax, gross };
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

  it('rounds each line, then sums the rounded lines (per-line tax, as on the printed invoice)', () => {
    const totals = computeInvoiceTotals([line('1', 1_009, '0.055'), line('1', 1_009, '0.055')]);
    expect(totals).toMatchObject({ net: 2_018, tax: 110, total: 2_128 });
  });

  it('keeps quantity and tax rate as the decimal strings given', () => {
    expect(computeInvoiceTotals([line('2.50', 100, '0.200')]).lines[0]).toMatchObject({ quantity: '2.50', taxRate: '0.200', net: 250, tax: 50 });
  });

  it('computes intermediate products beyond 2^53 exactly, in BigInt', () => {
    // 0.0003 × 9 007 199 254 740 991 = 2 702 159 776 422.2973: the scaled product exceeds 2^53
    expect(figures(line('0.0003', Number.MAX_SAFE_INTEGER, '0')).net).toBe(2_702_159_776_422);
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
