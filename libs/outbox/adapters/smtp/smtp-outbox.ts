import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type { Outbox, OutboxMessage } from '../../outbox.port';

/**
 * SMTP outbox (nodemailer). Sent ids are appended to a ledger file so that a message retried after a crash
 * or re-driven by the process manager is not mailed twice (at-most-once per id once the ledger line is
 * written; a crash between sending and writing it can send one duplicate).
 */
export class SmtpOutbox implements Outbox {
  private readonly transport: Transporter;
  private readonly sent: Set<string>;

  /** `transport`: an smtp:// URL, or nodemailer transport options (tests use `{ jsonTransport: true }`). */
  constructor(transport: string | Parameters<typeof createTransport>[0], private readonly from: string, private readonly ledger: string) {
    this.transport = createTransport(transport as string);
    mkdirSync(dirname(ledger), { recursive: true, mode: 0o700 });
    this.sent = new Set(existsSync(ledger) ? readFileSync(ledger, 'utf8').split('\n').filter(Boolean) : []);
  }

  async deliver(m: OutboxMessage): Promise<boolean> {
    if (this.sent.has(m.id)) return false;
    await this.transport.sendMail({ from: this.from, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: `<${m.id}@ar-engine>`,
      attachments: (m.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    });
    appendFileSync(this.ledger, `${m.id}\n`, { mode: 0o600 });
    this.sent.add(m.id);
    return true;
  }
}
