import { invalid } from '../shared/errors';
import { requireText } from '../shared/validation';
import { requireCountry } from '../credit/terms-policy';
import { requireSiren, requireSiret, requireVatNumber } from './legal-identifiers';

/** Language of the customer's letters and documents. */
export type Language = 'fr' | 'en';
export const LANGUAGES: readonly Language[] = ['fr', 'en'];

export const PAYMENT_METHODS = ['transfer', 'direct_debit', 'card', 'cheque', 'cash'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface PostalAddress { lines: string[]; postalCode: string; city: string; country: string }

/**
 * A customer's master data besides its registration (name, currency, country). `name`, `billingEmails`, `phone`
 * and `address` are personal data (GDPR art. 4(1): a sole trader's or a contact's), encrypted in the log
 * (ADR 0082); the rest are company facts kept in clear.
 */
export interface CustomerDetails {
  /** null = from the country (FR → fr, else en). */
  language: Language | null;
  billingEmails: string[];
  phone: string | null;
  address: PostalAddress | null;
  siren: string | null;
  siret: string | null;
  vatNumber: string | null;
  defaultPaymentMethod: PaymentMethod | null;
  accountManager: string | null;
}

/** What one change may set: any subset, null clears. */
export type DetailsChanges = Partial<CustomerDetails> & { name?: string };

export const PERSONAL_FIELDS = ['name', 'billingEmails', 'phone', 'address'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

export const CHANGEABLE_FIELDS: ReadonlyArray<keyof DetailsChanges> = [
  'name', 'language', 'billingEmails', 'phone', 'address', 'siren', 'siret', 'vatNumber', 'defaultPaymentMethod', 'accountManager',
];

export const emptyDetails = (): CustomerDetails => ({
  language: null, billingEmails: [], phone: null, address: null, siren: null, siret: null, vatNumber: null, defaultPaymentMethod: null, accountManager: null,
});

export const MAX_BILLING_EMAILS = 10;
const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[A-Za-z0-9-]{2,}$/;

function requireEmails(value: unknown): string[] {
  if (!Array.isArray(value)) throw invalid('BILLING_EMAILS_INVALID', 'billingEmails must be an array of e-mail addresses', 'billingEmails');
  if (value.length > MAX_BILLING_EMAILS) throw invalid('BILLING_EMAILS_TOO_MANY', `billingEmails holds at most ${MAX_BILLING_EMAILS} addresses`, 'billingEmails', { max: MAX_BILLING_EMAILS });
  const seen = new Set<string>();
  return value.map((e, i) => {
    const field = `billingEmails[${i}]`;
    if (typeof e !== 'string' || e.length > 254 || !EMAIL.test(e.trim())) throw invalid('EMAIL_INVALID', `${field} must be an e-mail address`, field);
    const address = e.trim();
    if (seen.has(address.toLowerCase())) throw invalid('EMAIL_DUPLICATE', `${field} ${address} is listed twice`, field);
    seen.add(address.toLowerCase());
    return address;
  });
}

/** International format (E.164): +, country code, number; spaces, dots, dashes and brackets are dropped. */
function requirePhone(value: unknown): string {
  const v = typeof value === 'string' ? value.replace(/[\s.()-]/g, '') : '';
  if (!/^\+[1-9]\d{6,14}$/.test(v)) throw invalid('PHONE_INVALID', 'phone must be an international number such as +33 1 23 45 67 89', 'phone');
  return v;
}

function requireAddress(value: unknown): PostalAddress {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('ADDRESS_INVALID', 'address must be an object {lines, postalCode, city, country}', 'address');
  const a = value as Record<string, unknown>;
  if (!Array.isArray(a.lines) || a.lines.length < 1 || a.lines.length > 4) throw invalid('ADDRESS_LINES_INVALID', 'address.lines must hold 1 to 4 lines', 'address.lines');
  const lines = a.lines.map((l, i) => requireText(l, `address.lines[${i}]`, 'ADDRESS_LINE', 100).trim());
  const country = requireCountry(a.country, 'address.country');
  const postalCode = requireText(a.postalCode, 'address.postalCode', 'POSTAL_CODE', 16).trim();
  if (country === 'FR' && !/^\d{5}$/.test(postalCode)) throw invalid('POSTAL_CODE_INVALID', 'address.postalCode of a French address is 5 digits', 'address.postalCode');
  const city = requireText(a.city, 'address.city', 'CITY', 100).trim();
  return { lines, postalCode, city, country };
}

function requireOne<K extends keyof DetailsChanges>(field: K, value: unknown): DetailsChanges[K] {
  const nullable = field !== 'name' && field !== 'billingEmails';
  if (value === null && nullable) return null as DetailsChanges[K];
  switch (field) {
    case 'name': return requireText(value, 'name', 'NAME').trim() as DetailsChanges[K];
    case 'language':
      if (!LANGUAGES.includes(value as Language)) throw invalid('LANGUAGE_INVALID', "language must be 'fr' or 'en'", 'language');
      return value as DetailsChanges[K];
    case 'billingEmails': return requireEmails(value) as DetailsChanges[K];
    case 'phone': return requirePhone(value) as DetailsChanges[K];
    case 'address': return requireAddress(value) as DetailsChanges[K];
    case 'siren': return requireSiren(value) as DetailsChanges[K];
    case 'siret': return requireSiret(value) as DetailsChanges[K];
    case 'vatNumber': return requireVatNumber(value) as DetailsChanges[K];
    case 'defaultPaymentMethod':
      if (!PAYMENT_METHODS.includes(value as PaymentMethod)) throw invalid('PAYMENT_METHOD_INVALID', `defaultPaymentMethod must be one of ${PAYMENT_METHODS.join(', ')}`, 'defaultPaymentMethod');
      return value as DetailsChanges[K];
    case 'accountManager': return requireText(value, 'accountManager', 'ACCOUNT_MANAGER').trim() as DetailsChanges[K];
    default: throw invalid('FIELD_UNKNOWN', `${String(field)} is not a customer detail`, String(field));
  }
}

/** Each given field checked (the first bad one named), normalised; unknown keys refused. */
export function validateChanges(input: Record<string, unknown>): DetailsChanges {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    if (!CHANGEABLE_FIELDS.includes(k as keyof DetailsChanges)) throw invalid('FIELD_UNKNOWN', `${k} is not a customer detail`, k);
    out[k] = requireOne(k as keyof DetailsChanges, v);
  }
  return out as DetailsChanges;
}

/** The identifiers agree with each other: SIRET starts with the SIREN, a French VAT number carries it. */
export function checkConsistency(d: Pick<CustomerDetails, 'siren' | 'siret' | 'vatNumber'>, changed: DetailsChanges): void {
  if (d.siren !== null && d.siret !== null && !d.siret.startsWith(d.siren)) {
    const field = changed.siret !== undefined ? 'siret' : 'siren';
    throw invalid('SIRET_SIREN_MISMATCH', `siret ${d.siret} does not start with siren ${d.siren}`, field, { siren: d.siren, siret: d.siret });
  }
  if (d.siren !== null && d.vatNumber !== null && d.vatNumber.startsWith('FR') && d.vatNumber.slice(4) !== d.siren) {
    const field = changed.vatNumber !== undefined ? 'vatNumber' : 'siren';
    throw invalid('VAT_NUMBER_SIREN_MISMATCH', `vatNumber ${d.vatNumber} does not carry siren ${d.siren}`, field, { siren: d.siren, vatNumber: d.vatNumber });
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only the fields whose value differs from the current one. */
export function diffChanges(current: CustomerDetails & { name: string }, changes: DetailsChanges): DetailsChanges {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(changes)) {
    if (!same(current[k as keyof typeof current], v)) out[k] = v;
  }
  return out as DetailsChanges;
}

export function applyChanges(details: CustomerDetails, changes: DetailsChanges): CustomerDetails {
  const { name: _name, ...rest } = changes;
  return { ...details, ...rest };
}
