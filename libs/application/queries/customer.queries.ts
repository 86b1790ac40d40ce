import { Injectable } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { CustomerProfileDoc } from '../../../projections';
import { DomainError } from '../../domain/shared/errors';
import { ERASED_MARKER } from '../../domain/customer/customer.events';
import type { Language, PaymentMethod, PostalAddress } from '../../domain/customer/customer-details';
import { PersonalData } from '../privacy/personal-data';
import { ReadModels } from '../read-models';
import type { QueryResult } from './queries';

/** A customer's master data as every reader sees it (GET /customers/:id, documents, dunning, the console). */
export interface CustomerProfile {
  id: string;
  /** The erased marker once the customer's personal data was erased. */
  name: string;
  currency: string;
  country: string;
  /** The letters' and documents' language: as set, else from the country (FR → fr, else en). */
  language: Language;
  contacts: { billingEmails: string[]; phone: string | null; address: PostalAddress | null };
  legal: { siren: string | null; siret: string | null; vatNumber: string | null };
  defaultPaymentMethod: PaymentMethod | null;
  accountManager: string | null;
  erased: boolean;
  erasedOn: string | null;
  registeredAt: string;
}

export const languageOfCountry = (country: string): Language => (country === 'FR' ? 'fr' : 'en');

/** Reads profiles from the `customer-profiles` read model and opens their personal fields through the decrypting view. */
@Injectable()
export class CustomerProfiles {
  constructor(private readonly rm: ReadModels, private readonly pii: PersonalData) {}

  /** Null when the customer is unknown. */
  async get(customerId: string): Promise<QueryResult<CustomerProfile | null>> {
    const f = await this.rm.catchUp(['customer-profiles']);
    const doc = await this.rm.get<CustomerProfileDoc>('customer-profiles', customerId);
    return { ...f, value: doc ? await this.view(doc) : null };
  }

  async view(doc: CustomerProfileDoc): Promise<CustomerProfile> {
    const d = doc.details;
    const [name, emails, phone, address] = await Promise.all([
      this.pii.reveal<string>(doc.name), this.pii.reveal<string[]>(d.billingEmails), this.pii.reveal<string | null>(d.phone), this.pii.reveal<PostalAddress | null>(d.address),
    ]);
    const erased = doc.erased !== null || name.erased;
    const gone = erased || emails.erased || phone.erased || address.erased;
    return {
      id: doc.customerId,
      name: erased || name.erased ? ERASED_MARKER : name.value,
      currency: doc.currency,
      country: doc.country,
      language: (d.language as Language | null) ?? languageOfCountry(doc.country),
      contacts: {
        billingEmails: gone || emails.erased ? [] : emails.value,
        phone: gone || phone.erased ? null : phone.value,
        address: gone || address.erased ? null : address.value,
      },
      legal: { siren: d.siren as string | null, siret: d.siret as string | null, vatNumber: d.vatNumber as string | null },
      defaultPaymentMethod: d.defaultPaymentMethod as PaymentMethod | null,
      accountManager: d.accountManager as string | null,
      erased,
      erasedOn: doc.erased?.erasedOn ?? null,
      registeredAt: doc.registeredAt,
    };
  }
}

export class GetCustomerProfileQuery {
  constructor(readonly customerId: string) {}
}

@QueryHandler(GetCustomerProfileQuery)
export class GetCustomerProfileHandler implements IQueryHandler<GetCustomerProfileQuery, QueryResult<CustomerProfile>> {
  constructor(private readonly profiles: CustomerProfiles) {}
  async execute(q: GetCustomerProfileQuery): Promise<QueryResult<CustomerProfile>> {
    const r = await this.profiles.get(q.customerId);
    if (!r.value) throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${q.customerId} not found`, { customerId: q.customerId }, 'not_found');
    return { ...r, value: r.value };
  }
}
