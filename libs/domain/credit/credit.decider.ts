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
import type { CreditLimitIncreaseRequested } from './credit-limit-request.events';
import { enforceLegalCap, requireCountry } from './terms-policy';
import { applyChanges, emptyDetails } from '../customer/customer-details';
import { changeCustomerDetails, detailsAtRegistration, eraseCustomer, type ChangeCustomerDetails, type EraseCustomer } from '../customer/customer.profile';
import type { CustomerDetailsChanged } from '../customer/customer.events';

export type { ChangeCustomerDetails, EraseCustomer } from '../customer/customer.profile';
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
  /** Master data given at registration (validated like a change; recorded as CustomerDetailsChanged). */
  details?: Record<string, unknown>;
}

export interface ChangeCreditLimit {
  type: 'ChangeCreditLimit';
  customerId: string;
  /** Minor units of the customer's currency. */
  newLimit: number;
  reason: string;
  /** An assessment of this customer the change relies on. */
  assessmentId?: string;
  /** Who asks (the principal): the requester when the increase needs a second principal. */
  requestedBy?: string;
  /** An increase larger than this (minor units) is a request for a second principal; absent/null = none. */
  approvalAbove?: number | null;
  requestId?: string;
}

/** Approve or reject the credit-limit increase waiting for a second principal (never its requester). */
export interface DecideLimitIncrease {
  type: 'DecideLimitIncrease';
  customerId: string;
  decision: 'approve' | 'reject';
  by: string;
  /** Required to reject. */
  reason?: string;
}

export type CreditCommand =
  | RegisterCustomer | ChangeCreditLimit | DecideLimitIncrease
  | ChangePaymentTerms | ChangeCreditPolicy | PlaceCreditHold | ReleaseCreditHold | AssessCredit | ChangeCustomerDetails | EraseCustomer;

export type { ActiveCustomer, AssessmentSummary, CreditState, HoldInForce } from './credit.state';

function registerCustomer(command: RegisterCustomer, state: CreditState): Array<CustomerRegistered | CustomerDetailsChanged> {
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
  const details = detailsAtRegistration(customerId, command.details);
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
  }, ...details];
}

function changeCreditLimit(command: ChangeCreditLimit, state: CreditState): Array<CreditLimitChanged | CreditLimitIncreaseRequested> {
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
  const increase = newLimit - state.creditLimit;
  const above = command.approvalAbove ?? null;
  if (increase > 0 && state.pendingLimitIncrease) {
    // A decrease never waits (it lowers the risk); another increase does not overtake the one under review.
    throw new DomainError('CREDIT_LIMIT_INCREASE_PENDING', `An increase of ${customerId}'s limit already waits for approval`, {
      customerId, requestId: state.pendingLimitIncrease.requestId, requestedBy: state.pendingLimitIncrease.requestedBy,
    }, 'conflict');
  }
  if (above !== null && increase > above) {
    const requestedBy = requireText(command.requestedBy, 'requestedBy', 'REQUESTER', 200);
    const requestId = requireId(command.requestId, 'requestId');
    return [{
      type: 'CreditLimitIncreaseRequested',
      data: { customerId: state.customerId, requestId, currency: state.currency, previousLimit: state.creditLimit, newLimit, reason, ...(assessment ? { assessment: { ...assessment } } : {}), requestedBy, approvalAbove: above },
    }];
  }
  return [{
    type: 'CreditLimitChanged',
    data: { customerId: state.customerId, previousLimit: state.creditLimit, newLimit, reason, ...(assessment ? { assessment: { ...assessment } } : {}) },
  }];
}

function decideLimitIncrease(command: DecideLimitIncrease, state: CreditState): CreditEvent[] {
  const customerId = requireId(command.customerId, 'customerId');
  const by = requireText(command.by, 'by', 'APPROVER', 200);
  if (state.status !== 'active') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} is not registered`, { customerId }, 'not_found');
  const pending = state.pendingLimitIncrease;
  if (!pending) throw new DomainError('NO_LIMIT_INCREASE_PENDING', `No credit-limit increase of ${customerId} waits for approval`, { customerId }, 'conflict');
  const ids = { customerId, requestId: pending.requestId, requestedBy: pending.requestedBy };
  if (command.decision === 'reject') {
    const reason = requireText(command.reason, 'reason', 'REASON', 500);
    return [{ type: 'CreditLimitIncreaseRejected', data: { ...ids, rejectedBy: by, reason } }];
  }
  if (pending.requestedBy === by) {
    throw new DomainError('APPROVER_IS_REQUESTER', `${by} requested this credit-limit increase and cannot approve it`, { ...ids, newLimit: pending.newLimit });
  }
  return [
    { type: 'CreditLimitIncreaseApproved', data: { ...ids, approvedBy: by } },
    {
      type: 'CreditLimitChanged',
      data: { customerId, previousLimit: state.creditLimit, newLimit: pending.newLimit, reason: pending.reason, ...(pending.assessment ? { assessment: { ...pending.assessment } } : {}) },
    },
  ];
}

function decide(command: CreditCommand, state: CreditState): CreditEvent[] {
  switch (command.type) {
    case 'RegisterCustomer':
      return registerCustomer(command, state);
    case 'ChangeCreditLimit':
      return changeCreditLimit(command, state);
    case 'DecideLimitIncrease':
      return decideLimitIncrease(command, state);
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
    case 'ChangeCustomerDetails':
      return changeCustomerDetails(command, state);
    case 'EraseCustomer':
      return eraseCustomer(command, state);
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
        holds: { manual: null, policy: null }, assessments: [], details: emptyDetails(), erased: null,
      };
    }
    case 'CustomerDetailsChanged': {
      if (state.status !== 'active') return state;
      const c = event.data.changes;
      return { ...state, ...(c.name !== undefined ? { name: c.name } : {}), details: applyChanges(state.details, c) };
    }
    case 'CustomerErased':
      return state.status === 'active' ? { ...state, erased: { erasedOn: event.data.erasedOn, reason: event.data.reason } } : state;
    case 'CreditLimitChanged':
      return state.status === 'active' ? { ...state, creditLimit: event.data.newLimit } : state;
    case 'CreditLimitIncreaseRequested': {
      if (state.status !== 'active') return state;
      const d = event.data;
      return { ...state, pendingLimitIncrease: { requestId: d.requestId, newLimit: d.newLimit, reason: d.reason, ...(d.assessment ? { assessment: d.assessment } : {}), requestedBy: d.requestedBy } };
    }
    case 'CreditLimitIncreaseApproved':
    case 'CreditLimitIncreaseRejected':
      return state.status === 'active' ? { ...state, pendingLimitIncrease: null } : state;
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

