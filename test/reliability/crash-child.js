'use strict';
/**
 * Child process of kill9.spec.ts, killed with SIGKILL by it while it works. Opens the same world as the test (one
 * adapter combination: SQLite files, or the EventStoreDB / MongoDB servers, by the locator given) and does one of:
 * - `append`: appends hash-chained events to three streams as fast as it can (several appends in flight: SQLite's
 *   group commit is exercised) and prints `ack <streamId> <revision> <position> <eventId>` once each is acknowledged;
 * - `rebuild`: rebuilds the counting projection in small flushed batches, printing `progress <events read> <durable position>` as it goes;
 * - `saga`: runs the process manager over the reserved invoice numbers, printing `ack <streamId>` after each of
 *   its appends (a completed step).
 * It runs until it is killed (`done` if it ever finishes first, which the test treats as a failure to crash it).
 */
require('./ts-register');
const fs = require('node:fs');
const { randomUUID } = require('node:crypto');
const { openWorld, countingProjection } = require('../contract/projector.fixtures.ts');
const { chainEvents } = require('../../libs/event-store/hash-chain.ts');
// Required by the mode that needs it only: each .ts file is transpiled at start, and the application is large.

const [mode, combinationJson, locatorJson] = process.argv.slice(2);
const say = (line) => fs.writeSync(1, `${line}\n`); // synchronous: in the pipe before the next write starts
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `store` whose `method` resolves as the store does, then, from its `after`-th call on, waits `ms` before each further
 * call: the kill the test sends when it has seen enough then lands while the work is still going, however fast this
 * machine is (the work is neither finished before the signal nor stopped at a quiet point).
 */
function throttled(store, method, after, ms, onDone) {
  let calls = 0;
  return new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop !== method) return value.bind(target);
      return async (...args) => {
        if (++calls > after) await sleep(ms);
        const result = await value.apply(target, args);
        onDone?.(args);
        return result;
      };
    },
  });
}

function unhashed(n) {
  const commandId = randomUUID();
  return {
    id: randomUUID(),
    type: 'Kill9Tested',
    data: { n, padding: 'x'.repeat(200) },
    metadata: { actor: 'kill9', recordedAt: new Date(0).toISOString(), commandId, correlationId: commandId, causationId: commandId, schemaVersion: 1 },
  };
}

async function appendForever(store, streamId) {
  let last = null;
  for (let n = 0; ; n++) {
    const count = 1 + (n % 3);
    const events = chainEvents(streamId, last, Array.from({ length: count }, (_, i) => unhashed(n * 3 + i)));
    const result = await store.append(streamId, last ? last.revision : 'no_stream', events);
    const firstRevision = result.nextRevision - count + 1;
    // Each event's own position (positions are opaque, ADR 0061: never derived from the last one's).
    fs.writeSync(1, events.map((e, i) => `ack ${streamId} ${firstRevision + i} ${result.positions[i]} ${e.id}\n`).join(''));
    last = { revision: result.nextRevision, hash: events[count - 1].metadata.hash };
  }
}

async function main() {
  const world = await openWorld(JSON.parse(combinationJson), JSON.parse(locatorJson));
  if (mode === 'append') {
    await Promise.all([0, 1, 2].map((i) => appendForever(world.eventStore, `invoice-${world.run}-k9-${i}`)));
  } else if (mode === 'rebuild') {
    const { Projector } = require('../../libs/projection-runtime/projector.ts');
    const p = new Projector({
      eventStore: world.eventStore, readStore: throttled(world.readStore, 'commitBatch', 8, 30), projections: [countingProjection()],
      rebuildBatchSize: 25, rebuildFlush: { maxDocuments: 1, maxMs: 0 },
    });
    await p.rebuild(['customer-counts'], (progress) => say(`progress ${progress.events} ${progress.durable}`));
  } else if (mode === 'saga') {
    const { processManager } = require('../contract/process-manager.fixtures.ts');
    const events = throttled(world.eventStore, 'append', 10, 30, ([streamId]) => say(`ack ${streamId}`));
    await processManager(events, world.readStore).start();
    return; // follows the log until killed
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  say('done');
}

main().catch((error) => {
  fs.writeSync(2, `crash-child ${mode} failed: ${error && error.stack}\n`);
  process.exit(1);
});
