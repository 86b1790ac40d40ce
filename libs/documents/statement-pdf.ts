import type { CalendarDate } from '../domain/shared/dates';
import { addDays } from '../domain/shared/dates';
import { amountText, dateText, money } from './format';
import type { CompanyIdentity, CustomerProfile } from './identity';
import { buyerLines, sellerLines } from './parties';
import { block, CONTENT_WIDTH, createPdf, finish, PAGE, table, totals } from './pdf-writer';
import { LABELS } from './texts';

/** What a statement PDF shows: the statement read model's figures (opening, movements, closing). */
export interface StatementDocument {
  currency: string;
  from: CalendarDate;
  to: CalendarDate;
  opening: number;
  movements: Array<{ date: CalendarDate; pieceRef: string; label: string; debit: number; credit: number; balance: number }>;
  totalDebit: number;
  totalCredit: number;
  closing: number;
  seller: CompanyIdentity;
  buyer: CustomerProfile;
}

/** Relevé de compte. Its creation date is the statement's `to` date: the same period renders the same bytes while the ledger is unchanged. */
export async function renderStatementPdf(doc: StatementDocument): Promise<Buffer> {
  const lang = doc.buyer.language;
  const l = LABELS[lang];
  const m = (minor: number) => (minor === 0 ? '' : amountText(minor, doc.currency, lang));
  const pdf = createPdf({ title: `${l.statement} ${doc.buyer.name} ${doc.from}/${doc.to}`, subject: `${l.statement} — ${doc.buyer.customerId}`, author: doc.seller.name, lang, createdAt: new Date(`${doc.to}T00:00:00.000Z`) });
  const half = CONTENT_WIDTH / 2 - 10;
  const x = PAGE.margin + CONTENT_WIDTH / 2 + 10;
  pdf.font('Bold').fontSize(12).text(doc.seller.name, PAGE.margin, PAGE.margin, { width: half });
  pdf.font('Regular').fontSize(8.5);
  for (const line of sellerLines(doc.seller, l)) pdf.text(line, PAGE.margin, pdf.y, { width: half });
  const left = pdf.y;
  pdf.font('Bold').fontSize(14).text(l.statement, x, PAGE.margin, { width: half, align: 'right' });
  pdf.font('Regular').fontSize(9).text(`${l.period} : ${dateText(doc.from, lang)} – ${dateText(doc.to, lang)}`, x, pdf.y, { width: half, align: 'right' });
  const bottom = block(pdf, `${l.buyer} : ${doc.buyer.name}`, buyerLines(doc.buyer, l), x, Math.max(left, pdf.y) + 16, half);
  pdf.x = PAGE.margin;
  pdf.y = bottom + 18;
  const rows = [
    [dateText(addDays(doc.from, -1), lang), '', `${l.opening} ${dateText(addDays(doc.from, -1), lang)}`, '', '', amountText(doc.opening, doc.currency, lang)],
    ...doc.movements.map((mv) => [dateText(mv.date, lang), mv.pieceRef, mv.label, m(mv.debit), m(mv.credit), amountText(mv.balance, doc.currency, lang)]),
  ];
  table(pdf, [
    { header: l.date, width: 62 }, { header: l.piece, width: 80 }, { header: l.label, width: CONTENT_WIDTH - 62 - 80 - 3 * 75 },
    { header: `${l.debit} (${doc.currency})`, width: 75, align: 'right' }, { header: `${l.credit} (${doc.currency})`, width: 75, align: 'right' }, { header: `${l.balance} (${doc.currency})`, width: 75, align: 'right' },
  ], rows);
  totals(pdf, [
    [`${l.totals} ${l.debit}`, money(doc.totalDebit, doc.currency, lang)],
    [`${l.totals} ${l.credit}`, money(doc.totalCredit, doc.currency, lang)],
    [`${l.closing} ${dateText(doc.to, lang)}`, money(doc.closing, doc.currency, lang), true],
  ]);
  return finish(pdf, `${doc.seller.name} — ${l.siren} ${doc.seller.siren}`, l);
}
