import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { RebuildProgress } from './rebuilder';

export interface RebuildProgressReporter {
  /** Pass to `Projector.rebuild` as `onProgress`. */
  readonly onProgress: (p: RebuildProgress) => void;
  /** Final line per projection; stops the bars. */
  done(): void;
}

export interface RebuildProgressOptions {
  /** Defaults to process.stdout. */
  stream?: NodeJS.WriteStream;
  /** Plain mode: at most one line per projection every `intervalMs` (default 2000). */
  intervalMs?: number;
  now?: () => number;
}

/**
 * Shows rebuild progress: one cli-progress bar per projection when the stream is a terminal, plain log
 * lines otherwise (CI logs, redirected output), so the same command works in both.
 */
export function rebuildProgress(options: RebuildProgressOptions = {}): RebuildProgressReporter {
  const stream = options.stream ?? process.stdout;
  const now = options.now ?? Date.now;
  const started = now();
  const last = new Map<string, RebuildProgress>();
  const rate = (p: RebuildProgress) => Math.round(p.events / Math.max(0.001, (now() - started) / 1000));

  if (stream.isTTY) {
    const multibar = new MultiBar(
      { stream, format: '{projection} [{bar}] {percentage}% | {value}/{total} | {rate} ev/s | ETA {eta_formatted}', hideCursor: true, fps: 5 },
      Presets.shades_classic,
    );
    const bars = new Map<string, SingleBar>();
    return {
      onProgress(p) {
        last.set(p.projection, p);
        // Events read against events to read (positions are opaque: no ratio of them, ADR 0061).
        const total = Math.max(1, p.total ?? p.events);
        let bar = bars.get(p.projection);
        if (!bar) {
          bar = multibar.create(total, 0, { projection: p.projection.padEnd(24), rate: 0 });
          bars.set(p.projection, bar);
        }
        bar.setTotal(total);
        bar.update(Math.min(p.events, total), { rate: rate(p) });
      },
      done() {
        multibar.stop();
        for (const p of last.values()) stream.write(summary(p, rate(p)));
      },
    };
  }

  const intervalMs = options.intervalMs ?? 2000;
  const printedAt = new Map<string, number>();
  return {
    onProgress(p) {
      const durableMoved = p.durable !== last.get(p.projection)?.durable;
      last.set(p.projection, p);
      // A line per interval, and one whenever the durable position moves (where a killed run would resume).
      if (!durableMoved && now() - (printedAt.get(p.projection) ?? -Infinity) < intervalMs) return;
      printedAt.set(p.projection, now());
      const percent = p.total === null ? '?' : p.total === 0 ? '100' : String(Math.min(100, Math.floor((p.events * 100) / p.total)));
      stream.write(`rebuild ${p.projection}: position ${p.position}/${p.head} (${percent}%), durable ${p.durable < 0 ? 'none yet' : p.durable}, ${p.events} events, ${rate(p)} ev/s\n`);
    },
    done() {
      for (const p of last.values()) stream.write(summary(p, rate(p)));
    },
  };
}

function summary(p: RebuildProgress, rate: number): string {
  return `rebuild ${p.projection}: done at position ${p.position}, ${p.events} events, ${rate} ev/s\n`;
}
