import { DomainError } from '../../domain/shared/errors';
import type { EventStore, StoredEvent } from '../../event-store/event-store.port';
import { chainEvents } from '../../event-store/hash-chain';
import { logBatches } from '../../event-store/log-batches';
import { exportHeads, type HeadsFile } from '../reporting/log-verification';
import { payerKeyOf, type PersonalData } from './personal-data';

export const PII_MIGRATION_FORMAT = 'ar-pii-migration/1';

/** One stream's head in the old log and in the new one: what ties the two chains together. */
export interface MigratedStream {
  streamId: string;
  revision: number;
  oldHash: string;
  newHash: string;
  /** Events of the stream whose personal fields were sealed by the migration. */
  sealed: number;
}

/**
 * The migration's record, written beside both logs (ADR 0083): each log's heads file (`ar verify --heads`
 * checks either log against its own), and per stream the old and new head side by side. Events keep their id,
 * type, metadata and order; only sealed fields and, from the first sealed event of a stream on, the hashes differ.
 */
export interface PiiMigrationRecord {
  format: typeof PII_MIGRATION_FORMAT;
  migratedAt: string;
  events: number;
  sealedEvents: number;
  old: HeadsFile;
  new: HeadsFile;
  streams: MigratedStream[];
}

/**
 * Bank entry events written before ADR 0090 (ADR 0091): the evidence of a v1 match or suggestion may quote the
 * payer's and the customer's names and the IBAN, so it is sealed whole with the entry's key; a v1 match gains the
 * keyed hash of its IBAN (`debtorIbanKey`) and becomes v2, so the IBAN is learned again after the rebuild. The
 * payer fields themselves are sealed by `pii.seal` like every personal field.
 */
async function upgradeBankEvent(e: StoredEvent, pii: PersonalData, ibanKey: (iban: string) => string, at: string): Promise<StoredEvent> {
  const version = e.metadata.schemaVersion ?? 1;
  if ((e.type !== 'BankEntryMatched' && e.type !== 'BankEntrySuggested') || version >= 2) return e;
  const entryId = String(e.data.entryId);
  const sealEvidence = async (evidence: unknown) => (Array.isArray(evidence) && evidence.length > 0 ? pii.sealValue(payerKeyOf(entryId), evidence, at) : evidence);
  if (e.type === 'BankEntrySuggested') {
    const candidates = Array.isArray(e.data.candidates) ? e.data.candidates as Array<Record<string, unknown>> : [];
    const sealed = [];
    for (const c of candidates) sealed.push({ ...c, evidence: await sealEvidence(c.evidence) });
    return { ...e, data: { ...e.data, candidates: sealed } };
  }
  const iban = typeof e.data.debtorIban === 'string' && e.data.debtorIban !== '' ? await pii.reveal<string>(e.data.debtorIban) : null;
  const debtorIbanKey = iban !== null && !iban.erased ? ibanKey(iban.value) : null;
  return { ...e, data: { ...e.data, evidence: await sealEvidence(e.data.evidence), debtorIbanKey }, metadata: { ...e.metadata, schemaVersion: 2 } };
}

/**
 * Copies the log `source` into the empty log `target`, with every personal field still in clear sealed by
 * `pii` (keys in the target's key store), bank entry events upgraded (ADR 0091) and every stream re-chained.
 * Reads the source only.
 */
export async function migratePii(source: EventStore, target: EventStore, pii: PersonalData, at: string, batchSize = 5_000): Promise<PiiMigrationRecord> {
  if ((await target.headPosition()) >= 0) {
    throw new DomainError('MIGRATION_TARGET_NOT_EMPTY', 'The target log already holds events: migrate into a new data directory', { field: 'to' }, 'conflict');
  }
  const heads = new Map<string, { revision: number; hash: string; oldHash: string; sealed: number }>();
  let events = 0;
  let sealedEvents = 0;
  let lastPosition = -1;
  const ibanKey = await pii.ibanKeyer(at);
  for await (const batch of logBatches(source, -1, batchSize)) {
    // Runs of one stream append together (one transaction), in log order.
    for (let i = 0; i < batch.length;) {
      let j = i;
      while (j < batch.length && batch[j].streamId === batch[i].streamId) j++;
      const run = batch.slice(i, j);
      const streamId = run[0].streamId;
      const upgraded: StoredEvent[] = [];
      for (const e of run) upgraded.push(await upgradeBankEvent(e, pii, ibanKey, at));
      const sealed = await pii.seal(upgraded, at);
      const last = heads.get(streamId) ?? null;
      const chained = chainEvents(streamId, last, sealed.map((e: StoredEvent) => {
        const { hash: _h, prevHash: _p, ...metadata } = e.metadata;
        return { id: e.id, type: e.type, data: e.data, metadata };
      }));
      await target.append(streamId, last ? last.revision : 'no_stream', chained);
      const changed = sealed.filter((e, k) => e !== run[k]).length;
      sealedEvents += changed;
      events += run.length;
      lastPosition = run[run.length - 1].position;
      const tail = chained[chained.length - 1];
      heads.set(streamId, { revision: run[run.length - 1].revision, hash: tail.metadata.hash, oldHash: run[run.length - 1].metadata.hash, sealed: (last?.sealed ?? 0) + changed });
      i = j;
    }
  }
  const [oldHeads, newHeads] = [await exportHeads(source), await exportHeads(target)];
  if (oldHeads.headPosition !== lastPosition) {
    throw new DomainError('MIGRATION_SOURCE_CHANGED', `The log grew during the migration (copied up to ${lastPosition}, now at ${oldHeads.headPosition}): stop the API and run it again into an empty directory`, { copiedTo: lastPosition, head: oldHeads.headPosition }, 'conflict');
  }
  const streams = [...heads.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([streamId, h]) => ({ streamId, revision: h.revision, oldHash: h.oldHash, newHash: h.hash, sealed: h.sealed }));
  return { format: PII_MIGRATION_FORMAT, migratedAt: at, events, sealedEvents, old: oldHeads, new: newHeads, streams };
}
