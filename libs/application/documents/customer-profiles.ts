import { Inject, Injectable } from '@nestjs/common';
import { customerProfilesProjection, type CustomerProfileDoc } from '../../../projections';
import { streams } from '../../domain/shared/ids';
import type { CustomerProfile, CustomerProfiles } from '../../documents/identity';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import type { ProjectedEvent } from '../../projection-runtime/projection';
import { CustomerProfiles as MasterData, type CustomerProfile as MasterProfile } from '../queries/customer.queries';

/**
 * CUSTOMER_PROFILES over the customer master data, personal fields opened through the decrypting view: name,
 * postal address, SIREN/SIRET, VAT number, billing e-mail and language (as set, else from the country).
 * `asOfPosition`: the master data as it stood when that event was written — the customer's credit stream
 * folded with the customer-profiles projection up to it — so an issued invoice keeps the buyer it was issued
 * to (ADR 0075). Without it, the current read model. An erased customer prints the erased marker, no address.
 */
@Injectable()
export class ReadModelCustomerProfiles implements CustomerProfiles {
  constructor(private readonly masterData: MasterData, @Inject(EVENT_STORE) private readonly events: EventStore) {}

  async profile(customerId: string, asOfPosition?: number): Promise<CustomerProfile | null> {
    const p = asOfPosition === undefined ? (await this.masterData.get(customerId)).value : await this.asOf(customerId, asOfPosition);
    return p === null ? null : toProfile(customerId, p);
  }

  private async asOf(customerId: string, position: number): Promise<MasterProfile | null> {
    let doc: CustomerProfileDoc | null = null;
    for (const e of await this.events.readStream(streams.credit(customerId))) {
      if (e.position > position) break;
      doc = customerProfilesProjection.evolve(doc, e as unknown as ProjectedEvent);
    }
    return doc === null ? null : this.masterData.view(doc);
  }
}

function toProfile(customerId: string, p: MasterProfile): CustomerProfile {
  const a = p.contacts.address;
  return {
    customerId, name: p.name, country: p.country, language: p.language,
    address: a ? { lines: a.lines, postcode: a.postalCode, city: a.city, country: a.country } : null,
    siren: p.legal.siren, siret: p.legal.siret, vatNumber: p.legal.vatNumber, email: p.contacts.billingEmails[0] ?? null,
  };
}
