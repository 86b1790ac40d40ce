import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

interface Stage { from: string; name: string | null; instructions: Array<{ op: string; args: string }> }

/** Dockerfile → stages of instructions (line continuations joined, comments and parser directives dropped). */
export function parseDockerfile(text: string): Stage[] {
  const logical = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (!op) throw new Error(`unparsable Dockerfile line: ${line}`);
    if (op.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ from: m![1], name: m![2] ?? null, instructions: [] });
    } else {
      if (stages.length === 0) throw new Error(`${op} before FROM`);
      stages[stages.length - 1].instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

describe('the Dockerfile (docs/operations.md#deploy)', () => {
  const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const runtime = stages[stages.length - 1];
  const all = (op: string) => runtime.instructions.filter((i) => i.op === op).map((i) => i.args);

  it('is multi-stage: the toolchain stays in the build stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0].instructions.some((i) => i.op === 'RUN' && /g\+\+/.test(i.args))).toBe(true);
    expect(all('RUN').some((r) => /apt-get install|g\+\+|npm (ci|install)/.test(r))).toBe(false);
    expect(all('COPY').every((c) => c.includes(`--from=${stages[0].name}`))).toBe(true);
  });

  it('runs on the current Node LTS line (Node 26, even-numbered) in every stage', () => {
    for (const s of stages) {
      const m = /^node:(\d+)(-[a-z0-9-]+)?$/.exec(s.from);
      expect(m).not.toBeNull();
      expect(Number(m![1])).toBe(26);
    }
  });

  it('runs as a non-root user, with the data directory a volume', () => {
    const users = all('USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
    expect(all('VOLUME').join(' ')).toContain('/app/data');
    expect(all('ENV').join(' ')).toContain('AR_DATA_DIR=/app/data');
  });

  it('has a HEALTHCHECK on /health/live and starts the API', () => {
    const [health] = all('HEALTHCHECK');
    expect(health).toMatch(/--interval=\d+s/);
    expect(health).toContain('/health/live');
    expect(all('CMD')[0]).toContain('dist/apps/api/src/main.js');
    expect(all('ENV').join(' ')).toContain('AR_HOST=0.0.0.0');
  });

  it('includes the ar CLI on the PATH', () => {
    expect(all('COPY').some((c) => /\/app\/bin\s/.test(c))).toBe(true);
    expect(all('RUN').some((r) => r.includes('ln -s /app/bin/ar.js /usr/local/bin/ar'))).toBe(true);
  });

  it('ar runs the compiled CLI in an image that has dist/ and no sources (it never tries to build there)', () => {
    const image = mkdtempSync(join(tmpdir(), 'ar-image-'));
    try {
      mkdirSync(join(image, 'bin'));
      copyFileSync(join(ROOT, 'bin', 'ar.js'), join(image, 'bin', 'ar.js'));
      mkdirSync(join(image, 'dist', 'apps', 'cli', 'src'), { recursive: true });
      writeFileSync(join(image, 'dist', 'apps', 'cli', 'src', 'main.js'), "exports.cliMain = () => process.stdout.write('compiled cli ran ' + process.argv.slice(2).join(' '));\n");
      const out = execFileSync(process.execPath, [join(image, 'bin', 'ar.js'), 'verify', '--heads'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).toBe('compiled cli ran verify --heads');
    } finally {
      rmSync(image, { recursive: true, force: true });
    }
  });
});
