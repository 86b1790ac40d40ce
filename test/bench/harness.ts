import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** One measured figure. `target` is null for reference figures (then `met` is true). */
export interface Result {
  value: number;
  unit: string;
  target: number | null;
  met: boolean;
}

/** At least `target` is good (throughputs). */
export function atLeast(value: number, unit: string, target: number | null): Result {
  return { value: round(value), unit, target: target === null ? null : round(target), met: target === null || value >= target };
}

/** At most `target` is good (latencies). */
export function atMost(value: number, unit: string, target: number | null): Result {
  return { value: round(value), unit, target: target === null ? null : round(target), met: target === null || value <= target };
}

export function round(x: number): number {
  if (!Number.isFinite(x)) return x;
  return Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000;
}

/** BENCH_SCALE (default 1) shrinks sizes and durations for a quick smoke run. */
export const SCALE = (() => {
  const raw = process.env.BENCH_SCALE;
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`BENCH_SCALE must be a positive number, got ${raw}`);
  return scale;
})();

export function scaled(n: number, min = 1): number {
  return Math.max(min, Math.round(n * SCALE));
}

/** Seconds of measurement, shrunk with the scale but never below 0.25 s. */
export function seconds(s: number): number {
  return Math.max(0.25, s * Math.min(1, SCALE));
}

export function now(): number {
  return performance.now();
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Runs `fn` in a fresh directory under the OS temp dir, removed afterwards. */
export async function inTempDir<T>(name: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `ar-bench-${name}-`));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Nearest-rank quantile (p95 of 10 samples is the largest). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  if (q === 0.5 && sorted.length % 2 === 0) return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Lets pending I/O and timers run (and the GC catch up a bit) between phases. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50));
}

/** What one timed pass over a number of events measured: wall seconds, events per second, CPU µs per event. */
export interface TimedRun { seconds: number; eventsPerSec: number; cpuUsPerEvent: number }

/** Wall and CPU time of `fn` over `events`; the CPU is the whole process's (user + system), worker threads included. */
export async function timedPerEvent(events: number, fn: () => Promise<unknown>): Promise<TimedRun> {
  const cpu = process.cpuUsage();
  const start = now();
  await fn();
  const seconds = (now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { seconds: round(seconds), eventsPerSec: round(events / seconds), cpuUsPerEvent: round((used.user + used.system) / events) };
}

/** A V8 CPU profile of this process from now until `stop(file)` writes it (for `profile-summary.js`). */
export async function startCpuProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  const post = (method: string) => new Promise<unknown>((ok, fail) => session.post(method, (err, r) => (err ? fail(err) : ok(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop(file) {
      try {
        const r = (await post('Profiler.stop')) as { profile: unknown };
        writeFileSync(file, JSON.stringify(r.profile));
      } finally {
        session.disconnect();
      }
    },
  };
}
