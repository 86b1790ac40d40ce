import { DEFAULT_COUNTRY } from '../../libs/domain/credit/credit.decider';
import { emptyDetails, type CustomerDetails } from '../../libs/domain/customer/customer-details';
import type { Projection } from '../../libs/projection-runtime/projection';

/**
 * One document per customer: its registration and master data as stored in the log. Personal fields (name,
 * billingEmails, phone, address) are copied as they are stored, i.e. sealed with the customer's data key
 * (ADR 0082), so the read store never holds them in clear; readers open them through the decrypting view
 * (`PersonalData`), and once the key is destroyed they read as the erased marker, rebuild or not.
 */
export type CustomerProfileDoc = {
  customerId: string;
  /** Sealed (or, in a log written before encryption, clear). */
  name: string;
  currency: string;
  country: string;
  /** Personal fields hold sealed strings in place of their values. */
  details: { [K in keyof CustomerDetails]: CustomerDetails[K] | string };
  erased: { erasedOn: string; reason: string } | null;
  registeredAt: string;
  lastPosition: number;
};

const TYPES: ReadonlySet<string> = new Set(['CustomerRegistered', 'CustomerDetailsChanged', 'CustomerErased']);

export const customerProfilesProjection: Projection<CustomerProfileDoc> = {
  name: 'customer-profiles',
  version: 1,
  indexes: ['country'],
  eventTypes: TYPES,
  keysOf(event) {
    return TYPES.has(event.type) ? [event.data.customerId] : [];
  },
  evolve(doc, event) {
    // A batch re-applied after a crash (MongoDB: documents, then checkpoint) changes nothing (ADR 0006).
    if (doc !== null && event.position <= doc.lastPosition) return doc;
    switch (event.type) {
      case 'CustomerRegistered': {
        const d = event.data;
        return {
          customerId: d.customerId, name: d.name, currency: d.currency, country: d.country ?? DEFAULT_COUNTRY, details: emptyDetails(), erased: null,
          registeredAt: event.metadata.recordedAt, lastPosition: event.position,
        };
      }
      case 'CustomerDetailsChanged': {
        if (doc === null) return null;
        const { name, ...rest } = event.data.changes as Record<string, unknown>;
        return { ...doc, ...(typeof name === 'string' ? { name } : {}), details: { ...doc.details, ...rest }, lastPosition: event.position };
      }
      case 'CustomerErased':
        return doc === null ? null : { ...doc, erased: { erasedOn: event.data.erasedOn, reason: event.data.reason }, lastPosition: event.position };
      default:
        return doc;
    }
  },
};
