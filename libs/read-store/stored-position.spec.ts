import { positionFromStored, positionToText, StoredPositionError } from './stored-position';

/** ADR 0092: checkpoints are stored as decimal text and read back exactly; nothing beyond 2^53 − 1 is rounded. */
describe('stored log positions', () => {
  it('are written as their decimal digits, -1 before any event', () => {
    expect(positionToText(-1)).toBe('-1');
    expect(positionToText(0)).toBe('0');
    expect(positionToText(1_234_567)).toBe('1234567');
    // 2^53 − 1 = 9 007 199 254 740 991, the largest integer a double holds exactly.
    expect(positionToText(9_007_199_254_740_991)).toBe('9007199254740991');
  });

  it('refuse to write a position that is not an exact integer from -1', () => {
    for (const bad of [-2, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 9_007_199_254_740_992]) {
      expect(() => positionToText(bad, 'checkpoint of x')).toThrow(StoredPositionError);
    }
    expect(() => positionToText(2 ** 53, 'checkpoint of x')).toThrow(/checkpoint of x: stored log position 9007199254740992 is not a whole number from -1 to 9007199254740991/);
  });

  it('read back exactly what was written, and the numbers earlier versions wrote', () => {
    expect(positionFromStored('9007199254740991')).toBe(9_007_199_254_740_991);
    expect(positionFromStored('-1')).toBe(-1);
    expect(positionFromStored('0')).toBe(0);
    // Legacy rows: SQLite INTEGER, MongoDB double, a bigint from a driver, a MongoDB Long.
    expect(positionFromStored(4_711)).toBe(4_711);
    expect(positionFromStored(4_711n)).toBe(4_711);
    expect(positionFromStored({ _bsontype: 'Long', toString: () => '123456789012' })).toBe(123_456_789_012);
  });

  it('never round a stored value beyond 2^53 − 1 to a neighbour, nor read junk as 0', () => {
    // 2^53 + 1 = 9 007 199 254 740 993: Number() would give 9 007 199 254 740 992.
    expect(() => positionFromStored('9007199254740993', 'process-manager:position')).toThrow(/process-manager:position: stored log position "9007199254740993"/);
    expect(() => positionFromStored('9007199254740992')).toThrow(StoredPositionError);
    expect(() => positionFromStored(2n ** 53n)).toThrow(StoredPositionError);
    for (const junk of ['', ' 12', '12 ', '012', '1e3', '0x10', '-2', '-0', '1.0', 'abc', null, undefined, 1.5, -7, true]) {
      expect(() => positionFromStored(junk)).toThrow(StoredPositionError);
    }
  });
});
