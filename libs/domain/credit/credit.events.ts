import { DomainEvent } from '../shared/decider';

/** Amounts are integer minor units of the customer's currency. */
export type CustomerRegistered = DomainEvent<'CustomerRegistered', {
  customerId: string;
  name: string;
  currency: string;
  creditLimit: number;
  paymentTermsDays: number;
  /** ISO 3166-1 alpha-2; absent in events written before it was asked (= 'FR'). Legal caps and late charges depend on it. */
  country?: string;
}>;

export type CreditLimitChanged = DomainEvent<'CreditLimitChanged', {
  customerId: string;
  previousLimit: number;
  newLimit: number;
  reason: string;
}>;

export type CreditEvent = CustomerRegistered | CreditLimitChanged;
export const CREDIT_EVENT_TYPES = ['CustomerRegistered', 'CreditLimitChanged'] as const;
