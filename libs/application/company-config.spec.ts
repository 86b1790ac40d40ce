import { ConfigError, loadConfig } from './config';

/** The seller printed on documents (ADR 0075): all or nothing, every identifier checked at start. */
const FULL = {
  AR_COMPANY_NAME: 'Atelier Durand SAS', AR_COMPANY_SIREN: '732829320', AR_COMPANY_VAT_NUMBER: 'FR 44 732829320',
  AR_COMPANY_ADDRESS: '12 rue de la République | Bâtiment B', AR_COMPANY_POSTCODE: '69002', AR_COMPANY_CITY: 'Lyon',
  AR_COMPANY_IBAN: 'FR76 3000 6000 0112 3456 7890 189', AR_COMPANY_BIC: 'agrifrpp',
};
const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};

describe('AR_COMPANY_* (the seller on documents)', () => {
  it('unset: no seller, documents off; the SIREN alone still names the FEC', () => {
    expect(loadConfig({}).company).toBeNull();
    expect(loadConfig({ AR_COMPANY_SIREN: '732829320' })).toMatchObject({ company: null, companySiren: '732829320' });
  });

  it('set: normalised (VAT and IBAN without spaces, BIC in capitals, address lines split at |), country FR by default', () => {
    expect(loadConfig(FULL).company).toEqual({
      name: 'Atelier Durand SAS', legalForm: null, shareCapital: null, rcs: null, siren: '732829320', vatNumber: 'FR44732829320',
      address: { lines: ['12 rue de la République', 'Bâtiment B'], postcode: '69002', city: 'Lyon', country: 'FR' },
      email: null, iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP',
    });
  });

  it('refuses a name without the mandatory mentions, and mentions without a name', () => {
    expect(problems({ AR_COMPANY_NAME: 'X' })).toEqual(expect.arrayContaining([
      expect.stringMatching(/AR_COMPANY_SIREN is required/), expect.stringMatching(/AR_COMPANY_VAT_NUMBER is required/),
      expect.stringMatching(/AR_COMPANY_ADDRESS is required/), expect.stringMatching(/AR_COMPANY_POSTCODE is required/), expect.stringMatching(/AR_COMPANY_CITY is required/),
    ]));
    expect(problems({ AR_COMPANY_CITY: 'Lyon', AR_COMPANY_IBAN: 'x' })).toEqual(['AR_COMPANY_CITY, AR_COMPANY_IBAN need AR_COMPANY_NAME (the seller printed on documents)']);
  });

  it('checks the identifiers: the French VAT key of the SIREN, the IBAN check digits, the BIC, the e-mail, the country', () => {
    // SIREN 732829320: 732829320 mod 97 = 43, key = (12 + 3 × 43) mod 97 = 141 mod 97 = 44 (CGI art. 286 ter):
    // FR44732829320 is its number; FR45… is refused and the message gives the right one.
    expect(problems({ ...FULL, AR_COMPANY_VAT_NUMBER: 'FR45732829320' })).toEqual(['AR_COMPANY_VAT_NUMBER FR45732829320 is not the VAT number of SIREN 732829320 (expected FR44732829320)']);
    expect(problems({ ...FULL, AR_COMPANY_IBAN: 'FR7630006000011234567890188' })).toEqual([expect.stringMatching(/AR_COMPANY_IBAN must be an IBAN with valid check digits/)]);
    expect(problems({ ...FULL, AR_COMPANY_BIC: 'AGRI' })).toEqual([expect.stringMatching(/AR_COMPANY_BIC must be a BIC/)]);
    expect(problems({ ...FULL, AR_COMPANY_EMAIL: 'nope' })).toEqual([expect.stringMatching(/AR_COMPANY_EMAIL must be an e-mail address/)]);
    expect(problems({ ...FULL, AR_COMPANY_COUNTRY: 'France' })).toEqual([expect.stringMatching(/AR_COMPANY_COUNTRY must be an ISO 3166 alpha-2 code/)]);
    expect(problems({ ...FULL, AR_COMPANY_VAT_NUMBER: 'DE136695976' })).toEqual([]);
  });
});
