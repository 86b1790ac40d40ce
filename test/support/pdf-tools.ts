import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * poppler-utils (Debian) over a PDF held in memory: pdftotext for the text a reader sees, pdfinfo for the
 * metadata, pdfdetach for the embedded files. `.ci/run` installs the package.
 */
function withFile<T>(pdf: Buffer, run: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ar-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return run(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The text as laid out (`-layout`: a table row stays on one line), whitespace runs collapsed to one space so
 * that a mention wrapped across lines reads as one.
 */
export function pdfText(pdf: Buffer): string {
  return withFile(pdf, (file) => execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })).replace(/\s+/g, ' ');
}

export function pdfInfo(pdf: Buffer, meta = false): string {
  return withFile(pdf, (file) => execFileSync('pdfinfo', [...(meta ? ['-meta'] : []), '-isodates', file], { encoding: 'utf8' }));
}

/** The embedded files: name → bytes. */
export function pdfAttachments(pdf: Buffer): Map<string, Buffer> {
  return withFile(pdf, (file, dir) => {
    const list = execFileSync('pdfdetach', ['-list', file], { encoding: 'utf8' });
    const names = list.split('\n').slice(1).map((l) => /^\d+: (.*)$/.exec(l.trim())?.[1]).filter((n): n is string => !!n);
    const out = new Map<string, Buffer>();
    names.forEach((name, i) => {
      const target = join(dir, `attachment-${i + 1}`);
      execFileSync('pdfdetach', ['-save', String(i + 1), '-o', target, file]);
      out.set(name, readFileSync(target));
    });
    return out;
  });
}
