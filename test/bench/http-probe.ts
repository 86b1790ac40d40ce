/**
 * Preloaded into the API process by the HTTP bench (`node -r …/http-probe.js main.js`, with an IPC channel): counts
 * the event store's durable group commits and the read store's projection commits, and answers `snapshot` messages
 * with those counts, the process's CPU time and its event-loop utilisation. Bench tooling only: it patches
 * prototypes of the SQLite adapters in this process and changes nothing they do.
 */
import { performance } from 'node:perf_hooks';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { startCpuProfile } from './harness';

export interface ProbeSnapshot {
  cpuMs: number;
  eventLoopUtilization: number;
  durableCommits: number;
  appends: number;
  projectionCommits: number;
  atMs: number;
}

const counts = { durableCommits: 0, appends: 0, projectionCommits: 0 };

type Flushable = { queue: unknown[]; flush(): void };
const proto = SqliteEventStore.prototype as unknown as Flushable;
const flush = proto.flush;
proto.flush = function (this: Flushable) {
  const n = this.queue.length;
  if (n > 0) {
    counts.durableCommits += 1;
    counts.appends += n;
  }
  return flush.call(this);
};
const commitBatch = SqliteReadStore.prototype.commitBatch;
SqliteReadStore.prototype.commitBatch = function (this: SqliteReadStore, ...args: Parameters<typeof commitBatch>) {
  counts.projectionCommits += 1;
  return commitBatch.apply(this, args);
};
// The live projector writes a batch of every projection in one commitBatches (ADR 0102): one commit.
const commitBatches = SqliteReadStore.prototype.commitBatches;
SqliteReadStore.prototype.commitBatches = function (this: SqliteReadStore, ...args: Parameters<typeof commitBatches>) {
  counts.projectionCommits += 1;
  return commitBatches.apply(this, args);
};

let elu = performance.eventLoopUtilization();
let profile: Promise<{ stop(file: string): Promise<void> }> | null = null;
process.on('message', (m: unknown) => {
  // `profile:start` / `profile:stop:<file>`: a CPU profile of exactly one load (BENCH_HTTP_PROFILE).
  if (m === 'profile:start') {
    profile = startCpuProfile();
    void profile.then(() => process.send?.('profile:started'));
    return;
  }
  if (typeof m === 'string' && m.startsWith('profile:stop:')) {
    const file = m.slice('profile:stop:'.length);
    const running = profile;
    profile = null;
    void (running ? running.then((p) => p.stop(file)) : Promise.resolve()).catch(() => undefined).then(() => process.send?.('profile:stopped'));
    return;
  }
  if (m !== 'snapshot') return;
  const now = performance.eventLoopUtilization();
  const delta = performance.eventLoopUtilization(now, elu);
  elu = now;
  const cpu = process.cpuUsage();
  const snapshot: ProbeSnapshot = { cpuMs: (cpu.user + cpu.system) / 1000, eventLoopUtilization: delta.utilization, ...counts, atMs: performance.now() };
  process.send?.(snapshot);
});
