import { EventStoreDbEventStore } from '../../libs/event-store/adapters/eventstoredb/eventstoredb-event-store';
import { FakeEventStoreDb } from '../support/fake-eventstoredb';
import { describeEventStoreContract } from './event-store.contract';

/**
 * The shared event-store contract, unchanged, against the EventStoreDB adapter over the in-memory server model
 * (test/support/fake-eventstoredb.ts: byte-offset positions, the server's idempotency rules, `$` events between
 * ours). Not a substitute for the real server (event-store.eventstoredb.spec.ts runs the same suite against one
 * when EVENTSTORE_CONNECTION_STRING is set, as the CI workflow does): it proves the adapter's own logic.
 */
describeEventStoreContract(
  'EventStoreDB adapter over the server model',
  async () => {
    const server = new FakeEventStoreDb({ systemNoise: true });
    const store = new EventStoreDbEventStore({ client: server.asClient(), streamPrefixes: ['contract_'] });
    return { store, cleanup: () => store.close() };
  },
  { uniqueEventIdsAcrossStreams: false },
);
