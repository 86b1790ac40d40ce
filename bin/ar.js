#!/usr/bin/env node
'use strict';
/**
 * `ar` entry point (`npm run ar -- …`, `npx ar …`): builds the TypeScript first when dist/ is missing or
 * older than a source file (a fresh clone, a pull), then runs the compiled CLI.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const main = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

// An image ships dist/ without the sources: nothing to compare, nothing to build.
const sources = ['apps', 'libs', 'projections'].map((d) => join(root, d)).filter((d) => existsSync(d));
const stale = !existsSync(main) || sources.some((d) => newestSource(d) > statSync(main).mtimeMs);
if (stale) {
  process.stderr.write('ar: building (npm run build)…\n');
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
require(main).cliMain();
