import { parseDate, type CalendarDate } from '../../../domain/shared/dates';
import { invalid } from '../../../domain/shared/errors';
import { isCurrency, parseAmount } from '../../../domain/shared/money';
import type { FieldCondition, Filter } from '../../../read-store/read-store.port';

/** The query string of a list request, as Express parses it (a repeated parameter arrives as an array). */
export type ListParams = Record<string, unknown>;

/** Parameters every list takes besides its filters. */
export const PAGING_PARAMS = ['limit', 'cursor', 'sort'] as const;

/**
 * Reads a list's filters from the query string, refusing what it does not know: a misspelt filter
 * (`?stauts=paid`) answers 400 with the parameter, never an unfiltered list that looks like an answer.
 */
export class ListFilterReader {
  constructor(private readonly params: ListParams, allowed: readonly string[]) {
    for (const [name, value] of Object.entries(params)) {
      if (!allowed.includes(name) && !(PAGING_PARAMS as readonly string[]).includes(name)) {
        throw invalid('QUERY_PARAMETER_UNKNOWN', `Unknown query parameter ${name}; this list takes ${[...allowed, ...PAGING_PARAMS].join(', ')}`, name, { allowed: [...allowed, ...PAGING_PARAMS] });
      }
      if (typeof value !== 'string') throw invalid('QUERY_PARAMETER_REPEATED', `${name} must be given once, as text`, name);
    }
  }

  text(name: string, max = 100): string | undefined {
    const v = this.params[name];
    if (v === undefined || v === '') return undefined;
    const s = String(v).trim();
    if (s.length > max) throw invalid('QUERY_PARAMETER_TOO_LONG', `${name} is at most ${max} characters`, name, { max });
    return s === '' ? undefined : s;
  }

  date(name: string): CalendarDate | undefined {
    const v = this.text(name, 10);
    return v === undefined ? undefined : parseDate(v, name);
  }

  currency(name = 'currency'): string | undefined {
    const v = this.text(name, 3);
    if (v !== undefined && !isCurrency(v)) throw invalid('CURRENCY_UNKNOWN', `Unknown currency ${v}`, name, { currency: v });
    return v;
  }

  bool(name: string): boolean | undefined {
    const v = this.text(name, 5);
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false') throw invalid('QUERY_PARAMETER_INVALID', `${name} must be true or false`, name);
    return v === 'true';
  }

  /** Comma-separated values from a closed set. */
  oneOf<T extends string>(name: string, allowed: readonly T[]): T[] | undefined {
    const v = this.text(name, 200);
    if (v === undefined) return undefined;
    const values = v.split(',').map((s) => s.trim());
    for (const s of values) {
      if (!(allowed as readonly string[]).includes(s)) throw invalid('QUERY_PARAMETER_INVALID', `${name} must be among ${allowed.join(', ')} (comma-separated)`, name, { allowed });
    }
    return [...new Set(values)] as T[];
  }

  /**
   * A decimal amount range in the list's currency (minor units): amounts of different currencies do not
   * compare, so a range needs `currency`.
   */
  amountRange(min: string, max: string, currency: string | undefined): FieldCondition | undefined {
    const lo = this.text(min, 30);
    const hi = this.text(max, 30);
    if (lo === undefined && hi === undefined) return undefined;
    if (currency === undefined) {
      throw invalid('CURRENCY_REQUIRED', `${lo !== undefined ? min : max} needs currency: amounts of different currencies do not compare`, 'currency');
    }
    const cond: { $gte?: number; $lte?: number } = {};
    if (lo !== undefined) cond.$gte = parseAmount(lo, currency, min);
    if (hi !== undefined) cond.$lte = parseAmount(hi, currency, max);
    if (cond.$gte !== undefined && cond.$lte !== undefined && cond.$gte > cond.$lte) {
      throw invalid('AMOUNT_RANGE_INVALID', `${min} must not exceed ${max}`, min);
    }
    return cond;
  }

  /** An inclusive date range on one field from `from`/`to`. */
  dateRange(from = 'from', to = 'to'): FieldCondition | undefined {
    const lo = this.date(from);
    const hi = this.date(to);
    if (lo === undefined && hi === undefined) return undefined;
    if (lo !== undefined && hi !== undefined && lo > hi) throw invalid('DATE_RANGE_INVALID', `${from} must not be after ${to}`, from);
    return { ...(lo !== undefined ? { $gte: lo } : {}), ...(hi !== undefined ? { $lte: hi } : {}) };
  }
}

/** Drops undefined conditions (the read stores ignore them, but the cursor's fingerprint should not depend on them). */
export function compact(filter: Record<string, FieldCondition | Filter[] | undefined>): Filter {
  const out: Filter = {};
  for (const [k, v] of Object.entries(filter)) if (v !== undefined) out[k] = v;
  return out;
}
