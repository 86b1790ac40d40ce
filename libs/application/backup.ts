import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../domain/shared/errors';
import { SqliteEventStore } from '../event-store/adapters/sqlite/sqlite-event-store';
import { exportHeads, parseHeadsFile, verifyLog, type LogVerification } from './reporting/log-verification';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './data-dir';

/**
 * Online backups of the embedded stores (ADR 0068): every SQLite file of the data directory copied with SQLite's
 * online backup API (better-sqlite3 `db.backup`) while the API goes on writing, the outbox copied, the log's stream
 * heads exported from the copy, and a manifest of sizes and sha-256 digests. Restore checks the digests, puts the
 * files in place (never beside a stale -wal/-shm) and verifies the restored log's chains against the heads.
 */
export const DATA_FILES = ['events.sqlite', 'read-models.sqlite', 'api-keys.sqlite', 'idempotency.sqlite', 'data-keys.sqlite'] as const;
export const BACKUP_FORMAT = 'ar-backup/1';
export const HEADS_FILE = 'heads.json';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  files: Array<{ name: string; bytes: number; sha256: string }>;
  outbox: boolean;
  heads: { file: typeof HEADS_FILE; streams: number; headPosition: number; digest: string };
}

export interface BackupProgress { file: string; totalPages: number; remainingPages: number }

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const refused = (code: string, message: string, details: Record<string, unknown>) => new DomainError(code, message, details, 'rule');

/**
 * Backs `dataDir` up into the new directory `dest` (written as `dest.partial`, renamed when complete). Each file is
 * copied in one backup step, so each copy is one consistent snapshot of its database (WAL readers never block the
 * API's writers). The files are snapshotted one after the other: the read models may be a little behind the log
 * in the copy, which the projector catches up after a restore.
 */
export async function backupDataDir(dataDir: string, dest: string, onProgress?: (p: BackupProgress) => void, now: () => Date = () => new Date()): Promise<BackupManifest> {
  if (!existsSync(join(dataDir, 'events.sqlite'))) throw refused('BACKUP_NO_LOG', `${dataDir} holds no events.sqlite: nothing to back up`, { field: 'AR_DATA_DIR', dataDir });
  if (existsSync(dest)) throw refused('BACKUP_EXISTS', `${dest} already exists: back up into a new directory`, { field: 'dir', dest });
  const partial = `${dest}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true, mode: PRIVATE_DIR_MODE });
  const files: BackupManifest['files'] = [];
  for (const name of DATA_FILES) {
    const source = join(dataDir, name);
    if (!existsSync(source)) continue;
    const db = new Database(source, { readonly: true, fileMustExist: true });
    try {
      await db.backup(join(partial, name), {
        // The first step only measures; the next copies every remaining page at once: one consistent snapshot.
        progress: (p) => { onProgress?.({ file: name, ...p }); return 0x7fffffff; },
      });
    } finally {
      db.close();
    }
    const copy = join(partial, name);
    chmodSync(copy, PRIVATE_FILE_MODE);
    const check = new Database(copy, { readonly: true, fileMustExist: true });
    try {
      const result = check.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw new Error(`the copy of ${name} fails SQLite's quick_check: ${String(result)}`);
    } finally {
      check.close();
    }
    onProgress?.({ file: name, totalPages: 1, remainingPages: 0 });
    files.push({ name, bytes: statSync(copy).size, sha256: await sha256(copy) });
  }
  const outbox = existsSync(join(dataDir, 'outbox'));
  if (outbox) cpSync(join(dataDir, 'outbox'), join(partial, 'outbox'), { recursive: true });
  const store = new SqliteEventStore({ path: join(partial, 'events.sqlite'), readonly: true });
  let heads;
  try {
    heads = await exportHeads(store);
  } finally {
    await store.close();
  }
  writeFileSync(join(partial, HEADS_FILE), JSON.stringify(heads, null, 2) + '\n', { mode: PRIVATE_FILE_MODE });
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT, createdAt: now().toISOString(), files, outbox,
    heads: { file: HEADS_FILE, streams: heads.streams, headPosition: heads.headPosition, digest: heads.digest },
  };
  writeFileSync(join(partial, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n', { mode: PRIVATE_FILE_MODE });
  renameSync(partial, dest);
  return manifest;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Where the files the restore replaced were moved (null when the data directory held none). */
  movedAside: string | null;
  verification: LogVerification;
}

/** Reads and checks a backup: its manifest, every file's digest, the heads file's own digest. */
export async function checkBackup(dir: string): Promise<BackupManifest> {
  const bad = (why: string) => refused('BACKUP_INVALID', `${dir}: ${why}`, { field: 'dir', dir });
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  } catch (err) {
    throw bad(`no readable manifest.json (${(err as Error).message})`);
  }
  if (manifest.format !== BACKUP_FORMAT || !Array.isArray(manifest.files)) throw bad(`not an ${BACKUP_FORMAT} backup`);
  if (!manifest.files.some((f) => f.name === 'events.sqlite')) throw bad('the backup has no events.sqlite');
  for (const f of manifest.files) {
    if (!(DATA_FILES as readonly string[]).includes(f.name)) throw bad(`unexpected file ${f.name} in the manifest`);
    const path = join(dir, f.name);
    if (!existsSync(path)) throw bad(`${f.name} is missing`);
    if ((await sha256(path)) !== f.sha256) throw bad(`${f.name} does not match its sha-256 in the manifest (damaged or edited)`);
  }
  const heads = parseHeadsFile(readFileSync(join(dir, HEADS_FILE), 'utf8'), join(dir, HEADS_FILE));
  if (heads.digest !== manifest.heads.digest) throw bad('heads.json is not the one the manifest names');
  return manifest;
}

/**
 * Restores a backup into `dataDir` (the API stopped). A data directory that already holds a log is refused unless
 * `force`: then its files (with their -wal/-shm) are moved aside into `pre-restore-<instant>/`, never deleted.
 * The restored log is verified (every chain, every head of the backup's heads.json) before this returns.
 */
export async function restoreDataDir(backup: string, dataDir: string, options: { force?: boolean; now?: () => Date } = {}): Promise<RestoreResult> {
  const manifest = await checkBackup(backup);
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const present = readdirSync(dataDir).filter((n) => DATA_FILES.some((f) => n === f || n === `${f}-wal` || n === `${f}-shm`) || n === 'outbox');
  if (present.includes('events.sqlite') && !options.force) {
    throw refused('RESTORE_WOULD_REPLACE', `${dataDir} already holds a log (events.sqlite): stop the API and restore with --force (the current files are moved aside, not deleted)`, { field: 'force', dataDir });
  }
  let movedAside: string | null = null;
  if (present.length > 0) {
    movedAside = join(dataDir, `pre-restore-${(options.now ?? (() => new Date()))().toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(movedAside, { mode: PRIVATE_DIR_MODE });
    for (const n of present) renameSync(join(dataDir, n), join(movedAside, n));
  }
  for (const f of manifest.files) {
    const tmp = join(dataDir, `${f.name}.restoring`);
    cpSync(join(backup, f.name), tmp);
    chmodSync(tmp, PRIVATE_FILE_MODE);
    renameSync(tmp, join(dataDir, f.name));
  }
  if (manifest.outbox && existsSync(join(backup, 'outbox'))) cpSync(join(backup, 'outbox'), join(dataDir, 'outbox'), { recursive: true });
  const heads = parseHeadsFile(readFileSync(join(backup, HEADS_FILE), 'utf8'), join(backup, HEADS_FILE));
  const store = new SqliteEventStore({ path: join(dataDir, 'events.sqlite'), readonly: true });
  try {
    return { manifest, movedAside, verification: await verifyLog(store, heads.heads) };
  } finally {
    await store.close();
  }
}
