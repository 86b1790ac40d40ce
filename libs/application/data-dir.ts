import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Owner-only modes of the data directory: the log, read models, outbox and keys are nobody else's business. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

/**
 * Creates the data directory 0700 if missing and tightens what is already there: every directory to 0700,
 * every file to 0600 (SQLite files with their -wal/-shm, outbox messages). Returns the paths it tightened so
 * the caller can say so; a path it cannot tighten (another owner) stops the start with a clear error.
 * Symbolic links are neither followed nor changed.
 */
export function secureDataDir(dir: string): string[] {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const tightened: string[] = [];
  const walk = (path: string, isDir: boolean) => {
    const want = isDir ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    const mode = lstatSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      try {
        chmodSync(path, mode & want);
      } catch (err) {
        throw new DataDirError(`Cannot restrict ${path} to mode ${want.toString(8)} (is it owned by another user?): ${(err as Error).message}`);
      }
      tightened.push(path);
    }
    if (!isDir) return;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(path, entry.name), true);
      else if (entry.isFile()) walk(join(path, entry.name), false);
    }
  };
  walk(dir, true);
  return tightened;
}

/** A private directory inside the data directory (0700 even under a permissive umask). */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, (lstatSync(dir).mode & 0o777) & PRIVATE_DIR_MODE);
}

/**
 * Creates `path` 0600 before a driver opens it. SQLite gives its -wal and -shm files the mode of the
 * database file, so the whole unit stays owner-only.
 */
export function privateFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  const mode = lstatSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) chmodSync(path, mode & PRIVATE_FILE_MODE);
}
