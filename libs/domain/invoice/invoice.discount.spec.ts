import { given } from '../shared/testing';
import { invoiceDecider } from './invoice.decider';
import { InvoiceEvent, InvoiceIssued } from './invoice.events';
import { issued } from './invoice.fixtures';

// "2/10 net 30" on 484.73 issued 2024-01-31: window until 2024-02-10, discount half-up(484.73 × 2 %) = 9.69 (9.6946).
// The discount lowers base and VAT of each rate in proportion (CGI art. 267 II-1°), largest remainder over the
// weights 20 %: base 360.00, VAT 72.00; 5.5 %: base 49.98, VAT 2.75 (Σ 484.73):
// 9.69: 719.668, 143.934, 99.913, 5.497 → floors Σ 966, 3 cents to .934, .913, .668 → 720, 144, 100, 5.
const share969 = [{ rate: '0.20', base: 720, amount: 144 }, { rate: '0.055', base: 100, amount: 5 }];
const withDiscount: InvoiceIssued = { ...issued, data: { ...issued.data, terms: { type: 'early_discount', discountBp: 200, discountDays: 10, netDays: 30 } } };
const pay = (amount: number, receivedOn: string) => ({ type: 'ApplyPayment' as const, invoiceId: 'inv-1', paymentId: 'p1', amount, receivedOn });
const applied = (amount: number, outstanding: number, receivedOn: string): InvoiceEvent =>
  ({ type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount, receivedOn, outstanding } });

describe('invoice decider — early-payment discount', () => {
  it('a payment within the window that, with the discount, settles the invoice applies the discount', () => {
    const state = given(invoiceDecider, [withDiscount]).when(pay(47_504, '2024-02-10')).then([
      applied(47_504, 969, '2024-02-10'),
      { type: 'DiscountApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 969, discountBp: 200, on: '2024-02-10', outstanding: 0, vatBreakdown: share969 } },
      { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2024-02-10' } },
    ]);
    expect(state).toMatchObject({ status: 'paid', outstanding: 0, discounted: 969 });
  });
  it('a payment leaving less than the discount unpaid: the discount covers only that remainder', () => {
    given(invoiceDecider, [withDiscount]).when(pay(48_000, '2024-02-05')).then([
      applied(48_000, 473, '2024-02-05'),
      { type: 'DiscountApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 473, discountBp: 200, on: '2024-02-05', outstanding: 0,
        // 4.73: 351.288, 70.258, 48.771, 2.683 → floors Σ 471, 2 cents to .771, .683 → 351, 70, 49, 3.
        vatBreakdown: [{ rate: '0.20', base: 351, amount: 70 }, { rate: '0.055', base: 49, amount: 3 }] } },
      { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2024-02-05' } },
    ]);
  });
  it('no discount one day late, when too little is paid, or without discount terms', () => {
    given(invoiceDecider, [withDiscount]).when(pay(47_504, '2024-02-11')).then([applied(47_504, 969, '2024-02-11')]);
    given(invoiceDecider, [withDiscount]).when(pay(47_503, '2024-02-05')).then([applied(47_503, 970, '2024-02-05')]);
    given(invoiceDecider, [issued]).when(pay(47_504, '2024-02-05')).then([applied(47_504, 969, '2024-02-05')]);
  });
  it('counts earlier partial payments: the last one within the window settles with the discount', () => {
    given(invoiceDecider, [withDiscount, applied(20_000, 28_473, '2024-02-01')]).when({ ...pay(27_504, '2024-02-09'), paymentId: 'p2' }).then([
      { type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p2', amount: 27_504, receivedOn: '2024-02-09', outstanding: 969 } },
      { type: 'DiscountApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p2', amount: 969, discountBp: 200, on: '2024-02-09', outstanding: 0, vatBreakdown: share969 } },
      { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2024-02-09' } },
    ]);
  });
});

describe('invoice decider — a payment taken back takes its discount back (ADR 0036)', () => {
  // "2/10 net 30" on 484.73: p1 475.04 on 2024-02-10 earned the 9.69 discount (half-up(484.73 × 2 %) = 9.6946 → 9.69).
  const discounted: InvoiceEvent[] = [
    withDiscount,
    applied(47_504, 969, '2024-02-10'),
    { type: 'DiscountApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 969, discountBp: 200, on: '2024-02-10', outstanding: 0 } },
    { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2024-02-10' } },
  ];
  // p0 200.00 on 02-01, then p2 275.04 on 02-09 settling with the 9.69 discount (p2's).
  const twoPayments: InvoiceEvent[] = [
    withDiscount,
    { type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p0', amount: 20_000, receivedOn: '2024-02-01', outstanding: 28_473 } },
    { type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p2', amount: 27_504, receivedOn: '2024-02-09', outstanding: 969 } },
    { type: 'DiscountApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p2', amount: 969, discountBp: 200, on: '2024-02-09', outstanding: 0 } },
    { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2024-02-09' } },
  ];
  const unapply = (paymentId: string, amount: number, reason: 'reversal' | 'reallocation' = 'reversal') =>
    ({ type: 'UnapplyPayment' as const, invoiceId: 'inv-1', paymentId, amount, on: '2024-02-20', reason });

  it('a bounced payment that earned the discount: the invoice owes its full total again, dated on the reversal', () => {
    // Given the invoice settled by 475.04 + 9.69 of discount; when p1 bounces on 2024-02-20:
    // PaymentUnapplied 475.04 → outstanding 0 + 475.04 = 475.04; DiscountReversed 9.69 → 475.04 + 9.69 = 484.73 = the gross.
    const state = given(invoiceDecider, discounted).when(unapply('p1', 47_504)).then([
      { type: 'PaymentUnapplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 47_504, on: '2024-02-20', reason: 'reversal', recoveryReversed: 0, outstanding: 47_504, reopened: true } },
      {
        type: 'DiscountReversed',
        data: {
          invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 969, on: '2024-02-20', reason: 'reversal',
          discount: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 969, discountBp: 200, on: '2024-02-10', outstanding: 0 }, outstanding: 48_473,
        },
      },
    ]);
    expect(state).toMatchObject({ status: 'issued', outstanding: 48_473, discounted: 0, discount: null });
  });

  it('a reallocation of part of the payment that earned it also takes the discount back (no longer paid in the window)', () => {
    // 100.00 of p1 moved elsewhere: 0 + 100.00 + 9.69 = 109.69 owed.
    given(invoiceDecider, discounted).when(unapply('p1', 10_000, 'reallocation')).then([
      { type: 'PaymentUnapplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 10_000, on: '2024-02-20', reason: 'reallocation', recoveryReversed: 0, outstanding: 10_000, reopened: true } },
      expect.objectContaining({ type: 'DiscountReversed', data: expect.objectContaining({ amount: 969, outstanding: 10_969, reason: 'reallocation' }) }),
    ]);
  });

  it('an earlier partial payment taken back also takes it back: the invoice was no longer paid in full within the window', () => {
    // p0 200.00 on 02-01, p2 275.04 on 02-09 earned 9.69 (p2's); p0 bounces: 200.00 + 9.69 = 209.69 owed again.
    given(invoiceDecider, twoPayments).when(unapply('p0', 20_000)).then([
      { type: 'PaymentUnapplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p0', amount: 20_000, on: '2024-02-20', reason: 'reversal', recoveryReversed: 0, outstanding: 20_000, reopened: true } },
      expect.objectContaining({ type: 'DiscountReversed', data: expect.objectContaining({ paymentId: 'p0', amount: 969, outstanding: 20_969, discount: expect.objectContaining({ paymentId: 'p2' }) }) }),
    ]);
  });

  it('a reversal effective before the discount was granted is never booked before it: the discount is reversed on its own date (ADR 0110)', () => {
    // p0 200.00 on 02-01, p2 275.04 on 02-09 earned 9.69 on 02-09; p0 bounces with effect on 02-05 (after its own
    // allocation, before the discount). PaymentUnapplied 200.00 on 02-05: owed 0 + 200.00 = 200.00;
    // DiscountReversed 9.69 on 02-09, not 02-05 (the entry it mirrors is dated 02-09): owed 200.00 + 9.69 = 209.69.
    // As of 02-05…02-08 by effective date: 484.73 − 200.00 (p0, 02-01) + 200.00 (its bounce, 02-05) = 484.73 owed, no
    // discount in force; as of 02-09: 484.73 − 275.04 (p2) − 9.69 (discount) + 9.69 (its reversal) = 209.69 — granted
    // and taken back the same day, the reversal never dated before the entry it mirrors (ADR 0036, 0110).
    const state = given(invoiceDecider, twoPayments).when({ ...unapply('p0', 20_000), on: '2024-02-05' }).then([
      { type: 'PaymentUnapplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p0', amount: 20_000, on: '2024-02-05', reason: 'reversal', recoveryReversed: 0, outstanding: 20_000, reopened: true } },
      expect.objectContaining({ type: 'DiscountReversed', data: expect.objectContaining({ paymentId: 'p0', amount: 969, on: '2024-02-09', outstanding: 20_969 }) }),
    ]);
    expect(state).toMatchObject({ outstanding: 20_969, discounted: 0, discount: null });
    // On or after the discount's date the reversal keeps its own date (the case above, 02-20).
    given(invoiceDecider, twoPayments).when({ ...unapply('p0', 20_000), on: '2024-02-09' }).then([
      expect.objectContaining({ type: 'PaymentUnapplied', data: expect.objectContaining({ on: '2024-02-09' }) }),
      expect.objectContaining({ type: 'DiscountReversed', data: expect.objectContaining({ on: '2024-02-09' }) }),
    ]);
  });

  it('once reversed, a new payment inside the window may earn the discount again; outside it, none', () => {
    const reversed: InvoiceEvent[] = [
      ...discounted,
      { type: 'PaymentUnapplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 47_504, on: '2024-02-08', reason: 'reversal', recoveryReversed: 0, outstanding: 47_504, reopened: true } },
      { type: 'DiscountReversed', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 969, on: '2024-02-08', reason: 'reversal', discount: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p1', amount: 969, discountBp: 200, on: '2024-02-10', outstanding: 0 }, outstanding: 48_473 } },
    ];
    given(invoiceDecider, reversed).when({ ...pay(47_504, '2024-02-10'), paymentId: 'p3' }).then([
      expect.objectContaining({ type: 'PaymentApplied' }), expect.objectContaining({ type: 'DiscountApplied', data: expect.objectContaining({ amount: 969, paymentId: 'p3' }) }), expect.objectContaining({ type: 'InvoiceSettled' }),
    ]);
    given(invoiceDecider, reversed).when({ ...pay(47_504, '2024-02-11'), paymentId: 'p3' }).then([
      { type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId: 'p3', amount: 47_504, receivedOn: '2024-02-11', outstanding: 969 } },
    ]);
  });
});
