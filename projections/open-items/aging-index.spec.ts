import { AGING_FIELDS, AGING_INDEX, openItemsFilter } from './aging';
import { openItemsProjection, STILL_OPEN, type OpenItem } from './open-items.projection';

describe('aging index', () => {
  it('is declared by the open-items projection, keyed by the aging filter and carrying every field the aging reads', () => {
    expect(openItemsProjection.compoundIndexes).toContainEqual(AGING_INDEX);
    expect([...AGING_INDEX.fields].sort()).toEqual(Object.keys(openItemsFilter('2024-12-31')).sort());
    expect(AGING_INDEX.include).toEqual(AGING_FIELDS);
    for (const field of AGING_INDEX.fields) expect(AGING_FIELDS).toContain(field);
  });

  it('names only fields of an open item (a typo would read as null)', () => {
    const item: OpenItem = {
      invoiceId: 'i', customerId: 'c', currency: 'EUR', number: 'F1', issueDate: '2024-01-01', dueDate: '2024-01-31',
      total: 100, movements: [], outstanding: 100, closedOn: STILL_OPEN, lastPosition: 0,
    };
    for (const field of AGING_FIELDS) expect(Object.keys(item)).toContain(field);
  });
});
