import { EventStoreDbEventStore } from '../../libs/event-store/adapters/eventstoredb/eventstoredb-event-store';
import { describeEventStoreContract } from './event-store.contract';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  // A shared server: streams get random names, and the log holds other writers' events too.
  describeEventStoreContract(
    'EventStoreDB',
    async () => {
      const store = new EventStoreDbEventStore({ connectionString, streamPrefixes: ['contract_'] });
      return { store, cleanup: () => store.close() };
    },
    { isolated: false, uniqueEventIdsAcrossStreams: false, timeoutMs: 30_000 },
  );
} else {
  describe.skip('EventStore contract: EventStoreDB — skipped: EVENTSTORE_CONNECTION_STRING is not set', () => {
    it('needs a running EventStoreDB (see docker-compose.yml)', () => undefined);
  });
}
