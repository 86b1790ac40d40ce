import type { EventStore } from '../../event-store/event-store.port';
import { logBatches } from '../../event-store/log-batches';
import { payerKeyOf, type PersonalData } from './personal-data';

/**
 * After a restore of the key store from a backup older than some erasures, their keys are back. The log keeps
 * every `CustomerErased`: destroying the key of each erased customer again restores the erasures (ADR 0082), and
 * every `BankEntryPayerErased` the key of each bank entry erased with its customer (ADR 0090).
 * Idempotent; returns the customers (and `bankentry~<entryId>` keys) found active and destroyed again.
 */
export async function reapplyErasures(store: EventStore, pii: PersonalData, at: string): Promise<{ erased: number; restoredKeysDestroyed: string[] }> {
  const erased = new Set<string>();
  const entries = new Set<string>();
  for await (const batch of logBatches(store, -1, 10_000)) {
    for (const e of batch) {
      if (e.type === 'CustomerErased' && typeof e.data.customerId === 'string') erased.add(e.data.customerId);
      if (e.type === 'BankEntryPayerErased' && typeof e.data.entryId === 'string') entries.add(payerKeyOf(e.data.entryId));
    }
  }
  const destroyed: string[] = [];
  for (const customerId of [...erased].sort().concat([...entries].sort())) {
    if ((await pii.keyStatus(customerId)) !== 'destroyed') destroyed.push(customerId);
    await pii.destroy(customerId, at);
  }
  return { erased: erased.size, restoredKeysDestroyed: destroyed };
}
