import { creditorReferenceBody, creditorReferenceFor, isValidCreditorReference } from './creditor-reference';

describe('ISO 11649 creditor references (RF)', () => {
  it('verifies the example of the standard: RF18 5390 0754 7034', () => {
    // ISO 11649 annex: body 539007547034, "RF00" appended → 539007547034271500; mod 97 = 80; 98 − 80 = 18.
    expect(isValidCreditorReference('RF18 5390 0754 7034')).toBe(true);
    expect(creditorReferenceFor('539007547034')).toBe('RF18539007547034');
  });

  it('refuses a reference whose check digits do not verify, or whose body is malformed', () => {
    expect(isValidCreditorReference('RF19 5390 0754 7034')).toBe(false); // one check digit off
    expect(isValidCreditorReference('RF18 5390 0754 7035')).toBe(false); // one body digit off
    expect(isValidCreditorReference('RF18')).toBe(false);
    expect(isValidCreditorReference('XX18539007547034')).toBe(false);
    expect(isValidCreditorReference('RF18' + '1'.repeat(22))).toBe(false); // body over 21 characters
  });

  it('builds references for invoice numbers with letters, and reads their body back', () => {
    // INV000042 → letters I=18 N=23 V=31: "182331000042" + "RF00" = 182331000042271500, mod 97 computed by the function;
    // whatever the digits, the round trip must verify and return the body.
    const ref = creditorReferenceFor('INV-000042');
    expect(ref).toMatch(/^RF[0-9]{2}INV000042$/);
    expect(isValidCreditorReference(ref)).toBe(true);
    expect(creditorReferenceBody(ref.toLowerCase())).toBe('INV000042');
    expect(creditorReferenceBody('RF00INV000042')).toBeNull();
  });
});
