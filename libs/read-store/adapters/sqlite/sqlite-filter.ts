import type { FieldCondition, Filter, FindOptions } from '../../read-store.port';

/**
 * Translates the port's Filter subset to SQL over `json_extract(doc, '$.field')`. The expression text is
 * exactly the one `ensureIndexes` indexes, so SQLite's planner can use the expression indexes.
 */
export interface SqlWhere {
  sql: string;
  params: unknown[];
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RANGE_OPS: Record<string, string> = { $lt: '<', $lte: '<=', $gt: '>', $gte: '>=' };

export function assertField(field: string): string {
  if (!FIELD.test(field)) throw new Error(`Invalid field name for the read store: ${JSON.stringify(field)}`);
  return field;
}

export function fieldExpr(field: string): string {
  return `json_extract(doc, '$.${assertField(field)}')`;
}

/**
 * The field as JSON text (`->`): strings quoted, numbers, arrays and objects as minified JSON, NULL when
 * absent. What `find` with `fields` selects, and what compound indexes carry, so the two match exactly.
 */
export function jsonFieldExpr(field: string): string {
  return `(doc -> '$.${assertField(field)}')`;
}

/** JSON true/false come out of json_extract as 1/0. */
function bindable(value: unknown, field: string): string | number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new Error(`Unsupported value in filter on ${field}: ${typeof value}`);
}

function eq(expr: string, value: unknown, field: string, out: SqlWhere[]): void {
  if (value === null) out.push({ sql: `${expr} IS NULL`, params: [] });
  else out.push({ sql: `${expr} = ?`, params: [bindable(value, field)] });
}

function condition(field: string, cond: FieldCondition, out: SqlWhere[]): void {
  const expr = fieldExpr(field);
  if (cond === null || typeof cond !== 'object') return eq(expr, cond, field, out);
  for (const [op, value] of Object.entries(cond)) {
    if (value === undefined) continue;
    if (op === '$eq') eq(expr, value, field, out);
    else if (op === '$ne') {
      if (value === null) out.push({ sql: `${expr} IS NOT NULL`, params: [] });
      // IS NOT: a missing field is "not equal" too, as in MongoDB.
      else out.push({ sql: `${expr} IS NOT ?`, params: [bindable(value, field)] });
    } else if (op in RANGE_OPS) {
      if (value === null) out.push({ sql: '0', params: [] });
      else {
        // A number bound takes numbers only: SQLite orders every TEXT (a string, an array's JSON) above every number,
        // so `$gt: 5` would match every string. typeof() of the indexed expression is read from the index. A string
        // bound is left as SQLite compares it (numbers below every string, MongoDB's translation does the same):
        // the date ranges of the aging stay a plain covering-index range (a typeof() there cost ~10 % in the bench).
        if (typeof value !== 'number' && typeof value !== 'string') throw new Error(`Unsupported range bound in filter on ${field}: ${typeof value}`);
        if (typeof value === 'number') out.push({ sql: `(${expr} ${RANGE_OPS[op]} ? AND typeof(${expr}) IN ('integer', 'real'))`, params: [value] });
        else out.push({ sql: `${expr} ${RANGE_OPS[op]} ?`, params: [value] });
      }
    } else if (op === '$in') {
      if (!Array.isArray(value)) throw new Error(`$in on ${field} needs an array`);
      const values = value.filter((v) => v !== null).map((v) => bindable(v, field));
      const parts: string[] = [];
      if (values.length > 0) parts.push(`${expr} IN (${values.map(() => '?').join(',')})`);
      if (values.length < value.length) parts.push(`${expr} IS NULL`);
      out.push({ sql: parts.length === 0 ? '0' : parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`, params: values });
    } else if (op === '$contains') {
      if (typeof value !== 'string') throw new Error(`$contains on ${field} needs a string`);
      // Both sides folded by the same JS function (registered on the connection as ar_fold): same matches as MongoDB's.
      out.push({ sql: `instr(ar_fold(${expr}), ?) > 0`, params: [foldText(value)] });
    } else throw new Error(`Unsupported filter operator ${op} on ${field}`);
  }
}

/** Case folding used by `$contains`: Unicode lower case. Non-strings fold to NULL (never contain text). */
export function foldText(value: unknown): string | null {
  return typeof value === 'string' ? value.toLowerCase() : null;
}

function conjunction(filter: Filter, out: SqlWhere[]): void {
  for (const [field, cond] of Object.entries(filter)) {
    if (cond === undefined) continue;
    if (field === '$or' || field === '$and') {
      if (!Array.isArray(cond)) throw new Error(`${field} needs an array of filters`);
      const branches = (cond as Filter[]).map((f) => {
        const parts: SqlWhere[] = [];
        conjunction(f, parts);
        return parts.length === 0 ? { sql: '1', params: [] } : { sql: `(${parts.map((p) => p.sql).join(' AND ')})`, params: parts.flatMap((p) => p.params) };
      });
      // An empty $or matches nothing, an empty $and everything (as MongoDB would, were it to accept them).
      if (branches.length === 0) out.push({ sql: field === '$or' ? '0' : '1', params: [] });
      else out.push({ sql: `(${branches.map((b) => b.sql).join(field === '$or' ? ' OR ' : ' AND ')})`, params: branches.flatMap((b) => b.params) });
      continue;
    }
    if (Array.isArray(cond)) throw new Error(`Unsupported array condition on ${field}`);
    condition(field, cond as FieldCondition, out);
  }
}

export function whereClause(filter: Filter): SqlWhere {
  const parts: SqlWhere[] = [];
  conjunction(filter, parts);
  if (parts.length === 0) return { sql: '', params: [] };
  return { sql: ` WHERE ${parts.map((p) => p.sql).join(' AND ')}`, params: parts.flatMap((p) => p.params) };
}

export function orderLimit(options: FindOptions | undefined, params: unknown[]): string {
  let sql = '';
  if (options?.sort && options.sort.length > 0) {
    const terms = options.sort.map(([field, dir]) => {
      if (dir !== 1 && dir !== -1) throw new Error(`Invalid sort direction on ${field}`);
      return `${fieldExpr(field)} ${dir === 1 ? 'ASC' : 'DESC'}`;
    });
    sql += ` ORDER BY ${terms.join(', ')}`;
  }
  if (options?.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit < 0) throw new Error('limit must be a non-negative integer');
    sql += ' LIMIT ?';
    params.push(options.limit);
  }
  return sql;
}
