import { given } from '../shared/testing';
import { paymentBehaviour } from './payment-behaviour';
import { AssessCredit, creditDecider } from './credit.decider';
import { CreditEvent } from './credit.events';

const registered: CreditEvent = {
  type: 'CustomerRegistered',
  data: { customerId: 'cust-1', name: 'Dupont SARL', currency: 'EUR', creditLimit: 5_000_000, paymentTermsDays: 30 },
};
const inUS: CreditEvent = { type: 'CustomerRegistered', data: { ...registered.data, country: 'US' } } as CreditEvent;
const net45 = { type: 'net' as const, days: 45 };
const frCap = { country: 'FR', maxDays: 60, maxEndOfMonthDays: 45, source: 'Code de commerce L441-10 I' };

describe('credit decider — ChangePaymentTerms', () => {
  it('records previous and new terms, the legal-cap check and the reason', () => {
    const state = given(creditDecider, [registered]).when({ type: 'ChangePaymentTerms', customerId: 'cust-1', terms: net45, reason: 'Negotiated', agreedBeyondCap: false }).then([{
      type: 'PaymentTermsChanged',
      data: {
        customerId: 'cust-1', previousTerms: { type: 'net', days: 30 }, terms: net45, description: 'net 45', legalCap: frCap,
        worstCaseDays: 45, beyondLegalCap: false, agreedBeyondCap: false, reason: 'Negotiated',
      },
    }]);
    expect(state).toMatchObject({ terms: net45, termsAgreedBeyondCap: false });
  });

  it('refuses terms beyond the cap of the customer\'s country unless flagged as agreed, and records the flag', () => {
    const eom50 = { type: 'end_of_month' as const, days: 50 };
    given(creditDecider, [registered]).when({ type: 'ChangePaymentTerms', customerId: 'cust-1', terms: eom50, reason: 'x', agreedBeyondCap: false })
      .thenThrows('PAYMENT_TERMS_BEYOND_LEGAL_CAP', { kind: 'rule', details: { country: 'FR', worstCaseDays: 80, maxEndOfMonthDays: 45 } });
    const state = given(creditDecider, [registered]).when({ type: 'ChangePaymentTerms', customerId: 'cust-1', terms: eom50, reason: 'Framework contract art. 4', agreedBeyondCap: true }).then([{
      type: 'PaymentTermsChanged',
      data: {
        customerId: 'cust-1', previousTerms: { type: 'net', days: 30 }, terms: eom50, description: 'end of month + 50', legalCap: frCap,
        worstCaseDays: 80, beyondLegalCap: true, agreedBeyondCap: true, reason: 'Framework contract art. 4',
      },
    }]);
    expect(state).toMatchObject({ termsAgreedBeyondCap: true });
  });

  it('applies no cap where the country has none, and records the flag only when it mattered', () => {
    given(creditDecider, [inUS]).when({ type: 'ChangePaymentTerms', customerId: 'cust-1', terms: { type: 'net', days: 120 }, reason: 'x', agreedBeyondCap: true }).then([{
      type: 'PaymentTermsChanged',
      data: {
        customerId: 'cust-1', previousTerms: { type: 'net', days: 30 }, terms: { type: 'net', days: 120 }, description: 'net 120', legalCap: null,
        worstCaseDays: 120, beyondLegalCap: false, agreedBeyondCap: false, reason: 'x',
      },
    }]);
  });

  it('records nothing when the terms are already in force', () => {
    given(creditDecider, [registered]).when({ type: 'ChangePaymentTerms', customerId: 'cust-1', terms: { type: 'net', days: 30 }, reason: 'x', agreedBeyondCap: false }).then([]);
  });

  it.each([
    ['unknown terms', { terms: { type: 'someday' } }, 'PAYMENT_TERMS_UNKNOWN', 'terms', 'invalid'],
    ['instalments not summing to 100 %', { terms: { type: 'instalments', schedule: [{ percentBp: 5000, days: 30 }, { percentBp: 4000, days: 60 }] } }, 'INSTALMENTS_NOT_100_PERCENT', 'terms.schedule', 'invalid'],
    ['no reason', { reason: ' ' }, 'REASON_REQUIRED', 'reason', 'invalid'],
  ])('refuses %s', (_l, patch, code, field, kind) => {
    given(creditDecider, [registered]).when({ type: 'ChangePaymentTerms', customerId: 'cust-1', terms: net45, reason: 'x', agreedBeyondCap: false, ...patch } as never)
      .thenThrows(code, { kind: kind as 'invalid', details: { field } });
  });

  it('refuses for an unregistered customer', () => {
    given(creditDecider).when({ type: 'ChangePaymentTerms', customerId: 'cust-1', terms: net45, reason: 'x', agreedBeyondCap: false }).thenThrows('CUSTOMER_NOT_FOUND', { kind: 'not_found' });
  });
});

describe('credit decider — ChangeCreditPolicy', () => {
  it('sets, changes and clears the customer policy with a reason', () => {
    const set: CreditEvent = { type: 'CreditPolicyChanged', data: { customerId: 'cust-1', previousPolicy: null, policy: 'hold_for_approval', reason: 'Key account' } };
    const state = given(creditDecider, [registered]).when({ type: 'ChangeCreditPolicy', customerId: 'cust-1', policy: 'hold_for_approval', reason: 'Key account' }).then([set]);
    expect(state).toMatchObject({ creditPolicy: 'hold_for_approval' });
    given(creditDecider, [registered, set]).when({ type: 'ChangeCreditPolicy', customerId: 'cust-1', policy: null, reason: 'Back to default' }).then([
      { type: 'CreditPolicyChanged', data: { customerId: 'cust-1', previousPolicy: 'hold_for_approval', policy: null, reason: 'Back to default' } },
    ]);
    given(creditDecider, [registered, set]).when({ type: 'ChangeCreditPolicy', customerId: 'cust-1', policy: 'hold_for_approval', reason: 'again' }).then([]);
  });

  it('refuses an unknown policy', () => {
    given(creditDecider, [registered]).when({ type: 'ChangeCreditPolicy', customerId: 'cust-1', policy: 'ask_mum' as never, reason: 'x' })
      .thenThrows('CREDIT_POLICY_UNKNOWN', { kind: 'invalid', details: { field: 'policy' } });
  });
});

describe('credit decider — holds', () => {
  const manual: CreditEvent = { type: 'CreditHoldPlaced', data: { customerId: 'cust-1', kind: 'manual', reason: 'Bankruptcy rumours' } };
  const figures = { asOf: '2026-03-31', maxDaysPastDue: 30, overdue: [{ invoiceId: 'i1', number: 'INV-000001', dueDate: '2026-02-01', daysPastDue: 58, outstanding: 1000 }] };
  const policy: CreditEvent = { type: 'CreditHoldPlaced', data: { customerId: 'cust-1', kind: 'policy', reason: '1 invoice more than 30 days past due', policy: figures } };

  it('places a manual hold with its reason', () => {
    const state = given(creditDecider, [registered]).when({ type: 'PlaceCreditHold', customerId: 'cust-1', kind: 'manual', reason: 'Bankruptcy rumours' }).then([manual]);
    expect(state).toMatchObject({ holds: { manual: { reason: 'Bankruptcy rumours' }, policy: null } });
  });

  it('refuses a second manual hold; the policy finding its hold in force records nothing', () => {
    given(creditDecider, [registered, manual]).when({ type: 'PlaceCreditHold', customerId: 'cust-1', kind: 'manual', reason: 'again' })
      .thenThrows('CREDIT_HOLD_ALREADY_PLACED', { kind: 'conflict' });
    given(creditDecider, [registered, policy]).when({ type: 'PlaceCreditHold', customerId: 'cust-1', kind: 'policy', reason: 'again', policy: figures }).then([]);
  });

  it('places a policy hold beside a manual one, with the figures it found', () => {
    given(creditDecider, [registered, manual]).when({ type: 'PlaceCreditHold', customerId: 'cust-1', kind: 'policy', reason: '1 invoice more than 30 days past due', policy: figures }).then([policy]);
  });

  it('a person releases every hold in force, each with the reason', () => {
    const state = given(creditDecider, [registered, manual, policy]).when({ type: 'ReleaseCreditHold', customerId: 'cust-1', scope: 'all', reason: 'Paid up' }).then([
      { type: 'CreditHoldReleased', data: { customerId: 'cust-1', kind: 'manual', reason: 'Paid up' } },
      { type: 'CreditHoldReleased', data: { customerId: 'cust-1', kind: 'policy', reason: 'Paid up' } },
    ]);
    expect(state).toMatchObject({ holds: { manual: null, policy: null } });
  });

  it('the automatic release touches only the policy hold, and does nothing without one', () => {
    given(creditDecider, [registered, manual, policy]).when({ type: 'ReleaseCreditHold', customerId: 'cust-1', scope: 'policy', reason: 'nothing past due', policy: { ...figures, overdue: [] } }).then([
      { type: 'CreditHoldReleased', data: { customerId: 'cust-1', kind: 'policy', reason: 'nothing past due', policy: { ...figures, overdue: [] } } },
    ]);
    given(creditDecider, [registered, manual]).when({ type: 'ReleaseCreditHold', customerId: 'cust-1', scope: 'policy', reason: 'x' }).then([]);
  });

  it('refuses to release when nothing is held, and a hold without a reason', () => {
    given(creditDecider, [registered]).when({ type: 'ReleaseCreditHold', customerId: 'cust-1', scope: 'all', reason: 'x' }).thenThrows('CUSTOMER_NOT_ON_HOLD', { kind: 'conflict' });
    given(creditDecider, [registered]).when({ type: 'PlaceCreditHold', customerId: 'cust-1', kind: 'manual', reason: '' }).thenThrows('REASON_REQUIRED', { kind: 'invalid', details: { field: 'reason' } });
    given(creditDecider).when({ type: 'PlaceCreditHold', customerId: 'cust-1', kind: 'manual', reason: 'x' }).thenThrows('CUSTOMER_NOT_FOUND', { kind: 'not_found' });
  });
});

describe('credit decider — AssessCredit and limits relying on an assessment', () => {
  const assess: AssessCredit = {
    type: 'AssessCredit', customerId: 'cust-1', assessmentId: 'as-1', assessedOn: '2026-06-30',
    inputs: {
      financials: { workingCapital: null, retainedEarnings: null, ebit: null, bookEquity: null, totalAssets: null, totalLiabilities: null, annualRevenue: 100_000_000 },
      yearsInBusiness: 5, externalRating: { agency: 'X', grade: 'C' }, paymentBehaviour: paymentBehaviour([], '2026-06-30'),
    },
  };

  it('stores inputs, model version, breakdown and result', () => {
    const [event] = creditDecider.decide(assess, creditDecider.evolve(creditDecider.initialState(), registered));
    expect(event.type).toBe('CreditAssessed');
    expect(event.data).toMatchObject({
      customerId: 'cust-1', assessmentId: 'as-1', assessedOn: '2026-06-30', modelVersion: 'ar-credit-score/1', currency: 'EUR', country: 'FR',
      inputs: { yearsInBusiness: 5, financials: { annualRevenue: 100_000_000, ebit: null } },
      result: { score: 55, rating: 'C', confidence: 20, recommendedLimit: 1_000_000 },
    });
    const state = creditDecider.evolve(creditDecider.evolve(creditDecider.initialState(), registered), event);
    expect(state).toMatchObject({ assessments: [{ assessmentId: 'as-1', assessedOn: '2026-06-30', rating: 'C', recommendedLimit: 1_000_000 }] });
  });

  it('a limit change names the assessment it relies on, quoted in the event', () => {
    const [assessed] = creditDecider.decide(assess, creditDecider.evolve(creditDecider.initialState(), registered));
    given(creditDecider, [registered, assessed]).when({ type: 'ChangeCreditLimit', customerId: 'cust-1', newLimit: 1_000_000, reason: 'Per assessment', assessmentId: 'as-1' }).then([{
      type: 'CreditLimitChanged',
      data: {
        customerId: 'cust-1', previousLimit: 5_000_000, newLimit: 1_000_000, reason: 'Per assessment',
        assessment: { assessmentId: 'as-1', assessedOn: '2026-06-30', rating: 'C', recommendedLimit: 1_000_000 },
      },
    }]);
    given(creditDecider, [registered]).when({ type: 'ChangeCreditLimit', customerId: 'cust-1', newLimit: 1, reason: 'x', assessmentId: 'nope' })
      .thenThrows('ASSESSMENT_NOT_FOUND', { kind: 'rule', details: { field: 'assessmentId' } });
  });

  it.each([
    ['no evidence at all', { inputs: { ...assess.inputs, financials: { ...assess.inputs.financials, annualRevenue: null }, yearsInBusiness: null, externalRating: null } }, 'ASSESSMENT_INPUTS_INSUFFICIENT', 'rule'],
    ['non-positive total assets', { inputs: { ...assess.inputs, financials: { ...assess.inputs.financials, totalAssets: 0 } } }, 'FINANCIALS_INVALID', 'invalid'],
    ['negative revenue', { inputs: { ...assess.inputs, financials: { ...assess.inputs.financials, annualRevenue: -1 } } }, 'FINANCIALS_INVALID', 'invalid'],
    ['a fractional amount', { inputs: { ...assess.inputs, financials: { ...assess.inputs.financials, ebit: 1.5 } } }, 'AMOUNT_MALFORMED', 'invalid'],
    ['an unknown grade', { inputs: { ...assess.inputs, externalRating: { agency: 'X', grade: 'Z' } } }, 'EXTERNAL_RATING_INVALID', 'invalid'],
    ['negative years', { inputs: { ...assess.inputs, yearsInBusiness: -1 } }, 'YEARS_IN_BUSINESS_INVALID', 'invalid'],
    ['a malformed date', { assessedOn: '2026-02-30' }, 'DATE_MALFORMED', 'invalid'],
  ])('refuses %s', (_l, patch, code, kind) => {
    given(creditDecider, [registered]).when({ ...assess, ...patch } as AssessCredit).thenThrows(code, { kind: kind as 'rule' });
  });

  it('refuses an assessment id used before, and an unregistered customer', () => {
    const [assessed] = creditDecider.decide(assess, creditDecider.evolve(creditDecider.initialState(), registered));
    given(creditDecider, [registered, assessed]).when(assess).thenThrows('ASSESSMENT_ALREADY_EXISTS', { kind: 'conflict' });
    given(creditDecider).when(assess).thenThrows('CUSTOMER_NOT_FOUND', { kind: 'not_found' });
  });
});
