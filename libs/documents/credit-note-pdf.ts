import type { CalendarDate } from '../domain/shared/dates';
import type { IssuedLine } from '../domain/invoice/invoice.events';
import type { VatRateAmount } from '../domain/shared/vat';
import { amountText, dateText, money, rateText } from './format';
import type { CompanyIdentity, CustomerProfile } from './identity';
import { buyerLines, sellerLines } from './parties';
import { block, CONTENT_WIDTH, createPdf, ensureSpace, finish, PAGE, paragraph, table, totals } from './pdf-writer';
import { LABELS } from './texts';

/** A credit note (avoir) as issued: CreditNoteIssued (upcast), the number of the invoice it corrects. */
export interface CreditNoteDocument {
  number: string;
  currency: string;
  issueDate: CalendarDate;
  /** The corrected invoice's number (CGI annex II art. 242 nonies A: the credit note names the invoice). */
  invoiceNumber: string | null;
  reason: string;
  lines: IssuedLine[];
  vatBreakdown: VatRateAmount[];
  charges: number;
  net: number;
  tax: number;
  total: number;
  appliedToInvoice: number;
  unapplied: number;
  recordedAt: string;
  seller: CompanyIdentity;
  buyer: CustomerProfile;
}

export async function renderCreditNotePdf(doc: CreditNoteDocument): Promise<Buffer> {
  const lang = doc.buyer.language;
  const l = LABELS[lang];
  const m = (minor: number) => amountText(minor, doc.currency, lang);
  const pdf = createPdf({ title: `${l.creditNote} ${doc.number}`, subject: `${l.creditNote} ${doc.number} — ${doc.buyer.name}`, author: doc.seller.name, lang, createdAt: new Date(doc.recordedAt) });
  const half = CONTENT_WIDTH / 2 - 10;
  const x = PAGE.margin + CONTENT_WIDTH / 2 + 10;
  pdf.font('Bold').fontSize(12).text(doc.seller.name, PAGE.margin, PAGE.margin, { width: half });
  pdf.font('Regular').fontSize(8.5);
  for (const line of sellerLines(doc.seller, l)) pdf.text(line, PAGE.margin, pdf.y, { width: half });
  const left = pdf.y;
  pdf.font('Bold').fontSize(16).text(l.creditNote, x, PAGE.margin, { width: half, align: 'right' });
  pdf.font('Regular').fontSize(9);
  const head = [`${l.number} : ${doc.number}`, `${l.issueDate} : ${dateText(doc.issueDate, lang)}`, ...(doc.invoiceNumber ? [`${l.againstInvoice} : ${doc.invoiceNumber}`] : [])];
  for (const line of head) pdf.text(line, x, pdf.y, { width: half, align: 'right' });
  const bottom = block(pdf, `${l.buyer} : ${doc.buyer.name}`, buyerLines(doc.buyer, l), x, Math.max(left, pdf.y) + 16, half);
  pdf.x = PAGE.margin;
  pdf.y = bottom + 18;
  paragraph(pdf, `${l.reason} : ${doc.reason}`, { gap: 0.6 });
  if (doc.lines.length > 0) {
    table(pdf, [
      { header: l.description, width: 215 }, { header: l.quantity, width: 45, align: 'right' }, { header: `${l.unitPrice} (${doc.currency})`, width: 80, align: 'right' },
      { header: l.taxRate, width: 50, align: 'right' }, { header: `${l.lineNet} (${doc.currency})`, width: CONTENT_WIDTH - 390, align: 'right' },
    ], doc.lines.map((line) => [line.description, line.quantity, m(line.unitPrice), rateText(line.taxRate, lang), m(line.net)]));
    pdf.moveDown(0.8);
  }
  if (doc.vatBreakdown.length > 0) {
    ensureSpace(pdf, 16 * (doc.vatBreakdown.length + 2));
  paragraph(pdf, l.vatBreakdown, { bold: true });
    table(pdf, [
      { header: l.vatRate, width: 80, align: 'right' }, { header: `${l.vatBase} (${doc.currency})`, width: 120, align: 'right' }, { header: `${l.vatAmount} (${doc.currency})`, width: 120, align: 'right' },
    ], doc.vatBreakdown.map((v) => [rateText(v.rate, lang), m(v.base), m(v.amount)]));
  }
  totals(pdf, [
    [l.totalNet, money(doc.net, doc.currency, lang)],
    [l.totalTax, money(doc.tax, doc.currency, lang)],
    [l.totalGross, money(doc.total, doc.currency, lang), true],
    ...(doc.invoiceNumber ? [[l.appliedToInvoice, money(doc.appliedToInvoice, doc.currency, lang)] as [string, string]] : []),
    [l.unapplied, money(doc.unapplied, doc.currency, lang)],
  ]);
  return finish(pdf, `${doc.seller.name} — ${l.siren} ${doc.seller.siren} — ${l.vat} ${doc.seller.vatNumber}`, l);
}
