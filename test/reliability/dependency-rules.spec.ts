import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * The dependency rules are alive (ADR 0068): in a scratch copy of the tree (a git repository of its own; node_modules a symbolic link, so resolved paths read ../…/node_modules/…), the clean
 * tree passes `npm run lint:deps`, and each committed violating import makes it fail, naming the rule.
 */
describe('npm run lint:deps on a scratch copy of the tree', () => {
  let dir: string;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: dir, stdio: 'pipe' });
  const lint = () => {
    // No colours (CI=true makes the reporter colour its output), and any that slip through removed.
    const r = spawnSync('npm', ['run', '--silent', 'lint:deps'], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    return { status: r.status, out: `${r.stdout}${r.stderr}`.replace(/\u001b\[[0-9;]*m/g, '') };
  };
  /** Commits one violating line at the top of a file, lints, and restores the file (another commit). */
  const violate = (file: string, line: string) => {
    const path = join(dir, file);
    const before = readFileSync(path, 'utf8');
    writeFileSync(path, `${line}\n${before}`);
    git('commit', '-qam', `violation in ${file}`);
    const result = lint();
    writeFileSync(path, before);
    git('commit', '-qam', `revert ${file}`);
    return result;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ar-depcruise-'));
    for (const entry of ['libs', 'projections', 'apps', '.dependency-cruiser.js', 'tsconfig.json', 'package.json']) {
      cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'scratch copy');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes on the clean tree', () => {
    const r = lint();
    expect(r.out).toContain('no dependency violations found');
    expect(r.status).toBe(0);
  });

  it('fails when the domain imports a framework (domain-no-frameworks)', () => {
    const r = violate('libs/domain/shared/money.ts', "import '@nestjs/common';");
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/error domain-no-frameworks: libs\/domain\/shared\/money\.ts → \S*node_modules\/@nestjs\/common/);
  });

  it('fails when a port imports a driver (ports-know-no-adapters, the driver half)', () => {
    const r = violate('libs/event-store/event-store.port.ts', "import 'better-sqlite3';");
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/error ports-know-no-adapters: libs\/event-store\/event-store\.port\.ts → \S*node_modules\/better-sqlite3/);
  });

  it('fails when the projection runtime imports a driver that is not even installed (matched by its bare name)', () => {
    const r = violate('libs/projection-runtime/lag.ts', "import 'mongodb/lib/not-a-module-of-it';");
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/ports-know-no-adapters: libs\/projection-runtime\/lag\.ts → mongodb\/lib\/not-a-module-of-it/);
  });
});
