import { DomainError } from '../domain/shared/errors';
import type { EventStore, StoredEvent } from '../event-store/event-store.port';
import { logBatches } from '../event-store/log-batches';
import { exportHeads, verifyLog, type HeadsFile, type LogVerification } from './reporting/log-verification';

/**
 * Migration of the log off the embedded default (ADR 0067): every event of the source copied into the target in
 * the source's global order, with its id, type, data and metadata (hashes included) unchanged, each stream at the
 * same revisions. Resumable and idempotent: what the target already holds is checked (same id and hash at the same
 * revision) and skipped, so a run interrupted anywhere — even inside a batch — is completed by running it again,
 * and a second run over a finished migration copies only what the source gained since (the tail after a cut-over).
 */
export interface MigrationCheckpoint {
  format: 'ar-migration/1';
  /** The target, without credentials. */
  target: string;
  /** Source position of the last event known to be in the target: the next run reads after it. */
  afterPosition: number;
  copied: number;
  updatedAt: string;
}

export interface MigrationProgress {
  /** Source position reached, and the source's head when the run began (SQLite positions: counters). */
  position: number;
  head: number;
  copied: number;
  skipped: number;
}

export interface CopyOptions {
  batchSize?: number;
  /**
   * Write a batch as few all-or-nothing `appendMany` transactions as its streams allow (SQLite: one transaction each,
   * parts in order), so that a failure never leaves a later event in without an earlier one. Only for stores whose
   * appendMany is one transaction: EventStoreDB's records a plan first, so it gets one append after the other.
   */
  atomicBatches?: boolean;
  checkpoint?: { load(): MigrationCheckpoint | null; save(c: MigrationCheckpoint): void };
  targetName: string;
  onProgress?: (p: MigrationProgress) => void;
  now?: () => Date;
}

/** `copied` and `skipped` by this run. */
export interface CopyResult { copied: number; skipped: number; head: number; resumedAfter: number }

const diverged = (e: StoredEvent, why: string) => new DomainError(
  'MIGRATION_TARGET_DIVERGES',
  `The target's stream ${e.streamId} differs from the source at revision ${e.revision}: ${why}. Migrate into an empty target`,
  { field: 'to', streamId: e.streamId, revision: e.revision, eventId: e.id }, 'rule',
);

/** Consecutive events of one stream: appended together, as they were recorded. */
function runsOf(batch: readonly StoredEvent[]): StoredEvent[][] {
  const runs: StoredEvent[][] = [];
  for (const e of batch) {
    const last = runs[runs.length - 1];
    if (last && last[0].streamId === e.streamId) last.push(e);
    else runs.push([e]);
  }
  return runs;
}

export async function copyLog(source: EventStore, target: EventStore, options: CopyOptions): Promise<CopyResult> {
  const batchSize = options.batchSize ?? 2000;
  const now = options.now ?? (() => new Date());
  const saved = options.checkpoint?.load() ?? null;
  const resumedAfter = saved?.afterPosition ?? -1;
  const head = await source.headPosition();
  /** Last revision of each stream in the target (-1: absent), read once per stream, then kept up to date. */
  const revisions = new Map<string, number>();
  const lastRevision = async (streamId: string): Promise<number> => {
    let r = revisions.get(streamId);
    if (r === undefined) {
      const [last] = await target.readStream(streamId, { direction: 'backward', maxCount: 1 });
      r = last ? last.revision : -1;
      revisions.set(streamId, r);
    }
    return r;
  };
  /** Copied by this run; the checkpoint keeps the total over every run. */
  let copied = 0;
  const before = saved?.copied ?? 0;
  let skipped = 0;
  for await (const batch of logBatches(source, resumedAfter, batchSize)) {
    const appends: Array<{ streamId: string; expected: number; events: StoredEvent[] }> = [];
    /** Revisions this batch's appends will leave (a stream may come back later in the same batch). */
    const pending = new Map<string, number>();
    for (const run of runsOf(batch)) {
      const streamId = run[0].streamId;
      const known = pending.get(streamId) ?? await lastRevision(streamId);
      const present = run.filter((e) => e.revision <= known);
      if (present.length > 0) {
        const there = await target.readStream(streamId, { fromRevision: present[0].revision, maxCount: present.length });
        for (const [i, e] of present.entries()) {
          const t = there[i];
          if (!t || t.revision !== e.revision) throw diverged(e, 'the revision is missing');
          if (t.id !== e.id || t.metadata.hash !== e.metadata.hash) throw diverged(e, `another event is there (${t.id})`);
        }
        skipped += present.length;
      }
      const missing = run.filter((e) => e.revision > known);
      if (missing.length === 0) continue;
      if (missing[0].revision !== known + 1) throw diverged(missing[0], `the target stops at revision ${known}`);
      appends.push({ streamId, expected: known, events: missing });
      pending.set(streamId, missing[missing.length - 1].revision);
    }
    const write = (a: (typeof appends)[number]) => target.append(
      a.streamId, a.expected === -1 ? 'no_stream' : a.expected,
      a.events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
    );
    if (options.atomicBatches) {
      // Runs of distinct streams, each one all-or-nothing transaction in call order: a failure leaves no later event in.
      let segment: typeof appends = [];
      const flush = async () => {
        if (segment.length === 0) return;
        await target.appendMany(segment.map((a) => ({ streamId: a.streamId, expected: a.expected === -1 ? 'no_stream' : a.expected, events: a.events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })) })));
        segment = [];
      };
      for (const a of appends) {
        if (segment.some((x) => x.streamId === a.streamId)) await flush();
        segment.push(a);
      }
      await flush();
    } else for (const a of appends) await write(a);
    for (const a of appends) {
      revisions.set(a.streamId, a.events[a.events.length - 1].revision);
      copied += a.events.length;
    }
    const position = batch[batch.length - 1].position;
    options.checkpoint?.save({ format: 'ar-migration/1', target: options.targetName, afterPosition: position, copied: before + copied, updatedAt: now().toISOString() });
    options.onProgress?.({ position, head, copied, skipped });
  }
  return { copied, skipped, head, resumedAfter };
}

export interface MigrationCheck {
  verified: boolean;
  /** The target's own chains, and the source's heads found in it with the same hashes. */
  verification: LogVerification;
  sourceEvents: number;
  targetEvents: number;
  sourceStreams: number;
  targetStreams: number;
  /** Streams whose head (revision, hash) differs between source and target; positions are each store's own. */
  headsDiffering: string[];
}

/**
 * The migration's proof: the target's chains verify against the source's stream heads (`ar verify --heads`), the
 * two logs hold as many events and streams, and every stream ends on the same revision and hash.
 */
export async function checkMigration(source: EventStore, target: EventStore, sourceHeads?: HeadsFile): Promise<MigrationCheck> {
  const heads = sourceHeads ?? await exportHeads(source);
  const verification = await verifyLog(target, heads.heads);
  const targetHeads = await exportHeads(target);
  const byStream = new Map(targetHeads.heads.map((h) => [h.streamId, h]));
  const headsDiffering = heads.heads
    .filter((h) => { const t = byStream.get(h.streamId); return !t || t.revision !== h.revision || t.hash !== h.hash; })
    .map((h) => h.streamId);
  const sourceEvents = heads.heads.reduce((n, h) => n + h.revision + 1, 0);
  const targetEvents = verification.events;
  const ok = verification.verified && headsDiffering.length === 0 && sourceEvents === targetEvents && heads.streams === targetHeads.streams;
  return { verified: ok, verification, sourceEvents, targetEvents, sourceStreams: heads.streams, targetStreams: targetHeads.streams, headsDiffering };
}
