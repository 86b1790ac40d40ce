import { SHIPPED_ECB_RATES } from '../domain/collections/late-charges';
import { vatByRate } from '../domain/shared/vat';
import type { CompanyIdentity, CustomerProfile } from './identity';
import { invoiceDocument, type InvoiceDocument, type InvoiceIssuedData } from './invoice-document';

/** A seller with every identity field (SIREN 732829320 → VAT key (12 + 3 × (732829320 mod 97)) mod 97 = 44). */
export const SELLER: CompanyIdentity = {
  name: 'Atelier Durand SAS', legalForm: 'SAS', shareCapital: '50 000 EUR', rcs: 'RCS Lyon',
  siren: '732829320', vatNumber: 'FR44732829320',
  address: { lines: ['12 rue de la République'], postcode: '69002', city: 'Lyon', country: 'FR' },
  email: 'compta@atelier-durand.fr', iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP',
};

export const BUYER_FR: CustomerProfile = {
  customerId: 'cust-fr', name: 'Boulangerie Martin SARL', country: 'FR', language: 'fr',
  address: { lines: ['3 place du Marché'], postcode: '75004', city: 'Paris', country: 'FR' },
  siren: '552100554', siret: null, vatNumber: 'FR96552100554', email: null,
};

export const BUYER_EN: CustomerProfile = {
  customerId: 'cust-de', name: 'Nordwind GmbH', country: 'DE', language: 'en',
  address: { lines: ['Hafenstraße 5'], postcode: '20457', city: 'Hamburg', country: 'DE' }, siren: null, siret: null, vatNumber: 'DE136695976', email: null,
};

/**
 * Two rates: 2 × 450.00 at 20 % and 1 × 100.00 at 5.5 %. Nets 900.00 and 100.00 → net 1 000.00; VAT per rate
 * (BR-CO-17) 900.00 × 20 % = 180.00 and 100.00 × 5.5 % = 5.50 → tax 185.50; total 1 185.50.
 */
export function issuedData(over: Partial<InvoiceIssuedData> = {}): InvoiceIssuedData {
  const lines = [
    { description: 'Conseil (jours)', quantity: '2', unitPrice: 45_000, taxRate: '0.20', net: 90_000 },
    { description: 'Ouvrages techniques', quantity: '1', unitPrice: 10_000, taxRate: '0.055', net: 10_000 },
  ];
  return {
    invoiceId: 'inv-1', number: 'INV-000042', currency: 'EUR', issueDate: '2026-09-15', dueDate: '2026-10-15', paymentTermsDays: 30,
    terms: { type: 'net', days: 30 }, lines, vatBreakdown: vatByRate(lines), net: 100_000, tax: 18_550, total: 118_550, ...over,
  };
}

export const RECORDED_AT = '2026-09-15T09:30:00.000Z';

export function invoiceDoc(buyer: CustomerProfile = BUYER_FR, over: Partial<InvoiceIssuedData> = {}): InvoiceDocument {
  return invoiceDocument(issuedData(over), RECORDED_AT, SELLER, buyer, SHIPPED_ECB_RATES);
}
