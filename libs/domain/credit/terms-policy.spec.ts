import { DomainError } from '../shared/errors';
import { dueDateFor } from '../shared/payment-terms';
import { COUNTRY_COUNT } from './countries';
import { checkLegalCap, enforceLegalCap, legalCapFor, parseTermsForm, requireCountry, termsView } from './terms-policy';

const refusal = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a refusal');
};

describe('payment terms — HTTP form', () => {
  it.each([
    ['net 30', { type: 'net', days: 30 }],
    ['  NET   45 ', { type: 'net', days: 45 }],
    ['end of month + 45', { type: 'end_of_month', days: 45 }],
    ['eom+10', { type: 'end_of_month', days: 10 }],
    ['45 days end of month', { type: 'end_of_month', days: 45 }],
    ['2/10 net 30', { type: 'early_discount', discountBp: 200, discountDays: 10, netDays: 30 }],
    ['1.5/8 net 45', { type: 'early_discount', discountBp: 150, discountDays: 8, netDays: 45 }],
  ])('parses the template "%s"', (text, terms) => {
    expect(parseTermsForm(text)).toEqual(terms);
  });

  it('parses objects with percent decimal strings into basis points', () => {
    expect(parseTermsForm({ type: 'early_discount', discountPercent: '2.25', discountDays: 10, netDays: 30 }))
      .toEqual({ type: 'early_discount', discountBp: 225, discountDays: 10, netDays: 30 });
    expect(parseTermsForm({ type: 'instalments', schedule: [{ percent: '33.34', days: 30 }, { percent: '33.33', days: 60 }, { percent: '33.33', days: 90 }] }))
      .toEqual({ type: 'instalments', schedule: [{ percentBp: 3334, days: 30 }, { percentBp: 3333, days: 60 }, { percentBp: 3333, days: 90 }] });
    expect(parseTermsForm({ type: 'net', days: 0 })).toEqual({ type: 'net', days: 0 });
  });

  it.each([
    ['an unknown template', 'net thirty', 'PAYMENT_TERMS_UNKNOWN', 'terms'],
    ['an unknown type', { type: 'whenever', days: 3 }, 'PAYMENT_TERMS_UNKNOWN', 'terms'],
    ['a number', 30, 'PAYMENT_TERMS_UNKNOWN', 'terms'],
    ['negative days', { type: 'net', days: -1 }, 'PAYMENT_TERMS_INVALID', 'terms.days'],
    ['days beyond 365', 'net 400', 'PAYMENT_TERMS_INVALID', 'terms.days'],
    ['fractional days', { type: 'end_of_month', days: 1.5 }, 'PAYMENT_TERMS_INVALID', 'terms.days'],
    ['a discount window not before the net date', '2/30 net 30', 'PAYMENT_TERMS_INVALID', 'terms.discountDays'],
    ['a discount with 3 decimals', { type: 'early_discount', discountPercent: '2.125', discountDays: 10, netDays: 30 }, 'PAYMENT_TERMS_INVALID', 'terms.discountPercent'],
    ['a zero discount', { type: 'early_discount', discountPercent: '0', discountDays: 10, netDays: 30 }, 'PAYMENT_TERMS_INVALID', 'terms.discountPercent'],
    ['instalments summing to 90 %', { type: 'instalments', schedule: [{ percent: '50', days: 30 }, { percent: '40', days: 60 }] }, 'INSTALMENTS_NOT_100_PERCENT', 'terms.schedule'],
    ['instalments summing to 110 %', { type: 'instalments', schedule: [{ percent: '60', days: 30 }, { percent: '50', days: 60 }] }, 'INSTALMENTS_NOT_100_PERCENT', 'terms.schedule'],
    ['instalments out of order', { type: 'instalments', schedule: [{ percent: '50', days: 60 }, { percent: '50', days: 30 }] }, 'PAYMENT_TERMS_INVALID', 'terms.schedule[1].days'],
    ['a single instalment', { type: 'instalments', schedule: [{ percent: '100', days: 30 }] }, 'PAYMENT_TERMS_INVALID', 'terms.schedule'],
    ['a numeric percent', { type: 'instalments', schedule: [{ percent: 50, days: 30 }, { percent: '50', days: 60 }] }, 'PAYMENT_TERMS_INVALID', 'terms.schedule[0].percent'],
  ])('refuses %s', (_label, form, code, field) => {
    const e = refusal(() => parseTermsForm(form));
    expect(e).toBeInstanceOf(DomainError);
    expect({ code: e.code, kind: e.kind, field: e.details.field }).toEqual({ code, kind: 'invalid', field });
  });

  it('shows terms back with percent strings and a label', () => {
    expect(termsView({ type: 'early_discount', discountBp: 200, discountDays: 10, netDays: 30 }))
      .toEqual({ type: 'early_discount', discountPercent: '2', discountDays: 10, netDays: 30, description: '2/10 net 30' });
    expect(termsView({ type: 'instalments', schedule: [{ percentBp: 3350, days: 30 }, { percentBp: 6650, days: 60 }] }))
      .toEqual({ type: 'instalments', schedule: [{ percent: '33.50', days: 30 }, { percent: '66.50', days: 60 }], description: 'instalments 33.5%@30, 66.5%@60' });
  });
});

describe('payment terms — legal caps', () => {
  it('knows France (60 days or 45 days end of month), the EU default (60 days) and no cap elsewhere', () => {
    expect(legalCapFor('FR')).toMatchObject({ maxDays: 60, maxEndOfMonthDays: 45 });
    expect(legalCapFor('IT')).toMatchObject({ maxDays: 60, maxEndOfMonthDays: null });
    expect(legalCapFor('GR')).toMatchObject({ maxDays: 60 });
    expect(legalCapFor('CH')).toBeNull();
    expect(legalCapFor('US')).toBeNull();
  });

  it.each([
    ['FR', 'net 60', false, 60],
    ['FR', 'net 61', true, 61],
    ['FR', 'end of month + 45', false, 75],
    ['FR', 'end of month + 46', true, 76],
    ['DE', 'end of month + 30', false, 60],
    ['DE', 'end of month + 31', true, 61],
    ['FR', '2/10 net 60', false, 60],
    ['ES', '2/10 net 90', true, 90],
    ['US', 'net 120', false, 120],
  ])('%s %s → beyond the cap: %s (worst case %i days)', (country, text, beyond, worst) => {
    expect(checkLegalCap(parseTermsForm(text), country)).toMatchObject({ beyondLegalCap: beyond, worstCaseDays: worst });
  });

  it('checks instalments on their last part', () => {
    const terms = parseTermsForm({ type: 'instalments', schedule: [{ percent: '50', days: 30 }, { percent: '50', days: 90 }] });
    expect(checkLegalCap(terms, 'FR')).toMatchObject({ beyondLegalCap: true, worstCaseDays: 90 });
    expect(dueDateFor(terms, '2026-01-01')).toBe('2026-04-01');
  });

  it('refuses terms beyond the cap with the figures, unless agreed', () => {
    const e = refusal(() => enforceLegalCap(parseTermsForm('net 90'), 'FR', false, 'terms'));
    expect(e).toMatchObject({ code: 'PAYMENT_TERMS_BEYOND_LEGAL_CAP', kind: 'rule', details: { field: 'terms', country: 'FR', worstCaseDays: 90, maxDays: 60, maxEndOfMonthDays: 45 } });
    expect(enforceLegalCap(parseTermsForm('net 90'), 'FR', true, 'terms')).toMatchObject({ beyondLegalCap: true });
  });

  it('validates ISO 3166-1 alpha-2 country codes', () => {
    expect(COUNTRY_COUNT).toBe(249);
    expect(requireCountry('FR')).toBe('FR');
    for (const bad of ['fr', 'FRA', 'XX', 'UK', 'EU', '', 12]) expect(refusal(() => requireCountry(bad)).code).toBe('COUNTRY_UNKNOWN');
  });
});
