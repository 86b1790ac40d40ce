/**
 * ISO 11649 structured creditor references ("RF" + 2 check digits + up to 21 alphanumerics). The check digits
 * follow ISO 7064 MOD 97-10, as IBANs do: move "RF" and the check digits to the end, letters A=10 … Z=35, and
 * the whole number mod 97 must be 1.
 */

const BODY = /^[A-Z0-9]{1,21}$/;

/** The number a reference stands for, letters as 10–35, computed mod 97 digit by digit (no big integers). */
function mod97(text: string): number {
  let r = 0;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : ch;
    for (const d of digits) r = (r * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return r;
}

/** Removes spaces and lowercases nothing: references are printed in groups of four ("RF18 5390 0754 7034"). */
export function compactReference(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** True when `text` (spaces allowed) is a well-formed RF reference whose check digits verify. */
export function isValidCreditorReference(text: string): boolean {
  const ref = compactReference(text);
  if (!/^RF[0-9]{2}/.test(ref)) return false;
  const body = ref.slice(4);
  if (!BODY.test(body)) return false;
  return mod97(body + 'RF' + ref.slice(2, 4)) === 1;
}

/** The RF reference of a body (an invoice number without its separators): check digits = 98 − (body + "RF00" mod 97). */
export function creditorReferenceFor(body: string): string {
  const b = body.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  if (!BODY.test(b)) throw new Error(`A creditor reference body is 1–21 letters or digits: ${body}`);
  const check = 98 - mod97(b + 'RF00');
  return `RF${String(check).padStart(2, '0')}${b}`;
}

/** The body of a valid RF reference (what was referenced), or null. */
export function creditorReferenceBody(text: string): string | null {
  return isValidCreditorReference(text) ? compactReference(text).slice(4) : null;
}
