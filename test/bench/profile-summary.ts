/**
 * Text summary of a V8 CPU profile (`node --cpu-prof`): the top frames by self time, and the inclusive time of the
 * frames whose function name matches one of the given names (each counted once per sample, recursion included).
 *
 *   node dist/test/bench/profile-summary.js PROFILE.cpuprofile [TOP=25] [name,name,…]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/**
 * Where a command's CPU goes: each sample goes to the first stage of this list with a frame on its stack (so the
 * projector's work is the projector's even when it runs inside a commit callback): the stages of docs/performance.md.
 */
const PROBE = 'bench probe (the profiler session itself)';

export const STAGES: ReadonlyArray<[string, (f: Node['callFrame']) => boolean]> = [
  [PROBE, (f) => f.url.includes('/test/bench/http-probe') && !f.functionName.startsWith('proto.') && !f.functionName.includes('commitBatch')],
  ['projector (live batches, read-store commits)', (f) => f.url.includes('/projection-runtime/') || f.url.includes('/projections/')],
  ['process manager (workflow steps from the log)', (f) => f.url.includes('/process-manager.js')],
  ['event store: group commit (write + fsync)', (f) => f.functionName === 'flush' && f.url.includes('sqlite-event-store')],
  ['authentication (API key lookup)', (f) => f.url.includes('/auth/') || f.url.includes('/identity/')],
  ['idempotency (Idempotency-Key records)', (f) => f.url.includes('/http/idempotency')],
  ['command gate (closed periods)', (f) => f.url.includes('/periods/command-gate')],
  ['credit standing (freshness wait, read models)', (f) => f.url.includes('/credit-standing') || f.url.includes('/read-models')],
  ['numbering (series tail, pending reservations)', (f) => f.url.includes('/commands/invoice-numbering') && f.functionName !== 'issueWithNextNumber'],
  ['command handler (stream loads, decide, chain)', (f) => f.url.includes('/libs/application/') || f.url.includes('/libs/domain/')],
  ['validation and DTO transform', (f) => f.url.includes('class-validator') || f.url.includes('class-transformer') || f.url.includes('/http/validation')],
  ['HTTP edge, Nest and Express (parse, route, respond)', (f) => f.url.includes('/apps/api/') || f.url.includes('@nestjs') || f.url.includes('express') || f.url.includes('router') || f.url.includes('body-parser') || f.url.includes('rxjs') || f.url.startsWith('node:_http') || f.url.startsWith('node:net')],
];

/**
 * The module a JS frame belongs to, for the self-time-by-module summary (issue 14): a package of node_modules
 * (Nest's packages together, Express with its router and parsers), Node's own HTTP/stream internals, or our code by
 * top-level folder. A native frame (better-sqlite3's `run`, the socket's `writev`, `JSON.parse`) has no URL: it is
 * counted to the module of the nearest JS frame that called it, so SQLite's time lands on the code that ran the SQL.
 */
export function moduleOf(url: string): string | null {
  if (!url) return null;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    const name = pkg[1];
    if (name.startsWith('@nestjs/')) return 'Nest (@nestjs/*)';
    if (['express', 'router', 'body-parser', 'path-to-regexp', 'raw-body', 'finalhandler', 'send', 'serve-static', 'type-is', 'content-type', 'qs', 'on-finished', 'depd', 'iconv-lite'].includes(name)) return 'Express (router, body-parser, response)';
    if (name.startsWith('pino') || name === 'sonic-boom' || name === 'fast-redact' || name === 'thread-stream' || name === 'nestjs-pino') return 'pino / pino-http (access logs)';
    if (name === 'class-validator' || name === 'class-transformer' || name === 'validator' || name === 'libphonenumber-js') return 'class-validator / class-transformer';
    if (name === 'prom-client' || name === 'tdigest' || name === 'bintrees') return 'prom-client (metrics)';
    if (name === 'rxjs') return 'rxjs (Nest interceptors)';
    return name;
  }
  if (url.startsWith('node:')) {
    if (/^node:(_http|http|net|stream|internal\/(http|streams|stream_base|net|js_stream))/.test(url)) return 'node: http, net, streams';
    if (/async_hooks|async_local_storage/.test(url)) return 'node: async_hooks (AsyncLocalStorage)';
    return 'node: other internals';
  }
  const ours = /\/dist\/(apps\/api\/src\/[^/]+|libs\/[^/]+(?:\/adapters\/[^/]+)?|projections|test\/bench)\//.exec(url);
  if (ours) {
    const where = ours[1];
    if (where === 'apps/api/src/auth' || where.startsWith('libs/identity')) return 'ours: authentication (guard, API keys)';
    if (where.startsWith('libs/read-store') || where === 'projections' || where === 'libs/projection-runtime') return `ours: ${where.startsWith('libs/read-store') ? 'read store (SQLite)' : 'projections and projector'}`;
    if (where.startsWith('libs/event-store')) return 'ours: event store (SQLite)';
    if (where.startsWith('libs/domain')) return 'ours: domain (decide/evolve)';
    if (where.startsWith('libs/application')) return 'ours: application (handlers, ports)';
    if (where === 'apps/api/src/http') return 'ours: API edge (http/: edge, observability, idempotency, freshness)';
    if (where.startsWith('apps/api/src')) return 'ours: API controllers';
    return `ours: ${where}`;
  }
  return 'other code';
}

function stageOf(stack: Array<Node['callFrame']>): string {
  for (const [name, match] of STAGES) if (stack.some(match)) return name;
  return 'other (GC, runtime, I/O callbacks)';
}

export function summarise(profile: Profile, top = 25, names: readonly string[] = []): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: Node) => {
    const f = n.callFrame;
    const where = f.url ? `${relative(process.cwd(), f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}` : '';
    return `${f.functionName || '(anonymous)'} ${where}`.trim();
  };
  const self = new Map<string, number>();
  const stages = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const modules = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const n = byId.get(id)!;
    let l = label(n);
    if (!l.startsWith('(idle)')) {
      const stack: Array<Node['callFrame']> = [];
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) stack.push(byId.get(cur)!.callFrame);
      const stage = stageOf(stack);
      // The profiler's own session work is not the API's: counted apart, like idle time.
      if (stage === PROBE) l = '(idle) profiler session';
      else {
        stages.set(stage, (stages.get(stage) ?? 0) + dt);
        const f = n.callFrame;
        let mod = f.url ? moduleOf(f.url) : null;
        if (mod === null) {
          if (f.functionName === '(garbage collector)') mod = 'GC';
          else if (f.functionName === '(program)') mod = 'V8 / runtime (program)';
          else mod = stack.map((c) => moduleOf(c.url)).find((m) => m !== null) ?? 'native, no JS caller';
        }
        // better-sqlite3 is a thin wrapper: its time (the SQL itself) is shown with the code that ran the statement.
        if (mod === 'better-sqlite3') mod = `SQLite, called by ${stack.map((c) => moduleOf(c.url)).find((m) => m !== null && m !== 'better-sqlite3') ?? 'unknown'}`;
        modules.set(mod, (modules.get(mod) ?? 0) + dt);
      }
    }
    self.set(l, (self.get(l) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur)!.callFrame.functionName;
      if (names.includes(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
      }
    }
  });
  const idle = [...self.entries()].filter(([l]) => l.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0);
  const busy = total - idle;
  const pct = (v: number, of: number) => `${((100 * v) / of).toFixed(1)} %`;
  const lines = [
    `samples ${profile.samples.length}, wall ${(total / 1e6).toFixed(2)} s, busy ${(busy / 1e6).toFixed(2)} s (${pct(busy, total)}), idle ${(idle / 1e6).toFixed(2)} s (profiler session included)`,
    'busy time by stage of the command path (first stage of this list found on the stack):',
    ...[...stages.entries()].sort((a, b) => b[1] - a[1]).map(([l, v]) => `  ${pct(v, busy).padStart(7)}  ${(v / 1000).toFixed(0).padStart(6)} ms  ${l}`),
    'self time by module (native frames counted to their nearest JS caller):',
    ...[...modules.entries()].sort((a, b) => b[1] - a[1]).map(([l, v]) => `  ${pct(v, busy).padStart(7)}  ${(v / 1000).toFixed(0).padStart(6)} ms  ${l}`),
    `top ${top} frames by self time (share of busy time):`,
    ...[...self.entries()].filter(([l]) => !l.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)
      .map(([l, v]) => `  ${pct(v, busy).padStart(7)}  ${(v / 1000).toFixed(0).padStart(6)} ms  ${l}`),
  ];
  if (names.length > 0) {
    lines.push('inclusive time of selected frames (share of busy time):');
    for (const name of names) lines.push(`  ${pct(inclusive.get(name) ?? 0, busy).padStart(7)}  ${name}`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  const [file, top, names] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: profile-summary PROFILE.cpuprofile [TOP] [name,name,…]\n');
    process.exit(2);
  }
  process.stdout.write(summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, top ? Number(top) : 25, names ? names.split(',') : []) + '\n');
}
