/**
 * Port: the customers' data keys (ADR 0082), beside the log and never in it: destroying a key is what erases
 * the personal fields sealed with it. Bound by DATA_KEY_STORE; SQLite file by default, MongoDB with the Mongo
 * read store. One shared contract suite (test/contract/data-key-store.contract-spec.ts).
 */
export const DATA_KEY_STORE = Symbol('DATA_KEY_STORE');

export type DataKey =
  | { status: 'active'; key: Buffer; createdAt: string }
  | { status: 'destroyed'; destroyedAt: string };

export interface DataKeyStore {
  /** The key, its tombstone once destroyed, or null when there never was one. */
  get(customerId: string): Promise<DataKey | null>;
  /**
   * Stores `candidate` as the customer's key unless one exists; returns the key in force (the first one written
   * wins a race). Refuses (KeyDestroyedError) once the customer's key was destroyed: nothing is sealed for it again.
   */
  create(customerId: string, candidate: Buffer, at: string): Promise<Buffer>;
  /**
   * `create` for many ids in one durable write (a statement's entries, ADR 0090): each candidate is stored unless
   * its id has a key or a tombstone already (kept as they are). Read the keys in force with `get`.
   */
  createMany(candidates: ReadonlyArray<{ id: string; key: Buffer }>, at: string): Promise<void>;
  /** Destroys the key for good, keeping a tombstone (who was erased, when). Idempotent. */
  destroy(customerId: string, at: string): Promise<void>;
  close(): Promise<void>;
}

export class KeyDestroyedError extends Error {
  constructor(readonly customerId: string, readonly destroyedAt: string) {
    super(`The data key of customer ${customerId} was destroyed on ${destroyedAt}`);
    this.name = 'KeyDestroyedError';
  }
}
