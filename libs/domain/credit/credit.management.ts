import { CalendarDate, parseDate } from '../shared/dates';
import { DomainError, invalid } from '../shared/errors';
import { describeTerms, PaymentTerms } from '../shared/payment-terms';
import { requireId, requireInteger, requireText } from '../shared/validation';
import { assess, AssessmentInputs, ASSESSMENT_MODEL_VERSION, FINANCIAL_FIELDS, NoEvidenceError, RATINGS } from './assessment-model';
import type {
  CreditAssessed, CreditHoldPlaced, CreditHoldReleased, CreditPolicy, CreditPolicyChanged, HoldPolicyFigures, PaymentTermsChanged,
} from './credit.events';
import type { ActiveCustomer, CreditState } from './credit.state';
import { enforceLegalCap, validateTerms } from './terms-policy';

/** Credit management commands of the Credit aggregate: terms, policy, holds, assessments. */

export interface ChangePaymentTerms {
  type: 'ChangePaymentTerms';
  customerId: string;
  terms: PaymentTerms;
  reason: string;
  /** Terms beyond the country's legal cap are refused unless expressly agreed (recorded). */
  agreedBeyondCap: boolean;
}

export interface ChangeCreditPolicy {
  type: 'ChangeCreditPolicy';
  customerId: string;
  /** null = follow the global setting. */
  policy: CreditPolicy | null;
  reason: string;
}

export interface PlaceCreditHold {
  type: 'PlaceCreditHold';
  customerId: string;
  kind: 'manual' | 'policy';
  reason: string;
  policy?: HoldPolicyFigures;
}

export interface ReleaseCreditHold {
  type: 'ReleaseCreditHold';
  customerId: string;
  /** `all` (a person: every hold in force) or `policy` (the automatic release: only the policy hold). */
  scope: 'all' | 'policy';
  reason: string;
  policy?: HoldPolicyFigures;
}

export interface AssessCredit {
  type: 'AssessCredit';
  customerId: string;
  assessmentId: string;
  assessedOn: CalendarDate;
  inputs: AssessmentInputs;
}

export const CREDIT_POLICIES: readonly CreditPolicy[] = ['reject', 'hold_for_approval'];

export function requirePolicy(value: unknown, field: string): CreditPolicy {
  if (!CREDIT_POLICIES.includes(value as CreditPolicy)) {
    throw invalid('CREDIT_POLICY_UNKNOWN', `${field} must be one of ${CREDIT_POLICIES.join(', ')}`, field);
  }
  return value as CreditPolicy;
}

function active(state: CreditState, customerId: string): ActiveCustomer {
  if (state.status !== 'active') {
    throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} is not registered`, { customerId }, 'not_found');
  }
  return state;
}

export function changePaymentTerms(command: ChangePaymentTerms, state: CreditState): PaymentTermsChanged[] {
  const customerId = requireId(command.customerId, 'customerId');
  const terms = validateTerms(command.terms, 'terms');
  const reason = requireText(command.reason, 'reason', 'REASON', 500);
  const s = active(state, customerId);
  const agreed = command.agreedBeyondCap === true;
  const cap = enforceLegalCap(terms, s.country, agreed, 'terms');
  const same = JSON.stringify(terms) === JSON.stringify(s.terms) && (cap.beyondLegalCap && agreed) === s.termsAgreedBeyondCap;
  if (same) return [];
  return [{
    type: 'PaymentTermsChanged',
    data: {
      customerId, previousTerms: s.terms, terms, description: describeTerms(terms), legalCap: cap.legalCap,
      worstCaseDays: cap.worstCaseDays, beyondLegalCap: cap.beyondLegalCap, agreedBeyondCap: cap.beyondLegalCap && agreed, reason,
    },
  }];
}

export function changeCreditPolicy(command: ChangeCreditPolicy, state: CreditState): CreditPolicyChanged[] {
  const customerId = requireId(command.customerId, 'customerId');
  const policy = command.policy === null ? null : requirePolicy(command.policy, 'policy');
  const reason = requireText(command.reason, 'reason', 'REASON', 500);
  const s = active(state, customerId);
  if (policy === s.creditPolicy) return [];
  return [{ type: 'CreditPolicyChanged', data: { customerId, previousPolicy: s.creditPolicy, policy, reason } }];
}

export function placeCreditHold(command: PlaceCreditHold, state: CreditState): CreditHoldPlaced[] {
  const customerId = requireId(command.customerId, 'customerId');
  const reason = requireText(command.reason, 'reason', 'REASON', 500);
  if (command.kind !== 'manual' && command.kind !== 'policy') throw invalid('HOLD_KIND_UNKNOWN', 'kind must be manual or policy', 'kind');
  const s = active(state, customerId);
  const inForce = s.holds[command.kind];
  if (inForce !== null) {
    // The policy re-finding what it already found records nothing; a person placing a second hold is told.
    if (command.kind === 'policy') return [];
    throw new DomainError('CREDIT_HOLD_ALREADY_PLACED', `Customer ${customerId} is already on a manual credit hold`, { customerId, reason: inForce.reason }, 'conflict');
  }
  return [{ type: 'CreditHoldPlaced', data: { customerId, kind: command.kind, reason, ...(command.policy ? { policy: command.policy } : {}) } }];
}

export function releaseCreditHold(command: ReleaseCreditHold, state: CreditState): CreditHoldReleased[] {
  const customerId = requireId(command.customerId, 'customerId');
  const reason = requireText(command.reason, 'reason', 'REASON', 500);
  const s = active(state, customerId);
  const kinds = (command.scope === 'policy' ? ['policy'] : ['manual', 'policy']) as Array<'manual' | 'policy'>;
  const released = kinds.filter((k) => s.holds[k] !== null);
  if (released.length === 0) {
    if (command.scope === 'policy') return [];
    throw new DomainError('CUSTOMER_NOT_ON_HOLD', `Customer ${customerId} is not on credit hold`, { customerId }, 'conflict');
  }
  return released.map((kind) => ({
    type: 'CreditHoldReleased' as const,
    data: { customerId, kind, reason, ...(command.policy && kind === 'policy' ? { policy: command.policy } : {}) },
  }));
}

function nullableAmount(value: unknown, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid('AMOUNT_MALFORMED', `${field} must be integer minor units`, field);
  return value;
}

export function assessCredit(command: AssessCredit, state: CreditState): CreditAssessed[] {
  const customerId = requireId(command.customerId, 'customerId');
  const assessmentId = requireId(command.assessmentId, 'assessmentId');
  const assessedOn = parseDate(command.assessedOn, 'assessedOn');
  const i = command.inputs;
  const financials = Object.fromEntries(FINANCIAL_FIELDS.map((f) => [f, nullableAmount(i.financials?.[f], `financials.${f}`)])) as AssessmentInputs['financials'];
  if (financials.totalAssets !== null && financials.totalAssets <= 0) throw invalid('FINANCIALS_INVALID', 'totalAssets must be positive', 'financials.totalAssets');
  for (const f of ['totalLiabilities', 'annualRevenue'] as const) {
    if (financials[f] !== null && financials[f]! < 0) throw invalid('FINANCIALS_INVALID', `${f} must not be negative`, `financials.${f}`);
  }
  const yearsInBusiness = i.yearsInBusiness === null ? null : requireInteger(i.yearsInBusiness, 'yearsInBusiness', 'YEARS_IN_BUSINESS_INVALID', 0, 1000);
  const rating = i.externalRating;
  if (rating !== null && (!RATINGS.includes(rating.grade) || typeof rating.agency !== 'string' || rating.agency.trim() === '')) {
    throw invalid('EXTERNAL_RATING_INVALID', 'externalRating needs an agency and a grade A–E', 'externalRating');
  }
  const s = active(state, customerId);
  if (s.assessments.some((a) => a.assessmentId === assessmentId)) {
    throw new DomainError('ASSESSMENT_ALREADY_EXISTS', `Assessment ${assessmentId} already exists`, { assessmentId }, 'conflict');
  }
  const inputs: AssessmentInputs = { financials, yearsInBusiness, externalRating: rating, paymentBehaviour: i.paymentBehaviour };
  let outcome;
  try {
    outcome = assess(inputs, s.country);
  } catch (err) {
    if (!(err instanceof NoEvidenceError)) throw err;
    throw new DomainError('ASSESSMENT_INPUTS_INSUFFICIENT', 'No component of the model can be computed: give financial statements, years in business, an external rating, or wait for payment history', { customerId });
  }
  return [{
    type: 'CreditAssessed',
    data: { customerId, assessmentId, assessedOn, modelVersion: ASSESSMENT_MODEL_VERSION, currency: s.currency, country: s.country, inputs, ...outcome },
  }];
}
