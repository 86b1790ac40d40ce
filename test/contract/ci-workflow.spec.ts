import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

/**
 * The CI workflow and the compose file are code too: parsed here, with what they must contain checked, since
 * neither can run on this machine (no container engine). A broken indentation or a lost service fails this test.
 */
const root = join(__dirname, '..', '..');
const yaml = (file: string) => load(readFileSync(join(root, file), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('.github/workflows/ci.yml', () => {
  const wf = yaml('.github/workflows/ci.yml');
  const runs = (job: string): string[] => (wf.jobs[job].steps as Array<{ run?: string }>).map((s) => s.run ?? '').filter(Boolean);

  it('runs on pushes and pull requests, gated on nothing else (no secrets)', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    expect(readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8')).not.toMatch(/secrets\./);
  });

  it('runs the whole embedded-default suite on Node 20 (engines) and the current LTS', () => {
    expect(wf.jobs.embedded.strategy.matrix.node).toEqual([20, 26]);
    expect(runs('embedded')).toEqual(['sudo apt-get update -qq && sudo apt-get install -y -qq poppler-utils', 'npm ci', 'npm test']);
    // The browser tests drive the runner's Chrome there (Debian's chromium under .ci/run).
    const test = (wf.jobs.embedded.steps as Array<{ run?: string; env?: Record<string, string> }>).find((st) => st.run === 'npm test');
    expect(test?.env?.CHROMIUM_PATH).toBe('/usr/bin/google-chrome');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.engines.node).toBe('>=20.19');
  });

  it('runs the contract suites against EventStoreDB (insecure, a supported version) and a MongoDB replica set', () => {
    const servers = wf.jobs.servers;
    const esdb = servers.services.eventstoredb;
    // 24.10 is an LTS release of the versions docs/operations.md lists as supported.
    expect(esdb.image).toBe('eventstore/eventstore:24.10');
    expect(esdb.env.EVENTSTORE_INSECURE).toBe('true');
    expect(esdb.ports).toEqual(['2113:2113']);
    const mongo = runs('servers').find((r) => r.includes('docker run'))!;
    expect(mongo).toMatch(/docker run -d --name mongodb -p 27017:27017 mongo:7 --replSet rs0/);
    expect(runs('servers').join('\n')).toMatch(/rs\.initiate\(/);
    expect(servers.env.EVENTSTORE_CONNECTION_STRING).toBe('esdb://localhost:2113?tls=false');
    expect(servers.env.MONGODB_URI).toMatch(/^mongodb:\/\/localhost:27017\/\?replicaSet=rs0/);
    const commands = runs('servers');
    expect(commands.indexOf('npm ci')).toBeGreaterThan(-1);
    expect(commands[commands.length - 1]).toBe('npm run test:integration');
  });

  it('npm run test:integration runs the contract and reliability projects, requiring the servers', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts['test:integration']).toBe('node test/integration.js');
    const script = readFileSync(join(root, 'test/integration.js'), 'utf8');
    expect(script).toMatch(/--selectProjects', 'contract', 'reliability'/);
    expect(script).toMatch(/AR_REQUIRE_SERVERS: '1'/);
    // …which is where the suites parameterised over the server combinations live (jest.config.js projects).
    const projects = (require(join(root, 'jest.config.js')) as { projects: Array<{ displayName: string; testMatch: string[] }> }).projects;
    const matchOf = (name: string) => projects.find((p) => p.displayName === name)!.testMatch.join(' ');
    expect(matchOf('contract')).toContain('<rootDir>/test/contract/');
    expect(matchOf('reliability')).toContain('<rootDir>/test/reliability/');
  });

  it('the process-manager and crash suites run on every adapter combination, those with servers included', () => {
    const source = (file: string) => readFileSync(join(root, file), 'utf8');
    expect(source('test/contract/process-manager.spec.ts')).toMatch(/describeEachCombination\('ProcessManager contract'/);
    const crash = source('test/reliability/kill9.spec.ts');
    expect(crash).toMatch(/describeEachCombination\('kill -9'/);
    // Durable combinations only: every one but the in-memory server model, i.e. the three with servers and SQLite/SQLite.
    expect(crash).toMatch(/\}, \{ durable: true \}\);\s*$/);
    for (const scenario of ['during appends', 'during a rebuild', 'during a saga']) expect(crash).toContain(scenario);
    expect(source('test/contract/projector.fixtures.ts')).toMatch(/EventStoreDB\/MongoDB[\s\S]*EventStoreDB\/SQLite[\s\S]*SQLite\/MongoDB/);
  });
});

describe('docker-compose.yml', () => {
  const compose = yaml('docker-compose.yml');

  it('runs EventStoreDB insecure, MongoDB as a replica set, and the API on both with a healthcheck and a data volume', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'eventstoredb', 'mongodb']);
    expect(compose.services.eventstoredb.image).toBe('eventstore/eventstore:24.10');
    expect(compose.services.eventstoredb.environment.EVENTSTORE_INSECURE).toBe('true');
    expect(compose.services.mongodb.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(compose.services.mongodb.healthcheck.test.join(' ')).toMatch(/rs\.initiate/);
    const api = compose.services.api;
    expect(api.environment).toMatchObject({ AR_EVENT_STORE: 'eventstoredb', AR_READ_STORE: 'mongodb' });
    expect(api.environment.EVENTSTORE_CONNECTION_STRING).toMatch(/^(esdb|kurrentdb):\/\/eventstoredb:2113/);
    expect(api.environment.MONGODB_URI).toMatch(/^mongodb:\/\/mongodb:27017\//);
    expect(api.healthcheck.test.join(' ')).toMatch(/\/health\/live/);
    expect(api.volumes).toEqual(['ar-data:/app/data']);
    expect(Object.keys(compose.volumes).sort()).toEqual(['ar-data', 'esdb-data', 'mongo-data']);
    expect(api.depends_on).toEqual({ eventstoredb: { condition: 'service_healthy' }, mongodb: { condition: 'service_healthy' } });
  });
});

describe('servers required by npm run test:integration', () => {
  // Under test:integration a server suite must run, not be skipped: a missing variable fails here.
  (process.env.AR_REQUIRE_SERVERS === '1' ? it : it.skip)('has EVENTSTORE_CONNECTION_STRING and MONGODB_URI', () => {
    expect(process.env.EVENTSTORE_CONNECTION_STRING).toBeTruthy();
    expect(process.env.MONGODB_URI).toBeTruthy();
  });
});
