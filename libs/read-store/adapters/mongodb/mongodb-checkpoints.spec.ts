import { Double, Int32, Long } from 'mongodb';
import { storedPositionText } from './mongodb-read-store';

/**
 * ADR 0092: checkpoints an earlier version stored as BSON numbers are rewritten as decimal text at the first read.
 * The conversion, on the driver's own number types (the documents as the driver hands them back).
 */
describe('MongoDB checkpoints of an earlier version', () => {
  it('convert every BSON number a checkpoint may have been stored as, exactly', () => {
    expect(storedPositionText(4_711, 'balances_v3')).toBe('4711');
    expect(storedPositionText(-1, 'balances_v3')).toBe('-1');
    expect(storedPositionText(new Int32(4_711).valueOf(), 'balances_v3')).toBe('4711');
    expect(storedPositionText(new Double(123_456_789).valueOf(), 'balances_v3')).toBe('123456789');
    // A Long (promoteLongs off, or a value written as NumberLong): through its decimal text. 2^53 − 1 kept digit for digit.
    expect(storedPositionText(Long.fromString('9007199254740991'), 'balances_v3')).toBe('9007199254740991');
  });

  it('leave alone (null) what is not a position: a fraction, a Long beyond 2^53 − 1, a negative below -1', () => {
    expect(storedPositionText(12.5, 'x')).toBeNull();
    expect(storedPositionText(Long.fromString('9007199254740993'), 'x')).toBeNull();
    expect(storedPositionText(-2, 'x')).toBeNull();
  });
});
