import type { DomainEvent } from '../shared/decider';
import type { CalendarDate } from '../shared/dates';
import type { DetailsChanges } from './customer-details';

/**
 * The customer's master data changed: only the fields that changed, with the reason. In the log the personal
 * fields (name, billingEmails, phone, address) are sealed with the customer's data key (ADR 0082); this type
 * is the clear form the deciders and the decrypting view work with.
 */
export type CustomerDetailsChanged = DomainEvent<'CustomerDetailsChanged', {
  customerId: string;
  changes: DetailsChanges;
  reason: string;
}>;

/**
 * The customer's personal data was erased (GDPR art. 17): its data key is destroyed, so every sealed field
 * reads as the erased marker from now on. The retention check that allowed it is recorded (Code de commerce L123-22).
 */
export type CustomerErased = DomainEvent<'CustomerErased', {
  customerId: string;
  reason: string;
  erasedOn: CalendarDate;
  retention: { years: number; lastEntryOn: CalendarDate | null; until: CalendarDate | null };
}>;

export type CustomerProfileEvent = CustomerDetailsChanged | CustomerErased;
export const CUSTOMER_PROFILE_EVENT_TYPES = ['CustomerDetailsChanged', 'CustomerErased'] as const;

/** What a reader shows in place of a personal field whose key was destroyed. */
export const ERASED_MARKER = '[erased]';
