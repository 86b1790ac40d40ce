import { given } from '../shared/testing';
import { ChangeCreditLimit, creditDecider, RegisterCustomer } from './credit.decider';
import { CreditEvent } from './credit.events';

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
    expect(state).toEqual({ status: 'active', ...registered.data, country: 'FR' });
  });

  it('accepts a zero limit and terms from 0 to 365 days', () => {
    given(creditDecider).when({ ...register, creditLimit: 0, paymentTermsDays: 0 }).then([
      { type: 'CustomerRegistered', data: { ...registered.data, creditLimit: 0, paymentTermsDays: 0 } },
    ]);
    given(creditDecider).when({ ...register, paymentTermsDays: 365 }).then([
      { type: 'CustomerRegistered', data: { ...registered.data, paymentTermsDays: 365 } },
    ]);
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
  ])('refuses %s', (_label, patch, code, field) => {
    given(creditDecider).when({ ...register, ...patch }).thenThrows(code, { kind: 'invalid', details: { field } });
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
