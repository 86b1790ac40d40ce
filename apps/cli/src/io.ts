import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { ConfigError } from '../../../libs/application/config';
import { DomainError } from '../../../libs/domain/shared/errors';

/**
 * Exit codes scripts can rely on (also in README and docs/operations.md).
 * 0 done; 1 unexpected failure; 2 usage error or invalid configuration; 3 verification failed (broken hash
 * chain, projection differs from a rebuild); 4 not found; 5 refused by a business rule or a conflict;
 * 6 answered, but the read models had not caught up with the log within AR_READ_WAIT_MS.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, verificationFailed: 3, notFound: 4, refused: 5, stale: 6 } as const;

/** Where the CLI writes: stdout for results, stderr for progress, warnings and errors. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Progress bars only on a terminal. */
  readonly isTTY: boolean;
  readonly errStream: NodeJS.WriteStream;
}

export const processIo: Io = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
  get isTTY() { return Boolean(process.stderr.isTTY); },
  errStream: process.stderr,
};

/** Thrown by commands to end with a specific exit code after their output. */
export class CliExit extends Error {
  constructor(readonly code: number, message = '') {
    super(message);
  }
}

export interface OutputOptions {
  json?: boolean;
  csv?: boolean;
}

/** One result in three shapes: a table for people, JSON or CSV for machines. */
export interface Rendered {
  json: unknown;
  head: string[];
  rows: Array<Array<string | number | null>>;
  /** Lines printed before / after the table (people only). */
  before?: string[];
  after?: string[];
}

export function emit(io: Io, o: OutputOptions, r: Rendered): void {
  if (o.json) { io.out(JSON.stringify(r.json, null, 2) + '\n'); return; }
  if (o.csv) { io.out(stringify([r.head, ...r.rows.map((row) => row.map((c) => (c === null ? '' : String(c))))])); return; }
  for (const line of r.before ?? []) io.out(line + '\n');
  io.out(table(r.head, r.rows) + '\n');
  for (const line of r.after ?? []) io.out(line + '\n');
}

/** The table `emit` draws for people. */
export function table(head: string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const row of rows) t.push(row.map((c) => (c === null ? '' : String(c))));
  return t.toString();
}

/** Maps a failure to its message on stderr and its exit code. */
export function failure(io: Io, error: unknown): number {
  if (error instanceof CliExit) {
    if (error.message) io.err(error.message + '\n');
    return error.code;
  }
  if (error instanceof ConfigError) { io.err(error.message + '\n'); return EXIT.usage; }
  if (error instanceof DomainError) {
    io.err(`${error.code}: ${error.message}${Object.keys(error.details).length ? ' ' + JSON.stringify(error.details) : ''}\n`);
    return error.kind === 'invalid' ? EXIT.usage : error.kind === 'not_found' ? EXIT.notFound : EXIT.refused;
  }
  io.err(`Failed: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.failure;
}

/** A bad option value: usage error (exit 2). */
export function invalidOption(message: string): CliExit {
  return new CliExit(EXIT.usage, message);
}
