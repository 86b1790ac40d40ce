import { createHash } from 'node:crypto';
import { pdfAttachments, pdfInfo, pdfText } from '../../test/support/pdf-tools';
import { renderCii } from './cii';
import { BUYER_EN, BUYER_FR, invoiceDoc, RECORDED_AT } from './documents.fixtures';
import { renderInvoicePdf } from './invoice-pdf';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * The invoice PDF, read back with poppler's pdftotext as a person would read it. Mandatory mentions: Code de
 * commerce L441-9 I (number, dates, parties, lines, totals, due date, payment terms, discount or none, late
 * interest rate, EUR 40 indemnity), R123-237 (legal form, capital, RCS), CGI annex II art. 242 nonies A (SIREN,
 * VAT numbers, VAT by rate).
 */
describe('invoice PDF', () => {
  it('French: every mandatory mention, with the figures of the invoice', async () => {
    const doc = invoiceDoc(BUYER_FR);
    const t = pdfText(await renderInvoicePdf(doc, null));
    for (const mention of [
      'FACTURE', 'Numéro : INV-000042', "Date d'émission : 15/09/2026", 'Date de la vente / prestation : 15/09/2026', "Date d'échéance : 15/10/2026",
      // Seller: name, legal form and capital, address, SIREN and RCS, VAT number.
      'Atelier Durand SAS', 'SAS au capital de 50 000 EUR', '12 rue de la République', '69002 Lyon', 'SIREN 732829320 — RCS Lyon', 'N° TVA intracommunautaire FR44732829320',
      // Buyer: name, address, SIREN, VAT number.
      'Client : Boulangerie Martin SARL', '3 place du Marché', '75004 Paris', 'SIREN 552100554', 'N° TVA intracommunautaire FR96552100554',
      // Lines: 2 × 450,00 = 900,00 at 20 %; 1 × 100,00 at 5,5 %.
      'Conseil (jours) 2 450,00 20 % 900,00', 'Ouvrages techniques 1 100,00 5,5 % 100,00',
      // VAT by rate: 900,00 × 20 % = 180,00; 100,00 × 5,5 % = 5,50; totals 1 000,00 + 185,50 = 1 185,50.
      'Récapitulatif de la TVA', '20 % 900,00 180,00', '5,5 % 100,00 5,50',
      'Total HT 1 000,00 EUR', 'Total TVA 185,50 EUR', 'Total TTC 1 185,50 EUR', 'Net à payer 1 185,50 EUR',
      "Paiement à 30 jours date d'émission, au plus tard le 15/10/2026",
      "Pas d'escompte pour paiement anticipé.",
      // L441-10: ECB rate on 1 July 2026 (2.15 %, in force since 2025-06-11) + 10 points = 12.15 %.
      "Pénalités de retard (art. L441-10 du Code de commerce) : taux de refinancement de la BCE majoré de 10 points, soit 12,15 % l'an (taux BCE de 2,15 % au 01/07/2026).",
      'Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 EUR (art. L441-10 et D441-5 du Code de commerce).',
      'IBAN FR7630006000011234567890189 — BIC AGRIFRPP', 'Page 1 sur 1',
    ]) expect(t).toContain(mention);
  });

  it('English for an English-speaking customer, with the margin of its country (+ 8 points outside France)', async () => {
    const t = pdfText(await renderInvoicePdf(invoiceDoc(BUYER_EN), null));
    for (const mention of [
      'INVOICE', 'Number : INV-000042', 'Issue date : 2026-09-15', 'Date of supply : 2026-09-15', 'Due date : 2026-10-15',
      'Bill to : Nordwind GmbH', 'Hafenstraße 5', '20457 Hamburg', 'VAT number DE136695976', 'VAT number FR44732829320',
      'Conseil (jours) 2 450.00 20 % 900.00', 'VAT breakdown', '5.5 % 100.00 5.50',
      'Total net 1,000.00 EUR', 'Total VAT 185.50 EUR', 'Total incl. VAT 1,185.50 EUR', 'Amount due 1,185.50 EUR',
      'Payment within 30 days of the issue date, by 2026-10-15', 'No discount for early payment.',
      // 2.15 % + 8 points = 10.15 % (Directive 2011/7/EU art. 2; the engine's margin for a buyer outside France).
      'the ECB main refinancing rate plus 8 points, i.e. 10.15 % a year (ECB rate 2.15 % on 2026-07-01).',
      'Fixed compensation for recovery costs in case of late payment: EUR 40', 'Page 1 of 1',
    ]) expect(t).toContain(mention);
  });

  it('states the early-payment discount it offers: 2 % of 1 185,50 = 23,71 (23.71 exactly) if paid in full by 25/09/2026', async () => {
    const doc = invoiceDoc(BUYER_FR, { terms: { type: 'early_discount', discountBp: 200, discountDays: 10, netDays: 30 } });
    const t = pdfText(await renderInvoicePdf(doc, null));
    expect(t).toContain('Escompte pour paiement anticipé : 2 % du montant TTC, soit 23,71 EUR, pour un règlement intégral au plus tard le 25/09/2026.');
    expect(t).not.toContain("Pas d'escompte");
  });

  it('states VAT on receipt when the invoice was issued under it (CGI art. 269-2-c)', async () => {
    expect(pdfText(await renderInvoicePdf(invoiceDoc(BUYER_FR, { vatDueOn: 'receipt' }), null))).toContain('TVA acquittée sur les encaissements.');
  });

  it('is reproducible: the same invoice renders the same bytes; its creation date is the event’s, not the clock’s', async () => {
    const doc = invoiceDoc(BUYER_FR);
    const xml = await renderCii(doc);
    const a = await renderInvoicePdf(doc, xml);
    const b = await renderInvoicePdf(invoiceDoc(BUYER_FR), await renderCii(invoiceDoc(BUYER_FR)));
    expect(sha256(b)).toBe(sha256(a));
    const info = pdfInfo(a);
    expect(info).toMatch(/CreationDate:\s+2026-09-15T09:30:00Z/);
    expect(info).toMatch(/Producer:\s+ar-engine documents/);
    expect(info).toMatch(/PDF version:\s+1.7/);
    // A later record of the same figures is another document.
    const later = await renderInvoicePdf({ ...doc, recordedAt: '2026-09-16T09:30:00.000Z' }, xml);
    expect(sha256(later)).not.toBe(sha256(a));
    expect(RECORDED_AT).toBe('2026-09-15T09:30:00.000Z');
  });

  it('is a Factur-X PDF/A-3: factur-x.xml embedded byte for byte, AFRelationship, XMP with the fx: extension schema', async () => {
    const doc = invoiceDoc(BUYER_FR);
    const xml = await renderCii(doc);
    const pdf = await renderInvoicePdf(doc, xml);
    const files = pdfAttachments(pdf);
    expect([...files.keys()]).toEqual(['factur-x.xml']);
    expect(files.get('factur-x.xml')!.equals(Buffer.from(xml, 'utf8'))).toBe(true);
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/AFRelationship \/Alternative/);
    expect(raw).toMatch(/\/Subtype \/text#2Fxml/);
    const meta = pdfInfo(pdf, true);
    expect(meta).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(meta).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(meta).toContain('<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>');
    expect(meta).toContain('<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>');
    expect(meta).toContain('<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>');
    expect(meta).toContain('<xmp:CreateDate>2026-09-15T09:30:00Z</xmp:CreateDate>');
    // Fonts embedded (PDF/A): no standard-14 font is referenced.
    expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
    expect(raw).toMatch(/\/FontFile2/);
  });

  it('many lines flow onto further pages, each numbered', async () => {
    const lines = Array.from({ length: 80 }, (_, i) => ({ description: `Article ${i + 1}`, quantity: '1', unitPrice: 1000, taxRate: '0.20', net: 1000 }));
    // 80 × 10,00 = 800,00 net; 800,00 × 20 % = 160,00; total 960,00.
    const t = pdfText(await renderInvoicePdf(invoiceDoc(BUYER_FR, { lines, vatBreakdown: [{ rate: '0.20', base: 80_000, amount: 16_000 }], net: 80_000, tax: 16_000, total: 96_000 }), null));
    expect(t).toContain('Article 80 1 10,00 20 % 10,00');
    expect(t).toContain('Total TTC 960,00 EUR');
    expect(t).toMatch(/Page 1 sur [23]/);
    expect(t).toMatch(/Page 2 sur [23]/);
  });
});
