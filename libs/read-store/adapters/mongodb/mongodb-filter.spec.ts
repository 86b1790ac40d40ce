import { toMongoFilter } from './mongodb-filter';

/**
 * The translation is pure: checked here, where no MongoDB runs; the read-store contract (same cases) runs it against
 * a server when MONGODB_URI is set (the CI workflow) and against SQLite everywhere.
 */
describe('toMongoFilter: SQLite semantics in MongoDB terms', () => {
  const notArray = { $not: { $type: 'array' } };

  it('equality on a scalar excludes array fields, and booleans equal 1/0 as JSON does in SQLite', () => {
    expect(toMongoFilter({ status: 'open' })).toEqual({ status: { $in: ['open'], ...notArray } });
    expect(toMongoFilter({ flag: true })).toEqual({ flag: { $in: [true, 1], ...notArray } });
    expect(toMongoFilter({ n: 0 })).toEqual({ n: { $in: [0, false], ...notArray } });
    expect(toMongoFilter({ n: 7 })).toEqual({ n: { $in: [7], ...notArray } });
  });

  it('null, $ne, $in and ranges; several fields under $and', () => {
    expect(toMongoFilter({ note: null })).toEqual({ note: { $eq: null, ...notArray } });
    expect(toMongoFilter({ n: { $ne: 2 } })).toEqual({ $nor: [{ n: { $in: [2], ...notArray } }] });
    expect(toMongoFilter({ n: { $in: [null, 'a'] } })).toEqual({ $or: [{ n: { $in: ['a'], ...notArray } }, { n: { $eq: null, ...notArray } }] });
    expect(toMongoFilter({ n: { $in: [] } })).toEqual({ _id: { $exists: false } });
    // SQLite orders numbers and booleans below every string: `$lt` a string takes them in, `$gte` does not.
    expect(toMongoFilter({ due: { $gte: '2024-01-01', $lt: '2024-02-01' } })).toEqual({
      $and: [{ due: { $gte: '2024-01-01', ...notArray } }, { $or: [{ due: { $lt: '2024-02-01', ...notArray } }, { due: { $type: ['number', 'bool'] } }] }],
    });
    // 1 < 3 and 0 < 3: both booleans are in the range, as in SQLite; 1 >= 1 only true for $gte 1.
    expect(toMongoFilter({ n: { $lt: 3 } })).toEqual({ $or: [{ n: { $lt: 3, ...notArray } }, { n: { $in: [true, false] } }] });
    expect(toMongoFilter({ n: { $gte: 1 } })).toEqual({ $or: [{ n: { $gte: 1, ...notArray } }, { n: { $in: [true] } }] });
    expect(toMongoFilter({ n: { $gt: 5 } })).toEqual({ n: { $gt: 5, ...notArray } });
    expect(toMongoFilter({ n: { $gt: null } })).toEqual({ _id: { $exists: false } });
    expect(toMongoFilter({ a: 1, b: 'x', c: { $eq: undefined } })).toEqual({ $and: [{ a: { $in: [1, true], ...notArray } }, { b: { $in: ['x'], ...notArray } }] });
    expect(toMongoFilter({})).toEqual({});
  });

  it('refuses what SQLite refuses', () => {
    expect(() => toMongoFilter({ n: { $gt: true } as never })).toThrow(/Unsupported range bound/);
    expect(() => toMongoFilter({ n: { $regex: 'x' } as never })).toThrow(/Unsupported filter operator/);
    expect(() => toMongoFilter({ n: { $in: 'x' } as never })).toThrow(/needs an array/);
  });

  it('list filters (ADR 0069): $contains is a literal, case-insensitive, string-only $regex; $or/$and recurse; an empty $or matches nothing', () => {
    expect(toMongoFilter({ name: { $contains: 'a.b (x)*' } })).toEqual({ name: { $type: 'string', $regex: 'a\\.b \\(x\\)\\*', $options: 'i' } });
    expect(new RegExp('a\\.b \\(x\\)\\*', 'i').test('A.B (X)*')).toBe(true);
    expect(new RegExp('a\\.b \\(x\\)\\*', 'i').test('axb (x)')).toBe(false);
    expect(toMongoFilter({ $or: [{ a: 'x' }, { b: { $contains: 'q' } }] })).toEqual({
      $or: [{ a: { $in: ['x'], $not: { $type: 'array' } } }, { b: { $type: 'string', $regex: 'q', $options: 'i' } }],
    });
    expect(toMongoFilter({ $or: [] })).toEqual({ _id: { $exists: false } });
    expect(toMongoFilter({ $and: [], a: 'x' })).toEqual({ a: { $in: ['x'], $not: { $type: 'array' } } });
  });
});
