import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReminder } from '../application/dunning/templates';
import { FileOutbox } from './adapters/file/file-outbox';
import { SmtpOutbox } from './adapters/smtp/smtp-outbox';
import type { OutboxMessage } from './outbox.port';

const message: OutboxMessage = { id: 'evt-1', to: 'ap@example.com', subject: 'S', text: 'T', html: '<p>T</p>', customerId: 'c1', invoiceId: 'i1' };

describe('outbox adapters', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ar-outbox-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('file: writes text, HTML and JSON a person can open, once per id', async () => {
    const outbox = new FileOutbox(join(dir, 'outbox'));
    expect(await outbox.deliver(message)).toBe(true);
    expect(await outbox.deliver({ ...message, subject: 'changed' })).toBe(false);
    expect(readdirSync(join(dir, 'outbox')).sort()).toEqual(['evt-1.html', 'evt-1.json', 'evt-1.txt']);
    expect(readFileSync(join(dir, 'outbox', 'evt-1.txt'), 'utf8')).toBe('To: ap@example.com\nSubject: S\nInvoice: i1\n\nT\n');
  });

  it('file: an attachment is written beside the message as <id>.<file name>; the JSON lists it with its size and SHA-256, not its bytes', async () => {
    const outbox = new FileOutbox(join(dir, 'outbox'));
    const content = Buffer.from('%PDF-1.7 letter');
    expect(await outbox.deliver({ ...message, attachments: [{ filename: 'INV-000001-level-1.pdf', contentType: 'application/pdf', content }] })).toBe(true);
    expect(readdirSync(join(dir, 'outbox')).sort()).toEqual(['evt-1.INV-000001-level-1.pdf', 'evt-1.html', 'evt-1.json', 'evt-1.txt']);
    expect(readFileSync(join(dir, 'outbox', 'evt-1.INV-000001-level-1.pdf')).equals(content)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'outbox', 'evt-1.json'), 'utf8')).attachments).toEqual([{
      filename: 'INV-000001-level-1.pdf', contentType: 'application/pdf', size: 15,
      sha256: createHash('sha256').update(content).digest('hex'),
    }]);
  });

  it('smtp (nodemailer): sends once per id, remembered across restarts in its ledger', async () => {
    const ledger = join(dir, 'smtp-sent.log');
    const first = new SmtpOutbox({ jsonTransport: true }, 'ar@example.com', ledger);
    expect(await first.deliver(message)).toBe(true);
    expect(await first.deliver(message)).toBe(false);
    expect(await new SmtpOutbox({ jsonTransport: true }, 'ar@example.com', ledger).deliver(message)).toBe(false);
    expect(readFileSync(ledger, 'utf8')).toBe('evt-1\n');
  });
});

describe('reminder templates', () => {
  const event = { invoiceId: 'i1', customerId: 'c1', level: 1, name: 'First reminder', action: 'reminder' as const, template: 'reminder-1', language: 'en', asOf: '2026-02-07', daysPastDue: 7, outstanding: 120_000, creditHold: false };
  const figures = { number: 'INV-000001', currency: 'EUR', dueDate: '2026-01-31', asOf: '2026-02-07', daysLate: 7, principal: 120_000, interest: 0, annualRatesBp: [], compensation: 0, compensationBasis: null, total: 120_000, deadline: '2026-02-15' };
  it('renders English and French, text and escaped HTML, with the figures', () => {
    const en = renderReminder({ customerName: 'ACME <SAS>', invoiceNumber: 'INV-000001', dueDate: '2026-01-31', currency: 'EUR', event, figures });
    expect(en.subject).toBe('Reminder: invoice INV-000001 was due on 2026-01-31');
    expect(en.text).toMatch(/7 days late\)/);
    expect(en.text).toMatch(/Principal outstanding : 1200.00 EUR\nTotal owed as of 2026-02-07 : 1200.00 EUR\nTo be paid by 2026-02-15/);
    expect(en.html).toMatch(/^<!doctype html>\n<html lang="en">/);
    // No interest and no indemnity were charged: the letter names neither (ADR 0039).
    expect(en.text).not.toMatch(/interest|compensation/i);
  });
  it('a formal notice states the interest with its rate and the EUR 40 only when charged, the total and the deadline', () => {
    const charged = { ...figures, asOf: '2026-03-10', daysLate: 38, interest: 1_519, annualRatesBp: [1215], compensation: 4_000, total: 125_519, deadline: '2026-03-18' };
    const fr = renderReminder({ customerName: 'ACME', invoiceNumber: 'INV-000001', dueDate: '2026-01-31', currency: 'EUR', event: { ...event, language: 'fr', template: 'formal-notice' }, figures: charged });
    expect(fr.subject).toBe('Mise en demeure : facture INV-000001');
    expect(fr.text).toContain('Pénalités de retard au taux annuel de 12.15 % (article L441-10 du Code de commerce) : 15.19 EUR');
    expect(fr.text).toContain('Indemnité forfaitaire pour frais de recouvrement (article D441-5 du Code de commerce) : 40.00 EUR');
    expect(fr.text).toContain('Nous vous mettons en demeure de régler la somme de 1255.19 EUR au plus tard le 2026-03-18 (article 1344 du Code civil)');
    const without = renderReminder({ customerName: 'ACME', invoiceNumber: 'INV-000001', dueDate: '2026-01-31', currency: 'EUR', event: { ...event, language: 'fr', template: 'formal-notice' }, figures: { ...charged, compensation: 0, total: 121_519 } });
    expect(without.text).not.toContain('Indemnité forfaitaire');
  });
  it('on a USD invoice, states the EUR 40 and the due date\'s rate it was converted at (D441-5, ADR 0053)', () => {
    // EUR 40 × 1.5 USD per EUR = 60.00 USD.
    const usd = { ...figures, currency: 'USD', interest: 0, compensation: 6_000, compensationBasis: { eur: 4_000, rate: '1.5', rateDate: '2026-01-30' }, total: 126_000 };
    const ctx = { customerName: 'Globex', invoiceNumber: 'INV-000001', dueDate: '2026-01-31', currency: 'USD', event: { ...event, template: 'formal-notice' }, figures: usd };
    expect(renderReminder(ctx).text).toContain('Fixed recovery compensation (Directive 2011/7/EU, art. 6) : 60.00 USD (EUR 40.00 at 1.5 USD per EUR of 2026-01-30)');
    expect(renderReminder({ ...ctx, event: { ...ctx.event, language: 'fr' } }).text)
      .toContain('Indemnité forfaitaire pour frais de recouvrement (article D441-5 du Code de commerce) : 60.00 USD (40.00 EUR au cours de 1.5 USD pour 1 EUR du 2026-01-30)');
  });
});
