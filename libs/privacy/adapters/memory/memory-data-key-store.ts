import { KeyDestroyedError, type DataKey, type DataKeyStore } from '../../data-key-store.port';

/** In memory, for benchmarks and unit tests: the contract suite runs on it beside SQLite and MongoDB. */
export class MemoryDataKeyStore implements DataKeyStore {
  private readonly keys = new Map<string, DataKey>();

  async get(customerId: string): Promise<DataKey | null> {
    const k = this.keys.get(customerId);
    return k === undefined ? null : k.status === 'active' ? { ...k, key: Buffer.from(k.key) } : { ...k };
  }

  async create(customerId: string, candidate: Buffer, at: string): Promise<Buffer> {
    const k = this.keys.get(customerId) ?? { status: 'active' as const, key: Buffer.from(candidate), createdAt: at };
    this.keys.set(customerId, k);
    if (k.status === 'destroyed') throw new KeyDestroyedError(customerId, k.destroyedAt);
    return Buffer.from(k.key);
  }

  async createMany(candidates: ReadonlyArray<{ id: string; key: Buffer }>, at: string): Promise<void> {
    for (const c of candidates) if (!this.keys.has(c.id)) this.keys.set(c.id, { status: 'active', key: Buffer.from(c.key), createdAt: at });
  }

  async destroy(customerId: string, at: string): Promise<void> {
    const k = this.keys.get(customerId);
    if (k?.status !== 'destroyed') this.keys.set(customerId, { status: 'destroyed', destroyedAt: at });
  }

  async close(): Promise<void> {}
}
