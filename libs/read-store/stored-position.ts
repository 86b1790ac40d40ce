/**
 * Log positions as the read stores persist them (ADR 0092): decimal strings (SQLite TEXT, MongoDB string), so that
 * what is stored is exact whatever the store's number type, and a later position type wider than `number` (a bigint
 * or a string in the port, ADR 0061 addendum) needs no migration of the stored checkpoints. In memory the port's
 * position is still a `number`: every conversion checks that it is an exact integer, never rounds.
 */

/** A stored position that is not a decimal integer from -1 up to 2^53 − 1: refused, never rounded or read as 0. */
export class StoredPositionError extends Error {
  constructor(readonly where: string, readonly value: unknown) {
    super(`${where}: stored log position ${describe(value)} is not a whole number from -1 to ${Number.MAX_SAFE_INTEGER} (2^53 − 1); nothing was read`);
    this.name = 'StoredPositionError';
  }
}

const DECIMAL = /^(-1|0|[1-9][0-9]*)$/;

/** The position as stored: its decimal digits ("-1" before any event). */
export function positionToText(position: number, where = 'checkpoint'): string {
  if (!Number.isSafeInteger(position) || position < -1) throw new StoredPositionError(where, position);
  return String(position);
}

/**
 * A stored position read back exactly: the decimal string this version writes, or the JSON number (SQLite INTEGER,
 * MongoDB double or long) earlier versions wrote. Anything else, or a value beyond 2^53 − 1, throws.
 */
export function positionFromStored(value: unknown, where = 'checkpoint'): number {
  if (typeof value === 'string') {
    if (!DECIMAL.test(value)) throw new StoredPositionError(where, value);
    const n = Number(value);
    // Compared as text: above 2^53 − 1, Number() would round to a neighbour silently.
    if (!Number.isSafeInteger(n) || String(n) !== value) throw new StoredPositionError(where, value);
    return n;
  }
  if (typeof value === 'bigint') {
    if (value < -1n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new StoredPositionError(where, value);
    return Number(value);
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= -1) return value;
  // A MongoDB Long (legacy rows written as 64-bit integers) converts through its decimal text.
  if (isLong(value)) return positionFromStored(value.toString(), where);
  throw new StoredPositionError(where, value);
}

function isLong(value: unknown): value is { toString(): string } {
  return typeof value === 'object' && value !== null && (value as { _bsontype?: unknown })._bsontype === 'Long';
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
