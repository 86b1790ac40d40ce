import { translate } from './mongodb-read-store';

/** The port's filter as MongoDB receives it (the behaviour on a server is the list contract suite's, with MONGODB_URI). */
describe('MongoDB filter translation', () => {
  it('passes comparisons through and turns $contains into a literal, case-insensitive, string-only $regex', () => {
    expect(translate({ status: 'open', n: { $gte: 1, $lt: 3 } })).toEqual({ status: 'open', n: { $gte: 1, $lt: 3 } });
    // Pattern characters are escaped: "a.b (x)" matches the text, not "axb x".
    expect(translate({ name: { $contains: 'a.b (x)*' } })).toEqual({ name: { $type: 'string', $regex: 'a\\.b \\(x\\)\\*', $options: 'i' } });
    expect(new RegExp('a\\.b \\(x\\)\\*', 'i').test('A.B (X)*')).toBe(true);
    expect(new RegExp('a\\.b \\(x\\)\\*', 'i').test('axb (x)')).toBe(false);
  });

  it('translates $or and $and recursively; an empty $or matches nothing, an empty $and everything', () => {
    expect(translate({ $and: [{ $or: [{ a: 1 }, { b: { $contains: 'q' } }] }, { c: 2 }] })).toEqual({
      $and: [{ $or: [{ a: 1 }, { b: { $type: 'string', $regex: 'q', $options: 'i' } }] }, { c: 2 }],
    });
    expect(translate({ $or: [] })).toEqual({ _id: { $in: [] } });
    expect(translate({ $and: [], a: 1 })).toEqual({ a: 1 });
    expect(translate({ a: undefined, b: 1 })).toEqual({ b: 1 });
  });
});
