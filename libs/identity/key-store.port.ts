import type { Role } from './permissions';

/** Port: where API keys live, as hashes only. Bound by KEY_STORE in the identity module (ADR 0040). */
export const KEY_STORE = Symbol('KEY_STORE');

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  actOnBehalf: boolean;
  /** ISO-8601 UTC instants. */
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface KeyStore {
  /** Fails with KEY_NAME_TAKEN when an active key already has this name (names are the audit trail's actor). */
  insert(record: Omit<ApiKeyRecord, 'lastUsedAt' | 'revokedAt'>, hash: string): Promise<void>;
  /** The key with this hash, revoked or not; null when unknown. */
  findByHash(hash: string): Promise<ApiKeyRecord | null>;
  get(id: string): Promise<ApiKeyRecord | null>;
  list(): Promise<ApiKeyRecord[]>;
  /** Marks it revoked (first revocation wins); false when the id is unknown. */
  revoke(id: string, at: string): Promise<boolean>;
  touch(id: string, at: string): Promise<void>;
  /** Removes a key whose creation could not be recorded in the log (never used otherwise). */
  remove(id: string): Promise<void>;
  close(): Promise<void>;
}
