import { customerStreamsProjection as p } from './customer-streams.projection';
import { inLog, issued, payment, project, registered } from '../testing';

describe('customer-streams projection', () => {
  it('lists every stream holding a customer fact once, with its first position', () => {
    const docs = project(p, [
      registered('c1'),
      issued('i1', 'c1', 1_000, { issueDate: '2024-03-01', dueDate: '2024-03-31' }),
      registered('c2'),
      ...payment({ paymentId: 'p1', customerId: 'c1', amount: 1_000, receivedOn: '2024-03-10' }, { invoiceId: 'i1', amount: 1_000, outstandingAfter: 0 }),
    ]);
    expect([...docs.values()]).toEqual([
      { customerId: 'c1', streamId: 'credit-c1', firstPosition: 0 },
      { customerId: 'c1', streamId: 'invoice-i1', firstPosition: 1 },
      { customerId: 'c2', streamId: 'credit-c2', firstPosition: 2 },
      { customerId: 'c1', streamId: 'payment-p1', firstPosition: 3 },
    ]);
  });

  it('keys a stream by its first event only', () => {
    const log = inLog([issued('i1', 'c1', 1_000, { issueDate: '2024-03-01', dueDate: '2024-03-31' }), ...payment({ paymentId: 'p1', customerId: 'c1', amount: 1_000, receivedOn: '2024-03-10' }, { invoiceId: 'i1', amount: 1_000, outstandingAfter: 0 })]);
    expect(log.map((e) => p.keysOf(e))).toEqual([['invoice-i1'], ['payment-p1'], [], [], []]);
  });

  it('leaves out internal series streams', () => {
    const [reserved] = inLog([{ type: 'InvoiceNumberReserved', data: { series: 'INV', number: 'INV-1', invoiceId: 'i1', customerId: 'c1', invoice: issued('i1', 'c1', 1, { issueDate: '2024-03-01', dueDate: '2024-03-31' }).data } }]);
    expect(p.keysOf(reserved)).toEqual([]);
  });
});
