/**
 * The dependency rules of the architecture, checked in `npm test` (npm run lint:deps).
 * `to.path` is matched against the RESOLVED path (`node_modules/better-sqlite3/lib/index.js`), or against the bare
 * name when a module cannot be resolved: a package pattern must allow both (ADR 0068; tested by
 * test/reliability/dependency-rules.spec.ts, which commits violating imports to a scratch copy).
 */
const packages = (names) => `(^|/)node_modules/(${names})/|^(${names})(/|$)`;
const FRAMEWORKS_AND_DRIVERS = packages('@nestjs/[^/]+|mongodb|@eventstore/[^/]+|better-sqlite3|express|rxjs|class-validator|class-transformer|cli-progress|prom-client|pino|pino-http|nestjs-pino|helmet|nodemailer|commander');
const DRIVERS = packages('mongodb|@eventstore/[^/]+|better-sqlite3');
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain imports no framework, driver, adapter or other layer',
      severity: 'error',
      from: { path: '^libs/domain' },
      to: { pathNot: ['^libs/domain', '^node_modules/@types/node'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'domain-no-frameworks',
      severity: 'error',
      from: { path: '^libs/domain' },
      to: { path: FRAMEWORKS_AND_DRIVERS },
    },
    {
      name: 'projections-are-pure',
      comment: 'projections import only the domain and the projection types',
      severity: 'error',
      from: { path: '^projections' },
      to: { pathNot: ['^projections', '^libs/domain', '^libs/projection-runtime/projection\\.ts$'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'ports-know-no-adapters',
      comment: 'the projection runtime and ports never import an adapter or a driver',
      severity: 'error',
      from: { path: '^libs/(projection-runtime|event-store/[^/]+\\.ts|read-store/[^/]+\\.ts)' },
      to: { path: ['adapters/', DRIVERS] },
    },
    {
      name: 'console-speaks-http-only',
      comment: 'the web console (apps/console) reaches the engine through the public HTTP API only: it imports its own modules and preact',
      severity: 'error',
      from: { path: '^apps/console' },
      to: { pathNot: ['^apps/console', '(^|/)node_modules/preact/', '(^|/)node_modules/esbuild/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'nothing-imports-the-console',
      comment: 'the console is built into static files; no server code imports its sources',
      severity: 'error',
      from: { pathNot: '^apps/console' },
      to: { path: '^apps/console' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^dist|\\.spec\\.ts$|/testing\\.ts$|\\.fixtures\\.ts$)' },
  },
};
