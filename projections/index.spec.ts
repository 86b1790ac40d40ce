import { ALL_PROJECTIONS } from './index';
import { collectionOf } from '../libs/projection-runtime/projection';
import { inLog, issued, payment, project, projected, registered } from './testing';
import type { ArEvent } from '../libs/domain/events';

const history: ArEvent[] = [
  registered('c1'),
  issued('i1', 'c1', 1_000, { issueDate: '2024-03-01', dueDate: '2024-03-31' }),
  { type: 'InvoiceNumberReserved', data: { series: 'F', number: 'F-2', invoiceId: 'i2', customerId: 'c1', invoice: issued('i2', 'c1', 1, { issueDate: '2024-03-01', dueDate: '2024-03-31' }).data } },
  ...payment({ paymentId: 'p1', customerId: 'c1', amount: 1_000, receivedOn: '2024-03-10' }, { invoiceId: 'i1', amount: 1_000, outstandingAfter: 0 }),
];

describe.each(ALL_PROJECTIONS.map((p) => [p.name, p] as const))('%s', (_name, p) => {
  it('ignores event types it does not know and number reservations (but credit-exposure)', () => {
    expect(p.keysOf(projected({ type: 'NoSuchEvent', data: { customerId: 'c1', invoiceId: 'i1', paymentId: 'p1' } } as unknown as ArEvent, { position: 1, streamId: 'payment-p1' }))).toEqual([]);
    // credit-exposure counts reserved numbers in the exposure until their invoice is written (ADR 0011).
    expect(p.keysOf(inLog(history)[2])).toEqual(p.name === 'credit-exposure' ? ['c1'] : []);
  });

  it('replays to the same JSON, and a re-applied log changes nothing', () => {
    const once = project(p, history);
    expect(JSON.stringify([...project(p, history)])).toBe(JSON.stringify([...once]));
    expect(JSON.stringify([...project(p, inLog(history), once)])).toBe(JSON.stringify([...once]));
  });
});

it('has distinct names and collections', () => {
  expect(new Set(ALL_PROJECTIONS.map(collectionOf)).size).toBe(ALL_PROJECTIONS.length);
  expect(ALL_PROJECTIONS.map((p) => p.name)).toEqual(['open-balances', 'invoices', 'open-items', 'audit-trail', 'credit-exposure', 'customer-credit', 'journal', 'lettering-links', 'customer-ledger', 'customer-months', 'customer-streams', 'approval-requests', 'bank-entries', 'customer-profiles', 'payments', 'credit-notes', 'disputes', 'payment-plans']);
});
