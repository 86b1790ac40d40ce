import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (/\.(ts|js)$/.test(name) && !/\.(spec|e2e-spec)\.ts$|\.fixtures\.ts$|\/testing\.ts$/.test(path)) out.push(path);
  }
  return out;
}

/** Every environment variable the code reads: `env.NAME`, `env['NAME']`, `process.env.NAME` and the config helpers' `(env, 'NAME'`. */
export function variablesRead(files: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [/\benv\.([A-Z][A-Z0-9_]*)/g, /\benv\[['"]([A-Z][A-Z0-9_]*)['"]\]/g, /\(env, '([A-Z][A-Z0-9_]*)'/g];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const p of patterns) for (const m of text.matchAll(p)) if (!found.has(m[1])) found.set(m[1], file.slice(ROOT.length + 1));
  }
  return found;
}

/** The variables named in the first column of docs/operations.md's configuration table. */
export function variablesDocumented(markdown: string): Set<string> {
  const section = markdown.split(/^### Configuration variables$/m)[1]?.split(/^#{2,3} /m)[0] ?? '';
  const names = new Set<string>();
  for (const row of section.split('\n').filter((l) => l.startsWith('| `'))) {
    const first = row.split('|')[1];
    for (const m of first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(m[1]);
  }
  return names;
}

describe('the configuration table of docs/operations.md', () => {
  const read = variablesRead(['libs', 'apps', 'projections', 'bin'].flatMap((d) => sources(join(ROOT, d))));
  const documented = variablesDocumented(readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8'));

  it('finds the variables the code reads (the scan works)', () => {
    expect(read.get('PORT')).toBe('libs/application/config.ts');
    expect(read.has('AR_JOURNAL_ACCOUNTS')).toBe(true);
    expect(read.size).toBeGreaterThan(50);
    expect(variablesDocumented('### Configuration variables\n| variable | default |\n|---|---|\n| `A_B`, `C` | x |\n## Next\n| `D` | y |')).toEqual(new Set(['A_B', 'C']));
  });

  it('lists every variable the code reads', () => {
    expect([...read.entries()].filter(([name]) => !documented.has(name)).map(([name, file]) => `${name} (read in ${file})`)).toEqual([]);
  });

  it('lists no variable the code does not read', () => {
    expect([...documented].filter((name) => !read.has(name))).toEqual([]);
  });
});
