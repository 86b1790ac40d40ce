import { invalid } from '../shared/errors';

/**
 * French and EU company identifiers. SIREN (9 digits) and SIRET (14 digits = SIREN + NIC) end with a Luhn
 * check digit (INSEE); the French VAT number is `FR` + a 2-digit key + the SIREN, key = (12 + 3 × (SIREN mod 97))
 * mod 97 (CGI annexe IV art. 242 nonies A / DGFiP). Other EU numbers are checked by their VIES format.
 */

/** Luhn (ISO/IEC 7812-1): doubling every second digit from the right, the sum is a multiple of 10. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

/** La Poste's establishments share SIREN 356000000 and do not follow Luhn: their SIRET digits sum to a multiple of 5. */
const LA_POSTE = '356000000';

export function requireSiren(value: unknown, field = 'siren'): string {
  const v = typeof value === 'string' ? value.replace(/\s/g, '') : '';
  if (!/^\d{9}$/.test(v)) throw invalid('SIREN_MALFORMED', `${field} must be 9 digits`, field);
  if (!luhnValid(v)) throw invalid('SIREN_CHECK_DIGIT', `${field} ${v} fails its Luhn check digit`, field, { siren: v });
  return v;
}

export function requireSiret(value: unknown, field = 'siret'): string {
  const v = typeof value === 'string' ? value.replace(/\s/g, '') : '';
  if (!/^\d{14}$/.test(v)) throw invalid('SIRET_MALFORMED', `${field} must be 14 digits`, field);
  const ok = v.startsWith(LA_POSTE) ? [...v].reduce((s, c) => s + Number(c), 0) % 5 === 0 : luhnValid(v);
  if (!ok) throw invalid('SIRET_CHECK_DIGIT', `${field} ${v} fails its check digit`, field, { siret: v });
  return v;
}

/** French VAT key of a SIREN: (12 + 3 × (SIREN mod 97)) mod 97, two digits. */
export function frenchVatKey(siren: string): string {
  return String((12 + 3 * (Number(siren) % 97)) % 97).padStart(2, '0');
}

/** VIES formats of the EU member states' VAT numbers (prefix included; Greece is EL). */
const VAT_FORMATS: Readonly<Record<string, RegExp>> = {
  AT: /^ATU\d{8}$/, BE: /^BE[01]\d{9}$/, BG: /^BG\d{9,10}$/, CY: /^CY\d{8}[A-Z]$/, CZ: /^CZ\d{8,10}$/, DE: /^DE\d{9}$/,
  DK: /^DK\d{8}$/, EE: /^EE\d{9}$/, EL: /^EL\d{9}$/, ES: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/, FI: /^FI\d{8}$/, FR: /^FR[0-9A-HJ-NP-Z]{2}\d{9}$/,
  HR: /^HR\d{11}$/, HU: /^HU\d{8}$/, IE: /^IE\d{7}[A-W][A-I]?$|^IE\d[A-Z+*]\d{5}[A-W]$/, IT: /^IT\d{11}$/, LT: /^LT(\d{9}|\d{12})$/,
  LU: /^LU\d{8}$/, LV: /^LV\d{11}$/, MT: /^MT\d{8}$/, NL: /^NL\d{9}B\d{2}$/, PL: /^PL\d{10}$/, PT: /^PT\d{9}$/, RO: /^RO\d{2,10}$/,
  SE: /^SE\d{12}$/, SI: /^SI\d{8}$/, SK: /^SK\d{10}$/, XI: /^XI(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/,
};

/**
 * An EU VAT number, upper-cased without spaces, dots or dashes: the member state's format, and for France the
 * numeric key over the embedded SIREN (which must itself pass Luhn). Alphabetic French keys (rare, assigned to
 * some new entities) are accepted by format only: their algorithm is not published.
 */
export function requireVatNumber(value: unknown, field = 'vatNumber'): string {
  const v = typeof value === 'string' ? value.replace(/[\s.-]/g, '').toUpperCase() : '';
  const format = VAT_FORMATS[v.slice(0, 2)];
  if (!format) throw invalid('VAT_NUMBER_COUNTRY', `${field} must start with an EU member state's prefix (FR, DE, …; EL for Greece)`, field);
  if (!format.test(v)) throw invalid('VAT_NUMBER_MALFORMED', `${field} ${v} does not have the format of a ${v.slice(0, 2)} VAT number`, field);
  if (v.startsWith('FR')) {
    const key = v.slice(2, 4);
    const siren = v.slice(4);
    if (/^\d{2}$/.test(key)) {
      const expected = frenchVatKey(siren);
      if (key !== expected) throw invalid('VAT_NUMBER_CHECK_DIGITS', `${field} ${v}: the key of SIREN ${siren} is ${expected}, not ${key}`, field, { expectedKey: expected });
    }
    if (!luhnValid(siren)) throw invalid('VAT_NUMBER_CHECK_DIGITS', `${field} ${v}: the SIREN ${siren} it carries fails its Luhn check digit`, field);
  }
  return v;
}
