import { join } from 'node:path';
import { EventStoreDbEventStore } from '../event-store/adapters/eventstoredb/eventstoredb-event-store';
import { SqliteEventStore } from '../event-store/adapters/sqlite/sqlite-event-store';
import type { EventStore } from '../event-store/event-store.port';
import { MongoReadStore } from '../read-store/adapters/mongodb/mongodb-read-store';
import { SqliteReadStore } from '../read-store/adapters/sqlite/sqlite-read-store';
import type { ReadStore } from '../read-store/read-store.port';
import type { AppConfig } from './config';
import { privateDir, privateFile, secureDataDir } from './data-dir';
import { Logger } from '@nestjs/common';
import { MongoDataKeyStore } from '../privacy/adapters/mongodb/mongodb-data-key-store';
import { SqliteDataKeyStore } from '../privacy/adapters/sqlite/sqlite-data-key-store';
import type { DataKeyStore } from '../privacy/data-key-store.port';

/** The composition root's one place that picks adapters for the ports, by configuration. */
export function createEventStore(config: AppConfig): EventStore {
  // Checked on every start (API and CLI), whichever store is used: the outbox lives there too.
  const tightened = secureDataDir(config.dataDir);
  if (tightened.length > 0) {
    new Logger('DataDir').warn(`Restricted ${tightened.length} path(s) in ${config.dataDir} to owner-only (0700 directories, 0600 files): ${tightened.slice(0, 5).join(', ')}${tightened.length > 5 ? ', …' : ''}`);
  }
  if (config.eventStore === 'eventstoredb') {
    return new EventStoreDbEventStore({ connectionString: config.eventStoreConnectionString! });
  }
  privateDir(config.dataDir);
  privateFile(join(config.dataDir, 'events.sqlite'));
  return new SqliteEventStore({
    path: join(config.dataDir, 'events.sqlite'), busyTimeoutMs: config.sqliteBusyTimeoutMs, backgroundCheckpoints: config.sqliteCheckpoints === 'background',
  });
}

export function createReadStore(config: AppConfig): ReadStore {
  if (config.readStore === 'mongodb') {
    return new MongoReadStore({ uri: config.mongodbUri!, database: config.mongodbDatabase });
  }
  privateDir(config.dataDir);
  privateFile(join(config.dataDir, 'read-models.sqlite'));
  return new SqliteReadStore({
    path: join(config.dataDir, 'read-models.sqlite'), busyTimeoutMs: config.sqliteBusyTimeoutMs, backgroundCheckpoints: config.sqliteCheckpoints === 'background',
  });
}

/** Customers' data keys (ADR 0082): beside the log, never in it; shared in MongoDB when the read store is. */
export function createDataKeyStore(config: AppConfig): DataKeyStore {
  if (config.readStore === 'mongodb') return new MongoDataKeyStore({ uri: config.mongodbUri!, database: config.mongodbKeysDatabase });
  privateDir(config.dataDir);
  privateFile(join(config.dataDir, 'data-keys.sqlite'));
  return new SqliteDataKeyStore(join(config.dataDir, 'data-keys.sqlite'));
}
