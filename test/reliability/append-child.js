'use strict';
/**
 * Child process for kill9.spec.ts: appends hash-chained events to a few streams as fast as it can (several
 * appends in flight, so group commit is exercised) and prints one line per event once its append is
 * acknowledged: `ack <streamId> <revision> <position> <eventId>`. It runs until it is killed.
 */
require('./ts-register');
const fs = require('node:fs');
const { randomUUID } = require('node:crypto');
const { SqliteEventStore } = require('../../libs/event-store/adapters/sqlite/sqlite-event-store.ts');
const { chainEvents } = require('../../libs/event-store/hash-chain.ts');

const [path, streamCount = '3'] = process.argv.slice(2);
const store = new SqliteEventStore({ path });
const streams = Array.from({ length: Number(streamCount) }, (_, i) => `kill9-${i}`);

function unhashed(n) {
  const commandId = randomUUID();
  return {
    id: randomUUID(),
    type: 'Kill9Tested',
    data: { n, padding: 'x'.repeat(200) },
    metadata: {
      actor: 'kill9', recordedAt: new Date(0).toISOString(), commandId,
      correlationId: commandId, causationId: commandId, schemaVersion: 1,
    },
  };
}

async function appendForever(streamId) {
  let last = null;
  for (let n = 0; ; n++) {
    const count = 1 + (n % 3);
    const events = chainEvents(streamId, last, Array.from({ length: count }, (_, i) => unhashed(n * 3 + i)));
    const result = await store.append(streamId, last ? last.revision : 'no_stream', events);
    const firstRevision = result.nextRevision - count + 1;
    // Synchronous write: the line is in the pipe before the next append starts.
    const lines = events.map((e, i) => `ack ${streamId} ${firstRevision + i} ${result.position - count + 1 + i} ${e.id}\n`);
    fs.writeSync(1, lines.join(''));
    last = { revision: result.nextRevision, hash: events[count - 1].metadata.hash };
  }
}

Promise.all(streams.map(appendForever)).catch((error) => {
  fs.writeSync(2, `append-child failed: ${error && error.stack}\n`);
  process.exit(1);
});
