import { DomainEvent } from '../shared/decider';

/** Amounts are integer minor units of the customer's currency. */
export type CustomerRegistered = DomainEvent<'CustomerRegistered', {
  customerId: string;
  name: string;
  currency: string;
  creditLimit: number;
  paymentTermsDays: number;
}>;

export type CreditLimitChanged = DomainEvent<'CreditLimitChanged', {
  customerId: string;
  previousLimit: number;
  newLimit: number;
  reason: string;
}>;

export type CreditEvent = CustomerRegistered | CreditLimitChanged;
export const CREDIT_EVENT_TYPES = ['CustomerRegistered', 'CreditLimitChanged'] as const;
