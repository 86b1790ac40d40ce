import type { Freshness } from '../../../../libs/application/read-models';
import { CliExit, EXIT, invalidOption, type Io } from '../io';

/** Runs an action and records its exit code (set by main). */
export type Runner = (action: () => Promise<unknown>) => Promise<void>;

/** Exit 6 (after the output) when the read models had not caught up with the log. */
export function staleWarning(io: Io, f: Freshness): void {
  if (f.fresh) return;
  io.err(`Warning: read models had not reached log position ${f.position} within AR_READ_WAIT_MS; the answer may be stale\n`);
  throw new CliExit(EXIT.stale);
}

export function positiveInt(name: string) {
  return (value: string): number => {
    if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw invalidOption(`${name} must be a positive whole number, got "${value}"`);
    return Number(value);
  };
}

export function nonNegativeInt(name: string) {
  return (value: string): number => {
    if (!/^\d{1,15}$/.test(value)) throw invalidOption(`${name} must be a whole number of zero or more, got "${value}"`);
    return Number(value);
  };
}

export function bucketList(value: string): number[] {
  if (!/^\d{1,5}(,\d{1,5})*$/.test(value)) throw invalidOption(`--buckets must be increasing day counts such as 30,60,90, got "${value}"`);
  return value.split(',').map(Number);
}
