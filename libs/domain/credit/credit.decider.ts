import { assertNever, Decider } from '../shared/decider';
import { DomainError, invalid } from '../shared/errors';
import { isCurrency } from '../shared/money';
import { netTerms, PaymentTerms } from '../shared/payment-terms';
import { requireId, requireInteger, requireText } from '../shared/validation';
import {
  assessCredit, AssessCredit, changeCreditPolicy, ChangeCreditPolicy, changePaymentTerms, ChangePaymentTerms, placeCreditHold, PlaceCreditHold,
  releaseCreditHold, ReleaseCreditHold, requirePolicy,
} from './credit.management';
import { CreditEvent, CreditLimitChanged, CreditPolicy, CustomerRegistered } from './credit.events';
import type { AssessmentSummary, CreditState } from './credit.state';
import { enforceLegalCap, requireCountry } from './terms-policy';

export type { AssessCredit, ChangeCreditPolicy, ChangePaymentTerms, PlaceCreditHold, ReleaseCreditHold } from './credit.management';

/** Payment terms (conditions de paiement) are net N days; the API applies the default of 30. */
export const MAX_PAYMENT_TERMS_DAYS = 365;

/** Country of customers registered without one: the engine's home market (see DOMAIN.md). */
export const DEFAULT_COUNTRY = 'FR';

export interface RegisterCustomer {
  type: 'RegisterCustomer';
  customerId: string;
  name: string;
  currency: string;
  /** Minor units of `currency`. */
  creditLimit: number;
  paymentTermsDays: number;
  /** ISO 3166-1 alpha-2; absent = 'FR'. */
  country?: string;
  creditPolicy?: CreditPolicy;
  /** Net terms beyond the country's legal cap are refused unless this is true (and then recorded). */
  termsAgreedBeyondCap?: boolean;
}

export interface ChangeCreditLimit {
  type: 'ChangeCreditLimit';
  customerId: string;
  /** Minor units of the customer's currency. */
  newLimit: number;
  reason: string;
  /** An assessment of this customer the change relies on. */
  assessmentId?: string;
}

export type CreditCommand =
  | RegisterCustomer | ChangeCreditLimit
  | ChangePaymentTerms | ChangeCreditPolicy | PlaceCreditHold | ReleaseCreditHold | AssessCredit;

export type { ActiveCustomer, AssessmentSummary, CreditState, HoldInForce } from './credit.state';

function registerCustomer(command: RegisterCustomer, state: CreditState): CustomerRegistered[] {
  const customerId = requireId(command.customerId, 'customerId');
  const name = requireText(command.name, 'name', 'NAME');
  if (typeof command.currency !== 'string' || !isCurrency(command.currency)) {
    throw invalid('CURRENCY_UNKNOWN', `Unknown currency ${String(command.currency)}`, 'currency', { currency: command.currency });
  }
  const creditLimit = requireInteger(command.creditLimit, 'creditLimit', 'CREDIT_LIMIT_INVALID', 0);
  const paymentTermsDays = requireInteger(
    command.paymentTermsDays, 'paymentTermsDays', 'PAYMENT_TERMS_INVALID', 0, MAX_PAYMENT_TERMS_DAYS,
  );
  const country = command.country === undefined ? undefined : requireCountry(command.country);
  const creditPolicy = command.creditPolicy === undefined ? undefined : requirePolicy(command.creditPolicy, 'creditPolicy');
  const agreed = command.termsAgreedBeyondCap === true;
  const cap = enforceLegalCap(netTerms(paymentTermsDays), country ?? DEFAULT_COUNTRY, agreed, 'paymentTermsDays');
  if (state.status !== 'unregistered') {
    throw new DomainError('CUSTOMER_ALREADY_EXISTS', `Customer ${customerId} is already registered`, { customerId }, 'conflict');
  }
  return [{
    type: 'CustomerRegistered',
    data: {
      customerId, name, currency: command.currency, creditLimit, paymentTermsDays,
      ...(country !== undefined ? { country } : {}),
      ...(creditPolicy !== undefined ? { creditPolicy } : {}),
      ...(cap.beyondLegalCap ? { termsAgreedBeyondCap: true } : {}),
    },
  }];
}

function changeCreditLimit(command: ChangeCreditLimit, state: CreditState): CreditLimitChanged[] {
  const customerId = requireId(command.customerId, 'customerId');
  const newLimit = requireInteger(command.newLimit, 'newLimit', 'CREDIT_LIMIT_INVALID', 0);
  const reason = requireText(command.reason, 'reason', 'REASON', 500);
  if (state.status !== 'active') {
    throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} is not registered`, { customerId }, 'not_found');
  }
  let assessment: AssessmentSummary | undefined;
  if (command.assessmentId !== undefined) {
    assessment = state.assessments.find((a) => a.assessmentId === command.assessmentId);
    if (!assessment) {
      throw new DomainError('ASSESSMENT_NOT_FOUND', `Customer ${customerId} has no assessment ${String(command.assessmentId)}`, { field: 'assessmentId', assessmentId: command.assessmentId });
    }
  }
  // Idempotent: a retried change (or one to the current limit) records nothing.
  if (newLimit === state.creditLimit) return [];
  return [{
    type: 'CreditLimitChanged',
    data: { customerId: state.customerId, previousLimit: state.creditLimit, newLimit, reason, ...(assessment ? { assessment: { ...assessment } } : {}) },
  }];
}

function decide(command: CreditCommand, state: CreditState): CreditEvent[] {
  switch (command.type) {
    case 'RegisterCustomer':
      return registerCustomer(command, state);
    case 'ChangeCreditLimit':
      return changeCreditLimit(command, state);
    case 'ChangePaymentTerms':
      return changePaymentTerms(command, state);
    case 'ChangeCreditPolicy':
      return changeCreditPolicy(command, state);
    case 'PlaceCreditHold':
      return placeCreditHold(command, state);
    case 'ReleaseCreditHold':
      return releaseCreditHold(command, state);
    case 'AssessCredit':
      return assessCredit(command, state);
    default:
      return assertNever(command);
  }
}

function evolve(state: CreditState, event: CreditEvent): CreditState {
  switch (event.type) {
    case 'CustomerRegistered': {
      const d = event.data;
      return {
        status: 'active', customerId: d.customerId, name: d.name, currency: d.currency, creditLimit: d.creditLimit,
        paymentTermsDays: d.paymentTermsDays, country: d.country ?? DEFAULT_COUNTRY, terms: netTerms(d.paymentTermsDays),
        termsAgreedBeyondCap: d.termsAgreedBeyondCap === true, creditPolicy: d.creditPolicy ?? null,
        holds: { manual: null, policy: null }, assessments: [],
      };
    }
    case 'CreditLimitChanged':
      return state.status === 'active' ? { ...state, creditLimit: event.data.newLimit } : state;
    case 'PaymentTermsChanged':
      return state.status === 'active' ? { ...state, terms: event.data.terms, termsAgreedBeyondCap: event.data.beyondLegalCap && event.data.agreedBeyondCap } : state;
    case 'CreditPolicyChanged':
      return state.status === 'active' ? { ...state, creditPolicy: event.data.policy } : state;
    case 'CreditHoldPlaced':
      return state.status === 'active' ? { ...state, holds: { ...state.holds, [event.data.kind]: { reason: event.data.reason } } } : state;
    case 'CreditHoldReleased':
      return state.status === 'active' ? { ...state, holds: { ...state.holds, [event.data.kind]: null } } : state;
    case 'CreditAssessed': {
      if (state.status !== 'active') return state;
      const d = event.data;
      return { ...state, assessments: [...state.assessments, { assessmentId: d.assessmentId, assessedOn: d.assessedOn, rating: d.result.rating, recommendedLimit: d.result.recommendedLimit }] };
    }
    default:
      return assertNever(event);
  }
}

export const initialCreditState = (): CreditState => ({ status: 'unregistered' });

/** The customer's credit account: registration, limit and terms (limite de crédit, conditions de paiement). */
export const creditDecider: Decider<CreditCommand, CreditEvent, CreditState> = {
  initialState: initialCreditState,
  evolve,
  decide,
};

