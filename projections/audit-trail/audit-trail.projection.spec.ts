import { AUDIT_TRAIL_INDEX, auditTrailProjection as p, positionKey } from './audit-trail.projection';
import { inLog, issued, payment, project, projected, registered } from '../testing';
import type { ArEvent } from '../../libs/domain/events';

const dates = { issueDate: '2024-03-01', dueDate: '2024-03-31' };

describe('audit-trail projection', () => {
  it('given a customer history, then one entry per fact of its credit, invoice and payment streams, keyed so that string order is log order', () => {
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
    expect([...docs.keys()]).toEqual(['0000000000000000', '0000000000000002', '0000000000000003', '0000000000000004', '0000000000000005', '0000000000000006']);
    expect([...docs.values()].map((d) => [d.type, d.streamId, d.revision])).toEqual([
      ['CustomerRegistered', 'credit-c1', 0],
      ['InvoiceIssued', 'invoice-i1', 0],
      ['PaymentReceived', 'payment-p1', 0],
      ['PaymentAllocated', 'payment-p1', 1],
      ['PaymentApplied', 'invoice-i1', 1],
      ['InvoiceSettled', 'invoice-i1', 2],
    ]);
  });

  it('an entry locates the event in the log and dates it; the body stays in the log', () => {
    const [event] = inLog([issued('i1', 'c1', 100, dates)]);
    expect(p.evolve(null, projected(event, { position: 7, streamId: 'invoice-i1', revision: 0 }))).toEqual({
      customerId: 'c1', position: '0000000000000007', streamId: 'invoice-i1', revision: 0, type: 'InvoiceIssued', effectiveOn: '2024-03-01',
    });
    // No business date in the payload: the day it was recorded.
    expect(p.evolve(null, projected(registered('c1'), { position: 0 }))?.effectiveOn).toBe('2024-01-01');
  });

  it('pads positions to 16 digits so lexical order follows numeric order', () => {
    expect(positionKey(9) < positionKey(10)).toBe(true);
    expect(positionKey(Number.MAX_SAFE_INTEGER)).toHaveLength(16);
  });

  it('ignores unknown types and internal streams, never rewrites an entry, and is read through one compound index', () => {
    expect(p.keysOf(projected({ type: 'Whatever', data: { customerId: 'c1' } } as unknown as ArEvent, { position: 1, streamId: 'credit-c1' }))).toEqual([]);
    expect(p.keysOf(projected(registered('c1'), { position: 1, streamId: 'invoicenumbers-F' }))).toEqual([]);
    const e = projected(registered('c1'), { position: 3 });
    const entry = p.evolve(null, e)!;
    expect(p.evolve(entry, e)).toBe(entry);
    expect(p.version).toBe(3);
    expect(p.indexes).toEqual([]);
    expect(p.compoundIndexes).toEqual([AUDIT_TRAIL_INDEX]);
  });
});
