import { addressLines } from './format';
import type { CompanyIdentity, CustomerProfile } from './identity';
import type { Labels } from './texts';

/** The seller's identity lines: name, legal form and capital, address, SIREN and RCS, VAT number (R123-237, L441-9). */
export function sellerLines(s: CompanyIdentity, l: Labels): string[] {
  const form = [s.legalForm, s.shareCapital ? `${l.capital} ${s.shareCapital}` : null].filter(Boolean).join(' ');
  return [
    ...(form ? [form] : []),
    ...addressLines(s.address),
    `${l.siren} ${s.siren}${s.rcs ? ` — ${s.rcs}` : ''}`,
    `${l.vat} ${s.vatNumber}`,
    ...(s.email ? [`${l.email} ${s.email}`] : []),
  ];
}

/** The buyer's lines: address (or the country alone), SIREN/SIRET and VAT number when known, our reference. */
export function buyerLines(b: CustomerProfile, l: Labels): string[] {
  const address = addressLines(b.address);
  return [
    ...(address.length > 0 ? address : [b.country]),
    ...(b.siret ? [`${l.siret} ${b.siret}`] : b.siren ? [`${l.siren} ${b.siren}`] : []),
    ...(b.vatNumber ? [`${l.vat} ${b.vatNumber}`] : []),
    `${l.customerId} ${b.customerId}`,
  ];
}
