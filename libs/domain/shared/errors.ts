/**
 * A command refused by a domain rule. `code` is stable (clients branch on it);
 * `details` carries the figures that explain the refusal.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** `rule` → 422, `not_found` → 404, `invalid` → 400, `conflict` → 409. */
    readonly kind: 'rule' | 'not_found' | 'invalid' | 'conflict' = 'rule',
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, field: string, details: Record<string, unknown> = {}) =>
  new DomainError(code, message, { field, ...details }, 'invalid');
