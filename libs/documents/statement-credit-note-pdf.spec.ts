import { pdfText } from '../../test/support/pdf-tools';
import { renderCreditNotePdf } from './credit-note-pdf';
import { BUYER_EN, BUYER_FR, RECORDED_AT, SELLER } from './documents.fixtures';
import { renderStatementPdf } from './statement-pdf';

/** Credit note and statement PDFs in both languages, read back with pdftotext. */
describe('credit note PDF', () => {
  // 200.00 at 20 % against INV-000042: VAT 200.00 × 20 % = 40.00, total 240.00, all applied to the invoice.
  const note = (buyer = BUYER_FR) => ({
    number: 'CN-000003', currency: 'EUR', issueDate: '2026-10-01', invoiceNumber: 'INV-000042', reason: 'Goods returned', lines: [],
    vatBreakdown: [{ rate: '0.20', base: 20_000, amount: 4000 }], charges: 0, net: 20_000, tax: 4000, total: 24_000, appliedToInvoice: 24_000, unapplied: 0,
    recordedAt: RECORDED_AT, seller: SELLER, buyer,
  });
  it('French: AVOIR, its number and date, the invoice it corrects (CGI annex II art. 242 nonies A), VAT by rate, totals', async () => {
    const t = pdfText(await renderCreditNotePdf(note()));
    for (const m of ['AVOIR', 'Numéro : CN-000003', "Date d'émission : 01/10/2026", 'Facture d’origine : INV-000042', 'Motif : Goods returned',
      '20 % 200,00 40,00', 'Total HT 200,00 EUR', 'Total TVA 40,00 EUR', 'Total TTC 240,00 EUR', 'Imputé sur la facture 240,00 EUR', 'Crédit disponible 0,00 EUR',
      'SIREN 732829320 — RCS Lyon', 'Client : Boulangerie Martin SARL', 'N° TVA intracommunautaire FR96552100554']) expect(t).toContain(m);
  });
  it('English, standalone (no invoice): all of it is customer credit', async () => {
    const t = pdfText(await renderCreditNotePdf({ ...note(BUYER_EN), invoiceNumber: null, appliedToInvoice: 0, unapplied: 24_000 }));
    for (const m of ['CREDIT NOTE', 'Number : CN-000003', 'Issue date : 2026-10-01', 'Total incl. VAT 240.00 EUR', 'Credit available 240.00 EUR']) expect(t).toContain(m);
    expect(t).not.toContain('Original invoice');
  });
});

describe('statement PDF', () => {
  // Opening 100.00; invoice 1 185.50 → 1 285.50; payment 285.50 → 1 000.00 closing. Debits 1 185.50, credits 285.50.
  const statement = (buyer = BUYER_FR) => ({
    currency: 'EUR', from: '2026-09-01', to: '2026-09-30', opening: 10_000,
    movements: [
      { date: '2026-09-15', pieceRef: 'INV-000042', label: 'Facture INV-000042', debit: 118_550, credit: 0, balance: 128_550 },
      { date: '2026-09-20', pieceRef: 'p9', label: 'Règlement sepa p9', debit: 0, credit: 28_550, balance: 100_000 },
    ],
    totalDebit: 118_550, totalCredit: 28_550, closing: 100_000, seller: SELLER, buyer,
  });
  it('French: period, opening on the day before, every movement with its running balance, totals and closing', async () => {
    const t = pdfText(await renderStatementPdf(statement()));
    for (const m of ['RELEVÉ DE COMPTE', 'Période : 01/09/2026 – 30/09/2026', '31/08/2026 Solde au 31/08/2026 100,00',
      '15/09/2026 INV-000042 Facture INV-000042 1 185,50 1 285,50', '20/09/2026 p9 Règlement sepa p9 285,50 1 000,00',
      'Totaux Débit 1 185,50 EUR', 'Totaux Crédit 285,50 EUR', 'Solde au 30/09/2026 1 000,00 EUR']) expect(t).toContain(m);
  });
  it('English', async () => {
    const t = pdfText(await renderStatementPdf(statement(BUYER_EN)));
    for (const m of ['STATEMENT OF ACCOUNT', 'Period : 2026-09-01 – 2026-09-30', 'Balance on 2026-08-31 100.00', 'Balance on 2026-09-30 1,000.00 EUR']) expect(t).toContain(m);
  });
});
