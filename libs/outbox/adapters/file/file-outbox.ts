import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Outbox, OutboxMessage } from '../../outbox.port';

/**
 * Default outbox: each message becomes files a person can open in `<dataDir>/outbox`:
 * `<id>.txt` (headers + text), `<id>.html`, each attachment as `<id>.<its file name>` and `<id>.json` (the
 * message, attachments by name, type, size and SHA-256), written last. Each file is written to a temporary name
 * and renamed, so a message is there completely or not at all; an existing id is not written again.
 * Owner-only: the directory 0700, the files 0600 (reminders name customers and amounts).
 */
export class FileOutbox implements Outbox {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  async deliver(m: OutboxMessage): Promise<boolean> {
    const base = join(this.dir, safe(m.id));
    if (existsSync(`${base}.json`)) return false;
    const write = (file: string, content: string | Buffer) => {
      writeFileSync(`${file}.tmp`, content, { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    };
    write(`${base}.txt`, `To: ${m.to}\nSubject: ${m.subject}\nInvoice: ${m.invoiceId}\n\n${m.text}\n`);
    write(`${base}.html`, m.html);
    for (const a of m.attachments ?? []) write(`${base}.${safe(a.filename)}`, a.content);
    const attachments = (m.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.content.length, sha256: createHash('sha256').update(a.content).digest('hex') }));
    write(`${base}.json`, JSON.stringify({ ...m, attachments }, null, 2));
    return true;
  }
}

function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '_');
}
