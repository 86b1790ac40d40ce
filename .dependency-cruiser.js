/** The dependency rules of the architecture, checked in `npm test` (npm run lint:deps). */
const FRAMEWORKS_AND_DRIVERS = '^(@nestjs|mongodb|@eventstore|better-sqlite3|express|rxjs|class-validator|class-transformer|cli-progress)';
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
      to: { path: ['adapters/', '^(mongodb|@eventstore|better-sqlite3)'] },
    },
    {
      name: 'console-speaks-http-only',
      comment: 'the web console (apps/console) reaches the engine through the public HTTP API only: it imports its own modules and preact',
      severity: 'error',
      from: { path: '^apps/console' },
      to: { pathNot: ['^apps/console', '^node_modules/preact', '^node_modules/esbuild'], dependencyTypesNot: ['core'] },
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
