import fc from 'fast-check';
import { byOldestDue, OpenInvoice, paymentDecider, RecordPayment } from './payment.decider';
import { PaymentAllocated } from './payment.events';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 0x7fffffff;
console.log(`payment.allocation property seed: FC_SEED=${seed}`);

const day = fc.integer({ min: 1, max: 28 }).map((d) => `2024-0${1 + (d % 6)}-${String(d).padStart(2, '0')}`);
const invoice = (i: number) =>
  fc.record({
    number: fc.integer({ min: 1, max: 50 }).map((n) => `F-${String(n).padStart(3, '0')}`),
    issueDate: day,
    dueDate: day,
    outstanding: fc.integer({ min: 1, max: 100_000 }),
    currency: fc.constantFrom('EUR', 'EUR', 'EUR', 'USD'),
  }).map((o): OpenInvoice => ({ invoiceId: `inv-${i}`, ...o }));
const openInvoices = fc.integer({ min: 0, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => invoice(i))));

describe('payment allocation — properties (auto mode)', () => {
  it('never over-allocates, always balances, and leaves credit only when every open invoice is covered', () => {
    fc.assert(
      fc.property(
        openInvoices,
        fc.integer({ min: 1, max: 600_000 }),
        fc.option(fc.integer({ min: 1, max: 50 }).map((n) => `F-${String(n).padStart(3, '0')}`)),
        (open, amount, reference) => {
          const command: RecordPayment = {
            type: 'RecordPayment', paymentId: 'pay-1', customerId: 'cust-1', currency: 'EUR', amount,
            receivedOn: '2024-07-01', method: 'transfer', reference, openInvoices: open,
          };
          const events = paymentDecider.decide(command, paymentDecider.initialState());
          expect(events[0].type).toBe('PaymentReceived');
          // A reference naming no open invoice of this customer (in its currency) allocates nothing: held for review (ADR 0032).
          if (reference !== null && !open.some((o) => o.currency === 'EUR' && o.number === reference)) {
            expect(events.map((e) => e.type)).toEqual(['PaymentReceived', 'PaymentHeldForReview']);
            return;
          }
          const allocations = events.slice(1) as PaymentAllocated[];
          const byId = new Map(open.map((o) => [o.invoiceId, o]));
          let running = amount;
          for (const { data } of allocations) {
            const target = byId.get(data.invoiceId)!;
            expect(target.currency).toBe('EUR');
            expect(data.amount).toBeGreaterThan(0);
            expect(data.amount).toBeLessThanOrEqual(target.outstanding);
            running -= data.amount;
            expect(data.unapplied).toBe(running);
          }
          expect(new Set(allocations.map((a) => a.data.invoiceId)).size).toBe(allocations.length);
          const state = events.reduce(paymentDecider.evolve, paymentDecider.initialState());
          if (state.status !== 'recorded') throw new Error('payment not recorded');
          const allocated = state.allocations.reduce((sum, a) => sum + a.amount, 0);
          expect(allocated + state.unapplied).toBe(amount);
          expect(state.unapplied).toBeGreaterThanOrEqual(0);
          const sameCurrency = open.filter((o) => o.currency === 'EUR');
          if (state.unapplied > 0) {
            for (const o of sameCurrency) {
              expect(state.allocations.find((a) => a.invoiceId === o.invoiceId)?.amount).toBe(o.outstanding);
            }
          }
          // Only the reference match may jump the queue; the rest follow oldest-due order, each fully
          // covered before the next one gets anything.
          const referenced = sameCurrency.find((o) => o.number === reference);
          if (referenced) expect(allocations[0].data).toMatchObject({ invoiceId: referenced.invoiceId, rule: 'reference' });
          const queued = allocations.filter(({ data }) => data.rule === 'oldest_due').map(({ data }) => byId.get(data.invoiceId)!);
          expect(queued).toEqual([...queued].sort(byOldestDue));
          const partial = allocations.filter(({ data }) => data.amount < byId.get(data.invoiceId)!.outstanding);
          expect(partial.length).toBeLessThanOrEqual(1);
          if (partial.length === 1) expect(partial[0]).toBe(allocations[allocations.length - 1]);
        },
      ),
      { seed, verbose: true },
    );
  });
});
