import type { CompoundIndex, ReadStore } from '../read-store/read-store.port';
import { invoicesProjection } from '../../projections';
import { ensureProjectionIndexes, singleFieldIndexes } from './projection';

describe('the indexes a projection gets (ADR 0117)', () => {
  it('gives no index of its own to a field that leads one of its compound indexes', () => {
    // Given a projection filtering on a, b and c, with compound indexes (a, id) and (c)
    const p = { indexes: ['a', 'b', 'c'], compoundIndexes: [{ fields: ['a', 'id'] }, { fields: ['c'] }] };
    // Then only b gets a single-field index: a and c are served by the compound ones
    expect(singleFieldIndexes(p)).toEqual(['b']);
    // And a field that is second in a compound index keeps its own (an index serves its leading field only)
    expect(singleFieldIndexes({ indexes: ['id'], compoundIndexes: [{ fields: ['a', 'id'] }] })).toEqual(['id']);
    expect(singleFieldIndexes({ indexes: ['a'] })).toEqual(['a']);
  });

  it('the invoices: four of its six filter fields lead a list index', () => {
    expect(singleFieldIndexes(invoicesProjection)).toEqual(['status', 'currency']);
  });

  it('ensureProjectionIndexes creates the single-field indexes left and every compound one', async () => {
    const calls: string[] = [];
    const rs = {
      ensureIndexes: async (collection: string, fields: readonly string[]) => { calls.push(`${collection}: ${fields.join(', ')}`); },
      ensureCompoundIndex: async (collection: string, index: CompoundIndex) => { calls.push(`${collection}: (${index.fields.join(', ')})`); },
    } as unknown as ReadStore;
    await ensureProjectionIndexes(rs, 'x_v1', { indexes: ['a', 'b'], compoundIndexes: [{ fields: ['a', 'id'] }] });
    expect(calls).toEqual(['x_v1: b', 'x_v1: (a, id)']);
  });
});
