import type { CalendarDate } from '../domain/shared/dates';
import { dateText } from './format';
import type { CompanyIdentity, CustomerProfile } from './identity';
import { buyerLines, sellerLines } from './parties';
import { CONTENT_WIDTH, createPdf, finish, PAGE, paragraph } from './pdf-writer';
import { LABELS } from './texts';

/** A dunning letter: the reminder's subject and text (ADR 0039: the engine's figures) on the seller's letterhead. */
export interface LetterDocument {
  subject: string;
  /** Paragraphs separated by blank lines, as the e-mail's text. */
  text: string;
  date: CalendarDate;
  reference: string;
  seller: CompanyIdentity;
  buyer: CustomerProfile;
  lang: 'fr' | 'en';
}

export async function renderLetterPdf(doc: LetterDocument): Promise<Buffer> {
  const l = LABELS[doc.lang];
  const pdf = createPdf({ title: doc.subject, subject: `${doc.reference} — ${doc.buyer.name}`, author: doc.seller.name, lang: doc.lang, createdAt: new Date(`${doc.date}T00:00:00.000Z`) });
  const half = CONTENT_WIDTH / 2 - 10;
  pdf.font('Bold').fontSize(12).text(doc.seller.name, PAGE.margin, PAGE.margin, { width: half });
  pdf.font('Regular').fontSize(8.5);
  for (const line of sellerLines(doc.seller, l)) pdf.text(line, PAGE.margin, pdf.y, { width: half });
  const x = PAGE.margin + CONTENT_WIDTH / 2 + 10;
  pdf.font('Bold').fontSize(10).text(doc.buyer.name, x, pdf.y + 24, { width: half });
  pdf.font('Regular').fontSize(9);
  for (const line of buyerLines(doc.buyer, l)) pdf.text(line, x, pdf.y, { width: half });
  pdf.moveDown(1.5);
  pdf.text(`${l.letterDate} ${dateText(doc.date, doc.lang)}`, x, pdf.y, { width: half });
  pdf.x = PAGE.margin;
  pdf.moveDown(1.5);
  paragraph(pdf, `${l.subject} : ${doc.subject}`, { bold: true, size: 10, gap: 1 });
  for (const p of doc.text.split('\n\n')) paragraph(pdf, p, { gap: 0.8 });
  return finish(pdf, `${doc.seller.name} — ${l.siren} ${doc.seller.siren} — ${doc.reference}`, l);
}
