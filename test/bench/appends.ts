/**
 * Durable commits: the raw SQLite baseline, then commands through SqliteEventStore (sequential and with
 * 32 concurrent workers sharing group commits).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { CreditLimitChanged, CustomerRegistered } from '../../libs/domain/credit/credit.events';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { chainEvents } from '../../libs/event-store/hash-chain';
import { deterministicUuid } from '../../libs/domain/shared/ids';
import { CommandIds } from './fixtures';
import { now } from './harness';

const DAY = '2024-06-14';

/** A typical one-event command row (CreditLimitChanged with full metadata), as the store would write it. */
function sampleRow(): { type: string; data: string; metadata: string } {
  const ids = new CommandIds('baseline');
  const data: CreditLimitChanged['data'] = { customerId: 'c000001', previousLimit: 5_000_000, newLimit: 5_100_000, reason: 'annual review' };
  const [event] = chainEvents('credit-c000001', null, ids.build(DAY, [{ type: 'CreditLimitChanged', data }]));
  return { type: event.type, data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata) };
}

export interface RateMeasure {
  perSec: number;
  count: number;
  seconds: number;
}

type Insert = (streamId: string, revision: number, eventId: string) => void;

/**
 * Raw better-sqlite3 on the same schema and pragmas as the event store (WAL, synchronous=FULL): `commit`
 * runs `rowsPer(insert)` in one durable transaction, `warmup` times, then as many times as fit in
 * `maxSeconds` (and at most `maxCommits`). Counts rows.
 */
function rawCommits(file: string, rowsPer: (insert: Insert) => number, maxSeconds: number, maxCommits: number, warmup: number): RateMeasure {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE events (
      position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, UNIQUE (stream_id, revision))`);
    const statement = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
    const row = sampleRow();
    const insert: Insert = (streamId, revision, eventId) => { statement.run(streamId, revision, eventId, row.type, row.data, row.metadata); };
    const commit = db.transaction(() => rowsPer(insert));
    for (let w = 0; w < warmup; w++) commit();
    const start = now();
    const deadline = start + maxSeconds * 1000;
    let commits = 0;
    let count = 0;
    while (commits < maxCommits && now() < deadline) {
      count += commit();
      commits++;
    }
    const secs = (now() - start) / 1000;
    return { perSec: count / secs, count, seconds: secs };
  } finally {
    db.close();
  }
}

/** The baseline: one INSERT per durable transaction, sequentially (the machine's one-at-a-time limit). */
export function rawDurableCommits(dir: string, maxSeconds: number, maxCount: number, warmup: number): RateMeasure {
  let i = 0;
  return rawCommits(join(dir, 'baseline.db'), (insert) => {
    insert(`credit-s${i % 64}`, Math.floor(i / 64), `evt-${i}`);
    i++;
    return 1;
  }, maxSeconds, maxCount, warmup);
}

/**
 * The storage ceiling for the 32-concurrent case: rows committed `group` per durable transaction (what one
 * full group commit writes), with the keys the concurrent bench produces: 256 streams (32 workers × 8) with
 * increasing revisions, and event ids derived from command ids as the engine derives them (name-based
 * UUIDs, so uniformly spread over the unique index). No hashing, no reads, no JS domain work: what the disk
 * and the two unique indexes allow at best.
 */
export function rawGroupCommits(dir: string, group: number, maxSeconds: number, warmupGroups: number): RateMeasure {
  let i = 0;
  return rawCommits(join(dir, 'group-baseline.db'), (insert) => {
    for (let k = 0; k < group; k++, i++) {
      const stream = i % 256;
      insert(`credit-w${stream % 32}c${stream >> 5}`, Math.floor(i / 256), deterministicUuid(`group-baseline:cmd:${i}:0`));
    }
    return group;
  }, maxSeconds, Number.POSITIVE_INFINITY, warmupGroups);
}

/**
 * One command, as an application service would run it: read the stream's last event, decide one event
 * (CustomerRegistered on a new stream, else CreditLimitChanged), chain it, append with the exact expected
 * revision, and wait until it is durable.
 */
async function runCommand(store: SqliteEventStore, ids: CommandIds, streamId: string, customerId: string): Promise<void> {
  const [last] = await store.readStream(streamId, { direction: 'backward', maxCount: 1 });
  let events;
  if (!last) {
    const data: CustomerRegistered['data'] = { customerId, name: `Customer ${customerId}`, currency: 'EUR', creditLimit: 5_000_000, paymentTermsDays: 30 };
    events = chainEvents(streamId, null, ids.build(DAY, [{ type: 'CustomerRegistered', data }]));
  } else {
    const previousLimit = (last.data.newLimit ?? last.data.creditLimit) as number;
    const data: CreditLimitChanged['data'] = { customerId, previousLimit, newLimit: previousLimit + 10_000, reason: 'annual review' };
    events = chainEvents(streamId, { revision: last.revision, hash: last.metadata.hash }, ids.build(DAY, [{ type: 'CreditLimitChanged', data }]));
  }
  await store.append(streamId, last ? last.revision : 'no_stream', events);
}

export interface AppendMeasure extends RateMeasure {
  flushes: number;
  avgGroup: number;
  largestGroup: number;
}

/**
 * `workers` loops, each on its own `streamsPerWorker` streams, issuing commands back to back. Warm-up first
 * (same store, same loops), then counts commands completed in the measured window.
 */
export async function commandLoops(
  dir: string,
  workers: number,
  streamsPerWorker: number,
  warmupSeconds: number,
  maxSeconds: number,
  maxCount = Number.POSITIVE_INFINITY,
): Promise<AppendMeasure> {
  const store = new SqliteEventStore({ path: join(dir, 'events.db') });
  try {
    const ids = new CommandIds(`appends-${workers}`);
    let count = 0;
    let stopAt = 0;
    let measuring = false;
    const loop = async (w: number) => {
      const customers = Array.from({ length: streamsPerWorker }, (_, k) => `w${w}c${k}`);
      for (let k = 0; ; k++) {
        if (now() >= stopAt || (measuring && count >= maxCount)) return;
        const customerId = customers[k % customers.length];
        await runCommand(store, ids, `credit-${customerId}`, customerId);
        if (measuring) count++;
      }
    };
    stopAt = now() + warmupSeconds * 1000;
    await Promise.all(Array.from({ length: workers }, (_, w) => loop(w)));

    const before = { ...store.stats };
    measuring = true;
    const start = now();
    stopAt = start + maxSeconds * 1000;
    await Promise.all(Array.from({ length: workers }, (_, w) => loop(w)));
    const secs = (now() - start) / 1000;
    const flushes = store.stats.flushes - before.flushes;
    const appends = store.stats.appends - before.appends;
    return { perSec: count / secs, count, seconds: secs, flushes, avgGroup: appends / Math.max(1, flushes), largestGroup: store.stats.largestGroup };
  } finally {
    await store.close();
  }
}
