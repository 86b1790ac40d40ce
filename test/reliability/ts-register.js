'use strict';
/**
 * Minimal require hook for child processes spawned by reliability tests: transpiles .ts files with the
 * TypeScript compiler already in devDependencies (no ts-node here). Type checking is tsc's job, not this hook's.
 * Transpiled output is cached on disk by content (the crash suite starts many children over the same files).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const ts = require('typescript');

const CACHE = path.join(os.tmpdir(), `ar-ts-register-${ts.version}`);
fs.mkdirSync(CACHE, { recursive: true });

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(CACHE, `${key}.js`);
  let outputText;
  try {
    outputText = fs.readFileSync(cached, 'utf8');
  } catch {
    ({ outputText } = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        inlineSourceMap: true,
      },
    }));
    // Written aside then renamed: a concurrent child never reads half a file.
    const partial = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(partial, outputText);
    fs.renameSync(partial, cached);
  }
  module._compile(outputText, filename);
};
