import { Injectable } from '@nestjs/common';
import type { OpenBalance } from '../../../projections';
import type { CustomerProfile, CustomerProfiles } from '../../documents/identity';
import { ReadModels } from '../read-models';
import { languageFor } from '../dunning/templates';

/**
 * CUSTOMER_PROFILES from the read models: the customer's name and country from `open-balances`; language
 * French for France, English elsewhere (as the reminders). Address, SIREN/SIRET, VAT number and e-mail come
 * with the customer master data; until then they are null and documents print the country alone.
 */
@Injectable()
export class ReadModelCustomerProfiles implements CustomerProfiles {
  constructor(private readonly rm: ReadModels) {}

  async profile(customerId: string): Promise<CustomerProfile | null> {
    await this.rm.catchUp(['open-balances']);
    const b = await this.rm.get<OpenBalance>('open-balances', customerId);
    if (!b || b.currency === '') return null;
    return { customerId, name: b.name, country: b.country, language: languageFor(b.country), address: null, siren: null, siret: null, vatNumber: null, email: null };
  }
}
