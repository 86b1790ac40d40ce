import fc from 'fast-check';
import { describeTerms, PaymentTerms } from '../shared/payment-terms';
import { DomainError } from '../shared/errors';
import { invoiceDecider, IssueInvoice } from '../invoice/invoice.decider';
import { issue } from '../invoice/invoice.fixtures';
import { parseTermsForm } from './terms-policy';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 0x7fffffff;
console.log(`credit-decision property seed: FC_SEED=${seed}`);

describe('credit decision at invoicing — properties', () => {
  it('issues only within the limit; over it refuses (reject) or holds without a number (hold_for_approval)', () => {
    fc.assert(
      fc.property(
        fc.record({
          limit: fc.integer({ min: 0, max: 200_000 }),
          outstanding: fc.integer({ min: 0, max: 100_000 }),
          pending: fc.integer({ min: 0, max: 100_000 }),
          unapplied: fc.integer({ min: 0, max: 100_000 }),
          price: fc.integer({ min: 0, max: 100_000 }),
          policy: fc.constantFrom('reject' as const, 'hold_for_approval' as const),
        }),
        (x) => {
          const command: IssueInvoice = {
            ...issue, lines: [{ description: 'x', quantity: '1', unitPrice: x.price, taxRate: '0' }],
            outstanding: x.outstanding, pendingApproval: x.pending, unapplied: x.unapplied,
            customer: { currency: 'EUR', creditLimit: x.limit, paymentTermsDays: 30, policy: x.policy },
          };
          const exposure = x.outstanding + x.pending + x.price - x.unapplied;
          let decided;
          try {
            decided = invoiceDecider.decide(command, invoiceDecider.initialState());
          } catch (e) {
            expect((e as DomainError).code).toBe('CREDIT_LIMIT_EXCEEDED');
            expect(x.policy === 'reject' && exposure > x.limit).toBe(true);
            return;
          }
          const [event] = decided;
          if (event.type === 'InvoiceIssued') {
            expect(event.data.creditDecision.exposure).toBe(exposure);
            expect(exposure).toBeLessThanOrEqual(x.limit);
          } else {
            expect(event.type).toBe('InvoiceSubmittedForApproval');
            expect(x.policy === 'hold_for_approval' && exposure > x.limit).toBe(true);
            expect('number' in event.data).toBe(false);
          }
        },
      ),
      { seed, numRuns: 500 },
    );
  });

  it('reads back every template it describes', () => {
    const terms: fc.Arbitrary<PaymentTerms> = fc.oneof(
      fc.integer({ min: 0, max: 365 }).map((days) => ({ type: 'net' as const, days })),
      fc.integer({ min: 0, max: 365 }).map((days) => ({ type: 'end_of_month' as const, days })),
      fc.record({ discountBp: fc.integer({ min: 1, max: 5_000 }), discountDays: fc.integer({ min: 1, max: 364 }), extra: fc.integer({ min: 1, max: 100 }) })
        .filter((r) => r.discountDays + r.extra <= 365)
        .map((r) => ({ type: 'early_discount' as const, discountBp: r.discountBp, discountDays: r.discountDays, netDays: r.discountDays + r.extra })),
    );
    fc.assert(fc.property(terms, (t) => {
      expect(parseTermsForm(describeTerms(t))).toEqual(t);
    }), { seed, numRuns: 300 });
  });
});
