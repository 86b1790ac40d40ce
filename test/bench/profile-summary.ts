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
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const n = byId.get(id)!;
    const l = label(n);
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
    `samples ${profile.samples.length}, wall ${(total / 1e6).toFixed(2)} s, busy ${(busy / 1e6).toFixed(2)} s (${pct(busy, total)}), idle ${(idle / 1e6).toFixed(2)} s`,
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
