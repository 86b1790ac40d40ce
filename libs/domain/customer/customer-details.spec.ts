import { given } from '../shared/testing';
import { creditDecider, type RegisterCustomer } from '../credit/credit.decider';
import type { CreditEvent } from '../credit/credit.events';
import { frenchVatKey, luhnValid, requireSiren, requireSiret, requireVatNumber } from './legal-identifiers';
import { addYears, retentionUntil } from './customer.profile';

const registered: CreditEvent = { type: 'CustomerRegistered', data: { customerId: 'c1', name: 'Dupont SARL', currency: 'EUR', creditLimit: 0, paymentTermsDays: 30 } };
const change = (changes: Record<string, unknown>, reason = 'Letter of 2026-11-30') => ({ type: 'ChangeCustomerDetails' as const, customerId: 'c1', changes, reason });
const address = { lines: ['12 rue de la Paix'], postalCode: '75002', city: 'Paris', country: 'FR' };

describe('legal identifiers (INSEE SIREN/SIRET Luhn; DGFiP VAT key)', () => {
  it('SIREN 732829320 passes Luhn: digits from the right 0,2,3,9,2,8,2,3,7, every second doubled (2→4, 9→18→9, 8→16→7, 3→6): 0+4+3+9+2+7+2+6+7 = 40, a multiple of 10', () => {
    expect(luhnValid('732829320')).toBe(true);
    expect(requireSiren('732 829 320')).toBe('732829320');
    // One digit changed: 732829321 sums to 41.
    expect(() => requireSiren('732829321')).toThrow(expect.objectContaining({ code: 'SIREN_CHECK_DIGIT', details: expect.objectContaining({ field: 'siren' }) }));
    expect(() => requireSiren('73282932')).toThrow(expect.objectContaining({ code: 'SIREN_MALFORMED' }));
  });

  it('SIRET is 14 digits with Luhn (73282932000074 valid, …75 not); La Poste (SIREN 356000000) sums its digits to a multiple of 5 instead', () => {
    expect(requireSiret('73282932000074')).toBe('73282932000074');
    expect(() => requireSiret('73282932000075')).toThrow(expect.objectContaining({ code: 'SIRET_CHECK_DIGIT' }));
    // 3+5+6+0+0+0+0+0+0+0+0+0+4+7 = 25, a multiple of 5 (and not a Luhn number).
    expect(requireSiret('35600000000047')).toBe('35600000000047');
  });

  it('French VAT key = (12 + 3 × (SIREN mod 97)) mod 97: 732829320 mod 97 = 43, 12 + 129 = 141, 141 mod 97 = 44 → FR44732829320', () => {
    expect(frenchVatKey('732829320')).toBe('44');
    expect(requireVatNumber('fr 44 732829320')).toBe('FR44732829320');
    expect(() => requireVatNumber('FR45732829320')).toThrow(expect.objectContaining({ code: 'VAT_NUMBER_CHECK_DIGITS', details: expect.objectContaining({ field: 'vatNumber', expectedKey: '44' }) }));
    // 552032534 mod 97 = 5: 12 + 15 = 27 → FR27552032534.
    expect(requireVatNumber('FR27552032534')).toBe('FR27552032534');
  });

  it('other EU numbers by their format (VIES): DE 9 digits, NL …B.., Greece as EL; a non-EU prefix is refused', () => {
    expect(requireVatNumber('DE123456789')).toBe('DE123456789');
    expect(requireVatNumber('NL123456789B01')).toBe('NL123456789B01');
    expect(() => requireVatNumber('DE12345678')).toThrow(expect.objectContaining({ code: 'VAT_NUMBER_MALFORMED' }));
    expect(() => requireVatNumber('GR123456789')).toThrow(expect.objectContaining({ code: 'VAT_NUMBER_COUNTRY' }));
  });
});

describe('customer master data — given/when/then', () => {
  it('records only the fields that differ, normalised; the same change again records nothing', () => {
    const first = change({ billingEmails: ['billing@dupont.example'], phone: '+33 1 23 45 67 89', address, language: 'fr', siren: '732829320', vatNumber: 'FR44732829320' });
    const state = given(creditDecider, [registered]).when(first).then([{
      type: 'CustomerDetailsChanged',
      data: { customerId: 'c1', reason: 'Letter of 2026-11-30', changes: { billingEmails: ['billing@dupont.example'], phone: '+33123456789', address, language: 'fr', siren: '732829320', vatNumber: 'FR44732829320' } },
    }]);
    const after = [registered, { type: 'CustomerDetailsChanged', data: { customerId: 'c1', reason: 'x', changes: { billingEmails: ['billing@dupont.example'], phone: '+33123456789' } } } as CreditEvent];
    given(creditDecider, after).when(change({ billingEmails: ['billing@dupont.example'], phone: '+33 1 23 45 67 89' })).then([]);
    given(creditDecider, after).when(change({ phone: null, name: 'Dupont et Fils SARL' })).then([
      { type: 'CustomerDetailsChanged', data: { customerId: 'c1', reason: 'Letter of 2026-11-30', changes: { phone: null, name: 'Dupont et Fils SARL' } } },
    ]);
    expect(state).toMatchObject({ details: { phone: '+33123456789', siren: '732829320', language: 'fr' } });
  });

  it('names the bad field: an e-mail in a list, a French postal code, an unknown key; the SIRET must start with the SIREN', () => {
    given(creditDecider, [registered]).when(change({ billingEmails: ['ok@dupont.example', 'not-an-email'] })).thenThrows('EMAIL_INVALID', { kind: 'invalid', details: { field: 'billingEmails[1]' } });
    given(creditDecider, [registered]).when(change({ address: { ...address, postalCode: '7500' } })).thenThrows('POSTAL_CODE_INVALID', { details: { field: 'address.postalCode' } });
    given(creditDecider, [registered]).when(change({ iban: 'FR76' })).thenThrows('FIELD_UNKNOWN', { details: { field: 'iban' } });
    given(creditDecider, [registered]).when(change({ siren: '552032534', siret: '73282932000074' })).thenThrows('SIRET_SIREN_MISMATCH', { details: { field: 'siret' } });
    given(creditDecider, [registered]).when(change({ siren: '552032534', vatNumber: 'FR44732829320' })).thenThrows('VAT_NUMBER_SIREN_MISMATCH', { details: { field: 'vatNumber' } });
    given(creditDecider, [registered]).when(change({})).thenThrows('DETAILS_REQUIRED');
    given(creditDecider, [registered]).when(change({ phone: null }, ' ')).thenThrows('REASON_REQUIRED');
    given(creditDecider).when(change({ phone: null })).thenThrows('CUSTOMER_NOT_FOUND', { kind: 'not_found' });
  });

  it('registration with details records them after the registration, in the same command', () => {
    const register: RegisterCustomer = { type: 'RegisterCustomer', customerId: 'c1', name: 'Dupont SARL', currency: 'EUR', creditLimit: 0, paymentTermsDays: 30, details: { accountManager: 'Claire Martin', defaultPaymentMethod: 'transfer' } };
    given(creditDecider).when(register).then([
      registered,
      { type: 'CustomerDetailsChanged', data: { customerId: 'c1', reason: 'Registration', changes: { accountManager: 'Claire Martin', defaultPaymentMethod: 'transfer' } } },
    ]);
    given(creditDecider).when({ ...register, details: { defaultPaymentMethod: 'bitcoin' } }).thenThrows('PAYMENT_METHOD_INVALID', { details: { field: 'defaultPaymentMethod' } });
  });
});

describe('erasure and retention (Code de commerce L123-22: accounting records kept ten years)', () => {
  const erase = (lastEntryOn: string | null, today: string, retentionYears = 10) => ({ type: 'EraseCustomer' as const, customerId: 'c1', reason: 'GDPR art. 17 request of 2026-11-30', today, retentionYears, lastEntryOn });

  it('refuses while the latest entry is inside the period: entry 2025-02-01 + 10 years = kept until 2035-02-01, erasable from 2035-02-02', () => {
    given(creditDecider, [registered]).when(erase('2025-02-01', '2026-12-01')).thenThrows('RETENTION_PERIOD_ACTIVE', {
      kind: 'conflict', details: { retainedUntil: '2035-02-01', erasableFrom: '2035-02-02', lastEntryOn: '2025-02-01', retentionYears: 10 },
    });
    given(creditDecider, [registered]).when(erase('2025-02-01', '2035-02-01')).thenThrows('RETENTION_PERIOD_ACTIVE');
    given(creditDecider, [registered]).when(erase('2025-02-01', '2035-02-02')).then([{
      type: 'CustomerErased', data: { customerId: 'c1', reason: 'GDPR art. 17 request of 2026-11-30', erasedOn: '2035-02-02', retention: { years: 10, lastEntryOn: '2025-02-01', until: '2035-02-01' } },
    }]);
  });

  it('a customer without entries is erasable at once; a second erasure records nothing; an erased customer\'s details cannot change', () => {
    const erased = { type: 'CustomerErased', data: { customerId: 'c1', reason: 'r', erasedOn: '2026-12-01', retention: { years: 10, lastEntryOn: null, until: null } } } as CreditEvent;
    given(creditDecider, [registered]).when(erase(null, '2026-12-01')).then([{ ...erased, data: { ...erased.data, reason: 'GDPR art. 17 request of 2026-11-30' } } as CreditEvent]);
    given(creditDecider, [registered, erased]).when(erase(null, '2026-12-02')).then([]);
    given(creditDecider, [registered, erased]).when(change({ phone: null })).thenThrows('CUSTOMER_ERASED', { kind: 'conflict' });
  });

  it('29 February + 1 year is 28 February; no entries → no retention date', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(retentionUntil(null, 10)).toBeNull();
  });
});
