import { auditTrailProjection as p, positionKey } from './audit-trail.projection';
import { inLog, issued, payment, project, projected, registered } from '../testing';
import type { ArEvent } from '../../libs/domain/events';

const dates = { issueDate: '2024-03-01', dueDate: '2024-03-31' };

describe('audit-trail projection', () => {
  it('given a customer history, then one entry per fact, keyed so that string order is log order', () => {
    const reserved: ArEvent = {
      type: 'InvoiceNumberReserved',
      data: { series: 'F', number: 'F-1', invoiceId: 'i1', customerId: 'c1', invoice: issued('i1', 'c1', 100, dates).data },
    };
    const docs = project(p, [
      registered('c1'),
      reserved,
      issued('i1', 'c1', 100, dates),
      ...payment({ paymentId: 'p1', customerId: 'c1', amount: 100, receivedOn: '2024-03-05' }, { invoiceId: 'i1', amount: 100, outstandingAfter: 0 }),
    ]);
    const keys = [...docs.keys()];
    expect(keys).toEqual(['0000000000000000', '0000000000000002', '0000000000000003', '0000000000000004', '0000000000000005', '0000000000000006']);
    expect([...docs.values()].map((d) => d.type)).toEqual([
      'CustomerRegistered', 'InvoiceIssued', 'PaymentReceived', 'PaymentAllocated', 'PaymentApplied', 'InvoiceSettled',
    ]);
    expect(docs.get('0000000000000002')).toMatchObject({
      customerId: 'c1', position: '0000000000000002', streamId: 'invoice-i1', revision: 0, type: 'InvoiceIssued',
      id: '00000000-0000-5000-8000-000000000002', data: { invoiceId: 'i1', total: 100 }, metadata: { actor: 'test' },
    });
  });

  it('pads positions to 16 digits so lexical order follows numeric order', () => {
    expect(positionKey(9) < positionKey(10)).toBe(true);
    expect(positionKey(Number.MAX_SAFE_INTEGER)).toHaveLength(16);
  });

  it('ignores unknown types and other streams, and copies data with sorted keys', () => {
    expect(p.keysOf(projected({ type: 'Whatever', data: { customerId: 'c1' } } as unknown as ArEvent, { position: 1, streamId: 'credit-c1' }))).toEqual([]);
    const e = projected(registered('c1'), { position: 3 });
    const entry = p.evolve(null, e)!;
    expect(Object.keys(entry.data as object)).toEqual(['creditLimit', 'currency', 'customerId', 'name', 'paymentTermsDays']);
    expect(p.evolve(entry, e)).toBe(entry);
    expect(inLog([registered('c1')])[0].data).not.toBe(entry.data);
  });
});
