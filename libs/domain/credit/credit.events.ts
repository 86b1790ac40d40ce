import { CREDIT_LIMIT_REQUEST_EVENT_TYPES, type CreditLimitRequestEvent } from './credit-limit-request.events';
import { DomainEvent } from '../shared/decider';
import { CUSTOMER_PROFILE_EVENT_TYPES, type CustomerProfileEvent } from '../customer/customer.events';
import type { CalendarDate } from '../shared/dates';
import type { PaymentTerms } from '../shared/payment-terms';
import type { CreditAssessedData } from './assessment-model';
import type { CapCheck } from './terms-policy';

/** What happens at invoicing when the exposure would exceed the limit (per customer, else the global setting). */
export type CreditPolicy = 'reject' | 'hold_for_approval';

/** Amounts are integer minor units of the customer's currency. */
export type CustomerRegistered = DomainEvent<'CustomerRegistered', {
  customerId: string;
  name: string;
  currency: string;
  creditLimit: number;
  paymentTermsDays: number;
  /** ISO 3166-1 alpha-2; absent in events written before it was asked (= 'FR'). Legal caps and late charges depend on it. */
  country?: string;
  /** Per-customer credit policy; absent = the global setting (AR_CREDIT_POLICY). */
  creditPolicy?: CreditPolicy;
  /** Present (true) only when net paymentTermsDays beyond the country's legal cap were expressly agreed. */
  termsAgreedBeyondCap?: boolean;
}>;

export type CreditLimitChanged = DomainEvent<'CreditLimitChanged', {
  customerId: string;
  previousLimit: number;
  newLimit: number;
  reason: string;
  /** The assessment the change relies on, when one was named; absent otherwise (and in older events). */
  assessment?: { assessmentId: string; assessedOn: CalendarDate; rating: string; recommendedLimit: number | null };
}>;

/** The customer's payment terms changed, with the legal-cap check that was made and whether terms beyond it were agreed. */
export type PaymentTermsChanged = DomainEvent<'PaymentTermsChanged', {
  customerId: string;
  previousTerms: PaymentTerms;
  terms: PaymentTerms;
  description: string;
  legalCap: CapCheck['legalCap'];
  worstCaseDays: number;
  beyondLegalCap: boolean;
  agreedBeyondCap: boolean;
  reason: string;
}>;

export type CreditPolicyChanged = DomainEvent<'CreditPolicyChanged', {
  customerId: string;
  /** null = the global setting. */
  previousPolicy: CreditPolicy | null;
  policy: CreditPolicy | null;
  reason: string;
}>;

/** Why the credit-hold policy acted: the overdue invoices it saw as of a date. */
export interface HoldPolicyFigures {
  asOf: CalendarDate;
  maxDaysPastDue: number;
  overdue: Array<{ invoiceId: string; number: string; dueDate: CalendarDate; daysPastDue: number; outstanding: number }>;
}

/** Blocage: no new credit sale until released. `manual` by a person, `policy` by the overdue-invoice rule. */
export type CreditHoldPlaced = DomainEvent<'CreditHoldPlaced', {
  customerId: string;
  kind: 'manual' | 'policy';
  reason: string;
  policy?: HoldPolicyFigures;
}>;

export type CreditHoldReleased = DomainEvent<'CreditHoldReleased', {
  customerId: string;
  kind: 'manual' | 'policy';
  reason: string;
  policy?: HoldPolicyFigures;
}>;

/** A scored, explained credit assessment: inputs, model version, breakdown of every component and result. */
export type CreditAssessed = DomainEvent<'CreditAssessed', CreditAssessedData>;

export type CreditEvent =
  | CustomerRegistered | CreditLimitChanged
  | PaymentTermsChanged | CreditPolicyChanged | CreditHoldPlaced | CreditHoldReleased | CreditAssessed | CreditLimitRequestEvent | CustomerProfileEvent;
export const CREDIT_EVENT_TYPES = [
  'CustomerRegistered', 'CreditLimitChanged',
  'PaymentTermsChanged', 'CreditPolicyChanged', 'CreditHoldPlaced', 'CreditHoldReleased', 'CreditAssessed', ...CREDIT_LIMIT_REQUEST_EVENT_TYPES, ...CUSTOMER_PROFILE_EVENT_TYPES,
] as const;
