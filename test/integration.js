#!/usr/bin/env node
/**
 * `npm run test:integration`: the contract suites against real servers. Defaults to the servers of
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
const result = spawnSync(process.execPath, [jest, '--ci', '-w', '2', '--selectProjects', 'contract', ...process.argv.slice(2)], { env, stdio: 'inherit' });
process.exit(result.status ?? 1);
