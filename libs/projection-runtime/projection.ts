import type { ArEvent } from '../domain/events';
import type { CompoundIndex, ReadStore } from '../read-store/read-store.port';

/** What a projection sees of a stored event: the domain event plus where it sits in the log. */
export type ProjectedEvent = ArEvent & {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly metadata: {
    actor: string;
    recordedAt: string;
    commandId: string;
    correlationId: string;
    causationId: string;
    schemaVersion: number;
    prevHash: string;
    hash: string;
  };
  readonly id: string;
};

/**
 * A read model as a pure function over documents: for each event, the keys of the documents it
 * touches, and `evolve(doc | null, event) → doc | null` (null deletes). No clock, no I/O.
 */
export interface Projection<D extends Record<string, unknown> = Record<string, unknown>> {
  readonly name: string;
  /** Bump to rebuild beside the live version (blue/green). */
  readonly version: number;
  /** Top-level fields `find` filters or sorts on (one that leads a compound index gets no index of its own: ADR 0117). */
  readonly indexes: readonly string[];
  /** Compound indexes, e.g. one carrying every field a report reads (`find` with `fields`). Optional. */
  readonly compoundIndexes?: readonly CompoundIndex[];
  /**
   * Every event type `keysOf` may give a key for; for any other type it gives none, whatever the event. A rebuild
   * (or verify) then reads only these types from the log (ADR 0108). Absent: any event may count, the whole log is
   * read. Derive it from the same set or table `keysOf` tests, never write it out a second time.
   */
  readonly eventTypes?: ReadonlySet<string>;
  /**
   * True when every key `keysOf` gives is given by one event only (the event's position is part of it: an audit
   * entry, a journal entry, a ledger movement), so the document is built from that event alone: `evolve(null, e)`.
   * The runtime then never reads such a document back — no `getMany`, no filter of written keys, no live cache — and
   * a replayed event writes the same document again (ADR 0123). Absent: documents are read back as usual.
   */
  readonly keyPerEvent?: boolean;
  keysOf(event: ProjectedEvent): readonly string[];
  evolve(doc: D | null, event: ProjectedEvent): D | null;
}

/**
 * The event types a read for these projections needs: the union of their `eventTypes`, sorted; undefined (the whole
 * log) as soon as one of them declares none.
 */
export function foldedTypes(projections: ReadonlyArray<Pick<Projection, 'eventTypes'>>): string[] | undefined {
  const union = new Set<string>();
  for (const p of projections) {
    if (p.eventTypes === undefined) return undefined;
    for (const type of p.eventTypes) union.add(type);
  }
  return [...union].sort();
}

/** Physical collection of one version of a projection. */
export function collectionOf(p: Pick<Projection, 'name' | 'version'>): string {
  return `${p.name.replace(/-/g, '_')}_v${p.version}`;
}

/**
 * The single-field indexes a projection needs besides its compound ones: a field that leads one of its compound
 * indexes is served by that index — SQLite and MongoDB both use an index for a filter or sort on its leading
 * field alone — so a second index on it alone would only be one more tree to build and to keep up on every write
 * (ADR 0117).
 */
export function singleFieldIndexes(p: Pick<Projection, 'indexes' | 'compoundIndexes'>): string[] {
  const leading = new Set((p.compoundIndexes ?? []).map((index) => index.fields[0]));
  return p.indexes.filter((field) => !leading.has(field));
}

/** Creates every index a projection needs on one of its physical collections (idempotent). */
export async function ensureProjectionIndexes(rs: ReadStore, collection: string, p: Pick<Projection, 'indexes' | 'compoundIndexes'>): Promise<void> {
  await rs.ensureIndexes(collection, singleFieldIndexes(p));
  for (const index of p.compoundIndexes ?? []) await rs.ensureCompoundIndex(collection, index);
}
