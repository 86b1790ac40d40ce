import { amountText, dateText, money, rateText } from './format';
import { legalMentions, type InvoiceDocument } from './invoice-document';
import { buyerLines, sellerLines } from './parties';
import { block, CONTENT_WIDTH, createPdf, ensureSpace, finish, PAGE, paragraph, table, totals, type Pdf } from './pdf-writer';
import { LABELS } from './texts';
import { FACTUR_X_FILENAME, embedFacturX } from './factur-x';

/**
 * The invoice as a PDF/A-3b with every mandatory mention (Code de commerce L441-9, D441-5; CGI annex II art.
 * 242 nonies A) and, when given, its CII XML embedded as `factur-x.xml` (Factur-X EN 16931). Same invoice,
 * same bytes: nothing here reads the clock.
 */
export async function renderInvoicePdf(doc: InvoiceDocument, ciiXml: string | null): Promise<Buffer> {
  const l = LABELS[doc.lang];
  const title = `${l.invoice} ${doc.number}`;
  const pdf = createPdf({ title, subject: `${l.invoice} ${doc.number} — ${doc.buyer.name}`, author: doc.seller.name, lang: doc.lang, createdAt: new Date(doc.recordedAt) });
  if (ciiXml !== null) embedFacturX(pdf, ciiXml, new Date(doc.recordedAt));
  header(pdf, doc);
  const m = (minor: number) => amountText(minor, doc.currency, doc.lang);
  table(pdf, [
    { header: l.description, width: 215 }, { header: l.quantity, width: 45, align: 'right' }, { header: `${l.unitPrice} (${doc.currency})`, width: 80, align: 'right' },
    { header: l.taxRate, width: 50, align: 'right' }, { header: `${l.lineNet} (${doc.currency})`, width: CONTENT_WIDTH - 390, align: 'right' },
  ], doc.lines.map((line) => [line.description, line.quantity, m(line.unitPrice), rateText(line.taxRate, doc.lang), m(line.net)]));
  pdf.moveDown(0.8);
  ensureSpace(pdf, 16 * (doc.vatBreakdown.length + 2));
  paragraph(pdf, l.vatBreakdown, { bold: true });
  table(pdf, [
    { header: l.vatRate, width: 80, align: 'right' }, { header: `${l.vatBase} (${doc.currency})`, width: 120, align: 'right' }, { header: `${l.vatAmount} (${doc.currency})`, width: 120, align: 'right' },
  ], doc.vatBreakdown.map((v) => [rateText(v.rate, doc.lang), m(v.base), m(v.amount)]));
  totals(pdf, [
    [l.totalNet, money(doc.net, doc.currency, doc.lang)],
    [l.totalTax, money(doc.tax, doc.currency, doc.lang)],
    [l.totalGross, money(doc.total, doc.currency, doc.lang)],
    [l.amountDue, money(doc.total, doc.currency, doc.lang), true],
  ]);
  pdf.moveDown(1);
  paragraph(pdf, `${l.paymentTerms} — ${l.dueDate} : ${dateText(doc.dueDate, doc.lang)}`, { bold: true, gap: 0.2 });
  for (const mention of legalMentions(doc)) paragraph(pdf, mention, { gap: 0.2 });
  if (doc.seller.iban) paragraph(pdf, `${l.iban} ${doc.seller.iban}${doc.seller.bic ? ` — ${l.bic} ${doc.seller.bic}` : ''}`, { gap: 0.2 });
  const footer = `${doc.seller.name} — ${l.siren} ${doc.seller.siren} — ${l.vat} ${doc.seller.vatNumber}${ciiXml !== null ? ` — Factur-X EN 16931 (${FACTUR_X_FILENAME})` : ''}`;
  return finish(pdf, footer, l);
}

function header(pdf: Pdf, doc: InvoiceDocument): void {
  const l = LABELS[doc.lang];
  const top = PAGE.margin;
  const half = CONTENT_WIDTH / 2 - 10;
  pdf.font('Bold').fontSize(12).text(doc.seller.name, PAGE.margin, top, { width: half });
  pdf.font('Regular').fontSize(8.5);
  for (const line of sellerLines(doc.seller, l)) pdf.text(line, PAGE.margin, pdf.y, { width: half });
  const left = pdf.y;
  const x = PAGE.margin + CONTENT_WIDTH / 2 + 10;
  pdf.font('Bold').fontSize(16).text(l.invoice, x, top, { width: half, align: 'right' });
  pdf.font('Regular').fontSize(9);
  for (const line of [`${l.number} : ${doc.number}`, `${l.issueDate} : ${dateText(doc.issueDate, doc.lang)}`, `${l.saleDate} : ${dateText(doc.issueDate, doc.lang)}`, `${l.dueDate} : ${dateText(doc.dueDate, doc.lang)}`]) {
    pdf.text(line, x, pdf.y, { width: half, align: 'right' });
  }
  const y = Math.max(left, pdf.y) + 16;
  const bottom = block(pdf, `${l.buyer} : ${doc.buyer.name}`, buyerLines(doc.buyer, l), x, y, half);
  pdf.x = PAGE.margin;
  pdf.y = bottom + 18;
}
