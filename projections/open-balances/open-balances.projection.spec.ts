import fc from 'fast-check';
import { openBalancesProjection as p } from './open-balances.projection';
import { invoicesProjection } from '../invoices/invoices.projection';
import { allocated, applied, inLog, issued, limitChanged, payment, project, projected, received, registered, settled } from '../testing';
import type { ArEvent } from '../../libs/domain/events';

const dates = { issueDate: '2024-01-10', dueDate: '2024-02-09' };

describe('open-balances projection', () => {
  it('given a registered customer, then a zero balance with its limit as available credit', () => {
    const docs = project(p, [registered('c1', { name: 'ACME', creditLimit: 500_000 })]);
    expect(docs.get('c1')).toEqual({
      customerId: 'c1', name: 'ACME', currency: 'EUR', country: 'FR', creditLimit: 500_000, invoiced: 0, received: 0, paid: 0,
      outstanding: 0, unapplied: 0, writtenOff: 0, refunded: 0, creditNoted: 0, discounts: 0, charges: 0, availableCredit: 500_000, invoiceCount: 0, openInvoiceCount: 0, lastPosition: 0,
    });
  });

  it('given invoices, a partial and a settling payment, and unapplied cash, then the figures add up', () => {
    const docs = project(p, [
      registered('c1', { creditLimit: 500_000 }),
      issued('i1', 'c1', 120_000, dates),
      issued('i2', 'c1', 60_000, dates),
      ...payment({ paymentId: 'p1', customerId: 'c1', amount: 50_000, receivedOn: '2024-01-20' }, { invoiceId: 'i1', amount: 50_000, outstandingAfter: 70_000 }),
      ...payment({ paymentId: 'p2', customerId: 'c1', amount: 100_000, receivedOn: '2024-02-01' }, { invoiceId: 'i2', amount: 60_000, outstandingAfter: 0 }),
    ]);
    expect(docs.get('c1')).toMatchObject({
      invoiced: 180_000, received: 150_000, paid: 110_000, outstanding: 70_000, unapplied: 40_000,
      availableCredit: 430_000, invoiceCount: 2, openInvoiceCount: 1,
    });
  });

  it('given a limit lowered below the outstanding, then the overrun shows as negative available credit', () => {
    const docs = project(p, [registered('c1', { creditLimit: 200_000 }), issued('i1', 'c1', 150_000, dates), limitChanged('c1', 200_000, 100_000)]);
    expect(docs.get('c1')).toMatchObject({ creditLimit: 100_000, outstanding: 150_000, availableCredit: -50_000 });
  });

  it('keeps customers apart', () => {
    const docs = project(p, [registered('c1'), registered('c2'), issued('i1', 'c1', 1_000, dates), received('p1', 'c2', 700, '2024-01-11')]);
    expect(docs.get('c1')).toMatchObject({ invoiced: 1_000, received: 0 });
    expect(docs.get('c2')).toMatchObject({ invoiced: 0, received: 700, unapplied: 700 });
  });

  it('ignores number reservations and event types it does not know', () => {
    const reserved: ArEvent = {
      type: 'InvoiceNumberReserved',
      data: { series: 'F', number: 'F-1', invoiceId: 'i1', customerId: 'c1', invoice: issued('i1', 'c1', 1, dates).data },
    };
    const unknown = projected({ type: 'NoSuchEvent', data: { customerId: 'c1' } } as unknown as ArEvent, { position: 9 });
    expect(p.keysOf(inLog([reserved])[0])).toEqual([]);
    expect(p.keysOf(unknown)).toEqual([]);
  });

  it('does not mutate its input, gives the same JSON twice, and does not count a replayed event twice', () => {
    const log = inLog([registered('c1'), issued('i1', 'c1', 1_000, dates)]);
    const before = p.evolve(null, log[0])!;
    const frozen = JSON.stringify(before);
    const after = p.evolve(before, log[1]);
    expect(JSON.stringify(before)).toBe(frozen);
    expect(JSON.stringify(p.evolve(before, log[1]))).toBe(JSON.stringify(after));
    expect(p.evolve(after, log[1])).toBe(after);
  });
});

describe('open-balances against the invoices read model', () => {
  it('property: a customer outstanding is the sum of its invoices outstanding; unapplied is never negative', () => {
    const seed = Number(process.env.FC_SEED ?? Date.now());
    console.log(`open-balances property seed: ${seed} (rerun with FC_SEED=${seed})`);
    const invoiceArb = fc.record({ customer: fc.integer({ min: 0, max: 2 }), total: fc.integer({ min: 1, max: 100_000 }) });
    const paymentArb = fc.record({ customer: fc.integer({ min: 0, max: 2 }), amount: fc.integer({ min: 1, max: 150_000 }) });
    fc.assert(
      fc.property(fc.array(invoiceArb, { maxLength: 10 }), fc.array(paymentArb, { maxLength: 10 }), (invoices, payments) => {
        const events: ArEvent[] = [0, 1, 2].map((c) => registered(`c${c}`));
        const open = invoices.map((inv, n) => ({ invoiceId: `i${n}`, customerId: `c${inv.customer}`, outstanding: inv.total }));
        invoices.forEach((inv, n) => events.push(issued(`i${n}`, `c${inv.customer}`, inv.total, dates)));
        payments.forEach((p, k) => {
          // Oldest first, as the engine allocates; the rest stays unapplied.
          const customerId = `c${p.customer}`;
          events.push(received(`p${k}`, customerId, p.amount, '2024-02-01'));
          let left = p.amount;
          for (const inv of open.filter((i) => i.customerId === customerId && i.outstanding > 0)) {
            if (left === 0) break;
            const amount = Math.min(left, inv.outstanding);
            left -= amount;
            inv.outstanding -= amount;
            events.push(allocated(`p${k}`, customerId, inv.invoiceId, amount, '2024-02-01', left));
            events.push(applied(inv.invoiceId, customerId, `p${k}`, amount, '2024-02-01', inv.outstanding));
            if (inv.outstanding === 0) events.push(settled(inv.invoiceId, customerId, '2024-02-01'));
          }
        });
        const balances = project(p, events);
        const views = [...project(invoicesProjection, events).values()];
        for (const [customerId, b] of balances) {
          const mine = views.filter((v) => v.customerId === customerId);
          expect(b.outstanding).toBe(mine.reduce((a, v) => a + v.outstanding, 0));
          expect(b.openInvoiceCount).toBe(mine.filter((v) => v.status !== 'paid').length);
          expect(b.unapplied).toBeGreaterThanOrEqual(0);
          expect(b.received).toBe(b.paid + b.unapplied);
        }
      }),
      { seed, numRuns: 200 },
    );
  });
});
