/**
 * Who a document is from and to. The seller's identity comes from configuration (`AR_COMPANY_*`), the buyer's
 * from the customer read model through the `CustomerProfiles` port. French mandatory mentions (Code de commerce
 * L441-9, R123-237; CGI annex II art. 242 nonies A): name, address, SIREN, VAT number of both parties; the
 * seller's legal form, share capital and RCS registration.
 */
export interface PostalAddress {
  /** Street lines (EN 16931 BT-35/36, BT-50/51). */
  lines: string[];
  postcode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface CompanyIdentity {
  name: string;
  /** "SAS", "SARL", … (R123-237). */
  legalForm: string | null;
  /** "10 000 EUR" as it is to be printed. */
  shareCapital: string | null;
  /** "RCS Paris 123 456 789" or "RCS Paris": the registry town. */
  rcs: string | null;
  siren: string;
  vatNumber: string;
  address: PostalAddress;
  email: string | null;
  /** Payment account for credit transfers (EN 16931 BT-84), when the company gives one. */
  iban: string | null;
  bic: string | null;
}

export type DocumentLanguage = 'fr' | 'en';

/** What documents need of a customer. Fields the customer master data does not hold yet are null. */
export interface CustomerProfile {
  customerId: string;
  name: string;
  country: string;
  language: DocumentLanguage;
  address: PostalAddress | null;
  siren: string | null;
  siret: string | null;
  vatNumber: string | null;
  email: string | null;
}

/** Port: the customer's profile as documents print it (adapter: the read models). */
export const CUSTOMER_PROFILES = Symbol('CUSTOMER_PROFILES');
export interface CustomerProfiles {
  profile(customerId: string): Promise<CustomerProfile | null>;
}

/** French VAT number: FR + 2-digit key + SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97 (CGI art. 286 ter). */
export function frenchVatKey(siren: string): string {
  return String((12 + 3 * (Number(siren) % 97)) % 97).padStart(2, '0');
}

/** IBAN check (ISO 13616): the rearranged number, letters as 10–35, is 1 modulo 97. */
export function isIban(text: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(text)) return false;
  const moved = (text.slice(4) + text.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of moved) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1;
}
