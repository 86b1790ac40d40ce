import { customerStreamsProjection as p } from './customer-streams.projection';
import { inLog, issued, payment, project, registered } from '../testing';

describe('customer-streams projection', () => {
  it('lists every stream holding a customer fact once, with its first position and its last event as anchor', () => {
    const docs = project(p, [
      registered('c1'),
      issued('i1', 'c1', 1_000, { issueDate: '2024-03-01', dueDate: '2024-03-31' }),
      registered('c2'),
      ...payment({ paymentId: 'p1', customerId: 'c1', amount: 1_000, receivedOn: '2024-03-10' }, { invoiceId: 'i1', amount: 1_000, outstandingAfter: 0 }),
    ]);
    const anchor = (lastRevision: number, lastPosition: number) => ({ lastRevision, lastHash: expect.any(String), lastPosition });
    expect([...docs.values()]).toEqual([
      { customerId: 'c1', streamId: 'credit-c1', firstPosition: 0, ...anchor(0, 0) },
      { customerId: 'c1', streamId: 'invoice-i1', firstPosition: 1, ...anchor(2, 6) },
      { customerId: 'c2', streamId: 'credit-c2', firstPosition: 2, ...anchor(0, 2) },
      { customerId: 'c1', streamId: 'payment-p1', firstPosition: 3, ...anchor(1, 4) },
    ]);
  });

  it('moves the anchor with every later event of the stream, never back', () => {
    const log = inLog([issued('i1', 'c1', 1_000, { issueDate: '2024-03-01', dueDate: '2024-03-31' }), ...payment({ paymentId: 'p1', customerId: 'c1', amount: 1_000, receivedOn: '2024-03-10' }, { invoiceId: 'i1', amount: 1_000, outstandingAfter: 0 })]);
    expect(log.map((e) => p.keysOf(e))).toEqual(log.map((e) => [e.streamId]));
    const doc = p.evolve(null, log[0])!;
    const later = p.evolve(doc, { ...log[0], revision: 1, position: 9, metadata: { ...log[0].metadata, hash: 'f'.repeat(64) } })!;
    expect(later).toMatchObject({ firstPosition: doc.firstPosition, lastRevision: 1, lastPosition: 9, lastHash: 'f'.repeat(64) });
    expect(p.evolve(later, log[0])).toBe(later);
  });

  it('leaves out internal series streams', () => {
    const [reserved] = inLog([{ type: 'InvoiceNumberReserved', data: { series: 'INV', number: 'INV-1', invoiceId: 'i1', customerId: 'c1', invoice: issued('i1', 'c1', 1, { issueDate: '2024-03-01', dueDate: '2024-03-31' }).data } }]);
    expect(p.keysOf(reserved)).toEqual([]);
  });
});
