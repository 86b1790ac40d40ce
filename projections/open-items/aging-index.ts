/**
 * What the aging reads of each candidate (`find` with `fields`): not the whole document. The open-items
 * projection declares AGING_INDEX, which carries exactly these, so the SQLite store answers from the index.
 */
export const AGING_FIELDS: readonly string[] = ['customerId', 'currency', 'issueDate', 'dueDate', 'total', 'movements', 'closedOn'];

/** Keyed by the aging filter's fields (closedOn first: its range is the selective one for recent dates). */
export const AGING_INDEX = { fields: ['closedOn', 'issueDate'], include: AGING_FIELDS } as const;
