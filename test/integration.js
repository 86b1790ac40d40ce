#!/usr/bin/env node
/**
 * `npm run test:integration`: the contract suites and the crash suite (test/reliability/kill9.spec.ts: kill -9
 * during appends, a rebuild, a saga) against real servers, every adapter combination. Defaults to the servers of
 * docker-compose.yml (`docker compose up -d eventstoredb mongodb`); EVENTSTORE_CONNECTION_STRING and MONGODB_URI
 * override them. AR_REQUIRE_SERVERS makes the run fail, instead of skipping, if a server suite would not run.
 */
const { spawnSync } = require('node:child_process');

const env = {
  ...process.env,
  EVENTSTORE_CONNECTION_STRING: process.env.EVENTSTORE_CONNECTION_STRING || 'esdb://localhost:2113?tls=false',
  MONGODB_URI: process.env.MONGODB_URI || 'mongodb://localhost:27017/?replicaSet=rs0&directConnection=true',
  AR_REQUIRE_SERVERS: '1',
};
const jest = require.resolve('jest/bin/jest');
const result = spawnSync(process.execPath, [jest, '--ci', '-w', '2', '--selectProjects', 'contract', 'reliability', ...process.argv.slice(2)], { env, stdio: 'inherit' });
process.exit(result.status ?? 1);
