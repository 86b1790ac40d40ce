import type { FieldCondition, Filter } from '../../read-store.port';

/**
 * The port's Filter as a MongoDB filter matching exactly the documents the SQLite store matches
 * (libs/read-store/adapters/sqlite/sqlite-filter.ts, which compares `json_extract(doc, '$.field')`):
 *
 * - **Booleans are JSON's**: SQLite's json_extract gives true/false as 1/0, so `{flag: true}` matches true and 1
 *   there (and `{n: 1}` matches true); here it is `$in: [true, 1]`. Likewise `$ne` and `$in`. A range bound must
 *   be a number or a string on both stores: a number bound takes numbers (and booleans as 1/0) only; a string bound
 *   compares as SQLite does, every number and boolean below every string (so `$lt: 'x'` takes them in).
 *   Arrays never match a range here; in SQLite a string range may match an array's JSON text (filters on array
 *   fields are outside the port's contract beyond equality, `$ne` and `$in`).
 * - **Arrays are values, not sets**: json_extract gives an array as its JSON text, so a scalar condition never
 *   matches an array field in SQLite, where MongoDB would match any element: every scalar condition here excludes
 *   array-valued fields (`$not: {$type: 'array'}`), and `$ne` matches them (an array is not equal to a scalar).
 * - **null**: `{f: null}` and `$in: [null]` match a missing or null field on both; a range against null matches
 *   nothing on both.
 * - Numbers compare numerically (2 = 2.0) and strings lexically on both; a number never equals a string.
 *
 * Each field's condition becomes one or more clauses under `$and`.
 */
export function toMongoFilter(filter: Filter): Record<string, unknown> {
  const clauses: Record<string, unknown>[] = [];
  for (const [field, cond] of Object.entries(filter)) {
    if (cond === undefined) continue;
    if (field === '$or' || field === '$and') {
      const branches = (cond as Filter[]).map(toMongoFilter);
      // MongoDB refuses an empty $or/$and: an empty $or matches nothing, an empty $and everything (as in SQLite).
      if (branches.length === 0) { if (field === '$or') clauses.push({ _id: { $exists: false } }); continue; }
      clauses.push({ [field]: branches });
      continue;
    }
    fieldClauses(field, cond as FieldCondition, clauses);
  }
  if (clauses.length === 0) return {};
  return clauses.length === 1 ? clauses[0] : { $and: clauses };
}

const NOT_ARRAY = { $not: { $type: 'array' } };
const RANGE = new Set(['$lt', '$lte', '$gt', '$gte']);

/** Values equal to `value` under SQLite's JSON comparison. */
function equals(value: unknown, field: string): unknown[] {
  if (typeof value === 'boolean') return [value, value ? 1 : 0];
  if (value === 1 || value === 0) return [value, value === 1];
  if (typeof value === 'string' || typeof value === 'number') return [value];
  throw new Error(`Unsupported value in filter on ${field}: ${typeof value}`);
}

function eqClause(field: string, value: unknown): Record<string, unknown> {
  if (value === null) return { [field]: { $eq: null, ...NOT_ARRAY } };
  return { [field]: { $in: equals(value, field), ...NOT_ARRAY } };
}

function fieldClauses(field: string, cond: FieldCondition, out: Record<string, unknown>[]): void {
  if (cond === null || typeof cond !== 'object') {
    out.push(eqClause(field, cond));
    return;
  }
  for (const [op, value] of Object.entries(cond)) {
    if (value === undefined) continue;
    if (op === '$eq') out.push(eqClause(field, value));
    else if (op === '$ne') out.push({ $nor: [eqClause(field, value)] });
    else if (RANGE.has(op)) {
      if (value === null) {
        out.push({ _id: { $exists: false } }); // matches nothing, as in SQLite
        continue;
      }
      if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`Unsupported range bound in filter on ${field}: ${typeof value}`);
      const clause = { [field]: { [op]: value, ...NOT_ARRAY } };
      // JSON booleans are 1/0 to SQLite's json_extract, so a numeric range takes in those of them it bounds; and SQLite
      // orders every number (booleans included) below every string, so `$lt`/`$lte` a string takes them all in.
      const booleans = typeof value === 'number' ? [true, false].filter((b) => inRange(b ? 1 : 0, op, value)) : [];
      const belowString = typeof value === 'string' && (op === '$lt' || op === '$lte');
      if (belowString) out.push({ $or: [clause, { [field]: { $type: ['number', 'bool'] } }] });
      else out.push(booleans.length === 0 ? clause : { $or: [clause, { [field]: { $in: booleans } }] });
    } else if (op === '$contains') {
      // Text search (list endpoints, ADR 0069): case-insensitive substring of a string field.
      out.push({ [field]: { $type: 'string', $regex: escapeRegex(String(value)), $options: 'i' } });
    } else if (op === '$in') {
      if (!Array.isArray(value)) throw new Error(`$in on ${field} needs an array`);
      const values = value.filter((v) => v !== null).flatMap((v) => equals(v, field));
      const alternatives: Record<string, unknown>[] = [];
      if (values.length > 0) alternatives.push({ [field]: { $in: values, ...NOT_ARRAY } });
      if (value.some((v) => v === null)) alternatives.push({ [field]: { $eq: null, ...NOT_ARRAY } });
      if (alternatives.length === 0) out.push({ _id: { $exists: false } });
      else out.push(alternatives.length === 1 ? alternatives[0] : { $or: alternatives });
    } else throw new Error(`Unsupported filter operator ${op} on ${field}`);
  }
}

function inRange(n: number, op: string, bound: number): boolean {
  return op === '$lt' ? n < bound : op === '$lte' ? n <= bound : op === '$gt' ? n > bound : n >= bound;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
