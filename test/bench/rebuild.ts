/**
 * Projection rebuild: every projection (ALL_PROJECTIONS) rebuilt from position -1 over a generated log,
 * through Projector.rebuild (blue/green, as `projections:rebuild` does).
 */
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { Projector } from '../../libs/projection-runtime/projector';
import type { ProjectedEvent } from '../../libs/projection-runtime/projection';
import { ALL_PROJECTIONS } from '../../projections';
import { loadCommands, simulateLedger, type Command } from './fixtures';
import { now } from './harness';

export interface RebuildMeasure {
  events: number;
  seconds: number;
  eventsPerSec: number;
  projections: number;
  projectionEventsPerSec: number;
  /** Events each projection actually folds (keysOf not empty), summed over projections. */
  handledEvents: number;
  documents: Record<string, number>;
  loadSeconds: number;
}

/** Counts, per generated event, how many projections handle it (keysOf non-empty). */
function counting(commands: Iterable<Command>, tally: { handled: number }): Iterable<Command> {
  return (function* () {
    for (const command of commands) {
      for (const e of command.events) {
        const probe = { ...e, streamId: command.streamId, revision: 0, position: 0 } as unknown as ProjectedEvent;
        for (const p of ALL_PROJECTIONS) if (p.keysOf(probe).length > 0) tally.handled++;
      }
      yield command;
    }
  })();
}

export async function rebuildAll(dir: string, minEvents: number, seed: number): Promise<RebuildMeasure> {
  const eventStore = new SqliteEventStore({ path: join(dir, 'events.db') });
  const readStore = new SqliteReadStore({ path: join(dir, 'read.db') });
  try {
    const tally = { handled: 0 };
    const customers = Math.max(20, Math.round(minEvents / 100));
    const invoicesPerDay = Math.max(4, Math.round(minEvents / 2_500));
    const loadStart = now();
    const events = await loadCommands(eventStore, counting(simulateLedger({ seed, minEvents, customers, invoicesPerDay }), tally));
    const loadSeconds = (now() - loadStart) / 1000;

    const projector = new Projector({ eventStore, readStore, projections: ALL_PROJECTIONS });
    const start = now();
    await projector.rebuild();
    const seconds = (now() - start) / 1000;

    const documents: Record<string, number> = {};
    for (const p of ALL_PROJECTIONS) {
      const collection = await projector.liveCollection(p.name);
      if (!collection) throw new Error(`No live collection for ${p.name} after rebuild`);
      const checkpoint = (await readStore.getCheckpoint(collection))?.position ?? -1;
      if (checkpoint !== (await eventStore.headPosition())) throw new Error(`${p.name} stopped at ${checkpoint}`);
      documents[p.name] = await readStore.count(collection, {});
    }
    return {
      events, seconds, eventsPerSec: events / seconds, projections: ALL_PROJECTIONS.length,
      projectionEventsPerSec: (events * ALL_PROJECTIONS.length) / seconds, handledEvents: tally.handled, documents, loadSeconds,
    };
  } finally {
    await readStore.close();
    await eventStore.close();
  }
}
