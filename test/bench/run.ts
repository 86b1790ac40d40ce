/**
 * `npm run bench`: measures the performance shape of ARCHITECTURE.md against targets and a raw SQLite
 * baseline taken in the same run. Prints ONE JSON document on stdout (progress and a summary on stderr)
 * and writes it to bench-results.json. A missed target is a finding, not a failure: the exit code is
 * non-zero only when something breaks.
 *
 * BENCH_SCALE=0.1 shrinks data sizes and durations for a smoke run.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { commandLoops, rawDurableCommits, rawGroupCommits } from './appends';
import { agingQuery } from './aging';
import { auditBenchmarks } from './audit';
import { authBenchmark } from './auth';
import { cashBenchmark } from './cash';
import { documentBenchmarks } from './documents';
import { privacyBenchmark } from './privacy';
import { listsQuery } from './lists';
import { observabilityBenchmark } from './observability';
import { atLeast, atMost, fmt, inTempDir, log, now, round, SCALE, scaled, seconds, settle, type Result } from './harness';
import { httpBenchmarks } from './http';
import { commandPathBenchmark, describeCommandPath } from './command-path';
import { busyCustomerBenchmark } from './busy-customer';
import { logRebuild, rebuildAll } from './rebuild';
import { streamLoads } from './stream-loads';

const TARGETS = {
  ratioToBaseline: 0.7,
  concurrent32PerSec: 30_000,
  streamLoadsPerSec: 20_000,
  rebuildEventsPerSec: 150_000,
  /** Issue 5: blue/green does not lower rebuild throughput (≥ 0.9 × in place: within this machine's noise). */
  rebuildBlueGreenRatio: 0.9,
  /** Issue 14: one projection rebuilt alone at ≥ 50 % of the log-read ceiling; all of them at ≥ 100k log events/s. */
  rebuildSingleRatioToLogRead: 0.5,
  rebuildAllEventsPerSecIssue14: 100_000,
  agingMs: 200,
  /** Issue 16: the first page of 100 of GET /invoices at 100,000 invoices. */
  listFirstPageMs: 50,
  /** Issue 14: the command path over HTTP, 32 clients, p99 ≤ 50 ms. */
  httpInvoicesPerSec: 2_000,
  httpMixedPerSec: 4_000,
  httpP99Ms: 50,
};

/** Issue 14: the HTTP figures of the previous round's whole bench on the idle machine (docs/performance.md). */
const HTTP_BEFORE = {
  measured: 'whole bench, idle machine, 2026-12-02, before ADR 0094',
  invoicesPerSec: 501, invoicesP99Ms: 77, invoiceServerCpuMs: 2.2,
  mixedPerSec: 687, mixedP99Ms: 128,
  readPerSec: 1014, readServerCpuMs: 1.19,
};

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const t0 = now();
  const cpuList = cpus();
  log(`scale ${SCALE}, ${cpuList.length} cpus (${cpuList[0]?.model ?? '?'}), node ${process.version}`);

  // 1. Baseline: raw durable commits.
  const base = await inTempDir('baseline', async (dir) => rawDurableCommits(dir, seconds(3), scaled(5_000, 200), scaled(200, 20)));
  log(`baseline: ${fmt(base.perSec)} raw durable commits/s (${base.count} in ${base.seconds.toFixed(2)} s)`);
  await settle();

  // 1b. The storage ceiling of a full group commit: 32 raw rows per durable transaction.
  const group = await inTempDir('group-baseline', async (dir) => rawGroupCommits(dir, 32, seconds(3), scaled(300, 20)));
  log(`baseline: ${fmt(group.perSec)} raw rows/s committed 32 per durable transaction (${group.count} rows in ${group.seconds.toFixed(2)} s)`);
  await settle();

  // 2. Sequential commands (same stopping rule as the baseline).
  const seq = await inTempDir('seq', (dir) => commandLoops(dir, 1, 16, seconds(0.5), seconds(3), scaled(5_000, 200)));
  const ratio = seq.perSec / base.perSec;
  log(`appends sequential: ${fmt(seq.perSec)} commands/s, ${ratio.toFixed(2)}× baseline (${seq.flushes} flushes, avg group ${seq.avgGroup.toFixed(1)})`);
  await settle();

  // 3. 32 concurrent workers, group commit.
  const conc = await inTempDir('conc', (dir) => commandLoops(dir, 32, 8, seconds(0.5), seconds(3)));
  log(`appends 32 concurrent: ${fmt(conc.perSec)} commands/s, ${(conc.perSec / group.perSec).toFixed(2)}× the raw group ceiling (${conc.flushes} flushes, avg group ${conc.avgGroup.toFixed(1)}, largest ${conc.largestGroup})`);
  await settle();

  // 4. Stream loads.
  const loads = await inTempDir('loads', (dir) => streamLoads(dir, scaled(1_000, 50), seconds(0.5), seconds(2)));
  log(`stream loads: ${fmt(loads.perSec)} loads/s of ${loads.eventsPerStream}-event streams over ${loads.streams} streams`);
  await settle();

  // 5. Rebuild: warm-up on a small log, then the measured one from zero on a fresh pair of stores.
  const warm = await inTempDir('rebuild-warmup', (dir) => rebuildAll(dir, scaled(10_000, 1_000), 99, 1));
  log(`rebuild warm-up: ${fmt(warm.events)} events in ${warm.seconds.toFixed(2)} s`);
  await settle();
  const rebuild = await inTempDir('rebuild', (dir) => rebuildAll(dir, scaled(100_000, 2_000), 1, 3));
  log(`rebuild: log written in ${rebuild.loadSeconds.toFixed(1)} s; ${fmt(rebuild.projectionEventsPerSec)} projection-events/s`);
  logRebuild(rebuild);
  await settle();

  // 6. Aging as of a date over the open-items read model.
  const aging = await inTempDir('aging', (dir) => agingQuery(dir, scaled(100_000, 1_000), 10, 2024));
  log(
    `aging: median ${aging.medianMs.toFixed(1)} ms, p95 ${aging.p95Ms.toFixed(1)} ms over ${fmt(aging.matchedPerRun[0])} open items ` +
      `(find ${aging.findMedianMs.toFixed(1)} ms + report ${aging.reportMedianMs.toFixed(1)} ms; ${fmt(aging.documents)} docs)`,
  );

  await settle();
  // 7. Issue 5: history replay with verification, statement, journal export (test/bench/audit.ts).
  const audit = await auditBenchmarks();
  await settle();
  // 8. Issue 11: the cost of authentication on the command path (test/bench/auth.ts).
  const auth = await authBenchmark();
  // 9. Issue 17: the cost of sealing and opening personal fields (test/bench/privacy.ts).
  const privacy = await privacyBenchmark();
  log(`privacy: seal ${(privacy.results.sealUsPerField as Result).value} µs/field, open ${(privacy.results.openWarmUsPerField as Result).value} µs/field warm, ${(privacy.results.openColdUsPerField as Result).value} cold; export names ${(privacy.results.exportNamesMs as Result).value} ms`);
  log(`auth: command path with authentication at ${(auth.results.commandPathRatio as Result).value}× the throughput without (measured), ${(auth.results.estimatedRatio as Result).value}× from the guard's own cost`);
  await settle();
  // 9. Issue 16: the back-office invoice list (test/bench/lists.ts).
  const lists = await inTempDir('lists', (dir) => listsQuery(dir, scaled(100_000, 1_000), 20, 2026));
  for (const c of lists.cases) log(`lists: ${c.name}: median ${c.medianMs.toFixed(1)} ms, p95 ${c.p95Ms.toFixed(1)} ms (${c.items} items of ${fmt(c.total)})`);

  // 9. Cash application (issue 18): generated statements matched against a ledger of open items, per seed.
  const cash = await cashBenchmark();
  log(`cash: ${(cash.results.seeds as Array<{ seed: number; appliedShare: number; wrongAutomatic: number; suggestionsFirstRight: number; suggested: number; unmatched: number; seconds: number }>).map((s) => `seed ${s.seed}: ${Math.round(s.appliedShare * 100)} % applied, ${s.wrongAutomatic} wrong, ${s.suggestionsFirstRight}/${s.suggested} suggestions right first, ${s.unmatched} unmatched, ${s.seconds} s`).join('; ')}`);

  await settle();
  // 10. Issue 16: one PDF invoice (Factur-X) ≤ 50 ms (test/bench/documents.ts).
  const documents = await documentBenchmarks();

  await settle();
  // 9. Issue 15: the cost of request ids, access lines and the HTTP histogram (test/bench/observability.ts).
  const observability = await observabilityBenchmark();
  log(`observability: requests with logging and metrics at ${(observability.results.requestRatio as Result).value}× the rate without, ${(observability.results.middlewareUsPerRequest as Result).value} µs of middleware per request`);

  await settle();
  // 9. Issue 14: the command path over HTTP (test/bench/http.ts), the API in a child process, autocannon here.
  const http = await httpBenchmarks();
  const httpRatio = http.invoices32.perSec / conc.perSec;
  log(`http: invoices/s ÷ 32-concurrent store appends/s of this run = ${httpRatio.toFixed(3)}; mixed ${fmt(http.mixed.perSec)} req/s; balance reads alone ${fmt(http.readCeiling.perSec)} req/s`);
  const c = http.ceilings;
  log(`http, this run beside the previous round's idle-machine run (${HTTP_BEFORE.measured}): POST /invoices ${fmt(http.invoices32.perSec)} req/s p99 ${http.invoices32.p99Ms} ms (before ${fmt(HTTP_BEFORE.invoicesPerSec)}, p99 ${HTTP_BEFORE.invoicesP99Ms}), `
    + `${http.invoices32.server?.cpuMsPerRequest} ms server CPU each (before ${HTTP_BEFORE.invoiceServerCpuMs}); mixed ${fmt(http.mixed.perSec)} req/s p99 ${http.mixed.p99Ms} ms (before ${fmt(HTTP_BEFORE.mixedPerSec)}, p99 ${HTTP_BEFORE.mixedP99Ms}); `
    + `balance reads ${fmt(http.readCeiling.perSec)} req/s, ${http.readCeiling.server?.cpuMsPerRequest} ms server CPU each (before ${fmt(HTTP_BEFORE.readPerSec)}, ${HTTP_BEFORE.readServerCpuMs} ms)`);
  log(`http ceilings of this run, server CPU per request: bare node:http ${c.nodeHttp.server?.cpuMsPerRequest} ms (${fmt(c.nodeHttp.perSec)} req/s), bare Nest ${c.bareNest.server?.cpuMsPerRequest} ms (${fmt(c.bareNest.perSec)} req/s; two loops ${fmt(c.bareNestTwoLoops.perSec)} req/s), `
    + (c.bareNestFastify ? `bare Nest on Fastify ${c.bareNestFastify.server?.cpuMsPerRequest} ms (${fmt(c.bareNestFastify.perSec)} req/s), ` : 'bare Nest on Fastify not measured, ')
    + `API /health/live ${c.apiLiveness.server?.cpuMsPerRequest} ms, authenticated no-store ${c.apiAuthenticatedNoStore.server?.cpuMsPerRequest} ms; all-cores ceilings: invoices ${fmt(http.invoices32.coresCeilingPerSec ?? 0)}/s, mixed ${fmt(http.mixed.coresCeilingPerSec ?? 0)}/s`);

  await settle();
  // 10. Issue 14: the command path's own ceiling below HTTP (test/bench/command-path.ts): the same application,
  // 32 concurrent IssueInvoice commands through the CommandBus, no HTTP edge and no load generator on the cores.
  const cmdPath = await commandPathBenchmark();
  log(`command path below HTTP, 32 callers: ${describeCommandPath(cmdPath)}; HTTP POST /invoices answered ${round(http.invoices32.perSec / cmdPath.perSec)}× of it, at ${round((http.invoices32.server?.cpuMsPerRequest ?? 0) / cmdPath.cpuMsPerInvoice)}× its CPU per invoice`);

  await settle();
  // 11. Issue 14, growth: one invoice for a customer holding thousands of open invoices (test/bench/busy-customer.ts).
  const busy = await busyCustomerBenchmark([0, scaled(2_000, 200), scaled(8_000, 400)]);
  const busiest = busy[busy.length - 1];

  const results = {
    cash: cash.results,
    documents: documents.results,
    http: {
      invoicesPerSec: atLeast(http.invoices32.perSec, 'requests/s (POST /invoices, 32 clients)', TARGETS.httpInvoicesPerSec),
      invoicesP99Ms: atMost(http.invoices32.p99Ms, 'ms (p99)', TARGETS.httpP99Ms),
      mixedPerSec: atLeast(http.mixed.perSec, 'requests/s (70 % reads, 20 % invoices, 10 % payments; 32 clients)', TARGETS.httpMixedPerSec),
      mixedP99Ms: atMost(http.mixed.p99Ms, 'ms (p99)', TARGETS.httpP99Ms),
      /** One client, one request at a time: what an interactive user waits (the issue: "100+ ms for every write"). */
      interactive: {
        invoiceP99Ms: atMost(http.interactive.invoice.p99Ms, 'ms (p99 of POST /invoices, one client)', TARGETS.httpP99Ms),
        invoiceMeanMs: atMost(http.interactive.invoice.meanMs, 'ms (mean of POST /invoices, one client)', null),
        readP99Ms: atMost(http.interactive.read.p99Ms, 'ms (p99 of GET /customers/:id/balance, one client)', TARGETS.httpP99Ms),
        readMeanMs: atMost(http.interactive.read.meanMs, 'ms (mean of GET /customers/:id/balance, one client)', null),
        details: http.interactive,
      },
      invoicesRatioToStoreAppends: atLeast(httpRatio, 'HTTP invoices/s ÷ store appends/s (32 concurrent, same run)', null),
      readCeilingPerSec: atLeast(http.readCeiling.perSec, 'requests/s (GET /customers/:id/balance alone, 32 clients: the cheapest authenticated request)', null),
      /** What this machine could answer for each load with any number of server event loops (cores ÷ server + client CPU). */
      invoicesCoresCeilingPerSec: atLeast(http.invoices32.coresCeilingPerSec ?? 0, 'requests/s (POST /invoices: cores × 1,000 ms ÷ server + client CPU ms per request, same run)', null),
      mixedCoresCeilingPerSec: atLeast(http.mixed.coresCeilingPerSec ?? 0, 'requests/s (mixed load: cores × 1,000 ms ÷ server + client CPU ms per request, same run)', null),
      ceilings: {
        nodeHttpPerSec: atLeast(c.nodeHttp.perSec, 'requests/s (bare node:http, fixed JSON, 32 clients)', null),
        bareNestPerSec: atLeast(c.bareNest.perSec, 'requests/s (bare NestJS + Express, one route, no middleware)', null),
        bareNestTwoLoopsPerSec: atLeast(c.bareNestTwoLoops.perSec, 'requests/s (the same, two event loops by node:cluster)', null),
        /** The same bare app on @nestjs/platform-fastify (a devDependency for this row, ADR 0099): the lighter framework's floor. */
        bareNestFastifyPerSec: c.bareNestFastify ? atLeast(c.bareNestFastify.perSec, 'requests/s (the same bare app on Fastify, one loop)', null) : null,
        apiLivenessPerSec: atLeast(c.apiLiveness.perSec, 'requests/s (the API on GET /health/live: public, no store)', null),
        apiAuthenticatedNoStorePerSec: atLeast(c.apiAuthenticatedNoStore.perSec, 'requests/s (the API on GET /admin/api-keys: authenticated, key store only)', null),
        /** Server CPU per request of each layer, as differences between the ceilings and the loads of this run. */
        serverCpuMsPerRequestByLayer: {
          nodeHttp: c.nodeHttp.server?.cpuMsPerRequest ?? null,
          nestAndExpress: round((c.bareNest.server?.cpuMsPerRequest ?? 0) - (c.nodeHttp.server?.cpuMsPerRequest ?? 0)),
          nestAndFastify: c.bareNestFastify ? round((c.bareNestFastify.server?.cpuMsPerRequest ?? 0) - (c.nodeHttp.server?.cpuMsPerRequest ?? 0)) : null,
          apiMiddlewareAndEdge: round((c.apiLiveness.server?.cpuMsPerRequest ?? 0) - (c.bareNest.server?.cpuMsPerRequest ?? 0)),
          authentication: round((c.apiAuthenticatedNoStore.server?.cpuMsPerRequest ?? 0) - (c.apiLiveness.server?.cpuMsPerRequest ?? 0)),
          balanceReadBeyondAuthentication: round((http.readCeiling.server?.cpuMsPerRequest ?? 0) - (c.apiAuthenticatedNoStore.server?.cpuMsPerRequest ?? 0)),
          invoiceBeyondBalanceRead: round((http.invoices32.server?.cpuMsPerRequest ?? 0) - (http.readCeiling.server?.cpuMsPerRequest ?? 0)),
        },
        details: c,
      },
      /**
       * The command path alone (no HTTP, no load generator): what no framework nor edge could raise `POST /invoices`
       * above on this machine, and the share of an HTTP invoice's CPU that is the command's own.
       */
      commandPath: {
        invoicesPerSec: atLeast(cmdPath.perSec, 'invoices/s (32 concurrent IssueInvoice through the CommandBus, no HTTP, same run)', TARGETS.httpInvoicesPerSec),
        p99Ms: atMost(cmdPath.p99Ms, 'ms (p99 of one command, 32 concurrent)', TARGETS.httpP99Ms),
        cpuMsPerInvoice: atMost(cmdPath.cpuMsPerInvoice, 'ms CPU per invoice (load and projector catch-up)', null),
        httpToCommandPathRatio: atLeast(http.invoices32.perSec / cmdPath.perSec, 'HTTP invoices/s ÷ command-path invoices/s (same run)', null),
        details: cmdPath,
      },
      /**
       * Growth: one invoice, one at a time, for a customer already holding N open invoices, beside one for a customer
       * holding none (ADR 0118, 0120), and one payment without reference (allocated oldest first). Reported, no
       * target: the slope says what each open invoice still costs.
       */
      busyCustomer: {
        busiestRatioToIdle: atMost(busiest.busy.cpuMs / Math.max(1e-6, busiest.idle.cpuMs), `CPU of one invoice for a customer with ${busiest.openInvoices} open invoices ÷ for one with none`, null),
        busiestPaymentRatioToIdle: atMost(busiest.payment.busy.cpuMs / Math.max(1e-6, busiest.payment.idle.cpuMs), `CPU of one payment for a customer with ${busiest.openInvoices} open invoices ÷ for the other customer`, null),
        details: busy,
      },
      /** The previous round's figures (docs/performance.md), printed beside this run's. */
      before: HTTP_BEFORE,
      details: { invoices32: http.invoices32, mixed: http.mixed, readCeiling: http.readCeiling, customers: http.customers },
    },
    audit: audit.results,
    auth: auth.results,
    privacy: privacy.results,
    observability: observability.results,
    baseline: {
      rawDurableCommitsPerSec: atLeast(base.perSec, 'commits/s', null),
      rawGroupCommit32RowsPerSec: atLeast(group.perSec, 'rows/s', null),
      details: {
        commits: base.count, seconds: round(base.seconds), note: 'better-sqlite3, WAL, synchronous=FULL, one INSERT per transaction, events-table schema',
        group: {
          rows: group.count, seconds: round(group.seconds),
          note: 'same schema and pragmas, 32 INSERTs per transaction, keys as the 32-concurrent bench (256 streams, name-based UUID event ids): the storage ceiling of a full group commit',
        },
      },
    },
    appends: {
      sequentialPerSec: atLeast(seq.perSec, 'commands/s', TARGETS.ratioToBaseline * base.perSec),
      ratioToBaseline: atLeast(ratio, 'ratio', TARGETS.ratioToBaseline),
      concurrent32PerSec: atLeast(conc.perSec, 'commands/s', TARGETS.concurrent32PerSec),
      concurrent32RatioToRawGroup: atLeast(conc.perSec / group.perSec, 'ratio', null),
      details: {
        command: 'readStream(backward, maxCount 1) + chainEvents + append(exact expected revision), awaited',
        sequential: { commands: seq.count, seconds: round(seq.seconds), flushes: seq.flushes, avgGroup: round(seq.avgGroup) },
        concurrent32: { commands: conc.count, seconds: round(conc.seconds), flushes: conc.flushes, avgGroup: round(conc.avgGroup), largestGroup: conc.largestGroup },
      },
    },
    streamLoads: {
      perSec: atLeast(loads.perSec, 'loads/s', TARGETS.streamLoadsPerSec),
      details: { loads: loads.loads, seconds: round(loads.seconds), streams: loads.streams, eventsPerStream: loads.eventsPerStream },
    },
    rebuild: {
      eventsPerSec: atLeast(rebuild.eventsPerSec, 'log events/s', TARGETS.rebuildEventsPerSec),
      projectionEventsPerSec: atLeast(rebuild.projectionEventsPerSec, 'projection-events/s', null),
      blueGreenRatio: atLeast(rebuild.blueGreenRatio, 'blue/green ÷ in place', TARGETS.rebuildBlueGreenRatio),
      logReadCeilingEventsPerSec: atLeast(rebuild.logRead.eventsPerSec, 'log events/s', null),
      singleRatioToLogRead: Object.fromEntries(rebuild.single.map((s) => [s.projection, atLeast(s.ratioToLogRead, 'one projection alone ÷ log-read ceiling', TARGETS.rebuildSingleRatioToLogRead)])),
      allEventsPerSecIssue14: atLeast(rebuild.eventsPerSec, 'log events/s (all projections; issue 14 target)', TARGETS.rebuildAllEventsPerSecIssue14),
      parallelEventsPerSec: atLeast(rebuild.parallel?.eventsPerSec ?? 0, 'log events/s (all projections, a worker thread per core; issue 14 target)', TARGETS.rebuildAllEventsPerSecIssue14),
      stagedEventsPerSec: atLeast(rebuild.staged?.eventsPerSec ?? 0, 'log events/s (all projections, ar projections rebuild --workers <cores>, ADR 0119; issue 14 target)', TARGETS.rebuildAllEventsPerSecIssue14),
      boundEventsPerSec: atLeast(rebuild.bound.parallelEventsPerSec, 'log events/s at most on this machine: cores ÷ (cores × log read + Σ projections\' own CPU per event), same run', null),
      details: {
        note: 'best of alternating runs in one process, each into a fresh read store; in place = same runtime without generations, meta or swap',
        blueGreen: rebuild.blueGreen, inPlace: rebuild.inPlace, logRead: rebuild.logRead, single: rebuild.single, bound: rebuild.bound, parallel: rebuild.parallel, staged: rebuild.staged,
        events: rebuild.events, projections: rebuild.projections, seconds: round(rebuild.seconds),
        handledEvents: rebuild.handledEvents, handledPerSec: round(rebuild.handledEvents / rebuild.seconds),
        documents: rebuild.documents, logWriteSeconds: round(rebuild.loadSeconds),
      },
    },
    lists: {
      firstPageMs: atMost(lists.cases[0].medianMs, 'ms (median)', TARGETS.listFirstPageMs),
      details: {
        invoices: lists.invoices, customers: lists.customers, loadSeconds: round(lists.loadSeconds),
        note: 'ListInvoicesHandler over SQLite (filter, keyset page of 100, count, customer names); HTTP edge not included',
        cases: lists.cases.map((c) => ({ ...c, medianMs: round(c.medianMs), p95Ms: round(c.p95Ms), met: c.medianMs <= TARGETS.listFirstPageMs })),
      },
    },
    aging: {
      ms: atMost(aging.medianMs, 'ms (median)', TARGETS.agingMs),
      p95Ms: atMost(aging.p95Ms, 'ms (p95)', TARGETS.agingMs),
      details: {
        openItems: aging.matchedPerRun[0], documents: aging.documents, runsMs: aging.runsMs, asOfDates: aging.asOfDates,
        findMedianMs: round(aging.findMedianMs), reportMedianMs: round(aging.reportMedianMs), matchedPerRun: aging.matchedPerRun,
      },
    },
  };

  const checks: Array<[string, Result]> = [
    ['appends.ratioToBaseline', results.appends.ratioToBaseline],
    ['appends.concurrent32PerSec', results.appends.concurrent32PerSec],
    ['streamLoads.perSec', results.streamLoads.perSec],
    ['rebuild.eventsPerSec', results.rebuild.eventsPerSec],
    ['rebuild.blueGreenRatio', results.rebuild.blueGreenRatio],
    ...Object.entries(results.rebuild.singleRatioToLogRead).map(([name, r]) => [`rebuild.singleRatioToLogRead.${name}`, r] as [string, Result]),
    ['rebuild.allEventsPerSecIssue14', results.rebuild.allEventsPerSecIssue14],
    ['rebuild.stagedEventsPerSec', results.rebuild.stagedEventsPerSec],
    ['aging.ms', results.aging.ms],
    ['lists.firstPageMs', results.lists.firstPageMs],
    ...audit.checks,
    ...auth.checks,
    ['cash.wrongAutomatic', cash.results.wrongAutomatic as Result],
    ['cash.matchingSeconds', cash.results.matchingSeconds as Result],
    ...documents.checks,
    ['http.invoicesPerSec', results.http.invoicesPerSec],
    ['http.invoicesP99Ms', results.http.invoicesP99Ms],
    ['http.mixedPerSec', results.http.mixedPerSec],
    ['http.mixedP99Ms', results.http.mixedP99Ms],
    ['http.interactive.invoiceP99Ms', results.http.interactive.invoiceP99Ms],
    ['http.interactive.readP99Ms', results.http.interactive.readP99Ms],
    ['http.commandPath.invoicesPerSec', results.http.commandPath.invoicesPerSec],
    ['http.commandPath.p99Ms', results.http.commandPath.p99Ms],
  ];
  const missed = checks.filter(([, r]) => !r.met).map(([name]) => name);
  const doc = {
    startedAt,
    durationSeconds: round((now() - t0) / 1000),
    scale: SCALE,
    machine: { cpus: cpuList.length, cpuModel: cpuList[0]?.model ?? null, node: process.version, platform: `${process.platform}-${process.arch}` },
    ...results,
    summary: { allMet: missed.length === 0, missed },
  };
  const json = JSON.stringify(doc, null, 2);
  const file = resolve(process.cwd(), 'bench-results.json');
  writeFileSync(file, json + '\n');
  process.stdout.write(json + '\n');
  for (const [name, r] of checks) log(`${r.met ? 'MET   ' : 'MISSED'} ${name}: ${r.value} ${r.unit} (target ${r.target})`);
  log(`done in ${doc.durationSeconds} s; written to ${file}`);
}

main().catch((error) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
