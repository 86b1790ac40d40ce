import { invalid } from './errors';
import { isEntityId } from './ids';

/**
 * Shape checks shared by the deciders. Commands are typed, but they come from the edge:
 * decide re-checks what it relies on so that a bad command is refused, never folded into history.
 */

/** A non-blank string of at most `max` characters; codes `<PREFIX>_REQUIRED` / `<PREFIX>_TOO_LONG`. */
export function requireText(value: unknown, field: string, codePrefix: string, max = 200): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(`${codePrefix}_REQUIRED`, `${field} must be a non-empty string`, field);
  }
  if (value.length > max) {
    throw invalid(`${codePrefix}_TOO_LONG`, `${field} must be at most ${max} characters`, field, { max });
  }
  return value;
}

/** Integer minor units (or a count) of at least `min`; never a fraction, never beyond 2^53. */
export function requireInteger(value: unknown, field: string, code: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw invalid(code, `${field} must be an integer ${range}`, field, { min, ...(max === Number.MAX_SAFE_INTEGER ? {} : { max }) });
  }
  return value;
}

export function requireId(value: unknown, field: string): string {
  if (!isEntityId(value)) {
    throw invalid('ID_MALFORMED', `${field} must be 1-100 letters, digits, '_', '-' or '.'`, field);
  }
  return value;
}
