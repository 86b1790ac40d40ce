import { createHash } from 'node:crypto';
import { invalid } from '../../../domain/shared/errors';
import type { Doc, Filter, ReadStore } from '../../../read-store/read-store.port';
import type { ListSpec } from '../../../../projections/lists/list-spec';

export type { ListSpec };

/**
 * Cursor (keyset) pagination over one read-model collection (ADR 0069). A page is sorted by one indexed
 * field, ties broken by the document's id, so the order is total and stable; the cursor carries the last
 * row's (value, id) and the next page starts strictly after it. A row inserted between two pages therefore
 * never shifts the rows already seen nor repeats one (it appears on a later page if it sorts after the cursor).
 */
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 500;


export interface PageRequest {
  limit: number;
  /** `field` ascending, `-field` descending (a public name from the spec). */
  sort: string;
  cursor: string | null;
}

export interface Page<T = Doc> {
  items: T[];
  /** Cursor of the following page; null on the last. */
  next: string | null;
  /** Documents matching the filter (all pages). */
  total: number;
}

interface CursorBody {
  s: string;
  f: string;
  v: string | number;
  id: string;
}

/** Validates `limit`, `sort` and `cursor` as sent on the query string (400 with the field when wrong). */
export function pageRequest(spec: ListSpec, query: { limit?: unknown; sort?: unknown; cursor?: unknown }): PageRequest {
  let limit = DEFAULT_PAGE_LIMIT;
  if (query.limit !== undefined && query.limit !== '') {
    const text = String(query.limit);
    if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > MAX_PAGE_LIMIT) {
      throw invalid('LIMIT_INVALID', `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}`, 'limit', { max: MAX_PAGE_LIMIT });
    }
    limit = Number(text);
  }
  const sort = query.sort === undefined || query.sort === '' ? spec.defaultSort : String(query.sort);
  if (!(sort.replace(/^-/, '') in spec.sorts)) {
    throw invalid('SORT_INVALID', `sort must be one of ${Object.keys(spec.sorts).join(', ')}, optionally prefixed with - (descending)`, 'sort', { allowed: Object.keys(spec.sorts) });
  }
  const cursor = query.cursor === undefined || query.cursor === '' ? null : String(query.cursor);
  return { limit, sort, cursor };
}

/** A stable digest of the filter: a cursor is only valid with the filter and sort it was made for. */
function fingerprint(filter: Filter): string {
  return createHash('sha256').update(canonical(filter)).digest('base64url').slice(0, 16);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function encodeCursor(body: CursorBody): string {
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

function decodeCursor(text: string, sort: string, filterPrint: string): CursorBody {
  const bad = (why: string) => invalid('CURSOR_INVALID', `cursor ${why}: start again without a cursor`, 'cursor');
  let body: Partial<CursorBody>;
  try {
    body = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<CursorBody>;
  } catch {
    throw bad('is not one this API issued');
  }
  if (body === null || typeof body !== 'object' || typeof body.s !== 'string' || typeof body.f !== 'string' || typeof body.id !== 'string'
    || (typeof body.v !== 'string' && typeof body.v !== 'number')) throw bad('is not one this API issued');
  if (body.s !== sort || body.f !== filterPrint) throw bad('was issued for another sort or other filters');
  return body as CursorBody;
}

/**
 * One page of `collection` matching `filter`, in the requested order. Reads `limit + 1` documents to know
 * whether a next page exists; counts the matches (an indexed count: cheap on both stores).
 */
export async function readPage(
  store: Pick<ReadStore, 'find' | 'count'>, collection: string, spec: ListSpec, filter: Filter, request: PageRequest,
  /** What the cursor is bound to, when the filter depends on data (e.g. the customers a text names): the request's parameters. */
  bindTo?: Record<string, unknown>,
): Promise<Page> {
  const descending = request.sort.startsWith('-');
  const field = spec.sorts[request.sort.replace(/^-/, '')];
  const dir = descending ? -1 : 1;
  const print = fingerprint((bindTo ?? filter) as Filter);
  let where: Filter = filter;
  if (request.cursor !== null) {
    const after = decodeCursor(request.cursor, request.sort, print);
    // Strictly after (value, id) in this order; the first term alone bounds the index range.
    const keyset: Filter = descending
      ? { $and: [{ [field]: { $lte: after.v } }, { $or: [{ [field]: { $lt: after.v } }, { [spec.idField]: { $lt: after.id } }] }] }
      : { $and: [{ [field]: { $gte: after.v } }, { $or: [{ [field]: { $gt: after.v } }, { [spec.idField]: { $gt: after.id } }] }] };
    where = { $and: [filter, keyset] };
  }
  const [docs, total] = await Promise.all([
    store.find(collection, where, { sort: [[field, dir], [spec.idField, dir]], limit: request.limit + 1 }),
    store.count(collection, filter),
  ]);
  const items = docs.slice(0, request.limit);
  let next: string | null = null;
  if (docs.length > request.limit) {
    const last = items[items.length - 1];
    const v = last[field];
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`Sort field ${field} of ${collection} must be a string or a number, got ${JSON.stringify(v)}`);
    next = encodeCursor({ s: request.sort, f: print, v, id: String(last[spec.idField]) });
  }
  return { items, next, total };
}

/**
 * The same pagination over rows computed at query time (the aging's detail depends on its as-of date, so it
 * is no stored order): `rows` sorted by `key` (a tuple of strings, compared element by element, unique per
 * row); the cursor carries the last row's tuple, bound to `context` (the parameters the rows depend on).
 */
export function pageOfRows<T>(rows: readonly T[], key: (row: T) => readonly string[], context: Record<string, unknown>, query: { limit?: unknown; cursor?: unknown }): Page<T> {
  const request = pageRequest({ idField: '', sorts: { key: '' }, defaultSort: 'key' }, { limit: query.limit, cursor: query.cursor });
  const print = fingerprint(context as Filter);
  let start = 0;
  if (request.cursor !== null) {
    const after = decodeCursor(request.cursor, 'key', print);
    let tuple: unknown;
    try {
      tuple = JSON.parse(String(after.v));
    } catch {
      tuple = null;
    }
    if (!Array.isArray(tuple) || !tuple.every((t) => typeof t === 'string')) throw invalid('CURSOR_INVALID', 'cursor is not one this API issued: start again without a cursor', 'cursor');
    start = rows.findIndex((row) => compareTuples(key(row), tuple as string[]) > 0);
    if (start < 0) start = rows.length;
  }
  const items = rows.slice(start, start + request.limit);
  const more = start + request.limit < rows.length;
  const last = items[items.length - 1];
  return { items, next: more && last !== undefined ? encodeCursor({ s: 'key', f: print, v: JSON.stringify(key(last)), id: '' }) : null, total: rows.length };
}

function compareTuples(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
