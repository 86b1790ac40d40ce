import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventStoreDbEventStore } from '../event-store/adapters/eventstoredb/eventstoredb-event-store';
import { SqliteEventStore } from '../event-store/adapters/sqlite/sqlite-event-store';
import type { EventStore } from '../event-store/event-store.port';
import { MongoReadStore } from '../read-store/adapters/mongodb/mongodb-read-store';
import { SqliteReadStore } from '../read-store/adapters/sqlite/sqlite-read-store';
import type { ReadStore } from '../read-store/read-store.port';
import type { AppConfig } from './config';

/** The composition root's one place that picks adapters for the ports, by configuration. */
export function createEventStore(config: AppConfig): EventStore {
  if (config.eventStore === 'eventstoredb') {
    return new EventStoreDbEventStore({ connectionString: config.eventStoreConnectionString! });
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteEventStore({ path: join(config.dataDir, 'events.sqlite'), busyTimeoutMs: config.sqliteBusyTimeoutMs });
}

export function createReadStore(config: AppConfig): ReadStore {
  if (config.readStore === 'mongodb') {
    return new MongoReadStore({ uri: config.mongodbUri!, database: config.mongodbDatabase });
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteReadStore({ path: join(config.dataDir, 'read-models.sqlite'), busyTimeoutMs: config.sqliteBusyTimeoutMs });
}
