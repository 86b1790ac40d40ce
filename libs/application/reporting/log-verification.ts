import { hash } from 'node:crypto';
import { DomainError } from '../../domain/shared/errors';
import type { EventStore } from '../../event-store/event-store.port';
import { canonicalJson, ChainVerifier, type ChainBreak } from '../../event-store/hash-chain';
import { logBatches } from '../../event-store/log-batches';
import { WorkflowTracker, type WorkflowCompleteness } from './workflow-orphans';

/** The last event of one stream: what an auditor keeps, out of the engine's reach, to check the log later. */
export interface StreamHead {
  streamId: string;
  revision: number;
  hash: string;
  position: number;
}

export const HEADS_FORMAT = 'ar-stream-heads/1';

/**
 * Every stream's head as of `headPosition`, sorted by stream id, and `digest` = sha-256 of the canonical JSON
 * of `heads`: a file whose heads were edited no longer matches its digest.
 */
export interface HeadsFile {
  format: typeof HEADS_FORMAT;
  headPosition: number;
  streams: number;
  digest: string;
  heads: StreamHead[];
}

const digestOf = (heads: readonly StreamHead[]) => hash('sha256', canonicalJson(heads), 'hex');

/** Reads the whole log once (in batches) and records every stream's last event (ADR 0029). */
export async function exportHeads(store: EventStore, batchSize = 10_000): Promise<HeadsFile> {
  const heads = new Map<string, StreamHead>();
  let after = -1;
  for await (const batch of logBatches(store, -1, batchSize)) {
    for (const e of batch) heads.set(e.streamId, { streamId: e.streamId, revision: e.revision, hash: e.metadata.hash, position: e.position });
    after = batch[batch.length - 1].position;
  }
  const list = [...heads.values()].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  return { format: HEADS_FORMAT, headPosition: after, streams: list.length, digest: digestOf(list), heads: list };
}

/** A heads file as written by `exportHeads`, checked (shape and digest) before it is trusted for anything. */
export function parseHeadsFile(text: string, source: string): HeadsFile {
  const bad = (why: string) => new DomainError('HEADS_FILE_INVALID', `${source}: ${why}`, { field: 'heads', source }, 'invalid');
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  const f = file as Partial<HeadsFile>;
  if (f === null || typeof f !== 'object' || f.format !== HEADS_FORMAT) throw bad(`not a ${HEADS_FORMAT} file`);
  if (!Array.isArray(f.heads) || typeof f.digest !== 'string' || typeof f.headPosition !== 'number') throw bad('heads, digest or headPosition missing');
  for (const h of f.heads) {
    if (typeof h?.streamId !== 'string' || !Number.isInteger(h.revision) || typeof h.hash !== 'string' || !Number.isInteger(h.position)) {
      throw bad('a head lacks streamId, revision, hash or position');
    }
  }
  if (digestOf(f.heads) !== f.digest) throw bad('its digest does not match its heads (the file was edited)');
  return f as HeadsFile;
}

export interface LogVerification {
  verified: boolean;
  events: number;
  streams: number;
  /** Heads of the file compared with the log (null: no file). */
  headsChecked: number | null;
  /**
   * The first problem met, in log order: a broken chain, or an event at a head's revision with another hash
   * (`anchor_mismatch`); after the whole log, a head's stream absent (`stream_missing`) or ending before the
   * head (`truncated`, `revision` = the first missing one) — those have no position in the log.
   */
  firstBreak: (ChainBreak & { position: number | null }) | null;
  /** With `workflows`: every workflow first step up to the process manager's checkpoint has its second (ADR 0047). */
  workflows?: WorkflowCompleteness;
}

/**
 * The auditor's check of the whole log: every stream's hash chain, and, with a heads file exported earlier,
 * that every head it lists is still in the log with the same hash. Reads the log once, in batches.
 */
export async function verifyLog(
  store: EventStore,
  heads: readonly StreamHead[] | null,
  options: { batchSize?: number; onBatch?: (position: number, events: number) => void; workflows?: { caughtUpTo: number } } = {},
): Promise<LogVerification> {
  const verifier = new ChainVerifier();
  const byStream = new Map((heads ?? []).map((h) => [h.streamId, h]));
  const tracker = options.workflows ? new WorkflowTracker(options.workflows.caughtUpTo) : null;
  const result = (firstBreak: LogVerification['firstBreak'], events: number): LogVerification => {
    const workflows = tracker?.result();
    const complete = workflows === undefined || workflows.orphans.length === 0;
    return {
      verified: firstBreak === null && complete, events, streams: verifier.streams, headsChecked: heads === null ? null : heads.length, firstBreak,
      ...(workflows ? { workflows } : {}),
    };
  };
  let events = 0;
  for await (const batch of logBatches(store, -1, options.batchSize ?? 10_000)) {
    for (const e of batch) {
      const broken = verifier.next(e);
      if (broken !== null) return result(broken, events);
      const head = byStream.get(e.streamId);
      if (head !== undefined && head.revision === e.revision && head.hash !== e.metadata.hash) {
        return result({ streamId: e.streamId, revision: e.revision, reason: 'anchor_mismatch', position: e.position }, events);
      }
      tracker?.next(e);
      events++;
    }
    options.onBatch?.(batch[batch.length - 1].position, events);
  }
  for (const head of heads ?? []) {
    const last = verifier.lastRevision(head.streamId);
    if (last === undefined) return result({ streamId: head.streamId, revision: 0, reason: 'stream_missing', position: null }, events);
    if (last < head.revision) return result({ streamId: head.streamId, revision: last + 1, reason: 'truncated', position: null }, events);
  }
  return result(null, events);
}
