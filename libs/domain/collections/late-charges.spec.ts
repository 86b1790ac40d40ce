import { given } from '../shared/testing';
import { invoiceDecider } from '../invoice/invoice.decider';
import { InvoiceEvent, InvoiceIssued } from '../invoice/invoice.events';
import { computeLateCharges, extendRates, halfYearStart, parseRateList, rateOn, SHIPPED_ECB_RATES } from './late-charges';
import { parseFxRates } from '../shared/fx-rates';

/**
 * Hand-computed: 10 000.00 EUR due 2024-05-31, 4 000.00 received 2024-06-20, as of 2024-07-15.
 * Reference rates: 1 Jan 2024 → 4.50 %, 1 Jul 2024 → 4.25 % (ECB MRO; cut to 4.25 % on 2024-06-12).
 *  06-01…06-20  20 d × 10 000.00 × 14.50 % / 365 = 79.4521 (the payment lowers the principal from the day after)
 *  06-21…06-30  10 d ×  6 000.00 × 14.50 % / 365 = 23.8356
 *  07-01…07-15  15 d ×  6 000.00 × 14.25 % / 365 = 35.1370
 *  exact sum 138.4247 → 138.42 (rounded once; the rounded lines would give 138.43) + 40.00 compensation
 */
const base = {
  dueDate: '2024-05-31', total: 1_000_000, changes: [{ on: '2024-06-20', amount: 400_000 }], from: '2024-06-01', through: '2024-07-15',
  country: 'FR', currency: 'EUR', compensationDue: true, rates: SHIPPED_ECB_RATES, dayBasis: 365,
};

describe('late-payment charges — computation', () => {
  it('France: reference + 10 points, per half-year segment, on the principal of each day, rounded once', () => {
    const c = computeLateCharges(base);
    expect(c.lines.map((l) => [l.from, l.to, l.days, l.principal, l.referenceRateBp, l.annualRateBp, l.interest])).toEqual([
      ['2024-06-01', '2024-06-20', 20, 1_000_000, 450, 1450, 7_945],
      ['2024-06-21', '2024-06-30', 10, 600_000, 450, 1450, 2_384],
      ['2024-07-01', '2024-07-15', 15, 600_000, 425, 1425, 3_514],
    ]);
    expect(c).toMatchObject({ interest: 13_842, compensation: 4_000, total: 17_842 });
  });
  it('elsewhere in the EU: reference + 8 points', () => {
    // (10 000 × 12.50 % × 20 + 6 000 × 12.50 % × 10 + 6 000 × 12.25 % × 15) / 365 = 119.2466 → 119.25
    expect(computeLateCharges({ ...base, country: 'DE' }).interest).toBe(11_925);
  });
  it('actual/360 when configured; the compensation in any currency (EUR 40 at the due date rate), not after the first assessment', () => {
    // 50 525 000 000 / 3 600 000 = 140.3472 → 140.35
    expect(computeLateCharges({ ...base, dayBasis: 360 }).interest).toBe(14_035);
    expect(computeLateCharges({ ...base, currency: 'USD', fx: parseFxRates('date,currency,rate\n2024-05-31,USD,1.25\n') }).compensation).toBe(5_000); // EUR 40 × 1.25 (D441-5, ADR 0053)
    expect(computeLateCharges({ ...base, compensationDue: false }).total).toBe(13_842);
  });
  it('nothing once the principal is paid; a payment on the due date counts from the first late day', () => {
    expect(computeLateCharges({ ...base, changes: [{ on: '2024-05-31', amount: 1_000_000 }] })).toMatchObject({ lines: [], interest: 0, compensation: 0 });
  });
  it('reference rate of a half-year is the one in force on 1 January / 1 July; the table extends by configuration', () => {
    expect(halfYearStart('2024-06-30')).toBe('2024-01-01');
    expect(halfYearStart('2024-07-01')).toBe('2024-07-01');
    expect(rateOn(SHIPPED_ECB_RATES, '2023-01-01')).toBe(250);
    expect(rateOn(SHIPPED_ECB_RATES, '2025-07-01')).toBe(215);
    const extended = extendRates(SHIPPED_ECB_RATES, parseRateList('2026-03-18:2.00'));
    expect(rateOn(extended, '2026-07-01')).toBe(200);
    expect(extended.source).toMatch(/AR_ECB_RATES/);
    expect(() => parseRateList('2026-13-01:2')).toThrow();
  });
});

describe('invoice decider — AssessLateCharges', () => {
  const issued: InvoiceIssued = {
    type: 'InvoiceIssued',
    data: {
      invoiceId: 'i1', customerId: 'c1', number: 'INV-1', currency: 'EUR', issueDate: '2024-05-01', dueDate: '2024-05-31', paymentTermsDays: 30,
      lines: [], net: 833_334, tax: 166_666, total: 1_000_000, creditDecision: { decision: 'approved', creditLimit: 0, outstanding: 0, exposure: 0 },
    },
  };
  const paid: InvoiceEvent = { type: 'PaymentApplied', data: { invoiceId: 'i1', customerId: 'c1', paymentId: 'p1', amount: 400_000, receivedOn: '2024-06-20', outstanding: 600_000 } };
  const assess = (asOf: string) => ({ type: 'AssessLateCharges' as const, invoiceId: 'i1', asOf, country: 'FR', rates: SHIPPED_ECB_RATES, dayBasis: 365 });
  const first: InvoiceEvent = {
    type: 'LateChargesAssessed',
    data: {
      invoiceId: 'i1', customerId: 'c1', from: '2024-06-01', through: '2024-07-15', interest: 13_842, compensation: 4_000, amount: 17_842, dayBasis: 365,
      rateSource: SHIPPED_ECB_RATES.source,
      lines: [
        { from: '2024-06-01', to: '2024-06-20', days: 20, principal: 1_000_000, referenceRateBp: 450, marginBp: 1000, annualRateBp: 1450 },
        { from: '2024-06-21', to: '2024-06-30', days: 10, principal: 600_000, referenceRateBp: 450, marginBp: 1000, annualRateBp: 1450 },
        { from: '2024-07-01', to: '2024-07-15', days: 15, principal: 600_000, referenceRateBp: 425, marginBp: 1000, annualRateBp: 1425 },
      ],
      outstanding: 617_842, reopened: false,
    },
  };
  it('assesses onto the invoice, then only the days not yet charged, never twice', () => {
    const state = given(invoiceDecider, [issued, paid]).when(assess('2024-07-15')).then([first]);
    expect(state).toMatchObject({ outstanding: 617_842, chargedThrough: '2024-07-15', charged: 17_842 });
    given(invoiceDecider, [issued, paid, first]).when(assess('2024-07-15')).then([]);
    given(invoiceDecider, [issued, paid, first]).when(assess('2024-07-10')).then([]);
    // 07-16…07-25: 10 d × 6 000.00 × 14.25 % / 365 = 23.42; no second compensation; the charges are not charged interest (simple interest)
    const [next] = invoiceDecider.decide(assess('2024-07-25'), [issued, paid, first].reduce(invoiceDecider.evolve, invoiceDecider.initialState()));
    expect(next.data).toMatchObject({ from: '2024-07-16', through: '2024-07-25', interest: 2_342, compensation: 0, amount: 2_342, outstanding: 620_184 });
  });
  it('nothing before the first late day; refused on a written-off or unknown invoice', () => {
    given(invoiceDecider, [issued]).when(assess('2024-05-31')).then([]);
    given(invoiceDecider, [issued, { type: 'InvoiceWrittenOff', data: { invoiceId: 'i1', customerId: 'c1', amount: 1_000_000, reason: 'x', approvedBy: 'y', writtenOffOn: '2024-06-10', outstanding: 0 } }])
      .when(assess('2024-07-01')).thenThrows('INVOICE_WRITTEN_OFF');
    given(invoiceDecider).when(assess('2024-07-01')).thenThrows('INVOICE_NOT_FOUND', { kind: 'not_found' });
  });
});
