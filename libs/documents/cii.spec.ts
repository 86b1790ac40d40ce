import { checkEn16931, parseCii } from '../../test/support/en16931';
import { percentOf, renderCii } from './cii';
import { BUYER_EN, BUYER_FR, invoiceDoc } from './documents.fixtures';

/** The CII (EN 16931) of an invoice, checked against the business rules of EN 16931-1 § 6.4 that apply. */
describe('CII XML (EN 16931)', () => {
  it('carries the invoice figures: lines, VAT by rate and totals that satisfy BR-CO-10..17 and BR-S-08', async () => {
    const xml = await renderCii(invoiceDoc());
    expect(checkEn16931(xml)).toEqual([]);
    const inv = parseCii(xml) as any;
    expect(inv.ExchangedDocumentContext.GuidelineSpecifiedDocumentContextParameter.ID).toBe('urn:cen.eu:en16931:2017');
    expect(inv.ExchangedDocument).toMatchObject({ ID: 'INV-000042', TypeCode: '380' });
    expect(inv.ExchangedDocument.IssueDateTime.DateTimeString['#text']).toBe('20260915');
    const s = inv.SupplyChainTradeTransaction.ApplicableHeaderTradeSettlement;
    // Lines 2 × 450.00 = 900.00 at 20 % and 100.00 at 5.5 %: BT-106 = 1000.00 (BR-CO-10); VAT per rate
    // 900.00 × 20 % = 180.00 and 100.00 × 5.5 % = 5.50 (BR-CO-17); BT-110 = 185.50 (BR-CO-14);
    // BT-112 = 1000.00 + 185.50 = 1185.50 (BR-CO-15); nothing prepaid: BT-115 = 1185.50 (BR-CO-16).
    expect(s.ApplicableTradeTax.map((t: any) => [t.RateApplicablePercent, t.BasisAmount, t.CalculatedAmount, t.CategoryCode]))
      .toEqual([['20', '900.00', '180.00', 'S'], ['5.5', '100.00', '5.50', 'S']]);
    expect(s.SpecifiedTradeSettlementHeaderMonetarySummation).toMatchObject({ LineTotalAmount: '1000.00', TaxBasisTotalAmount: '1000.00', GrandTotalAmount: '1185.50', DuePayableAmount: '1185.50' });
    expect(s.SpecifiedTradeSettlementHeaderMonetarySummation.TaxTotalAmount['#text']).toBe('185.50');
    expect(s.SpecifiedTradePaymentTerms[0].DueDateDateTime.DateTimeString['#text']).toBe('20261015');
    // BT-84: SEPA credit transfer (58) to the seller's IBAN.
    expect(s.SpecifiedTradeSettlementPaymentMeans).toMatchObject({ TypeCode: '58', PayeePartyCreditorFinancialAccount: { IBANID: 'FR7630006000011234567890189' } });
  });

  it('names both parties with their legal identifiers: SIREN (scheme 0002) and VAT numbers', async () => {
    const a = (parseCii(await renderCii(invoiceDoc())) as any).SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement;
    expect(a.SellerTradeParty.Name).toBe('Atelier Durand SAS');
    expect(a.SellerTradeParty.SpecifiedLegalOrganization.ID).toEqual({ '#text': '732829320', '@schemeID': '0002' });
    expect(a.SellerTradeParty.SpecifiedTaxRegistration).toEqual([{ ID: { '#text': 'FR44732829320', '@schemeID': 'VA' } }]);
    expect(a.SellerTradeParty.PostalTradeAddress).toMatchObject({ PostcodeCode: '69002', LineOne: '12 rue de la République', CityName: 'Lyon', CountryID: 'FR' });
    expect(a.BuyerTradeParty.Name).toBe('Boulangerie Martin SARL');
    expect(a.BuyerTradeParty.SpecifiedLegalOrganization.ID).toEqual({ '#text': '552100554', '@schemeID': '0002' });
    expect(a.BuyerTradeParty.SpecifiedTaxRegistration).toEqual([{ ID: { '#text': 'FR96552100554', '@schemeID': 'VA' } }]);
  });

  it('the checker finds a broken total: it can fail', async () => {
    const xml = await renderCii(invoiceDoc());
    const broken = xml.replace('<ram:GrandTotalAmount>1185.50</ram:GrandTotalAmount>', '<ram:GrandTotalAmount>1185.49</ram:GrandTotalAmount>');
    expect(checkEn16931(broken).map((v) => v.rule)).toEqual(['BR-CO-15', 'BR-CO-16']);
    const noBuyer = xml.replace(/<ram:BuyerTradeParty>\s*<ram:Name>[^<]*<\/ram:Name>/, '<ram:BuyerTradeParty>');
    expect(checkEn16931(noBuyer).map((v) => v.rule)).toEqual(['BR-07']);
  });

  it('a rate whose VAT needs rounding: 3 × 33.33 at 5.5 % → base 99.99, VAT 5.49945 → 5.50 half-up once per rate (BR-CO-17)', async () => {
    const lines = [{ description: 'Livre', quantity: '3', unitPrice: 3333, taxRate: '0.055', net: 9999 }];
    const xml = await renderCii(invoiceDoc(BUYER_EN, { lines, vatBreakdown: [{ rate: '0.055', base: 9999, amount: 550 }], net: 9999, tax: 550, total: 10_549 }));
    expect(checkEn16931(xml)).toEqual([]);
    expect(xml).toContain('<ram:CalculatedAmount>5.50</ram:CalculatedAmount>');
    expect(xml).toContain('<ram:GrandTotalAmount>105.49</ram:GrandTotalAmount>');
  });

  it('is the same text on every render (no clock, no ids)', async () => {
    expect(await renderCii(invoiceDoc(BUYER_FR))).toBe(await renderCii(invoiceDoc(BUYER_FR)));
  });

  it('writes BT-119 as a percentage', () => {
    expect([percentOf('0.20'), percentOf('0.055'), percentOf('0.021'), percentOf('0.00')]).toEqual(['20', '5.5', '2.1', '0']);
  });
});
