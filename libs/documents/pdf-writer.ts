import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- fontkit ships no types; pdfkit accepts its Font objects.
const fontkit = require('fontkit') as { create(buffer: Buffer): unknown };
import type { DocumentLanguage } from './identity';

/**
 * pdfkit set up for documents that an auditor can hash (ADR 0073): the creation date comes from the fact the
 * document shows (never the clock), the metadata are fixed, the file ID is pdfkit's hash of that metadata, the
 * fonts (DejaVu Sans, shipped by the `dejavu-fonts-ttf` package) are embedded and subset in the order the text
 * uses them. PDF/A-3b: the profile Factur-X requires, and an archival format for every other document.
 */
export const PRODUCER = 'ar-engine documents';

/**
 * The fonts parsed once per process and handed to every document: parsing DejaVu Sans per document costs more
 * than the rest of an invoice. A document subsets its own glyphs, so sharing the parsed font keeps bytes equal.
 */
type FontSource = Parameters<Pdf['registerFont']>[1];
let fonts: { regular: FontSource; bold: FontSource } | null = null;
function parsedFonts(): { regular: FontSource; bold: FontSource } {
  const open = (file: string) => fontkit.create(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`))) as unknown as FontSource;
  fonts ??= { regular: open('DejaVuSans.ttf'), bold: open('DejaVuSans-Bold.ttf') };
  return fonts;
}

/** Parses the fonts now (at start-up) rather than on the first request. */
export function warmUpFonts(): void {
  parsedFonts();
}

export interface PdfMeta {
  title: string;
  subject: string;
  author: string;
  lang: DocumentLanguage;
  /** The instant the document's fact was recorded (or the date it is as of): CreationDate and xmp:CreateDate. */
  createdAt: Date;
}

export const PAGE = { width: 595.28, height: 841.89, margin: 48 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const FOOTER_Y = PAGE.height - PAGE.margin + 14;

export type Pdf = InstanceType<typeof PDFDocument>;

export function createPdf(meta: PdfMeta): Pdf {
  const doc = new PDFDocument({
    size: 'A4', margin: PAGE.margin, bufferPages: true, pdfVersion: '1.7', subset: 'PDF/A-3b', lang: meta.lang, displayTitle: true,
    info: { Title: meta.title, Subject: meta.subject, Author: meta.author, Creator: PRODUCER, Producer: PRODUCER, CreationDate: meta.createdAt },
  });
  const f = parsedFonts();
  doc.registerFont('Regular', f.regular);
  doc.registerFont('Bold', f.bold);
  doc.font('Regular').fontSize(9);
  return doc;
}

/** Writes "Page n / m" and the footer line on every page, then ends the document and collects its bytes. */
export function finish(doc: Pdf, footer: string, labels: { page: string; of: string }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Regular').fontSize(7).fillColor('#555555');
    doc.text(footer, PAGE.margin, FOOTER_Y, { width: CONTENT_WIDTH - 60, lineBreak: false });
    doc.text(`${labels.page} ${i + 1} ${labels.of} ${range.count}`, PAGE.width - PAGE.margin - 60, FOOTER_Y, { width: 60, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
    doc.fillColor('#000000');
  }
  doc.end();
  return done;
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

/**
 * A table from the current y: a bold header row, then the rows; a row that would cross the bottom margin goes
 * to a new page, which repeats the header. Returns the y below the table.
 */
export function table(doc: Pdf, columns: Column[], rows: string[][], x = PAGE.margin): number {
  const pad = 3;
  const header = () => {
    doc.font('Bold').fontSize(8);
    const h = Math.max(...columns.map((c) => doc.heightOfString(c.header, { width: c.width - 2 * pad }))) + 2 * pad;
    let cx = x;
    const y = doc.y;
    doc.rect(x, y, columns.reduce((s, c) => s + c.width, 0), h).fill('#e8e8e8').fillColor('#000000');
    for (const c of columns) {
      doc.text(c.header, cx + pad, y + pad, { width: c.width - 2 * pad, align: c.align ?? 'left' });
      cx += c.width;
    }
    doc.y = y + h;
  };
  header();
  doc.font('Regular').fontSize(8);
  for (const row of rows) {
    const h = Math.max(...row.map((cell, i) => doc.heightOfString(cell, { width: columns[i].width - 2 * pad }))) + 2 * pad;
    if (doc.y + h > PAGE.height - PAGE.margin) {
      doc.addPage();
      header();
      doc.font('Regular').fontSize(8);
    }
    const y = doc.y;
    let cx = x;
    row.forEach((cell, i) => {
      doc.text(cell, cx + pad, y + pad, { width: columns[i].width - 2 * pad, align: columns[i].align ?? 'left' });
      cx += columns[i].width;
    });
    doc.moveTo(x, y + h).lineTo(x + columns.reduce((s, c) => s + c.width, 0), y + h).lineWidth(0.3).strokeColor('#bbbbbb').stroke();
    doc.y = y + h;
  }
  doc.x = PAGE.margin;
  return doc.y;
}

/** Label/value pairs right-aligned under a table (the totals block). */
export function totals(doc: Pdf, pairs: Array<[string, string, boolean?]>): void {
  const w = 230;
  const x = PAGE.width - PAGE.margin - w;
  doc.moveDown(0.5);
  for (const [label, value, strong] of pairs) {
    if (doc.y + 14 > PAGE.height - PAGE.margin) doc.addPage();
    const y = doc.y;
    doc.font(strong ? 'Bold' : 'Regular').fontSize(strong ? 10 : 9);
    doc.text(label, x, y, { width: w - 110 });
    doc.text(value, x + w - 110, y, { width: 110, align: 'right' });
    doc.y = Math.max(doc.y, y + 13);
  }
  doc.x = PAGE.margin;
  doc.font('Regular').fontSize(9);
}

/** A block of lines at (x, y) with a bold heading; returns its bottom. */
export function block(doc: Pdf, heading: string, lines: string[], x: number, y: number, width: number): number {
  doc.font('Bold').fontSize(9).text(heading, x, y, { width });
  doc.font('Regular').fontSize(9);
  for (const l of lines) doc.text(l, x, doc.y, { width });
  return doc.y;
}

/** Moves to a new page unless `height` points still fit above the bottom margin (keeps a heading with its table). */
export function ensureSpace(doc: Pdf, height: number): void {
  if (doc.y + height > PAGE.height - PAGE.margin) doc.addPage();
}

/** A paragraph at the left margin, moving to a new page first when it would not fit. */
export function paragraph(doc: Pdf, text: string, options: { bold?: boolean; size?: number; gap?: number } = {}): void {
  doc.font(options.bold ? 'Bold' : 'Regular').fontSize(options.size ?? 9);
  const h = doc.heightOfString(text, { width: CONTENT_WIDTH });
  if (doc.y + h > PAGE.height - PAGE.margin) doc.addPage();
  doc.text(text, PAGE.margin, doc.y, { width: CONTENT_WIDTH });
  if (options.gap) doc.moveDown(options.gap);
  doc.font('Regular').fontSize(9);
}
