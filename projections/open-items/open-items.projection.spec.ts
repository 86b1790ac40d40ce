import { openItemsProjection as p, STILL_OPEN } from './open-items.projection';
import { applied, inLog, issued, project, registered, settled } from '../testing';

const dates = { issueDate: '2024-03-01', dueDate: '2024-03-31' };

describe('open-items projection', () => {
  it('given an issued invoice, then an item open until further notice', () => {
    const docs = project(p, [registered('c1'), issued('i1', 'c1', 12_000, dates)]);
    expect(docs.get('i1')).toEqual({
      invoiceId: 'i1', customerId: 'c1', currency: 'EUR', number: 'F-i1', issueDate: '2024-03-01', dueDate: '2024-03-31',
      total: 12_000, movements: [], outstanding: 12_000, closedOn: STILL_OPEN, lastPosition: 1,
    });
  });

  it('given partial payments, then one movement each dated by its receipt, and still open', () => {
    const docs = project(p, [
      issued('i1', 'c1', 12_000, dates),
      applied('i1', 'c1', 'p1', 2_000, '2024-03-05', 10_000),
      applied('i1', 'c1', 'p2', 3_000, '2024-04-10', 7_000),
    ]);
    expect(docs.get('i1')).toMatchObject({
      movements: [{ on: '2024-03-05', amount: 2_000 }, { on: '2024-04-10', amount: 3_000 }],
      outstanding: 7_000, closedOn: STILL_OPEN,
    });
  });

  it('given a settling payment, then closed on the settling date', () => {
    const docs = project(p, [
      issued('i1', 'c1', 12_000, dates),
      applied('i1', 'c1', 'p1', 12_000, '2024-04-02', 0),
      settled('i1', 'c1', '2024-04-02'),
    ]);
    expect(docs.get('i1')).toMatchObject({ outstanding: 0, closedOn: '2024-04-02' });
  });

  it('given a back-dated settling payment after a later-dated partial, then closed on the later receipt', () => {
    const docs = project(p, [
      issued('i1', 'c1', 12_000, dates),
      applied('i1', 'c1', 'p1', 2_000, '2024-04-20', 10_000),
      applied('i1', 'c1', 'p2', 10_000, '2024-04-05', 0),
      settled('i1', 'c1', '2024-04-05'),
    ]);
    // As of 2024-04-10 the 2 000 received on 04-20 was still owed: the item must stay in the index's "open" range.
    expect(docs.get('i1')).toMatchObject({ closedOn: '2024-04-20' });
  });

  it('ignores credit and payment streams, unknown types, and events already applied; never mutates', () => {
    const log = inLog([registered('c1'), issued('i1', 'c1', 100, dates), applied('i1', 'c1', 'p1', 40, '2024-03-02', 60)]);
    expect(p.keysOf(log[0])).toEqual([]);
    expect(p.keysOf({ ...log[1], type: 'InvoiceVoided' } as never)).toEqual([]);
    const open = p.evolve(null, log[1])!;
    const json = JSON.stringify(open);
    const paid = p.evolve(open, log[2])!;
    expect(JSON.stringify(open)).toBe(json);
    expect(p.evolve(paid, log[2])).toBe(paid);
    expect(p.indexes).toEqual(['customerId', 'issueDate', 'dueDate', 'closedOn']);
  });
});
