import fc from 'fast-check';
import { fold } from '../shared/decider';
import { given } from '../shared/testing';
import { ApplyPayment, invoiceDecider } from './invoice.decider';
import { InvoiceEvent } from './invoice.events';
import { issued } from './invoice.fixtures';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 0x7fffffff;
console.log(`invoice.apply-payment property seed: FC_SEED=${seed}`);

const pay = (paymentId: string, amount: number, receivedOn = '2024-02-10'): ApplyPayment =>
  ({ type: 'ApplyPayment', invoiceId: 'inv-1', paymentId, amount, receivedOn });
const applied = (paymentId: string, amount: number, outstanding: number, receivedOn = '2024-02-10'): InvoiceEvent =>
  ({ type: 'PaymentApplied', data: { invoiceId: 'inv-1', customerId: 'cust-1', paymentId, amount, receivedOn, outstanding } });

describe('invoice decider — ApplyPayment', () => {
  it('applies a partial payment and carries the outstanding after it', () => {
    const state = given(invoiceDecider, [issued]).when(pay('pay-1', 10_000)).then([applied('pay-1', 10_000, 38_473)]);
    expect(state).toMatchObject({ status: 'partially_paid', outstanding: 38_473, appliedPaymentIds: ['pay-1'] });
  });

  it('settles the invoice when the outstanding reaches zero', () => {
    const state = given(invoiceDecider, [issued, applied('pay-1', 10_000, 38_473)])
      .when(pay('pay-2', 38_473, '2024-03-05'))
      .then([
        applied('pay-2', 38_473, 0, '2024-03-05'),
        { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2024-03-05' } },
      ]);
    expect(state).toMatchObject({ status: 'paid', outstanding: 0, appliedPaymentIds: ['pay-1', 'pay-2'] });
  });

  it('appends nothing when the same payment is applied again (a retried saga step)', () => {
    given(invoiceDecider, [issued, applied('pay-1', 10_000, 38_473)]).when(pay('pay-1', 10_000)).then([]);
  });

  it('appends nothing for a retried payment after settlement', () => {
    const settled: InvoiceEvent = { type: 'InvoiceSettled', data: { invoiceId: 'inv-1', customerId: 'cust-1', settledOn: '2024-02-10' } };
    given(invoiceDecider, [issued, applied('pay-1', 48_473, 0), settled]).when(pay('pay-1', 48_473)).then([]);
  });

  it('refuses a payment larger than the outstanding, with the figures', () => {
    given(invoiceDecider, [issued, applied('pay-1', 10_000, 38_473)]).when(pay('pay-2', 38_474)).thenThrows('PAYMENT_EXCEEDS_OUTSTANDING', {
      kind: 'rule',
      details: { invoiceId: 'inv-1', paymentId: 'pay-2', currency: 'EUR', amount: '384.74', outstanding: '384.73', excess: '0.01' },
    });
  });

  it('refuses a new payment on a paid invoice', () => {
    given(invoiceDecider, [issued, applied('pay-1', 48_473, 0)]).when(pay('pay-2', 1)).thenThrows('PAYMENT_EXCEEDS_OUTSTANDING', {
      details: { outstanding: '0.00' },
    });
  });

  it('refuses a payment on an unknown invoice', () => {
    given(invoiceDecider).when(pay('pay-1', 100)).thenThrows('INVOICE_NOT_FOUND', { kind: 'not_found', details: { invoiceId: 'inv-1' } });
  });

  it.each([
    ['a zero amount', pay('pay-1', 0), 'AMOUNT_NOT_POSITIVE', 'amount'],
    ['a negative amount', pay('pay-1', -5), 'AMOUNT_NOT_POSITIVE', 'amount'],
    ['a fractional amount', pay('pay-1', 10.5), 'AMOUNT_NOT_POSITIVE', 'amount'],
    ['a malformed date', pay('pay-1', 100, '2024-13-01'), 'DATE_MALFORMED', 'receivedOn'],
    ['a malformed payment id', pay('', 100), 'ID_MALFORMED', 'paymentId'],
  ])('refuses %s', (_label, command, code, field) => {
    given(invoiceDecider, [issued]).when(command).thenThrows(code, { kind: 'invalid', details: { field } });
  });

  it('property: outstanding never goes negative and total = applied + outstanding, whatever the payments', () => {
    const payments = fc.array(
      fc.record({ id: fc.integer({ min: 1, max: 8 }), amount: fc.integer({ min: 1, max: 60_000 }) }),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(payments, (attempts) => {
        let history: InvoiceEvent[] = [issued];
        const appliedAmounts = new Map<string, number>();
        for (const { id, amount } of attempts) {
          const state = fold(invoiceDecider, history);
          try {
            const events = invoiceDecider.decide(pay(`pay-${id}`, amount), state);
            history = [...history, ...events];
            for (const e of events) if (e.type === 'PaymentApplied') appliedAmounts.set(e.data.paymentId, e.data.amount);
          } catch (error) {
            expect(error).toMatchObject({ code: 'PAYMENT_EXCEEDS_OUTSTANDING' });
          }
          const after = fold(invoiceDecider, history);
          if (after.status === 'none' || after.status === 'pending_approval' || after.status === 'rejected') throw new Error('invoice vanished');
          const paid = [...appliedAmounts.values()].reduce((a, b) => a + b, 0);
          expect(after.outstanding).toBeGreaterThanOrEqual(0);
          expect(paid + after.outstanding).toBe(issued.data.total);
          expect(after.status === 'paid').toBe(after.outstanding === 0);
          expect(history.filter((e) => e.type === 'InvoiceSettled').length).toBe(after.outstanding === 0 ? 1 : 0);
        }
      }),
      { seed, verbose: true },
    );
  });
});
