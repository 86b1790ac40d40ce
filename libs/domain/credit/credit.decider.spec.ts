import { given } from '../shared/testing';
import { ChangeCreditLimit, creditDecider, RegisterCustomer } from './credit.decider';
import { CreditEvent } from './credit.events';
import { emptyDetails } from '../customer/customer-details';

const register: RegisterCustomer = {
  type: 'RegisterCustomer',
  customerId: 'cust-1',
  name: 'Dupont SARL',
  currency: 'EUR',
  creditLimit: 5_000_000,
  paymentTermsDays: 30,
};
const registered: CreditEvent = {
  type: 'CustomerRegistered',
  data: { customerId: 'cust-1', name: 'Dupont SARL', currency: 'EUR', creditLimit: 5_000_000, paymentTermsDays: 30 },
};
const change: ChangeCreditLimit = { type: 'ChangeCreditLimit', customerId: 'cust-1', newLimit: 8_000_000, reason: 'Annual review' };

describe('credit decider — RegisterCustomer', () => {
  it('registers a new customer with its limit and terms', () => {
    const state = given(creditDecider).when(register).then([registered]);
    expect(state).toEqual({
      status: 'active', ...registered.data, country: 'FR', terms: { type: 'net', days: 30 }, termsAgreedBeyondCap: false,
      creditPolicy: null, holds: { manual: null, policy: null }, assessments: [], details: emptyDetails(), erased: null,
    });
  });

  it('accepts a zero limit and terms from 0 to 365 days (beyond the legal cap only when agreed, and then recorded)', () => {
    given(creditDecider).when({ ...register, creditLimit: 0, paymentTermsDays: 0 }).then([
      { type: 'CustomerRegistered', data: { ...registered.data, creditLimit: 0, paymentTermsDays: 0 } },
    ]);
    given(creditDecider).when({ ...register, paymentTermsDays: 60 }).then([
      { type: 'CustomerRegistered', data: { ...registered.data, paymentTermsDays: 60 } },
    ]);
    given(creditDecider).when({ ...register, paymentTermsDays: 365, termsAgreedBeyondCap: true }).then([
      { type: 'CustomerRegistered', data: { ...registered.data, paymentTermsDays: 365, termsAgreedBeyondCap: true } },
    ]);
    // Outside the EU no statutory cap applies: nothing to agree, nothing recorded.
    given(creditDecider).when({ ...register, paymentTermsDays: 90, country: 'US' }).then([
      { type: 'CustomerRegistered', data: { ...registered.data, paymentTermsDays: 90, country: 'US' } },
    ]);
  });

  it('refuses net terms beyond the legal cap of the country unless agreed', () => {
    given(creditDecider).when({ ...register, paymentTermsDays: 61 }).thenThrows('PAYMENT_TERMS_BEYOND_LEGAL_CAP', {
      kind: 'rule', details: { field: 'paymentTermsDays', country: 'FR', worstCaseDays: 61, maxDays: 60 },
    });
    given(creditDecider).when({ ...register, paymentTermsDays: 75, country: 'DE' }).thenThrows('PAYMENT_TERMS_BEYOND_LEGAL_CAP', {
      details: { country: 'DE', maxDays: 60, source: 'Directive 2011/7/EU art. 3(5)' },
    });
  });

  it('records the country and a per-customer credit policy when given', () => {
    const state = given(creditDecider).when({ ...register, country: 'BE', creditPolicy: 'hold_for_approval' }).then([
      { type: 'CustomerRegistered', data: { ...registered.data, country: 'BE', creditPolicy: 'hold_for_approval' } },
    ]);
    expect(state).toMatchObject({ country: 'BE', creditPolicy: 'hold_for_approval' });
  });

  it('refuses to register the same customer twice', () => {
    given(creditDecider, [registered]).when(register).thenThrows('CUSTOMER_ALREADY_EXISTS', {
      kind: 'conflict',
      details: { customerId: 'cust-1' },
    });
  });

  it.each([
    ['empty name', { name: '' }, 'NAME_REQUIRED', 'name'],
    ['blank name', { name: '   ' }, 'NAME_REQUIRED', 'name'],
    ['name over 200 characters', { name: 'x'.repeat(201) }, 'NAME_TOO_LONG', 'name'],
    ['unknown currency', { currency: 'XYZ' }, 'CURRENCY_UNKNOWN', 'currency'],
    ['lower-case currency', { currency: 'eur' }, 'CURRENCY_UNKNOWN', 'currency'],
    ['negative limit', { creditLimit: -1 }, 'CREDIT_LIMIT_INVALID', 'creditLimit'],
    ['fractional limit', { creditLimit: 10.5 }, 'CREDIT_LIMIT_INVALID', 'creditLimit'],
    ['negative terms', { paymentTermsDays: -1 }, 'PAYMENT_TERMS_INVALID', 'paymentTermsDays'],
    ['terms over 365 days', { paymentTermsDays: 366 }, 'PAYMENT_TERMS_INVALID', 'paymentTermsDays'],
    ['fractional terms', { paymentTermsDays: 30.5 }, 'PAYMENT_TERMS_INVALID', 'paymentTermsDays'],
    ['malformed customer id', { customerId: 'a b' }, 'ID_MALFORMED', 'customerId'],
    ['unknown country', { country: 'XX' }, 'COUNTRY_UNKNOWN', 'country'],
    ['lower-case country', { country: 'fr' }, 'COUNTRY_UNKNOWN', 'country'],
    ['unknown credit policy', { creditPolicy: 'maybe' }, 'CREDIT_POLICY_UNKNOWN', 'creditPolicy'],
  ])('refuses %s', (_label, patch, code, field) => {
    given(creditDecider).when({ ...register, ...patch } as RegisterCustomer).thenThrows(code, { kind: 'invalid', details: { field } });
  });

  it('accepts a 200-character name', () => {
    const name = 'x'.repeat(200);
    given(creditDecider).when({ ...register, name }).then([
      { type: 'CustomerRegistered', data: { ...registered.data, name } },
    ]);
  });
});

describe('credit decider — ChangeCreditLimit', () => {
  it('records the previous and new limit with the reason', () => {
    const state = given(creditDecider, [registered]).when(change).then([
      {
        type: 'CreditLimitChanged',
        data: { customerId: 'cust-1', previousLimit: 5_000_000, newLimit: 8_000_000, reason: 'Annual review' },
      },
    ]);
    expect(state).toMatchObject({ status: 'active', creditLimit: 8_000_000, paymentTermsDays: 30 });
  });

  it('folds successive changes, each from the limit then in force', () => {
    const first: CreditEvent = {
      type: 'CreditLimitChanged',
      data: { customerId: 'cust-1', previousLimit: 5_000_000, newLimit: 8_000_000, reason: 'Annual review' },
    };
    given(creditDecider, [registered, first]).when({ ...change, newLimit: 0, reason: 'Credit hold' }).then([
      { type: 'CreditLimitChanged', data: { customerId: 'cust-1', previousLimit: 8_000_000, newLimit: 0, reason: 'Credit hold' } },
    ]);
  });

  it('changes nothing when the limit is already the requested one (idempotent)', () => {
    given(creditDecider, [registered]).when({ ...change, newLimit: 5_000_000 }).then([]);
  });

  it('refuses a change for an unregistered customer', () => {
    given(creditDecider).when(change).thenThrows('CUSTOMER_NOT_FOUND', { kind: 'not_found', details: { customerId: 'cust-1' } });
  });

  it.each([
    ['empty reason', { reason: '' }, 'REASON_REQUIRED', 'reason'],
    ['blank reason', { reason: ' \t' }, 'REASON_REQUIRED', 'reason'],
    ['negative limit', { newLimit: -100 }, 'CREDIT_LIMIT_INVALID', 'newLimit'],
    ['fractional limit', { newLimit: 0.5 }, 'CREDIT_LIMIT_INVALID', 'newLimit'],
  ])('refuses %s', (_label, patch, code, field) => {
    given(creditDecider, [registered]).when({ ...change, ...patch }).thenThrows(code, { kind: 'invalid', details: { field } });
  });
});
